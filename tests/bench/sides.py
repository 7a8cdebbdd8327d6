"""The two sides of the benchmark, each in a fresh browser (Chromium or Firefox: bench.browser_kinds) per run
against the same emulator:

  ReferenceSide  hosts/bench-reference.html: the real connect-streams-dr.js (minified release file of the pinned npm
                 package) embedding both instances, as a CRM integrates it
  ExtensionSide  hosts/bench-extension.html: the same page without Connect code; the built extension (the bench's
                 instrumented copy, bench.instrument) puts the CCPs in its #ccp container (bench.extension_side)

(the legacy DR pair; bench.acgr_sides makes the ACGR pair of them, timed from the CCP windows' ACGR reports)

Ground truth comes from the emulated CCP windows, the same for both sides: each reports its size in its host with
the wall clock when it saw it (`viewports`, on load and on every resize), whether it is shown in its host's viewport
(its IntersectionObserver's "shown"/"hidden" `marks`: a frame clipped to nothing or moved out of view keeps its
size; its observer sees it), and a beacon when it relays disasterRecovery::failover to its host (`marks`). Both frames and the host page run in one browser on this
machine, so Date.now() values compare. Page-side moments are the page's performance timeline (ms since
navigation start): the reference page records them itself (bench-reference.js), the extension's content script
places performance marks (grccp-content-start, grccp-status, grccp-ready-<region>, grccp-shown-<region>), which
both browsers put in the page's own timeline."""
import math
import os
import time

from selenium.common.exceptions import JavascriptException
from urllib3.exceptions import ReadTimeoutError

from emulator.waiting import wait_until

from . import acgr_moments, machine
from .activity import flat

EAST, WEST = "us-east-1", "us-west-2"
REGIONS = (EAST, WEST)


def other(region):
    return WEST if region == EAST else EAST


def now_ms():
    return time.time() * 1000


def log_chunk_text(region, index):
    """The text of log chunk `index` of a region; the emulator numbers its lines '<text> #1'.. '<text> #n'."""
    return f"bench {region} chunk {index}"


