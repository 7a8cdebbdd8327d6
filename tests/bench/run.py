"""`make bench`: the extension side by side with the reference it replaces (connect-streams-dr.js from the pinned
npm amazon-connect-streams, minified release file), on the same emulator, page shape and Chromium build,
alternating A B A B with a fresh browser per run. Writes dist/bench/results.json and prints a markdown table.

usage: .venv/bin/python tests/bench/run.py [--runs 7] [--switches 20] [--log-entries 50000] [--tab-switches 5]
       .venv/bin/python tests/bench/run.py --smoke     (one run each, few samples: CI keeps the bench working)

Metrics (see README, "Benchmark"): init_ms, switch_ms, switch_3tabs_ms (extension only), log_download_ms,
memory_bytes, payload_bytes. What each side's timings are made of is kept in the results ("parts")."""
import argparse
import ast
import json
import os
import shutil
import sys
import tempfile
import time
import traceback

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TESTS)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from bench import machine, stats  # noqa: E402
from bench.sides import EAST, WEST, ExtensionSide, ReferenceSide  # noqa: E402
from e2e.conftest import extension_config  # noqa: E402
from emulator.config import Timings  # noqa: E402
from emulator.server import Emulator  # noqa: E402
from emulator.site_routes import streams_release_dir  # noqa: E402
from rig import extension_copy  # noqa: E402

REFERENCE_SCRIPT = "connect-streams-dr-min.js"
STREAMS_TIMEOUTS = {"ccpAckTimeout": 3000, "ccpSynTimeout": 1000, "ccpLoadTimeout": 5000}  # Streams' defaults


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="tests/bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each side (fresh browser each), default 7")
    parser.add_argument("--switches", type=int, default=20, help="region switches per run, default 20")
    parser.add_argument("--log-entries", type=int, default=50000, help="log entries per region, default 50000")
    parser.add_argument("--tab-switches", type=int, default=5, help="three-tab switches per extension run")
    parser.add_argument("--out", default=os.path.join(REPO, "dist", "bench"), help="results folder")
    parser.add_argument("--dist", default=os.path.join(REPO, "dist"),
                        help="the build output holding chrome/ (to measure an experimental build), default dist/")
    parser.add_argument("--sides", default="extension,reference",
                        help="which sides to run (for investigations; the results need both)")
    parser.add_argument("--smoke", action="store_true",
                        help="one run each, 3 switches, 2,000 log entries, 1 three-tab switch (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs, args.switches, args.log_entries, args.tab_switches = 1, 3, 2000, 1
    return args


def bench_config(emulator):
    """The extension's configuration on the benchmark page: the reference's shape (a 400×560 container) and
    Streams' default timeouts."""
    return extension_config(emulator, loginPopup=False, timeouts=dict(STREAMS_TIMEOUTS),
                            placement={"mode": "selector", "selector": "#ccp", "width": 400, "height": 560})


def content_script_files():
    """The files the content script is made of, in order (py_src/grccp/platform/content_scripts.py)."""
    path = os.path.join(REPO, "py_src", "grccp", "platform", "content_scripts.py")
    with open(path) as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "CONTENT_FILES" for t in node.targets):
            return ast.literal_eval(node.value)
    raise RuntimeError(f"CONTENT_FILES not found in {path}")


def embedded_streams_bytes(script_path):
    """connect-streams-dr.js carries Streams as one base64 string, decoded and parsed again in each regional
    frame: its decoded size (reported beside the reference's payload, not added to it)."""
    import base64
    import re
    with open(script_path) as handle:
        text = handle.read()
    literals = re.findall(r'"([A-Za-z0-9+/=]{100000,})"', text)
    return len(base64.b64decode(max(literals, key=len))) if literals else None


# Extra performance marks in the bench's copy of the extension (never in the product): where the content
# script's start goes, in the page's own timeline. A mark costs microseconds.
PROFILE_MARKS = (("runtime/aot_loader.js", "prepend", "grccp-bench-runtime-evaluated"),
                 ("boot/content_run.js", "prepend", "grccp-bench-bundle-evaluated"),
                 ("boot/content_run.js", "append", "grccp-bench-main-returned"))


