"""A compressed agent shift against the emulator, in one Chromium with the extension: several tabs on two sites,
many voice contacts, failovers (half of them soft, over a live call), and a stream of CCP log lines. Checks that
every failover completes, in order, that the log store stays within its bound, and that memory does not grow (the
page's and the background service worker's JavaScript heaps, each read after a garbage collection); and
measures what the extension writes to storage (tests/soak/storage_meter.js in the soak's copy of the extension:
the characters of every chrome.storage.local value and the bytes of every IndexedDB Blob it asks to write) and
what the browser's processes wrote to disk (/proc/<pid>/io), in all and per hour of the shift.

`make soak` runs the full shift (2,000 contacts, 50 failovers, 200,000 log lines); tests/soak/test_long_shift.py
runs a short one in `make test` (one soft and one hard failover). Run directly:
python tests/soak/long_shift.py [--contacts N ...]"""
import argparse
import glob
import json
import os
import sys
import tempfile
import time
import urllib.request

import websocket

from e2e.conftest import extension_config, launch_extension_browser
from e2e.extension_driver import (ask_background, background_status, configure, host_state, on_extension_page,
                                 open_allowlisted, region_log, service_worker_target, wait_for,
                                 wait_until_contact_seen, wait_until_logged)
from emulator.config import CCP_OWN_DOMAIN, DOMAIN, Timings
from emulator.server import Emulator
from grccp.core.global_state import TIMELINE_LIMIT

REGIONS = ("us-east-1", "us-west-2")
# The CCPs on a site of their own, as in a real deployment: under site isolation they run in a process of their own,
# so the page's heap is the page's and the content script's (same-site, it also held the emulated CCPs' own logs:
# up to 2 x 5,000 entries each, ~26 MB in the full shift, which the memory check took for the extension's growth).
# Legacy DR, which the shift speaks, checks no third-party cookie, so Chromium's default blocking changes nothing.
# A look for a line reads the whole log of its region in an extension page (50,000 entries in the full shift): over
# WebDriver's default 30 s while the background is storing the lines that came before
LOG_READ_TIMEOUT_S = 120
# What the memory check compares: heaps read after a garbage collection. The extension process's resident memory is
# reported beside them, not compared: it moved between 220 and 380 MB from one tenth of a full shift to the next
# (what the allocator keeps, what reading a 50,000-entry log in an extension page left), a leak or none.
COMPARED_MEMORY = ("page_heap_bytes", "background_heap_bytes")
HOST_PERMISSIONS = (f"https://*.{DOMAIN}/*", f"https://*.{CCP_OWN_DOMAIN}/*")
LOG_BATCH = 1_000  # the emulator keeps this many emitted lines for its workers: wait for each batch
STORAGE_METER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "storage_meter.js")
READ_METER = """
const done = arguments[arguments.length - 1];
const channel = new BroadcastChannel('grccp-soak');
channel.onmessage = (event) => { channel.close(); done(event.data); };
channel.postMessage('totals');
"""


def add_storage_meter(extension_dir):
    """Puts storage_meter.js first in the background of the soak's copy (Chromium: its service worker file)."""
    with open(os.path.join(extension_dir, "manifest.json")) as handle:
        worker = os.path.join(extension_dir, json.load(handle)["background"]["service_worker"])
    with open(STORAGE_METER) as meter, open(worker) as handle:
        text = meter.read() + "\n" + handle.read()
    with open(worker, "w") as handle:
        handle.write(text)


def storage_written(driver):
    """What the extension asked storage to write so far (the background is woken first)."""
    background_status(driver)
    return on_extension_page(driver, READ_METER)


def processes(*markers, renderers_only=False):
    """The pids of this machine's processes whose command line contains every one of `markers` (one browser's:
    its user data folder)."""
    for path in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            with open(path, "rb") as f:
                cmdline = f.read().replace(b"\0", b" ")
        except OSError:
            continue
        if all(marker.encode() in cmdline for marker in markers) and (
                not renderers_only or b"--type=renderer" in cmdline):
            yield path.split("/")[2]