class Side:
    name = None
    page = None

    def __init__(self, emulator, work_dir, run_label, kind):
        self.emulator = emulator
        self.client = emulator.client
        self.kind = kind
        self.work = os.path.join(work_dir, f"{self.name}-{kind.name}-{run_label}")
        self.download_dir = os.path.join(self.work, "downloads")
        os.makedirs(self.download_dir)
        self.driver = None
        self.page_handle = None
        self.start_wait_ms = None  # how long the browser's own start took to quiet down before the page was opened

    # ----- browser --------------------------------------------------------------------------------------------
    def launch(self, extension_dir=None):
        self.driver = self.kind.launch(self.emulator, extension_dir=extension_dir, download_dir=self.download_dir,
                                       tmp_dir=self.work)
        self.driver.set_script_timeout(120)
        return self

    def close(self):
        if self.driver is not None:
            self.driver.quit()
            self.driver = None

    def versions(self):
        return self.kind.versions(self.driver)

    def page_url(self, site=0, **query):
        return self.emulator.host_page_url(self.page, site=site, **query)

    def cpu_meter(self):
        """CPU time by process role (bench.browser_kinds) from now until its stop(); this process (the emulator
        serving the CCPs, and the bench's WebDriver client) counts as "emulator_and_bench"."""
        roles = self.kind.process_roles(self.driver)
        roles[os.getpid()] = "emulator_and_bench"
        return machine.CpuMeter().start(roles)

    # ----- ground truth from the CCP windows ------------------------------------------------------------------
    def visible_since(self, region, after_ms=0):
        """Wall-clock ms since which a `region` CCP window has been shown (at or after `after_ms`): the later of its
        report of a non-zero size and its IntersectionObserver's "shown" mark (bench.acgr_moments.shown_since says
        why both); None if none yet."""
        return acgr_moments.shown_since(self.client.marks(), self.client.viewports(), region, after_ms)

    def hidden(self, region):
        """Whether the `region` CCP windows say they are hidden: each that said whether it is shown said last it is
        hidden (the extension's stand-by keeps its size, out of view), or each open one reports a zero size."""
        return (acgr_moments.hidden_by_marks(self.client.marks(), region)
                or all(view["width"] == 0 or view["height"] == 0 for r, _, view in self.client.viewports()
                       if r == region and not view["closed"]))

    def failover_relayed(self, region, after_ms):
        """Wall-clock ms of the first disasterRecovery::failover a `region` CCP window relayed after `after_ms`."""
        found = [mark["at"] for r, mark in self.client.marks("failover-relayed") if r == region and mark["at"] >= after_ms]
        return min(found) if found else None

    # ----- init -----------------------------------------------------------------------------------------------
    def open_page(self, **query):
        """The measured page load, from a blank page (the reference's tab has shown nothing else, the extension's
        showed its popup for the setup) once the browser's own start is over (wait_for_browser_start)."""
        self.driver.get("about:blank")
        self.wait_for_browser_start()
        self.driver.get(self.page_url(**query))
        self.page_handle = self.driver.current_window_handle

    def wait_for_browser_start(self, timeout_s=30):
        """Waits until the browser's processes, all together, use under a tenth of a core over half a second,
        the same way on both sides, and keeps the wait (start_wait_ms; None: it did not quiet down in time, and the
        page is opened anyway). A freshly launched browser works for ~0.5-1 s on its own start: a page opened in
        it would share the cores with that on one side and not on the other (the extension's setup outlasts it),
        and no agent opens a CRM page in a browser's first second (README, "Benchmark results", Read first)."""
        driver_pid = self.driver.service.process.pid
        waited = machine.wait_until_quiet(lambda: machine.tree_cpu_seconds(driver_pid), timeout_s=timeout_s)
        self.start_wait_ms = None if waited is None else round(waited * 1000)

    def reload_sample(self, timeout_s=60):
        """The page loaded again in the same browser, after a blank page (the CCP windows' reports start afresh):
        its init_sample, with the browser's caches as the first load left them."""
        url = self.driver.current_url
        self.driver.get("about:blank")
        self.client.reset()
        self.driver.get(url)
        self.page_handle = self.driver.current_window_handle
        return self.init_sample(timeout_s)

    def init_sample(self, timeout_s=60):
        """{init_ms, parts}: from navigation start to both regions ready (first ACK processed) and the active
        CCP visible, whichever is last."""
        moments = wait_until(self._init_moments, timeout_s, message=f"{self.name}: both regions ready")
        origin = self.driver.execute_script("return performance.timeOrigin")
        visible_at = wait_until(lambda: self.visible_since(EAST), timeout_s, message=f"{self.name}: {EAST} visible")
        visible_ms = visible_at - origin
        ready = [moments["ready"][r] for r in REGIONS]
        parts = dict(moments.get("parts", {}), **{f"ready_{r}": round(moments["ready"][r], 1) for r in REGIONS})
        parts["active_visible"] = round(visible_ms, 1)
        parts.update(self.page_parsed())
        return {"init_ms": max(ready + [visible_ms]), "parts": parts}

    def _init_moments(self):
        raise NotImplementedError

    def page_parsed(self):
        """{"page_parsed": ms} from navigation start to the page's own DOMContentLoaded (what a side costs the page it
        is on: the extension's content script runs in it), if the browser says."""
        parsed = self.driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0]; return n ? n.domContentLoadedEventStart : null;")
        return {"page_parsed": round(parsed, 1)} if parsed else {}

    # ----- memory ---------------------------------------------------------------------------------------------
    def memory_sample(self):
        """PSS of the web-content processes and the extension's own after init, after a garbage collection
        (bench.browser_kinds says how, per browser)."""
        return self.kind.memory(self.driver)

    # ----- switches -------------------------------------------------------------------------------------------
    def settle(self, quiet_ms=1000, timeout_ms=10000):
        """Waits, the same way on both sides, until the page's main thread has been idle for `quiet_ms` (idle
        periods of at least 40 ms back to back), at most `timeout_ms`; returns the ms waited. The switches are
        measured after it: what follows init (its garbage collected, the extension's bench control page
        starting in a process of its own) belongs to no switch, and no real failover follows a page load that
        closely.

        Firefox's driver once failed this wait with "Document was unloaded" (bench-smoke, the heavy pair, right
        after the control window was opened; not seen again in 12 runs, 6 of them beside a CPU burner). If the
        page is still the document it was (same time origin), the wait is taken again, once; a page loaded again
        meanwhile fails the run, saying so."""
        origin = self.driver.execute_script("return performance.timeOrigin")
        try:
            return self._wait_idle(quiet_ms, timeout_ms)
        except JavascriptException as problem:
            if "Document was unloaded" not in str(problem):
                raise
            now = self.driver.execute_script("return performance.timeOrigin")
            if now != origin:
                raise AssertionError(f"{self.name}: the page was loaded again while the bench waited for it to "
                                     f"settle (time origin {origin} -> {now})") from problem
            return self._wait_idle(quiet_ms, timeout_ms)

    def _wait_idle(self, quiet_ms, timeout_ms):
        return self.driver.execute_async_script(
            "const [quietMs, timeoutMs, done] = arguments; const start = performance.now(); let since = start;"
            "function check(deadline) { const now = performance.now();"
            " if (deadline.timeRemaining() < 40) since = now;"
            " if (now - since >= quietMs || now - start >= timeoutMs) done(Math.round(now - start));"
            " else requestIdleCallback(check); }"
            "requestIdleCallback(check);", quiet_ms, timeout_ms)

    def switch_sample(self, target, timeout_s=30):
        """{ms, parts, window}: ms from the switch's start (switch_started: legacy DR, the old region's CCP
        relaying disasterRecovery::failover) to the target's CCP reporting itself visible (the active-region change
        itself is noticed at the emulated worker's next poll: not counted); parts: until the host made the target's
        frame visible in its DOM ("handled"), and from there to the CCP window's resize ("rendered"), and what
        switch_completed adds; window: [start, visible] in wall-clock ms.

        The target's CCP is looked for from the moment the bench changed the active region (each of its windows
        said last it was hidden: the previous sample waited for that), not from the switch's start: the two moments
        come from two windows' clocks, and a new CCP's "shown" was seen 1 ms before the old CCP's
        failover_initiated (Firefox, the ACGR page API pair, ~1 switch in 100). Such a switch counts as taking no
        time rather than as never ending."""
        old = other(target)
        start = now_ms()
        self.client.set_active(target)
        relayed = wait_until(lambda: self.switch_started(old, start - 1), timeout_s,
                             message=f"{self.name}: the switch from {old} to {target} started")
        visible = max(relayed, wait_until(lambda: self.visible_since(target, start - 1), timeout_s,
                                          message=f"{self.name}: {target} CCP visible"))
        wait_until(lambda: self.hidden(old), timeout_s, message=f"{self.name}: {old} CCP hidden")
        parts = dict(self._switch_parts(target, relayed, visible), **self.switch_completed(target, relayed, timeout_s))
        return {"ms": visible - relayed, "parts": parts, "window": (relayed, visible)}

    def switch_started(self, old, after_ms):
        """Wall-clock ms at which a switch away from `old` started (at or after `after_ms`), or None yet: in legacy
        DR, the old region's CCP relaying disasterRecovery::failover (bench.acgr_sides: ACGR's start)."""
        return self.failover_relayed(old, after_ms)

    def switch_completed(self, target, started, timeout_s):
        """Waits for what ends a switch after the new CCP is visible; its parts (legacy DR: nothing after it)."""
        return {}

    def _switch_parts(self, target, relayed, visible):
        """What the switch is made of: until the host's handling of the failover message ended ("handled";
        for the extension also when the message reached its listener ("delivered") and when, within that task, it
        made the frame visible in its DOM: "frame_shown"),
        then until the CCP window reported its new size ("rendered")."""
        raise NotImplementedError

    def switch_activity(self, windows):
        """For each switch window [relayed, visible]: what the side's own code did during it ({part: ms}); the
        reference has no instrumented code of its own (its handling is in `parts`)."""
        return [{} for _ in windows]

    # ----- logs -----------------------------------------------------------------------------------------------
    def prepare_controls(self):
        """Anything the side needs opened before the measurements that follow (nothing for the reference)."""

    def log_intake_sample(self, entries, chunk=1000, timeout_s=900):
        """{ms, parts}: each region's worker posts `entries` log lines to its CCP windows, which relay them to
        the host (the protocol's `log` event); ms from the first line emitted to the last line of both regions
        stored (extension: the background's log store has written it; reference: Streams' logger of the region
        holds it). The emulator keeps emitted lines until a worker fetched them, so they go in chunks, each as
        soon as the workers fetched the one before; the workers post what they fetched every 200 ms.
        parts: when the last line passed each step, as durations from the step before, and where the CPU time
        went meanwhile (process roles; for the extension also its own code, storage writes and timers)."""
        chunks = math.ceil(entries / chunk)
        final = {f"{log_chunk_text(region, chunks - 1)} #{entries - (chunks - 1) * chunk}": region
                 for region in REGIONS}
        self.follow_log_lines(final)
        meter = self.cpu_meter()
        before = self.activity_totals()
        emitted = now_ms()
        deadline = time.monotonic() + timeout_s
        for index in range(chunks):
            count = min(chunk, entries - index * chunk)
            for region in REGIONS:
                self.client.emit_logs(region, count, text=log_chunk_text(region, index))
            wanted = {r: self.client.region_state(r)["log_seq"] for r in REGIONS}
            wait_until(lambda: all(self.client.region_state(r)["logs_delivered"] >= wanted[r] for r in REGIONS),
                       max(1.0, deadline - time.monotonic()), interval_s=0.01,
                       message=f"{self.name}: workers fetched log chunk {index}")
        fetched = now_ms()
        busy = []  # polls the page left unanswered for WebDriver's whole HTTP timeout (120 s): counted, not fatal

        def followed():
            try:
                return self.followed_log_lines()
            except ReadTimeoutError:
                busy.append(now_ms())
                return None
        moments = wait_until(followed, max(1.0, deadline - time.monotonic()), interval_s=0.1,
                             message=f"{self.name}: the last of {entries} log lines per region stored")
        cpu = meter.stop()
        last = max(REGIONS, key=lambda r: moments[r]["stored"])
        parts, previous = {}, emitted
        for step, at in [("workers_fetched", fetched)] + list(moments[last].items()):
            if at is not None:
                parts[step] = round(at - previous, 1)
                previous = at
        parts.update(flat("cpu_ms", cpu))
        parts.update(self.activity_parts(before, self.activity_totals()))
        if busy:  # the page's thread did not run the poll's script for 2 minutes or more
            parts["polls_unanswered"] = len(busy)
        return {"ms": moments[last]["stored"] - emitted, "parts": parts}

    def follow_log_lines(self, texts):
        """Starts following the log lines {text: region} through the host."""
        raise NotImplementedError

    def followed_log_lines(self):
        """{region: {step: wall-clock ms, ..., "stored": ms}} once every followed line is stored, else None;
        the steps in the order the line passes them."""
        raise NotImplementedError

    def activity_totals(self):
        """Totals of the side's own instrumented code so far (None: not instrumented)."""
        return None

    def activity_parts(self, before, after):
        """{part: ms or count} of what the side's own code did between two activity_totals()."""
        return {}

    def download_files(self):
        return {region: os.path.join(self.download_dir, f"{region}-agent-log.txt") for region in REGIONS}

    def wait_downloaded(self, timeout_s=120):
        """Waits until both log files are complete; returns the wall-clock ms the last one was written."""
        paths = self.download_files()

        def complete():
            listing = os.listdir(self.download_dir)
            if any(name.endswith((".crdownload", ".part")) for name in listing):
                return None
            if not all(os.path.isfile(path) and os.path.getsize(path) > 0 for path in paths.values()):
                return None
            return max(os.stat(path).st_mtime_ns for path in paths.values()) / 1e6
        return wait_until(complete, timeout_s, interval_s=0.01, message=f"{self.name}: both log files written")

    def download_sample(self):
        """{ms, bytes: {region: file size}, entries: {region: count}}: from the click to both files written."""
        clicked_at, written_at = self._click_download()
        sizes = {region: os.path.getsize(path) for region, path in self.download_files().items()}
        entries = {}
        for region, path in self.download_files().items():
            with open(path, encoding="utf-8") as handle:
                entries[region] = handle.read().count('"component":')
        return {"ms": written_at - clicked_at, "bytes": sizes, "entries": entries,
                "parts": getattr(self, "download_parts", {})}