POPUP_PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "popup_probe.js")


def instrument(extension_dir):
    """Profile marks in the content script's files, and the download probe in front of the popup's scripts."""
    shutil.copy(POPUP_PROBE, os.path.join(extension_dir, "bench_popup_probe.js"))
    with open(os.path.join(extension_dir, "bench_control.html"), "w") as handle:  # chrome.* for the bench, no code
        handle.write('<!doctype html><meta charset="utf-8"><title>bench control</title>\n')
    popup = os.path.join(extension_dir, "popup.html")
    with open(popup) as handle:
        html = handle.read()
    first_script = '<script src="runtime/brython_csp.js"></script>'
    if html.count(first_script) != 1:
        raise RuntimeError("popup.html: cannot place the download probe before the runtime")
    with open(popup, "w") as handle:
        handle.write(html.replace(first_script, '<script src="bench_popup_probe.js"></script>' + first_script))
    bridge = os.path.join(extension_dir, "boot", "frame_bridge.js")  # the end of the task handling a failover
    with open(bridge) as handle:
        body = handle.read()
    call, listener = "onMessage(region, data);", "addEventListener('message', function (event) {"
    if body.count(call) != 1 or body.count(listener) != 1:
        raise RuntimeError("boot/frame_bridge.js: cannot place the failover marks")
    is_failover = "if (event.data && event.data.event === 'disasterRecovery::failover')"
    body = body.replace(listener, f"{listener} {is_failover} performance.mark('grccp-bench-failover-delivered');")
    with open(bridge, "w") as handle:
        handle.write(body.replace(call, f"{call} {is_failover} performance.mark('grccp-bench-failover-handled');"))
    for name, where, mark in PROFILE_MARKS:
        path = os.path.join(extension_dir, name)
        with open(path) as handle:
            body = handle.read()
        line = f"performance.mark('{mark}');\n"
        with open(path, "w") as handle:
            handle.write(line + body if where == "prepend" else body + "\n" + line)


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
        self.download, self.download_bytes, self.download_entries, self.download_parts = [], [], [], []
        self.fill = []
        self.tab_anomalies = []
        self.memory, self.extension_memory, self.js_heap = [], [], []


def run_side(side, args, samples, log):
    side.start()
    init = side.init_sample()
    samples.init.append(init["init_ms"])
    samples.init_parts.append(init["parts"])
    memory = side.memory_sample()
    samples.memory.append(memory["web_content"])
    samples.extension_memory.append(memory["extension"])
    samples.js_heap.append(memory["js_heap_used"])
    side.prepare_controls()
    side.settle()
    found = switch_samples(side, args.switches)
    switches = [sample["ms"] for sample in found]
    samples.switch_parts.extend(sample["parts"] for sample in found)
    samples.switch.extend(switches)
    samples.fill.append(side.fill_logs(args.log_entries))
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
    log(f"  {side.name:9} init {init['init_ms']:7.1f} ms | switch median "
        f"{stats.median(switches) if switches else float('nan'):6.1f} ms | log download {download['ms']:7.1f} ms "
        f"({sum(download['bytes'].values()) / 1e6:.1f} MB; ingest {samples.fill[-1] / 1000:.1f} s) | renderers {memory['web_content'] / 1e6:6.1f} MB"
        + (f" | 3 tabs {stats.median(tabs):6.1f} ms" if tabs else ""))


def switch_samples(side, count):
    """`count` switches back and forth, starting towards WEST: their samples ({ms, parts})."""
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


