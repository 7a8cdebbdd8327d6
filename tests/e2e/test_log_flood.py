"""A log flood does not starve the heartbeat nor slow a failover (issue #16 item 10), in Chromium and Firefox, with
the CCPs on a site of their own (as deployed: the CCP frames run in a process of their own, both regions' in one,
as *.my.connect.aws are one site) and on the page's site (they share the page's thread, the harder case): while both
regions' CCPs relay 50,000 log lines each (in chunks of 1,000, as the soak and the benchmark emit them), the
extension never takes a CCP for one that stopped answering (with the 1,000 ms acknowledge timeout of the tests'
configuration), a failover during the flood is handled as soon as its message reaches the page, without log work
in front of it, and every line reaches its region's log, in order.

The CCP's worker posts its acknowledge on the same port as the lines it flushed before, and the CCP relays both
in that order: in a flood the acknowledge comes seconds late, behind the lines (so do the failover's messages:
CCP_BACKLOG_WAIT_S). A CCP still relaying lines is answering (CcpConduit.on_relayed_lines). That was not enough:
the answer, or the next line, is a message event of the page, and the page was seconds behind on them (its
timers ran up to 14.6 s late in Chromium at load 13, same-site; 0.3-0.4 s at load 24 cross-site), so the deadline
passed with the answer waiting in the page's own queue and the extension said "not_answering" (twice at a load of
24, cross-site, in Chromium). Now a deadline counts as missed only once a message through the page's own queue
came back promptly with no answer before it (CcpConduit.on_queue_checked); a page found behind gives the CCP a
whole acknowledge timeout more, and says so in the log (printed here). So does a flood the CCPs' own process is
behind on (cross-site, one region's acknowledge waits there behind the other region's lines while the page is
prompt: Chromium said "not_answering" in 2 of 3 runs at load 20-40 with the first rule alone): a line that came
within the acknowledge timeout older than it, by its own time, gives the CCP more time too.

The failover's message then waits in the page's event loop behind the thousands of lines the CCP relayed before
it (6,000-8,000 here). The frame bridge used to turn each into JSON and hand 200 at a time to Python in their
message events: in Chromium, whose CCP frames of the page's site share its thread, that log work made the failover
wait 2.7 s on a quiet machine and 11 s at a load average of 16 (of which 5 s handing lines to Python and turning
them into JSON). Now a line's message event only queues it; the queue is handed over in tasks that come after the
messages queued before them (boot/frame_bridge.js). The test's copy of the extension marks when the failover's
message reaches the page guard and measures each block of lines handed over (instrument_handover), which splits
the switch into what the extension owes and what it does not."""
import os
import threading
import time

import pytest


from bench.acgr_moments import shown_since
from bench.instrument import mark_failover

from emulator.config import CCP_OWN_DOMAIN, DOMAIN, Timings
from emulator.server import Emulator

from .conftest import extension_config, launch_extension_browser
from .extension_driver import configure, host_state, region_log, shows_only, wait_for, wait_until_logged
from .test_failover_engine import EAST, WEST, open_ready

# In `make reliability`, not `make test`: it takes 2-3 min a browser (the flood itself, and storing it). It found a
# real loss: in the session-8 fresh-clone CI (Chromium) the log lacked 400 of us-east-1's lines (#401-#800, the 3rd
# and 4th blocks), dropped by the tab's bound on the lines it holds, then one bound for both regions together of
# exactly the flood's size (core.log_shipping: now per region, as many as the region's log keeps;
# test_core_log_shipping has the case).
pytestmark = pytest.mark.reliability_only