# Streams' logger of each region records when it takes a followed line (wall clock); installed once per page.
_FOLLOW_STREAMS_LOGS = """
window.bench.follow = arguments[0];
window.bench.followed = {};
Object.keys(globalConnect.core.regions || {}).forEach(function (region) {
  var logger = globalConnect.core.regions[region].connect.getLog();
  if (logger.__benchFollowed) return;
  logger.__benchFollowed = true;
  var add = logger.addLogEntry;
  logger.addLogEntry = function (entry) {
    var result = add.apply(this, arguments);
    var followed = entry && window.bench.follow[entry.text];
    if (followed !== undefined && !(followed in window.bench.followed)) {
      window.bench.followed[followed] = performance.timeOrigin + performance.now();
    }
    return result;
  };
});
return Object.keys(globalConnect.core.regions || {}).length;
"""


class ReferenceSide(Side):
    name = "reference"
    page = "bench-reference.html"

    def start(self):
        self.launch()
        self.open_page()
        return self

    def _init_moments(self):
        bench = self.driver.execute_script("return window.bench")
        if not bench or not all(r in bench["ready"] for r in REGIONS):
            return None
        if bench["errors"]:
            raise AssertionError(f"reference page errors: {bench['errors']}")
        parts = {"script_fetched": round(bench["scriptFetched"], 1) if bench.get("scriptFetched") else None,
                 "scripts_evaluated": round(bench["scriptsEvaluated"], 1)}
        for region, at in bench["initHandlers"].items():
            parts[f"frame_created_{region}"] = round(at, 1)
        return {"ready": bench["ready"], "parts": parts}

    def _switch_parts(self, target, relayed, visible):
        # the page's MutationObserver runs at the end of the task that handled the failover (a microtask)
        handled = self.driver.execute_script("return window.bench.shownAt[arguments[0]] || null", target)
        if handled is None:
            return {}
        return {"handled": round(handled - relayed, 1), "rendered": round(visible - handled, 1)}

    def follow_log_lines(self, texts):
        self.driver.switch_to.window(self.page_handle)
        regions = self.driver.execute_script(_FOLLOW_STREAMS_LOGS, texts)
        if regions != len(REGIONS):
            raise AssertionError(f"reference: {regions} regional Streams loggers to follow, expected {len(REGIONS)}")

    def followed_log_lines(self):
        followed = self.driver.execute_script("return window.bench.followed")
        if not all(region in followed for region in REGIONS):
            return None
        return {region: {"stored": followed[region]} for region in REGIONS}

    def _click_download(self):
        self.driver.switch_to.window(self.page_handle)
        self.driver.find_element("id", "download-logs").click()
        written_at = self.wait_downloaded()
        clicked_at = self.driver.execute_script("return window.bench.clickAt")
        return clicked_at, written_at
