"""The bench's modes: which browser each side runs in, and whether the bench's fixed CPU load (bench.load) runs
beside it. `make bench` and `make bench-compare` share them.

  quiet           Chromium, nothing added (the top level of results.json)
  loaded          Chromium beside the fixed load (results.json "loaded")
  firefox         Firefox ESR, nothing added (results.json "firefox")
  firefox-loaded  Firefox ESR beside the fixed load (results.json "firefox_loaded"; not run unless asked)"""
from . import load

MODES = {  # name: (browser, loaded, results block: None = the top level)
    "quiet": ("chromium", False, None),
    "loaded": ("chromium", True, "loaded"),
    "firefox": ("firefox", False, "firefox"),
    "firefox-loaded": ("firefox", True, "firefox_loaded"),
}
DEFAULT_MODES = "quiet,loaded,firefox"


def browser(mode):
    return MODES[mode][0]


def loaded(mode):
    return MODES[mode][1]


def block(mode):
    return MODES[mode][2]


def parse_modes(text):
    """"quiet,loaded" -> ["quiet", "loaded"]; ValueError naming an unknown mode."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in MODES]
    if unknown or not names:
        raise ValueError(f"unknown modes {unknown}; known: {', '.join(MODES)}")
    return list(dict.fromkeys(names))


def add_arguments(parser, default_modes):
    parser.add_argument("--modes", default=default_modes,
                        help=f"comma-separated modes among {', '.join(MODES)} (default {default_modes})")
    parser.add_argument("--load-duty", type=float, default=0.8,
                        help="loaded modes: the share of each period a burner is busy, default 0.8")
    parser.add_argument("--load-period-ms", type=float, default=10.0, help="loaded modes: burner period, default 10")
    parser.add_argument("--load-per-cpu", type=int, default=1, help="loaded modes: burners per CPU, default 1")


def load_setting(args):
    return load.LoadSetting(args.load_duty, args.load_period_ms, args.load_per_cpu)


def load_for(mode, setting):
    """What runs beside a side in `mode`: the burners, or nothing."""
    return load.CpuLoad(setting) if loaded(mode) else load.NoLoad()
