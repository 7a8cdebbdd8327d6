"""`make bench`: the extension side by side with the reference it replaces (connect-streams-dr.js from the pinned
npm amazon-connect-streams, minified release file), on the same emulator, page shape and browser build,
alternating A B A B with a fresh browser per run, in each mode asked for (bench.modes: quiet Chromium, Chromium
beside a fixed CPU load, Firefox ESR); the ACGR pair (bench.acgr_sides): the extension in ACGR mode against
connect-streams.js with enableGlobalResiliency, its CCPs on a site of their own as in a real deployment, and the
same on the CRM page's site (bench.topology); and the page API's pairs (bench.page_api_sides): an opted-in page
using the page API against the reference in each protocol, and the cost to a page not opted in; in the same modes
and runs. Writes dist/bench/results.json and prints a markdown table per mode and pair and the modes' ratios side
by side.

usage: .venv/bin/python tests/bench/run.py [--modes quiet,loaded,firefox] [--pairs legacy,acgr,...] [--runs 7]
                                          [--switches 20] [--log-entries 50000] [--tab-switches 5]
                                          [--load-duty 0.8] ...
       .venv/bin/python tests/bench/run.py --smoke     (one run each, few samples: CI keeps the bench working)

Metrics (see README, "Benchmark"): legacy DR pair: init_ms, switch_ms, switch_3tabs_ms (extension only),
log_intake_ms, log_download_ms, memory_bytes, payload_bytes; the heavy-CCP pair (the legacy DR pair with the
emulator's heavy CCP), ACGR pair and page API pairs: init_ms, switch_ms; a
page not opted in: init_ms, payload_bytes. What each side's timings are made of is kept in the results ("parts")."""
import argparse
import base64
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback

from bench import browser_kinds, machine, modes, page_api_sides, stats, topology
from bench.acgr_sides import AcgrExtensionSide, AcgrReferenceSide
from bench.extension_side import ExtensionSide
from bench.instrument import bench_extension
from bench.page_api_sides import AcgrPageApiExtensionSide, NotOptedInSide, PageApiExtensionSide
from bench.sides import EAST, WEST, ReferenceSide
from e2e.conftest import extension_config
from emulator.config import Timings
from emulator.server import Emulator
from emulator.site_routes import streams_release_dir
from grccp_build.entries import entry
from rig import REPO

REFERENCE_SCRIPT = "connect-streams-dr-min.js"
ACGR_REFERENCE_SCRIPT = "connect-streams-min.js"  # what hosts/bench-reference-gr.html loads
# legacy DR: the extension against connect-streams-dr.js; ACGR (bench.acgr_sides), cross-site and same-site
# (bench.topology); the page API's (bench.page_api_sides); heavy: the legacy DR pair's init and switch with the
# emulator's heavy CCP (HEAVY_CCP_PAIRS)
PAIRS = ("legacy", "heavy", "acgr", "acgr-same-site", "page-api", "acgr-page-api", "page-api-off")
# each other pair's block in a mode's results (stats.PAIR_BLOCKS; the legacy DR pair's keys are the mode's own)
PAIR_BLOCK = {"heavy": "heavy", "acgr": "acgr", "acgr-same-site": "acgr_same_site", "page-api": "page_api",
              "acgr-page-api": "acgr_page_api", "page-api-off": "page_api_not_opted_in"}