FLOOD_LINES = 50_000
CHUNK = 1_000
FAILOVER_AFTER_CHUNKS = 5
MISSED_HEARTBEAT = "stopped answering the heartbeat"  # core.ccp_conduit's not_answering after a heartbeat
MORE_TIME = "no heartbeat answer yet, but"  # core.ccp_conduit: a deadline the page or the CCPs' relaying was behind at
# The failover's messages wait behind the lines the CCP relays before them (its worker posts both on one port, and
# legacy DR's force offline, failover master check and failover are three trips through it): the CCP's own wait,
# up to ~85 s in Firefox at a load average of 20 (its emulated CCP frames relay ~3,000 lines a second), 79 s in
# Chromium (cross-site) at 28-41; a ceiling over that, as it is the emulated CCP's throughput, not the extension's.
CCP_BACKLOG_WAIT_S = 300
# Then the failover's message waits in the page's event loop behind the lines relayed before it (below)
PAGE_BACKLOG_WAIT_S = 120
# What the extension owes once the failover's message reached the page guard: the new CCP's frame shown (the
# product's performance mark, set as it changes the panel's styles): at most 0.01 s in Chromium at load averages of
# 1-40; 1 s leaves a wide margin. The new CCP's window sees itself shown (bench.acgr_moments.shown_since: its
# size, and its IntersectionObserver's latest word, as the benchmark's ground truth) once the browser has rendered
# the page again, on the same thread in Chromium, behind the lines that keep coming: 0.11-0.80 s after at load
# averages of 16-36 (measured by its size, when Chromium still sized the stand-by to 0 x 0), bounded at 5 s. Cross-site that is the CCPs' own process (both regions' CCPs are of one site, as *.my.connect.aws
# are), behind on relaying the flood: 10.9 s once at load 23 in Chromium; printed, not bounded.
EXTENSION_HANDLING_S = 1
RENDERED_S = 5
# The log work the extension did (blocks of lines handed over) while the failover's message waited in the page's
# event loop, from the CCP relaying it to the message reaching the page guard: at most the slice that was due
# before the message came (a slice is ~8 ms, boot/frame_bridge.js); 0.01-0.02 s in Chromium at load averages of
# 20-40. Before the fix the same work, done in the lines' message events, took 5 s of an 11 s wait at a load of 16.
# That wait itself is bounded only loosely (PAGE_BACKLOG_WAIT_S): it is the browser dispatching the lines before the failover, on a thread
# that in Chromium also runs the CCP frames relaying them (same site), and it grows with the machine's load (after
# the fix 11-17 s at load averages of 20-40, with ~8,000 lines before the failover); it is printed.
LOG_WORK_WHILE_WAITING_S = 0.25
# The CCP's mark (Date.now() in its window) and the page's (timeOrigin + a performance mark) are one machine's
# clock, read two ways
CLOCKS_APART_MS = 2
# One read of a whole region's log (100,000 entries, read the way a download reads them, once the background has
# stored the flood; the wait for that reads only the newest chunks): over WebDriver's default 30 s on a loaded
# machine
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


def failover_relayed_since(client, at_ms):
    """When (wall clock, ms) us-east-1's CCP relayed a failover to its host at or after `at_ms`, or None."""
    relayed = [mark["at"] for region, mark in client.marks("failover-relayed") if region == EAST and mark["at"] >= at_ms]
    return min(relayed) if relayed else None


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


def missed_heartbeats(driver, region):
    """The tab's and the background's lines about the region's CCP taken for one that stopped answering, with their
    times."""
    return [(entry["time"], entry["text"]) for entry in region_log(driver, region, MISSED_HEARTBEAT)]


def instrument_handover(extension_dir):
    """The test's copy of the extension: performance marks when the page guard receives the failover's message
    (the benchmark's), and a measure of each block of log lines the frame bridge hands over."""
    boot = os.path.join(extension_dir, "boot")
    mark_failover(boot)
    path = os.path.join(boot, "frame_bridge.js")
    with open(path) as handle:
        body = handle.read()
    block = "  function deliverLogBlock() {"
    assert body.count(block) == 1, "the frame bridge's log hand-over moved: update instrument_handover"
    body = body.replace(block, "  function deliverLogBlock() { var t0 = performance.now(); deliverLogBlockNow();"
                               " performance.measure('grccp-test-log-block', {start: t0}); }\n"
                               "  function deliverLogBlockNow() {")
    with open(path, "w") as handle:
        handle.write(body)


TOPOLOGIES = ("cross-site", "same-site")


@pytest.fixture(params=TOPOLOGIES)
def topology(request):
    return request.param


@pytest.fixture
def flood_emulator(topology, run_dir, emulator_server):
    """cross-site: an emulator of its own with the CCPs and the sign-in page on a site of their own (as deployed,
    and as the soak has them); same-site: the shared one (the CCPs on the page's site, as in every other e2e
    test)."""
    if topology == "same-site":
        emulator_server.client.reset()
        yield emulator_server
        return
    own = Emulator(tmp_dir=run_dir, timings=Timings.fast(), ccp_domain=CCP_OWN_DOMAIN).start()
    yield own
    own.stop()


@pytest.fixture
def flood_browser(browser_name, run_dir, flood_emulator):
    driver = launch_extension_browser(browser_name, run_dir, flood_emulator, instrument=instrument_handover,
                                      host_permissions=(f"https://*.{DOMAIN}/*", f"https://*.{CCP_OWN_DOMAIN}/*"))
    yield driver
    driver.quit()


def page_timeline(driver):
    """The moments (wall clock, ms) the page guard received a failover's message, the moments a CCP's frame was
    shown (the product's marks), and [(start, duration)] of every block of log lines handed over."""
    return driver.execute_script(
        "const at = (e) => performance.timeOrigin + e.startTime;"
        "const all = (name) => performance.getEntriesByName(name).map(at);"
        "return [all('grccp-bench-failover-delivered'), all('grccp-shown-' + arguments[0]),"
        " performance.getEntriesByName('grccp-test-log-block').map((e) => [at(e), e.duration])];", WEST)