def build_results(ext, ref, payload_block, machine_block):
    blocks = {
        "init_ms": stats.metric_block(ext.init, ref.init, parts=stats.parts_medians(
            {"extension": ext.init_parts, "reference": ref.init_parts})),
        "switch_ms": stats.metric_block(ext.switch, ref.switch, parts=stats.parts_medians(
            {"extension": ext.switch_parts, "reference": ref.switch_parts}),
            parts_samples={"extension": ext.switch_parts, "reference": ref.switch_parts}),
        "switch_3tabs_ms": stats.metric_block(ext.switch_3tabs, anomalies=ext.tab_anomalies),
        "log_download_ms": stats.metric_block(ext.download, ref.download,
                                              file_bytes={"extension": ext.download_bytes,
                                                          "reference": ref.download_bytes},
                                              entries={"extension": ext.download_entries,
                                                       "reference": ref.download_entries},
                                              parts=stats.parts_medians({"extension": ext.download_parts}),
                                              ingest_ms={"extension": stats.summarize(ext.fill),
                                                         "reference": stats.summarize(ref.fill)}),
        "memory_bytes": stats.metric_block(ext.memory, ref.memory, digits=0,
                                           extension_processes=stats.summarize(ext.extension_memory, 0),
                                           js_heap_used={"extension": stats.summarize(ext.js_heap, 0),
                                                         "reference": stats.summarize(ref.js_heap, 0)}),
        "payload_bytes": payload_block,
    }
    return stats.results_document(blocks, machine_block)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    os.makedirs(os.path.join(REPO, "tmp"), exist_ok=True)
    work = tempfile.mkdtemp(prefix="bench-", dir=os.path.join(REPO, "tmp"))
    os.environ["TMPDIR"] = work  # browser profiles, geckodriver/selenium leftovers: all in this run's folder
    tempfile.tempdir = work

    def log(text):
        print(f"[{time.monotonic() - started:6.1f}s] {text}", flush=True)

    load_before = machine.load_average()
    log(f"bench: {args.runs} runs per side, {args.switches} switches, {args.log_entries} log entries per region, "
        f"{args.tab_switches} three-tab switches; load average {load_before}")
    emulator = Emulator(tmp_dir=work, timings=Timings.fast()).start()
    ext, ref = Samples(), Samples()
    versions = {}
    failed = False
    try:
        extension_copy.DIST = os.path.abspath(args.dist)  # the package measured (dist/ unless --dist)
        extension_dir = extension_copy.prepare_extension("chromium", os.path.join(work, "extension"),
                                                         tripwire=False)
        instrument(extension_dir)
        config = bench_config(emulator)
        for run in range(args.runs):
            log(f"run {run + 1}/{args.runs}")
            for name, make, samples in (
                    ("extension", lambda: ExtensionSide(emulator, work, run, extension_dir, config), ext),
                    ("reference", lambda: ReferenceSide(emulator, work, run), ref)):
                if name not in args.sides.split(","):
                    continue
                emulator.client.reset()
                side = make()
                try:
                    run_side(side, args, samples, log)
                    versions = versions or side.versions()
                finally:
                    side.close()
        load_after = machine.load_average()
        versions["chromium_binary"] = machine.command_version("/usr/lib/chromium/chromium", "--version")
        results = build_results(ext, ref, payload(os.path.join(os.path.abspath(args.dist), "chrome")),
                                machine.machine_block(load_before, load_after, versions))
        results["machine"]["bench"] = {"runs": args.runs, "switches_per_run": args.switches,
                                       "log_entries_per_region": args.log_entries,
                                       "three_tab_switches_per_run": args.tab_switches, "smoke": args.smoke,
                                       "seconds": round(time.monotonic() - started, 1)}
        os.makedirs(args.out, exist_ok=True)
        path = os.path.join(args.out, "results.json")
        with open(path, "w") as handle:
            json.dump(results, handle, indent=1)
        print()
        print(stats.markdown_table(results))
        print()
        log(f"wrote {os.path.relpath(path, REPO)}; load average {load_before} -> {load_after}")
    except Exception:  # noqa: BLE001 -- report, keep the scratch folder for a look, exit non-zero
        failed = True
        traceback.print_exc()
        log(f"bench failed; browser profiles and downloads kept in {work}")
    finally:
        emulator.stop()
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