# the pairs whose extension runs in ACGR mode (the others: legacy DR)
ACGR_PAIRS = ("acgr", "acgr-same-site", "acgr-page-api")
# the pairs whose emulator serves the heavy CCP page (a large single-page app: tests/emulator/README.md, "Heavy CCP"),
# set on both sides after each reset; the others get the light one
HEAVY_CCP_PAIRS = ("heavy",)
STREAMS_TIMEOUTS = {"ccpAckTimeout": 3000, "ccpSynTimeout": 1000, "ccpLoadTimeout": 5000}  # Streams' defaults
PACKAGES = {"chromium": "chrome", "firefox": "firefox"}  # the build output folder of each browser's package


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="tests/bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each side per mode (fresh browser each), default 7")
    parser.add_argument("--switches", type=int, default=20, help="region switches per run, default 20")
    parser.add_argument("--log-entries", type=int, default=50000, help="log entries per region, default 50000")
    parser.add_argument("--tab-switches", type=int, default=5, help="three-tab switches per extension run")
    parser.add_argument("--reloads", type=int, default=1,
                        help="after the first load's init, the page is loaded again this many times in the same "
                             "browser and the last load's init is measured too (the browsers' caches warm: "
                             "init_ms's \"reload\"), default 1; 0: none")
    parser.add_argument("--out", default=os.path.join(REPO, "dist", "bench"), help="results folder")
    parser.add_argument("--dist", default=os.path.join(REPO, "dist"),
                        help="the build output holding chrome/ and firefox/ (to measure an experimental build), "
                             "default dist/")
    parser.add_argument("--pairs", default=",".join(PAIRS),
                        help=f"which pairs to run, among {', '.join(PAIRS)} (default all)")
    parser.add_argument("--sides", default="extension,reference",
                        help="which sides to run (for investigations; the results need both)")
    parser.add_argument("--smoke", action="store_true",
                        help="one run each, 3 switches, 2,000 log entries, 1 three-tab switch (CI)")
    modes.add_arguments(parser, modes.DEFAULT_MODES)
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs, args.switches, args.log_entries, args.tab_switches = 1, 3, 2000, 1
    try:
        args.modes = modes.parse_modes(args.modes)
        args.pairs = parse_pairs(args.pairs)
    except ValueError as problem:
        parser.error(str(problem))
    return args


def parse_pairs(text):
    """"acgr,legacy" -> ["legacy", "acgr"] (the order they run in); ValueError naming an unknown pair."""
    names = {name.strip() for name in text.split(",") if name.strip()}
    unknown = sorted(names - set(PAIRS))
    if unknown or not names:
        raise ValueError(f"unknown pairs {unknown}; known: {', '.join(PAIRS)}")
    return [pair for pair in PAIRS if pair in names]


def bench_config(emulator, protocol=None):
    """The extension's configuration on the benchmark page: the reference's shape (a 400×560 container) and
    Streams' default timeouts."""
    return extension_config(emulator, protocol=protocol, loginPopup=False, timeouts=dict(STREAMS_TIMEOUTS),
                            placement={"mode": "selector", "selector": "#ccp", "width": 400, "height": 560})


def pair_configs(pair, emulator):
    """{side: the extension's configuration} of a pair's sides (None for a reference page)."""
    config = bench_config(emulator, protocol="acgr" if pair in ACGR_PAIRS else None)
    if pair == "page-api-off":
        return {"extension": page_api_sides.opted_in_elsewhere_config(config, emulator), "reference": config}
    if pair in ("page-api", "acgr-page-api"):
        config = page_api_sides.opted_in_config(config)
    return {"extension": config, "reference": None}


def content_script_files():
    """The files the content script is made of, in order (the build's entry table)."""
    return list(entry("content").scripts)


def embedded_streams_bytes(script_path):
    """connect-streams-dr.js carries Streams as one base64 string, decoded and parsed again in each regional
    frame: its decoded size (reported beside the reference's payload, not added to it)."""
    with open(script_path) as handle:
        text = handle.read()
    literals = re.findall(r'"([A-Za-z0-9+/=]{100000,})"', text)
    return len(base64.b64decode(max(literals, key=len))) if literals else None


def payload(extension_dir):
    release = streams_release_dir(REPO)
    reference_path = os.path.join(release, REFERENCE_SCRIPT)
    reference = machine.file_sizes([(REFERENCE_SCRIPT, reference_path)])
    reference["embedded_streams_parsed_per_regional_frame"] = embedded_streams_bytes(reference_path)
    extension = machine.file_sizes([(name, os.path.join(extension_dir, name)) for name in content_script_files()])
    # (measured on the built package, not on the bench's instrumented copy)
    return stats.payload_block(extension, reference)


class Samples:
    def __init__(self):
        self.init, self.init_parts, self.switch, self.switch_parts, self.switch_3tabs = [], [], [], [], []
        self.reload_init, self.reload_init_parts = [], []  # init after --reloads loads of the page, same browser
        self.switch_cpu = []
        self.intake, self.intake_parts = [], []
        self.download, self.download_bytes, self.download_entries, self.download_parts = [], [], [], []
        self.tab_anomalies = []
        self.memory, self.extension_memory, self.js_heap = [], [], []
        self.load = []  # what the burners used during each run of this side (loaded modes)
        self.load_average = []  # the one-minute load average as each run of this side began
        self.injected = []  # page-api-off: the files injected into the page (payload_bytes' side), each run


