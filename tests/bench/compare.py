"""`make bench-compare`: switch_ms of several builds of the extension and of the reference, alternated run by run
(A B … R, then R … B A) on one emulator, a fresh browser per run. For deciding whether a change to the switch
helps: the spread between two `make bench` invocations of the same code is larger than most such changes, and
alternating the builds within one invocation shares whatever else the machine is doing between them.

usage: .venv/bin/python tests/bench/compare.py NAME=DIST [NAME=DIST ...] [--runs 6] [--switches 30]
                                              [--modes quiet|loaded|firefox|firefox-loaded] [--load-duty 0.8] ...
       (DIST: a build output holding chrome/ and firefox/, e.g. a copy of dist/ made before the change; a loaded
       mode starts the bench's fixed CPU load before each run's browser and stops it after, bench.load)

Prints, per build and for the reference: samples, median, mean, quartiles, p95, and the medians of the parts
(handled, rendered); and the ratios to the reference. Writes nothing but its scratch folder under tmp/
(removed, unless the comparison fails)."""
import argparse
import os
import shutil
import sys
import tempfile

from bench import browser_kinds, modes, stats
from bench.extension_side import ExtensionSide
from bench.instrument import bench_extension
from bench.run import PACKAGES, bench_config, switch_samples
from bench.sides import ReferenceSide
from emulator.config import Timings
from emulator.server import Emulator
from rig import REPO

REFERENCE = "reference"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="tests/bench/compare.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("builds", nargs="+", metavar="NAME=DIST", help="a name and a build output holding chrome/")
    parser.add_argument("--runs", type=int, default=6, help="runs of each build and of the reference, default 6")
    parser.add_argument("--switches", type=int, default=30, help="switches per run, default 30")
    modes.add_arguments(parser, "quiet")
    args = parser.parse_args(argv)
    try:
        (args.mode,) = modes.parse_modes(args.modes)
    except ValueError as problem:
        parser.error(f"one mode: {problem}")
    package = PACKAGES[modes.browser(args.mode)]
    builds = {}
    for item in args.builds:
        name, _, dist = item.partition("=")
        if not name or not dist or name == REFERENCE or name in builds:
            parser.error(f"{item!r}: expected NAME=DIST with a new name other than {REFERENCE!r}")
        if not os.path.isdir(os.path.join(dist, package)):
            parser.error(f"{dist!r} holds no {package}/ build")
        builds[name] = os.path.abspath(dist)
    args.builds = builds
    return args


def switch_run(side, switches):
    """Starts the side, waits as `make bench` does, and returns its switch samples ({ms, parts})."""
    side.start()
    side.init_sample()
    side.prepare_controls()
    side.settle()
    return switch_samples(side, switches)


def summary_line(name, samples, reference):
    values = [s["ms"] for s in samples]
    mean = sum(values) / len(values)
    parts = {key: stats.median([s["parts"][key] for s in samples if s["parts"]] or [float("nan")])
             for key in ("handled", "rendered")}
    line = (f"{name:12} n={len(values)} median {stats.median(values):5.1f} mean {mean:5.2f} "
            f"q25 {stats.percentile(values, 0.25):4.0f} q75 {stats.percentile(values, 0.75):4.0f} "
            f"p95 {stats.percentile(values, 0.95):4.0f} | handled {parts['handled']:4.1f} rendered "
            f"{parts['rendered']:4.1f}")
    if reference:
        ref = [s["ms"] for s in reference]
        line += (f" | ratio {stats.median(values) / stats.median(ref):.2f}"
                 f" (means {mean / (sum(ref) / len(ref)):.2f})")
    return line


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.makedirs(os.path.join(REPO, "tmp"), exist_ok=True)
    work = tempfile.mkdtemp(prefix="bench-compare-", dir=os.path.join(REPO, "tmp"))
    os.environ["TMPDIR"] = work
    tempfile.tempdir = work
    kind = browser_kinds.kind(modes.browser(args.mode))
    setting = modes.load_setting(args)
    if modes.loaded(args.mode):
        print(f"mode {args.mode}: load {setting.describe()}", flush=True)
    emulator = Emulator(tmp_dir=work, timings=Timings.fast()).start()
    try:
        extensions = {name: bench_extension(kind.name, dist, os.path.join(work, f"ext-{name}"))
                      for name, dist in args.builds.items()}
        config = bench_config(emulator)
        order = list(extensions) + [REFERENCE]
        samples = {name: [] for name in order}
        runs = 0
        for run in range(args.runs):
            for name in (order if run % 2 == 0 else order[::-1]):
                emulator.client.reset()
                runs += 1  # each side's folder (profile, downloads) is named by its index
                load = modes.load_for(args.mode, setting).start()
                side = (ReferenceSide(emulator, work, runs, kind) if name == REFERENCE
                        else ExtensionSide(emulator, work, runs, kind, extensions[name], config))
                try:
                    found = switch_run(side, args.switches)
                finally:
                    side.close()
                    load.stop()
                samples[name].extend(found)
                print(f"run {run + 1}/{args.runs} {name:12} median "
                      f"{stats.median([s['ms'] for s in found]):5.1f} ms", flush=True)
        print()
        for name in order:
            print(summary_line(name, samples[name], None if name == REFERENCE else samples[REFERENCE]))
    finally:
        emulator.stop()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
