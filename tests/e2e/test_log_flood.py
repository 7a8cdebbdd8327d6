"""A log flood does not starve the heartbeat (issue #16 item 10), in Chromium and Firefox: while both regions' CCPs
relay 50,000 log lines each (in chunks of 1,000, as the soak and the benchmark emit them), the extension never
takes a CCP for one that stopped answering (with the 1,000 ms acknowledge timeout of the tests' configuration),
a failover during the flood completes as soon as the CCP relays it, and every line reaches its region's log, in
order.

The CCP's worker posts its acknowledge on the same port as the lines it flushed before, and the CCP relays both
in that order: in a flood the acknowledge comes seconds late, behind the lines (so do the failover's messages:
CCP_BACKLOG_WAIT_S). Before the fix the extension said "not_answering" while lines kept coming; now a CCP still
relaying lines is answering (CcpConduit.on_relayed_lines), and only silence is not."""
import threading
import time

import pytest

from selenium.webdriver.support.wait import WebDriverWait

from .conftest import extension_config
from .extension_driver import configure, host_state, region_log, shows_only, wait_for
from .test_failover_engine import EAST, WEST, open_ready

# In `make reliability`, not `make test`: it takes 2-3 min a browser, and its bound on the extension's part of the
# switch (EXTENSION_SWITCH_S) is met on a quiet machine but not always beside other browsers (10.4 s in Chromium at a
# load average of 15). It found a real loss: in the session-8 fresh-clone CI (Chromium) the log lacked 400 of
# us-east-1's lines (#401-#800, the 3rd and 4th blocks), dropped by the tab's bound on the lines it holds, then one
# bound for both regions together of exactly the flood's size (core.log_shipping: now per region, as many as the
# region's log keeps; test_core_log_shipping has the case).
pytestmark = pytest.mark.reliability_only

FLOOD_LINES = 50_000
CHUNK = 1_000
FAILOVER_AFTER_CHUNKS = 5
NOT_ANSWERING = "not_answering"
# The failover's messages wait behind the lines the CCP relays before them (its worker posts both on one port, and
# legacy DR's force offline, failover master check and failover are three trips through it): up to ~27 s on a loaded
# machine in Firefox, whose emulated CCP frames relay ~3,000 lines a second. That wait is the CCP's own; the
# extension's part, from the CCP relaying the failover to the new CCP shown, is what it owes: 0.02-0.15 s in Firefox,
# 2-3 s in Chromium, where the page first reads the lines the CCPs relayed before the failover, on a thread it
# shares with the CCP frames (of its site), which keep relaying.
CCP_BACKLOG_WAIT_S = 90
EXTENSION_SWITCH_S = 10
# One read of a region's log (100,000 entries, read the way a download reads them, while the background is still
# storing the flood): over WebDriver's default 30 s on a loaded machine
READ_TIMEOUT_S = 120


class Flood:
    """Both regions' workers emit CHUNK lines each, the next chunk as soon as the workers fetched the one before
    (the emulator keeps emitted lines until then), until FLOOD_LINES per region are out. In a thread of its own."""

    def __init__(self, client):
        self._client = client
        self.emitted = {EAST: [], WEST: []}
        self.chunks = 0
        self.error = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()

    def _run(self):
        try:
            for chunk in range(FLOOD_LINES // CHUNK):
                targets = {}
                for region in (EAST, WEST):
                    self.emitted[region] += self._client.emit_logs(region, CHUNK, text=f"flood {region} {chunk}")
                    targets[region] = self._client.region_state(region)["log_seq"]
                for region, target in targets.items():
                    while self._client.region_state(region)["logs_delivered"] < target:
                        time.sleep(0.02)  # polling the emulator, in the flood's thread
                self.chunks += 1
        except Exception as problem:  # noqa: BLE001 -- reported by the test
            self.error = problem

    def join(self, timeout):
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the flood did not end"
        assert self.error is None, f"the flood failed: {self.error!r}"


def flood_texts(driver, region):
    return [entry["text"] for entry in region_log(driver, region, "flood ")]


def shipping_report(driver):
    """What the tab's log shipping logged about batches not taken or lines dropped, and how many backgrounds wrote
    to the log (each start has a logger id of its own)."""
    report = {}
    for region in (EAST, WEST):
        entries = region_log(driver, region)
        report[region] = {
            "lines": [entry["text"] for entry in entries
                      if "did not take" in entry["text"] or "were dropped" in entry["text"]],
            "background starts": len({entry["loggerId"] for entry in entries
                                      if str(entry["loggerId"]).endswith("-background")})}
    return report


def wait_until_stored(driver, region, text, timeout):
    """Waits until `text` is in `region`'s log. Polled once a second: each look reads the whole log (100,000
    entries), which competes with the background storing it."""
    WebDriverWait(driver, timeout, poll_frequency=1).until(lambda d: region_log(d, region, text),
                                                           f"the last flood line of {region} never reached its log")


def test_a_log_flood_neither_starves_the_heartbeat_nor_slows_a_failover(ccp_browser, emulator):
    driver = ccp_browser
    driver.set_script_timeout(READ_TIMEOUT_S)
    configure(driver, extension_config(emulator, logs={"maxEntriesPerRegion": 100_000}))
    open_ready(driver, emulator)
    flood = Flood(emulator.client)
    flood.start()
    wait_for(driver, lambda: flood.chunks >= FAILOVER_AFTER_CHUNKS or flood.error, timeout=60)
    started = time.monotonic()
    asked_at_ms = time.time() * 1000
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST and shows_only(emulator, WEST),
             timeout=CCP_BACKLOG_WAIT_S, message="the failover during the flood did not switch the panel")
    relayed_at = min(mark["at"] for region, mark in emulator.client.marks("failover-relayed")
                     if region == EAST and mark["at"] >= asked_at_ms)
    shown_at = max(view["at"] for region, _, view in emulator.client.viewports() if region == WEST and view["width"])
    print(f"\n{driver.browser_name}: the failover switched in {time.monotonic() - started:.1f} s: the CCP relayed "
          f"it {(relayed_at - asked_at_ms) / 1000:.1f} s after the region changed, the extension showed the new CCP "
          f"{(shown_at - relayed_at) / 1000:.2f} s after that")
    assert shown_at - relayed_at < EXTENSION_SWITCH_S * 1000, "the failover waited behind log lines in the extension"
    flood.join(timeout=120)
    for region in (EAST, WEST):
        emitted = flood.emitted[region]
        wait_until_stored(driver, region, emitted[-1], timeout=180)
        print(f"{region}: all stored {time.monotonic() - started:.1f} s after the region changed")
        stored = flood_texts(driver, region)
        assert stored == emitted, (
            f"flood lines of {region} lost or out of order: {len(stored)} of {len(emitted)} stored, the first "
            f"missing {sorted(set(emitted) - set(stored))[:3]}; the shipping's own report: {shipping_report(driver)}")
        assert [entry["text"] for entry in region_log(driver, region, NOT_ANSWERING)] == [], (
            f"{region}'s CCP was taken for one not answering")