def measure_init(side, args, samples, log):
    """Starts the side (its browser, the page) and takes its init sample; then, with --reloads, the page's
    init after it was loaded that many times more in the same browser (what the browsers' caches do for the
    scripts of a page loaded again). Returns the first load's."""
    side.start()
    init = side.init_sample()
    if side.start_wait_ms is None:
        log(f"  {side.name:9} the browser's own start did not quiet down in time; the page was opened anyway")
    else:  # not a moment of the load: how long the page waited for the browser
        init["parts"]["browser_start_wait_before_navigation"] = side.start_wait_ms
    samples.init.append(init["init_ms"])
    samples.init_parts.append(init["parts"])
    if args.reloads > 0:
        reloaded = [side.reload_sample() for _ in range(args.reloads)][-1]
        samples.reload_init.append(reloaded["init_ms"])
        samples.reload_init_parts.append(reloaded["parts"])
        log(f"  {side.name:9} init after {args.reloads} reload(s) {reloaded['init_ms']:7.1f} ms")
    return init


def measure_switches(side, args, samples):
    """The side's controls opened, the page settled, then `args.switches` switches with the CPU time they took and
    the side's own activity during each; returns their ms."""
    side.prepare_controls()
    side.settle()
    meter = side.cpu_meter()
    found = switch_samples(side, args.switches)
    cpu = meter.stop()
    samples.switch_cpu.append({role: round(ms / len(found), 1) for role, ms in cpu.items()} if found else {})
    activity = side.switch_activity([sample["window"] for sample in found])
    switches = [sample["ms"] for sample in found]
    samples.switch_parts.extend(dict(sample["parts"], **extra) for sample, extra in zip(found, activity))
    samples.switch.extend(switches)
    return switches


def run_pair_side(pair, side, args, samples, log):
    """One run of one side of `pair`: what that pair measures."""
    if pair == "legacy":
        run_side(side, args, samples, log)
    elif pair == "page-api-off":
        run_init_side(side, args, samples, log)
    else:
        run_timing_side(pair, side, args, samples, log)


def run_timing_side(pair, side, args, samples, log):
    """The heavy-CCP pair, the ACGR pair and the page API's pairs measure init and the switches (bench.acgr_sides,
    bench.page_api_sides)."""
    init = measure_init(side, args, samples, log)
    observed = topology.switches_observed(pair, side.kind.name)
    switches = measure_switches(side, args, samples) if observed else []
    ends = {part: [parts[part] for parts in samples.switch_parts[-len(switches):] if part in parts]
            for part in ("complete", "page_complete")} if switches else {}
    log(f"  {side.name:9} {pair} init {init['init_ms']:7.1f} ms | switch median "
        f"{stats.median(switches) if switches else float('nan'):6.1f} ms"
        + "".join(f" | {part} median {stats.median(found):6.1f} ms after the start" for part, found in ends.items()
                  if found))
    if not observed:
        log(f"    switch_ms {topology.SWITCHES_UNOBSERVED}")
    log_init_parts(init, log)


def run_init_side(side, args, samples, log):
    """The page-api-off pair measures init and what the page is injected (bench.page_api_sides)."""
    init = measure_init(side, args, samples, log)
    samples.injected.append(side.injected_payload(os.path.join(os.path.abspath(args.dist), PACKAGES[side.kind.name])))
    log(f"  {side.name:9} page-api-off init {init['init_ms']:7.1f} ms | injected "
        f"{samples.injected[-1]['raw']:,} B in {len(samples.injected[-1]['files'])} files")
    log_init_parts(init, log)


def log_init_parts(init, log):
    log("    init parts (ms): " + ", ".join(f"{name} {at:.0f}" for name, at in sorted(init["parts"].items(),
                                                                                   key=lambda item: item[1])))


