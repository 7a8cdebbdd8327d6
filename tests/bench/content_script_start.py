"""Measures the content script's start: from the moment its first file runs (document_idle) to its first DOM
change, in Chromium and Firefox, over fresh page loads. Prints medians; used by `make bench`.

usage: python tests/bench/content_script_start.py [--runs 5]"""
import argparse
import json
import os
import statistics
import tempfile

from selenium.webdriver.support.ui import WebDriverWait

from e2e.conftest import extension_config
from e2e.extension_driver import configure
from emulator.config import Timings
from emulator.server import Emulator
from rig import browsers, extension_copy

MARKS = ("return [performance.getEntriesByName('grccp-content-start')[0],"
         " performance.getEntriesByName('grccp-first-dom-change')[0]].map(m => m && m.startTime)")


def measure(browser_name, emulator, work, runs):
    extension = extension_copy.prepare_extension(browser_name, os.path.join(work, f"ext-{browser_name}"),
                                                 tripwire=False)
    driver = browsers.launch(browser_name, certs=emulator.certs, host_names=emulator.host_names,
                             extension_dir=extension, tmp_dir=work)
    try:
        configure(driver, extension_config(emulator))
        samples = []
        while len(samples) < runs + 1:  # the first load warms the caches: reported apart as "cold"
            driver.get(emulator.crm_url(f"/?run={len(samples)}"))
            try:
                WebDriverWait(driver, 5).until(lambda d: all(d.execute_script(MARKS)))
            except Exception:
                continue  # the background had not registered the script yet
            start, changed = driver.execute_script(MARKS)
            samples.append(changed - start)
        return {"cold_ms": round(samples[0], 1), "warm_median_ms": round(statistics.median(samples[1:]), 1),
                "samples_ms": [round(s, 1) for s in samples[1:]]}
    finally:
        driver.quit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bench-cs-")
    os.environ["TMPDIR"] = work
    emulator = Emulator(tmp_dir=work, timings=Timings.fast()).start()
    try:
        results = {name: measure(name, emulator, work, args.runs) for name in ("chromium", "firefox")}
    finally:
        emulator.stop()
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