def process_figure(pid, name, field):
    """The number after `field` in /proc/<pid>/<name> (0 if the process is gone)."""
    try:
        with open(f"/proc/{pid}/{name}") as f:
            return int(next(line for line in f if line.startswith(field)).split()[1])
    except (OSError, StopIteration):
        return 0


def disk_written_bytes(marker):
    """Bytes one browser's processes (their command lines contain `marker`) wrote to disk."""
    return sum(process_figure(pid, "io", "write_bytes:") for pid in processes(marker))


def per_hour(amount, seconds):
    return round(amount * 3600 / seconds) if seconds else None


def renderer_rss_bytes(*markers):
    """Resident memory of the Chromium renderer processes whose command lines contain every one of `markers`."""
    return sum(process_figure(pid, "status", "VmRSS:") * 1024 for pid in processes(*markers, renderers_only=True))


def page_heap_bytes(driver):
    """The JS heap of the current tab incl. the content script's world, not the cross-site CCP frames, after a
    garbage collection."""
    driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
    return driver.execute_cdp_cmd("Runtime.getHeapUsage", {})["usedSize"]


def background_heap(driver):
    """(the extension service worker's JS heap after a garbage collection, the worker's target id): over the
    browser's DevTools endpoint, as WebDriver's commands reach only its pages."""
    worker = service_worker_target(driver)
    if worker is None:
        return None, None
    address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
    with urllib.request.urlopen(f"http://{address}/json/list", timeout=30) as answer:
        url = next(t["webSocketDebuggerUrl"] for t in json.load(answer) if t["id"] == worker)
    connection = websocket.create_connection(url, timeout=60, suppress_origin=True)
    try:
        for number, method in enumerate(("HeapProfiler.collectGarbage", "Runtime.getHeapUsage")):
            connection.send(json.dumps({"id": number, "method": method, "params": {}}))
            answer = json.loads(connection.recv())
            while answer.get("id") != number:  # events the endpoint sends meanwhile
                answer = json.loads(connection.recv())
        return answer["result"]["usedSize"], worker
    finally:
        connection.close()


def memory(driver, tab, user_data_dir, stored_lines=None):
    """The extension process's RSS, then the background's and the page's (in `tab`) heaps. With `stored_lines`
    ({region: the text of the last line emitted to it}), the heaps are read once those lines are in their regions'
    logs: the lines the tabs hold until the background takes them (a backlog that is bounded, and gone once taken:
    7 MB for 30,000 lines at load 24) are not growth. The RSS is read first, as reading a log (in an extension page,
    the extension's process) allocates there; the shift's trend samples wait for nothing, so that only the two
    measures compared read a log."""
    rss = renderer_rss_bytes(user_data_dir, "--extension-process")
    for region, text in (stored_lines or {}).items():
        wait_until_logged(driver, region, text, timeout=300)
    background_bytes, worker = background_heap(driver)
    driver.switch_to.window(tab)
    return {"page_heap_bytes": page_heap_bytes(driver), "background_heap_bytes": background_bytes,
            "background_worker": worker, "extension_process_rss_bytes": rss}


class Shift:
    def __init__(self, driver, emulator, tabs):
        self.driver, self.emulator, self.client = driver, emulator, emulator.client
        self.tabs = tabs
        self.active = REGIONS[0]
        self.contacts = 0
        self.failovers = []

    def call(self):
        region = self.active
        contact = self.client.route_contact(region, "voice")
        self.client.accept(region, contact)
        self.client.hang_up(region, contact)
        self.client.clear(region, contact)
        self.contacts += 1

    def all_tabs_on(self, region):
        for handle in self.tabs:
            self.driver.switch_to.window(handle)
            if host_state(self.driver)["active"] != region:
                return False
        return True

    def failover(self, soft):
        target = REGIONS[1] if self.active == REGIONS[0] else REGIONS[0]
        started = time.monotonic()
        contact = None
        if soft:
            contact = self.client.route_contact(self.active, "voice")
            self.client.accept(self.active, contact)
            wait_until_contact_seen(self.driver, self.active, contact)
        self.client.set_active(target, terminate_active_contacts=not soft)
        if soft:
            wait_for(self.driver, lambda: (background_status(self.driver)["failover"] or {}).get("phase") == "pending",
                     timeout=30)
            self.client.hang_up(self.active, contact)
            self.client.clear(self.active, contact)
            self.contacts += 1
        wait_for(self.driver, lambda: self.all_tabs_on(target), timeout=60)
        self.client.set_agent_state(target, "Available")  # the agent picks up work in the new region
        self.failovers.append({"from": self.active, "to": target, "soft": soft,
                               "seconds": round(time.monotonic() - started, 2)})
        self.active = target