def run_side(side, args, samples, log):
    init = measure_init(side, args, samples, log)
    memory = side.memory_sample()
    samples.memory.append(memory["web_content"])
    samples.extension_memory.append(memory["extension"])
    if memory["js_heap_used"] is not None:
        samples.js_heap.append(memory["js_heap_used"])
    switches = measure_switches(side, args, samples)
    intake = side.log_intake_sample(args.log_entries)
    samples.intake.append(intake["ms"])
    samples.intake_parts.append(intake["parts"])
    download = side.download_sample()
    samples.download.append(download["ms"])
    samples.download_bytes.append(download["bytes"])
    samples.download_entries.append(download["entries"])
    samples.download_parts.append(download["parts"])
    tabs = []
    if isinstance(side, ExtensionSide) and args.tab_switches:
        side.open_more_tabs()
        while len(tabs) < args.tab_switches:
            active = side.client.state()["active"]["region"]
            shown = wait_until_stable(side, active)
            if shown != active:  # the tabs left the active region on their own: record it, realign, go on
                samples.tab_anomalies.append({"active": active, "tabs": side._tab_states()})
                log(f"  extension: tabs show {shown} while {active} is active (recorded); realigning")
                if len(samples.tab_anomalies) > 3:
                    raise AssertionError(f"tabs keep leaving the active region: {samples.tab_anomalies}")
                side.client.set_active(shown or EAST)
                continue
            tabs.append(side.switch_3tabs_sample(EAST if active == WEST else WEST))
        samples.switch_3tabs.extend(tabs)
    steps = ", ".join(f"{step} {ms / 1000:.1f}" for step, ms in intake["parts"].items() if "." not in step)
    log(f"  {side.name:9} init {init['init_ms']:7.1f} ms | switch median "
        f"{stats.median(switches) if switches else float('nan'):6.1f} ms | log intake {intake['ms'] / 1000:5.1f} s"
        f" (last line, s: {steps})"
        f" | log download {download['ms']:7.1f} ms ({sum(download['bytes'].values()) / 1e6:.1f} MB)"
        f" | renderers {memory['web_content'] / 1e6:6.1f} MB" + (f" | 3 tabs {stats.median(tabs):6.1f} ms" if tabs else ""))


def switch_samples(side, count):
    """`count` switches back and forth, starting towards WEST: their samples ({ms, parts, window})."""
    found, target = [], WEST
    for _ in range(count):
        found.append(side.switch_sample(target))
        target = EAST if target == WEST else WEST
    return found


def wait_until_stable(side, active, settle_s=1.0, timeout_s=10):
    """The region all tabs show once it has not changed for `settle_s` (a condition sampled over time: the
    question is whether the tabs stay where the active region is)."""
    deadline = time.monotonic() + timeout_s
    shown, since = side.tabs_region(), time.monotonic()
    while time.monotonic() < deadline:
        now = side.tabs_region()
        if now != shown:
            shown, since = now, time.monotonic()
        elif time.monotonic() - since >= settle_s and (shown == active or time.monotonic() - since >= 3 * settle_s):
            return shown
        time.sleep(0.1)
    return shown


def _parts(ext, ref, attribute):
    return {side: getattr(samples, attribute) for side, samples in (("extension", ext), ("reference", ref))}


def init_block(ext, ref):
    """init_ms of the first load, with its parts; and, if the page was loaded again (--reloads), the same of the
    last load under "reload"."""
    reload = {}
    if ext.reload_init and ref.reload_init:
        reload["reload"] = stats.metric_block(ext.reload_init, ref.reload_init, parts=stats.parts_medians(
            _parts(ext, ref, "reload_init_parts")))
    return stats.metric_block(ext.init, ref.init, parts=stats.parts_medians(_parts(ext, ref, "init_parts")), **reload)


def timing_blocks(ext, ref):
    """init_ms and switch_ms: what every pair but page-api-off measures (the ACGR and page API pairs' blocks hold
    these only)."""
    def parts(attribute):
        return _parts(ext, ref, attribute)
    return {
        "init_ms": init_block(ext, ref),
        "switch_ms": stats.metric_block(ext.switch, ref.switch, parts=stats.parts_medians(parts("switch_parts")),
                                        parts_mean=stats.parts_means(parts("switch_parts")),
                                        cpu_ms_per_switch=stats.parts_medians(parts("switch_cpu")),
                                        parts_samples=parts("switch_parts")),
    }


def build_blocks(ext, ref, payload_block):
    """One mode's metric blocks of the legacy DR pair."""
    def parts(attribute):
        return _parts(ext, ref, attribute)
    return dict(timing_blocks(ext, ref), **{
        "switch_3tabs_ms": stats.metric_block(ext.switch_3tabs, anomalies=ext.tab_anomalies),
        "log_intake_ms": stats.metric_block(ext.intake, ref.intake, parts=stats.parts_medians(parts("intake_parts")),
                                            parts_samples=parts("intake_parts")),
        "log_download_ms": stats.metric_block(ext.download, ref.download,
                                              file_bytes=parts("download_bytes"), entries=parts("download_entries"),
                                              parts=stats.parts_medians({"extension": ext.download_parts})),
        "memory_bytes": stats.metric_block(ext.memory, ref.memory, digits=0,
                                           extension_processes=stats.summarize(ext.extension_memory, 0),
                                           js_heap_used={"extension": stats.summarize(ext.js_heap, 0),
                                                         "reference": stats.summarize(ref.js_heap, 0)}),
        "payload_bytes": payload_block,
    })