def test_a_log_flood_neither_starves_the_heartbeat_nor_slows_a_failover(flood_browser, flood_emulator, topology):
    driver, emulator = flood_browser, flood_emulator
    driver.set_script_timeout(READ_TIMEOUT_S)
    configure(driver, extension_config(emulator, logs={"maxEntriesPerRegion": 100_000}))
    open_ready(driver, emulator)
    # (a CCP slow to load on a loaded machine, the load deadline, is not this test's matter: only heartbeats are)
    flood = Flood(emulator.client)
    flood.start()
    wait_for(driver, lambda: flood.chunks >= FAILOVER_AFTER_CHUNKS or flood.error, timeout=60)
    started = time.monotonic()
    asked_at_ms = time.time() * 1000
    emulator.client.set_active(WEST)
    relayed_at = wait_for(driver, lambda: failover_relayed_since(emulator.client, asked_at_ms),
                          timeout=CCP_BACKLOG_WAIT_S, message=f"the CCP did not relay the failover in "
                          f"{CCP_BACKLOG_WAIT_S} s: it waits in the emulated CCP behind the lines relayed before it")
    # What the agent sees: the panel switched, and the new CCP's window saw itself shown. The old one's own word
    # that it is hidden (its IntersectionObserver) is asked for only where it comes: in Firefox a cross-site stand-by
    # moved out of view under the flood never said it (290 s watched, 4 runs of 4, while the new one said "shown"
    # 1.2 s after the switch; test_standby_ccp checks the stand-by unreachable there through the accessibility tree).
    old_says_hidden = not (driver.browser_name == "firefox" and topology == "cross-site")
    # The new CCP's "shown" is looked for from the region change, not from the relay (its windows said last they
    # were hidden): Firefox stamps an observer's entry with its refresh tick's start, and under load a tick that
    # waited behind the relayed lines carries a stamp from before the relay (1 run in 5 beside a CPU burner)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST and (
             shows_only(emulator, WEST) if old_says_hidden else
             shown_since(emulator.client.marks(), emulator.client.viewports(), WEST, after_ms=asked_at_ms)),
             timeout=PAGE_BACKLOG_WAIT_S, message=f"the CCP relayed the failover {relayed_at - asked_at_ms:.0f} ms "
             f"after the region changed, and the panel did not switch in {PAGE_BACKLOG_WAIT_S} s more")
    shown_at = shown_since(emulator.client.marks(), emulator.client.viewports(), WEST, after_ms=asked_at_ms)
    assert shown_at is not None, "no us-west-2 CCP window saw itself shown after the failover"
    delivered, frames_shown, blocks = page_timeline(driver)
    delivered_at = min(at for at in delivered if at >= relayed_at - CLOCKS_APART_MS)
    frame_shown_at = min(at for at in frames_shown if at >= delivered_at)
    log_work_ms = sum(min(start + duration, delivered_at) - max(start, relayed_at) for start, duration in blocks
                      if start < delivered_at and start + duration > relayed_at)
    print(f"\n{driver.browser_name}: the failover switched in {time.monotonic() - started:.1f} s: the CCP relayed "
          f"it {(relayed_at - asked_at_ms) / 1000:.1f} s after the region changed; it reached the page guard "
          f"{(delivered_at - relayed_at) / 1000:.2f} s after that (log work meanwhile: {log_work_ms:.0f} ms), the "
          f"frame was shown {(frame_shown_at - delivered_at) / 1000:.2f} s and the new CCP saw itself shown "
          f"{(shown_at - delivered_at) / 1000:.2f} s after it reached the page guard; "
          f"{len(blocks)} blocks of lines handed over so far")
    assert log_work_ms < LOG_WORK_WHILE_WAITING_S * 1000, "the failover waited behind log work in the extension"
    assert frame_shown_at - delivered_at < EXTENSION_HANDLING_S * 1000, "the extension was slow to show the new CCP"
    if topology == "same-site":  # cross-site, the CCP's own process is behind on the flood (printed)
        assert shown_at - delivered_at < RENDERED_S * 1000, "the new CCP did not see itself shown in time"
    flood.join(timeout=120)
    flood_ended = time.time()
    for region in (EAST, WEST):
        emitted = flood.emitted[region]
        wait_until_logged(driver, region, emitted[-1], timeout=180)
        print(f"{region}: all stored {time.monotonic() - started:.1f} s after the region changed")
        stored = flood_texts(driver, region)
        assert stored == emitted, (
            f"flood lines of {region} lost or out of order: {len(stored)} of {len(emitted)} stored, the first "
            f"missing {sorted(set(emitted) - set(stored))[:3]}; the shipping's own report: {shipping_report(driver)}")
        print(f"{region}: more time at a heartbeat deadline: "
              f"{[entry['text'] for entry in region_log(driver, region, MORE_TIME)]}")
        assert missed_heartbeats(driver, region) == [], (
            f"{region}'s CCP was taken for one that stopped answering the heartbeat during the flood (the region "
            f"changed at {time.strftime('%H:%M:%S', time.gmtime(asked_at_ms / 1000))} UTC, the flood ended at "
            f"{time.strftime('%H:%M:%S', time.gmtime(flood_ended))} UTC)")
