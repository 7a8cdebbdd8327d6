"""Cost figures for the page-API spike's README (not a test: figures are reported, never asserted).

    .venv/bin/python spikes/page_api/measure.py [--runs 7] [--calls 30] [--browsers chromium,firefox]

Per browser, one browser session per extension build, each page loaded `runs` times (medians printed):
  first_script_ms   performance.now() when the page's first own script starts (the parser waited for every
                    document_start injection before it)
  library_eval_ms   ACGR: connect-streams.js evaluated at document_start in the top (probe marks around it)
  ready_ms          the page API's ready signal (legacy: both regional Streams loaded and initCCP called)
  regional_load_ms  legacy: facade start -> both regional frames have Streams (executeScript round trips)
  api_rtt_ms        agent.setState(Available) callback, `calls` sequential calls: through the relay (legacy page)
                    and with Streams embedded directly (hosts/streams.html, same emulator, same browser)
  plain pages       crm2 (allowlisted, not opted in): with the page API configured elsewhere, without any page API
                    configured (the relay alone), and without the extension; browser sessions of the three
                    variants alternate, `rounds` times
Each figure is given for the first load of a browser session ("cold": nothing cached, V8 has no code cache for the
injected files yet) and as the median of the later loads ("warm").
"""
import argparse
import json
import shutil
import statistics

import conftest  # the scratch folder (this script's folder is on the path when it runs)
from conftest import SpikePage, build_extension, launch
from emulator.config import Timings
from emulator.host_page import HostPage
from rig.browsers import launch_chromium, launch_firefox
from spike_server import SpikeEmulator

RTT_LOOP = """
var run = arguments[0], n = arguments[1], done = arguments[arguments.length - 1], times = [];
function one(i) {
  if (i === n) return done(times);
  var a = run(), start = performance.now();
  a.setState(a.getAgentStates()[0], {success: function () { times.push(performance.now() - start); one(i + 1); },
                                     failure: function (e) { done({error: String(e)}); }});
}
one(0);
"""


def median(values):
    values = [v for v in values if isinstance(v, (int, float))]
    return round(statistics.median(values), 1) if values else None


def cold_warm(values):
    return {"cold": values[0] if values else None, "warm": median(values[1:])}


def rtt(page, agent_expression, calls):
    script = RTT_LOOP.replace("var a = run()", "var a = " + agent_expression)
    return page.driver.execute_async_script(script, None, calls)


def opted_in_runs(driver, emu, runs, calls):
    out = {"legacy": [], "acgr": [], "relayed_rtt": [], "relay_internal_rtt": [], "direct_rtt": []}
    for _ in range(runs):
        page = SpikePage(driver, emu, "legacy").open()
        page.wait_for("agent", count=2, timeout_s=20)
        probe = page.run("return window.__grccpSpikeProbe")
        first = page.recorded("first-script")[0]["at"]
        out["legacy"].append({"first_script_ms": first, "ready_ms": probe["ready"],
                              "regional_load_ms": probe["regionsLoaded"] - probe["start"]})
        out["relayed_rtt"] += rtt(page, "agents['us-east-1']", calls)
        out["relay_internal_rtt"] += page.relay_stats()["apiRoundTripsMs"]
        page = SpikePage(driver, emu, "acgr").open()
        page.wait_for("agent", timeout_s=20)
        probe = page.run("return window.__grccpSpikeProbe")
        out["acgr"].append({"first_script_ms": page.recorded("first-script")[0]["at"], "ready_ms": probe["ready"],
                            "library_eval_ms": probe["libraryEvaluated"] - probe["start"]})
        direct = HostPage(driver, emu.host_page_url("streams.html")).open()
        direct.wait_for("agent", timeout_s=20)
        out["direct_rtt"] += rtt(direct, "window.agent", calls)
    return out


def plain_runs(driver, emu, runs):
    """[first_script_ms], [dcl_ms] of `runs` loads of crm2's plain page (the first one cold)."""
    firsts, dcls = [], []
    for _ in range(runs):
        page = SpikePage(driver, emu, "plain", site=1).open()
        page.wait_for("first-script")
        firsts.append(page.recorded("first-script")[0]["at"])
        dcls.append(page.run("return new Promise(function (r) { if (document.readyState !== 'loading') r(); else "
                             "document.addEventListener('DOMContentLoaded', r); }).then(function () { return "
                             "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd; })"))
    return firsts, dcls


def bare_browser(name, emu):
    if name == "chromium":
        driver = launch_chromium(certs=emu.certs, host_names=emu.host_names, tmp_dir=conftest.RUN_DIR)
    else:
        driver = launch_firefox(host_names=emu.host_names, tmp_dir=conftest.RUN_DIR)
    return driver


def summarise(out):
    legacy, acgr = out["legacy"], out["acgr"]
    return {
        "legacy": {k: cold_warm([r[k] for r in legacy]) for k in legacy[0]},
        "acgr": {k: cold_warm([r[k] for r in acgr]) for k in acgr[0]},
        "relayed_rtt_ms": median(out["relayed_rtt"]), "relay_internal_rtt_ms": median(out["relay_internal_rtt"]),
        "direct_rtt_ms": median(out["direct_rtt"]),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--browsers", default="chromium,firefox")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    emu = SpikeEmulator(tmp_dir=conftest.RUN_DIR, timings=Timings.fast()).start()
    results = {}
    try:
        for name in args.browsers.split(","):
            results[name] = {}
            for build in ("full", "min"):
                emu.client.reset()
                driver = launch(name, emu, build_extension(emu, build))
                try:
                    results[name][build] = summarise(opted_in_runs(driver, emu, args.runs, args.calls))
                finally:
                    driver.quit()
            variants = {"page_api_elsewhere": lambda: launch(name, emu, build_extension(emu, "full")),
                        "relay_only": lambda: launch(name, emu, build_extension(emu, "full", page_api=False)),
                        "no_extension": lambda: bare_browser(name, emu)}
            plain = {v: {"cold": [], "warm_first_script": [], "warm_dcl": []} for v in variants}
            for _ in range(args.rounds):
                for variant, start in variants.items():
                    driver = start()
                    try:
                        firsts, dcls = plain_runs(driver, emu, args.runs)
                    finally:
                        driver.quit()
                    plain[variant]["cold"].append(firsts[0])
                    plain[variant]["warm_first_script"] += firsts[1:]
                    plain[variant]["warm_dcl"] += dcls[1:]
            results[name]["plain_crm2_not_opted_in"] = {
                v: {"cold_first_script_ms": median(p["cold"]), "warm_first_script_ms": median(p["warm_first_script"]),
                    "warm_dcl_ms": median(p["warm_dcl"])} for v, p in plain.items()}
            print(name, json.dumps(results[name], indent=1), flush=True)
    finally:
        emu.stop()
        shutil.rmtree(conftest.RUN_DIR, ignore_errors=True)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