def mode_record(mode, samples_by_pair):
    """The machine block's record of one mode: its browser, whether it ran beside the load, the one-minute load
    average as each side's run began, and what the burners used during each side's runs (the same load for
    both sides); the legacy DR pair's at the record's top, each other pair's under its name ("acgr", ...)."""
    record = {"browser": modes.browser(mode), "loaded": modes.loaded(mode)}
    for pair, samples_by_side in samples_by_pair.items():
        loads = {"load_average_1m_at_start": {side: stats.summarize(samples.load_average, 2)
                                              for side, samples in samples_by_side.items() if samples.load_average}}
        if modes.loaded(mode):
            loads["burners_used"] = {
                side: {"cpu_s": stats.summarize([used["cpu_s"] for used in samples.load]),
                       "share": stats.summarize([used["share"] for used in samples.load], 2)}
                for side, samples in samples_by_side.items() if samples.load}
        if pair == "legacy":
            record.update(loads)
        else:
            record[pair] = loads
    return record


EXTENSION_SIDES = {"legacy": ExtensionSide, "heavy": ExtensionSide, "acgr": AcgrExtensionSide, "acgr-same-site": AcgrExtensionSide,
                   "page-api": PageApiExtensionSide,
                   "acgr-page-api": AcgrPageApiExtensionSide}


def make_side(pair, name, emulator, work, label, kind, extension_dir, config):
    """A fresh side of `pair` (PAIRS): the extension (`extension_dir`, configured with `config`) or the reference
    (page-api-off: the extension both sides, each with its `config`)."""
    if pair == "page-api-off":
        return NotOptedInSide(name, emulator, work, label, kind, extension_dir, config)
    if name == "extension":
        return EXTENSION_SIDES[pair](emulator, work, label, kind, extension_dir, config)
    if pair in ACGR_PAIRS:
        return AcgrReferenceSide(emulator, work, label, kind, STREAMS_TIMEOUTS)
    return ReferenceSide(emulator, work, label, kind)


def not_opted_in_blocks(ext, ref):
    """The page-api-off pair's block: init, and the files injected into the page (the same in every run: the
    last run's)."""
    return {"init_ms": init_block(ext, ref), "payload_bytes": stats.payload_block(ext.injected[-1], ref.injected[-1])}


def results_of_mode(mode, samples_by_pair, dist, kinds):
    """A mode's block: the legacy DR pair's metric blocks, each other pair's in its block (PAIR_BLOCK), and the
    browser's notes."""
    browser = modes.browser(mode)
    blocks = {}
    for pair, sides in samples_by_pair.items():
        if pair == "legacy":
            blocks.update(build_blocks(sides["extension"], sides["reference"],
                                       payload(os.path.join(os.path.abspath(dist), PACKAGES[browser]))))
        elif pair == "page-api-off":
            blocks[PAIR_BLOCK[pair]] = not_opted_in_blocks(sides["extension"], sides["reference"])
        else:
            blocks[PAIR_BLOCK[pair]] = timing_blocks(sides["extension"], sides["reference"])
    if kinds[browser].notes:
        blocks["notes"] = dict(kinds[browser].notes)
    return blocks