def run(contacts, failovers, log_lines, tabs, work, max_log_entries):
    emulator = Emulator(tmp_dir=work, timings=Timings.fast(), ccp_domain=CCP_OWN_DOMAIN).start()
    driver = launch_extension_browser("chromium", work, emulator, instrument=add_storage_meter,
                                      host_permissions=HOST_PERMISSIONS)
    report = {"contacts": contacts, "failovers": failovers, "log_lines": log_lines, "tabs": tabs}
    try:
        driver.set_script_timeout(LOG_READ_TIMEOUT_S)
        config = extension_config(emulator, logs={"maxEntriesPerRegion": max_log_entries})
        configure(driver, config)
        handles = []
        for index in range(tabs):
            if handles:
                driver.switch_to.new_window("tab")
            open_allowlisted(driver, emulator.crm_url(f"/?tab={index}", site=index % 2))
            wait_for(driver, lambda: host_state(driver)["state"] == "ready", timeout=30)
            handles.append(driver.current_window_handle)
        shift = Shift(driver, emulator, handles)
        user_data_dir = work
        written_before, disk_before = storage_written(driver), disk_written_bytes(work)
        started = time.monotonic()
        emitted = 0
        emitted_per_region = {region: 0 for region in REGIONS}
        baseline = None
        samples = []

        last_lines = {}  # region -> the text of the last line emitted to it

        def emit_logs_up_to(lines):
            nonlocal emitted
            while emitted < lines:
                batch = min(LOG_BATCH, lines - emitted)
                region = shift.active
                last_lines[region] = shift.client.emit_logs(region, batch, text=f"shift line {emitted}")[-1]
                target = shift.client.region_state(region)["log_seq"]
                wait_for(driver, lambda: shift.client.region_state(region)["logs_delivered"] >= target, timeout=30)
                emitted += batch
                emitted_per_region[region] += batch

        while shift.contacts < contacts or len(shift.failovers) < failovers:
            if shift.contacts < contacts:
                shift.call()
            # failovers and log lines are spread evenly over the contacts
            if len(shift.failovers) < failovers * min(1.0, shift.contacts / contacts):
                shift.failover(soft=len(shift.failovers) % 2 == 0)
            emit_logs_up_to(int(log_lines * min(1.0, shift.contacts / contacts)) // LOG_BATCH * LOG_BATCH)
            # the baseline once what the extension keeps up to a bound is full: the last TIMELINE_LIMIT switches
            # (the page's heap grew ~0.8 MB until the 20th failover, then stayed within ~0.2 MB to the shift's end)
            if baseline is None and shift.contacts >= min(100, contacts) and \
                    len(shift.failovers) >= min(TIMELINE_LIMIT, failovers):
                baseline = dict(memory(driver, handles[0], user_data_dir, last_lines), contacts=shift.contacts,
                                failovers=len(shift.failovers))
            if shift.contacts >= len(samples) * contacts / 10:  # the trend, every tenth of the shift
                samples.append(dict(memory(driver, handles[0], user_data_dir), contacts=shift.contacts))
        emit_logs_up_to(log_lines)
        report["seconds"] = round(time.monotonic() - started, 1)
        driver.switch_to.window(handles[0])
        status = background_status(driver)
        report["timeline_in_order"] = check_timeline(status["timeline"], shift.failovers)
        report["final_active"] = status["activeRegion"] == shift.active and status["failover"] is None
        report["failover_seconds_max"] = max((f["seconds"] for f in shift.failovers), default=0)
        report["memory_baseline"] = baseline
        report["memory_after_run"] = memory(driver, handles[0], user_data_dir, last_lines)
        report["memory_samples"] = samples
        # the tabs relay the last lines within a few seconds: wait until every region holds what it should
        expected = {region: min(max_log_entries, count) for region, count in emitted_per_region.items()}
        try:
            wait_for(driver, lambda: all(log_store_sizes(driver).get(r, 0) >= n for r, n in expected.items()),
                     timeout=120)
        except Exception:
            pass  # reported below as not within expectations
        report["log_lines_per_region"] = emitted_per_region
        report["log_store"] = log_store_sizes(driver)
        report["log_store_complete"] = all(report["log_store"].get(r, 0) >= n for r, n in expected.items())
        report["log_store_within_bound"] = all(n <= max_log_entries for n in report["log_store"].values())
        report["log_store_repeats"] = {region: repeated_shift_lines(driver, region) for region in REGIONS}
        written, disk = storage_written(driver), disk_written_bytes(work)
        seconds = time.monotonic() - started
        local = written["localCharacters"] - written_before["localCharacters"]
        archive = written["archiveBytes"] - written_before["archiveBytes"]
        report["storage_written"] = {
            "seconds": round(seconds, 1), "local_characters": local, "archive_bytes": archive,
            "local_writes": written["localWrites"] - written_before["localWrites"],
            "archive_writes": written["archiveWrites"] - written_before["archiveWrites"],
            "extension_per_hour": per_hour(local + archive, seconds),
            "extension_per_log_line": round((local + archive) / max(1, sum(emitted_per_region.values())), 1),
            "browser_disk_bytes": disk - disk_before, "browser_disk_per_hour": per_hour(disk - disk_before, seconds),
        }
        return report
    finally:
        driver.quit()
        emulator.stop()


def check_timeline(timeline, failovers):
    """The background keeps the last switches; they must be the last failovers, in order."""
    kept = list(reversed(timeline))
    expected = [(f["from"], f["to"]) for f in failovers][-len(kept):] if kept else []
    return [(e["from"], e["to"]) for e in kept] == expected and len(kept) == min(len(failovers), 20)


def repeated_shift_lines(driver, region):
    """How many of the shift's lines `region`'s log holds more than once: every tab relays the same worker lines,
    and the log must keep each once."""
    texts = [entry["text"] for entry in region_log(driver, region, "shift line") or []]
    return len(texts) - len(set(texts))


def log_store_sizes(driver):
    """Entries kept per region, as the popup's log download would write them."""
    files = (ask_background(driver, {"type": "popup:download-logs"}) or {}).get("files") or []
    return {f["region"]: f["count"] for f in files}


def memory_held(before, after, tolerance):
    """Whether every compared heap stayed within `tolerance` of its baseline, read in the same service worker (one
    that restarted since has lost what a leak would have kept: not a comparison)."""
    return before["background_worker"] == after["background_worker"] and all(
        after[key] is not None and before[key] is not None and after[key] <= before[key] * (1 + tolerance)
        for key in COMPARED_MEMORY)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--failovers", type=int, default=50)
    parser.add_argument("--log-lines", type=int, default=200_000)
    parser.add_argument("--tabs", type=int, default=4)
    parser.add_argument("--max-log-entries", type=int, default=50_000)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="soak-")
    os.environ["TMPDIR"] = work
    report = run(args.contacts, args.failovers, args.log_lines, args.tabs, work, args.max_log_entries)
    report["memory_within_10_percent"] = memory_held(report["memory_baseline"], report["memory_after_run"], 0.10)
    print(json.dumps(report, indent=1))
    ok = report["timeline_in_order"] and report["final_active"] and report["log_store_within_bound"] \
        and report["log_store_complete"] and not any(report["log_store_repeats"].values())
    return 0 if ok and report["memory_within_10_percent"] else 1


if __name__ == "__main__":
    sys.exit(main())