def references(pairs):
    """The reference script of each pair that ran, and the pinned amazon-connect-streams version."""
    with open(os.path.join(streams_release_dir(REPO), os.pardir, "package.json")) as handle:
        version = json.load(handle)["version"]
    scripts = {"legacy": REFERENCE_SCRIPT, "heavy": REFERENCE_SCRIPT, "acgr": ACGR_REFERENCE_SCRIPT, "acgr-same-site": ACGR_REFERENCE_SCRIPT,
               "page-api": REFERENCE_SCRIPT,
               "acgr-page-api": ACGR_REFERENCE_SCRIPT, "page-api-off": "the extension with the page API off"}
    return dict({pair: scripts[pair] for pair in pairs}, amazon_connect_streams=version)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    os.makedirs(os.path.join(REPO, "tmp"), exist_ok=True)
    work = tempfile.mkdtemp(prefix="bench-", dir=os.path.join(REPO, "tmp"))
    os.environ["TMPDIR"] = work  # browser profiles, geckodriver/selenium leftovers: all in this run's folder
    tempfile.tempdir = work

    def log(text):
        print(f"[{time.monotonic() - started:6.1f}s] {text}", flush=True)

    setting = modes.load_setting(args)
    load_before = machine.load_average()
    log(f"bench: modes {', '.join(args.modes)}; pairs {', '.join(args.pairs)}; {args.runs} runs per side and mode, "
        f"{args.switches} switches, "
        f"{args.log_entries} log entries per region, {args.tab_switches} three-tab switches; load average "
        f"{load_before}" + (f"; load {setting.describe()}" if any(map(modes.loaded, args.modes)) else ""))
    # one emulator per topology the pairs run on (bench.topology), each with its own certificates
    emulators = {}
    for name in topology.needed(args.pairs):
        emulators[name] = Emulator(tmp_dir=os.path.join(work, name), timings=Timings.fast(),
                                   ccp_domain=topology.CCP_DOMAINS[name]).start()
    samples = {mode: {pair: {"extension": Samples(), "reference": Samples()} for pair in args.pairs}
               for mode in args.modes}
    versions = {}
    failed = False
    try:
        browsers_used = sorted({modes.browser(mode) for mode in args.modes})
        extensions = {name: bench_extension(name, args.dist, os.path.join(work, f"extension-{name}"))
                      for name in browsers_used}
        kinds = {name: browser_kinds.kind(name) for name in browsers_used}
        configs = {pair: pair_configs(pair, emulators[topology.of_pair(pair)]) for pair in args.pairs}
        for run in range(args.runs):
            for mode in args.modes:
                log(f"run {run + 1}/{args.runs}, {mode}")
                kind = kinds[modes.browser(mode)]
                for pair in args.pairs:
                    emulator = emulators[topology.of_pair(pair)]
                    for name in ("extension", "reference"):
                        if name not in args.sides.split(","):
                            continue
                        emulator.client.reset()
                        if pair in HEAVY_CCP_PAIRS:
                            emulator.client.set_ccp_weight("heavy")
                        found = samples[mode][pair][name]
                        found.load_average.append(machine.load_average()["1m"])
                        load = modes.load_for(mode, setting).start()
                        # each side's folder (profile, downloads) is named by the label
                        label = f"{mode}-{run}" if pair == "legacy" else f"{mode}-{pair}-{run}"
                        side = make_side(pair, name, emulator, work, label, kind, extensions[kind.name],
                                         configs[pair][name])
                        try:
                            run_pair_side(pair, side, args, found, log)
                            if kind.name not in versions:
                                versions[kind.name] = side.versions()
                        finally:
                            side.close()
                            used = load.stop()
                        if used is not None:
                            found.load.append(used)
        load_after = machine.load_average()
        results = {mode: results_of_mode(mode, samples[mode], args.dist, kinds) for mode in args.modes}
        machine_block = machine.machine_block(load_before, load_after, versions)
        if any(map(modes.loaded, args.modes)):
            machine_block["load"] = setting.describe()
        machine_block["modes"] = {mode: mode_record(mode, samples[mode]) for mode in args.modes}
        machine_block["bench"] = {"runs": args.runs, "switches_per_run": args.switches,
                                  "log_entries_per_region": args.log_entries,
                                  "three_tab_switches_per_run": args.tab_switches, "smoke": args.smoke,
                                  "modes": args.modes, "pairs": args.pairs,
                                  "references": references(args.pairs),
                                  "topologies": topology.record(args.pairs, emulators),
                                  "seconds": round(time.monotonic() - started, 1)}
        document = stats.results_document({modes.block(mode): blocks for mode, blocks in results.items()},
                                          machine_block)
        os.makedirs(args.out, exist_ok=True)
        path = os.path.join(args.out, "results.json")
        with open(path, "w") as handle:
            json.dump(document, handle, indent=1)
        print()
        print(stats.markdown_report(document))
        print()
        log(f"wrote {os.path.relpath(path, REPO)}; load average {load_before} -> {load_after}")
    except Exception:  # noqa: BLE001 -- report, keep the scratch folder for a look, exit non-zero
        failed = True
        traceback.print_exc()
        log(f"bench failed; browser profiles and downloads kept in {work}")
    finally:
        for emulator in emulators.values():
            emulator.stop()
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
