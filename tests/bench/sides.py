"""The two sides of the benchmark, each in a fresh Chromium per run against the same emulator:

  ReferenceSide  hosts/bench-reference.html: the real connect-streams-dr.js (minified release file of the pinned npm
                 package) embedding both instances, as a CRM integrates it
  ExtensionSide  hosts/bench-extension.html: the same page without Connect code; the built extension (a copy with
                 host permissions granted, no tripwire) puts the CCPs in its #ccp container

Ground truth comes from the emulated CCP windows, the same for both sides: each reports its size in its host with
the wall clock when it saw it (`viewports`, on load and on every resize), and a beacon when it relays
disasterRecovery::failover to its host (`marks`). Both frames and the host page run in one browser on this
machine, so Date.now() values compare. Page-side moments are the page's performance timeline (ms since
navigation start): the reference page records them itself (bench-reference.js), the extension's content script
places performance marks (grccp-content-start, grccp-status, grccp-ready-<region>, grccp-shown-<region>), which
Chromium puts in the page's own timeline."""
import os
import time

from emulator.fixtures import ALLOW_MULTIPLE_DOWNLOADS
from emulator.waiting import wait_until
from rig import browsers

EAST, WEST = "us-east-1", "us-west-2"
REGIONS = (EAST, WEST)


def other(region):
    return WEST if region == EAST else EAST


def now_ms():
    return time.time() * 1000


class Side:
    name = None
    page = None

    def __init__(self, emulator, work_dir, run_index):
        self.emulator = emulator
        self.client = emulator.client
        self.work = os.path.join(work_dir, f"{self.name}-{run_index}")
        self.download_dir = os.path.join(self.work, "downloads")
        os.makedirs(self.download_dir)
        self.driver = None
        self.page_handle = None

    # ----- browser --------------------------------------------------------------------------------------------
    def launch(self, extension_dir=None):
        self.driver = browsers.launch_chromium(certs=self.emulator.certs, host_names=self.emulator.host_names,
                                               extension_dir=extension_dir, download_dir=self.download_dir,
                                               tmp_dir=self.work, prefs=dict(ALLOW_MULTIPLE_DOWNLOADS))
        self.driver.set_script_timeout(120)
        return self

    def close(self):
        if self.driver is not None:
            self.driver.quit()
            self.driver = None

    def versions(self):
        caps = self.driver.capabilities
        return {"chromium": caps.get("browserVersion"),
                "chromedriver": (caps.get("chrome") or {}).get("chromedriverVersion", "").split(" ")[0] or None}

    def page_url(self, site=0, **query):
        return self.emulator.host_page_url(self.page, site=site, **query)

    # ----- ground truth from the CCP windows ------------------------------------------------------------------
    def visible_since(self, region, after_ms=0):
        """Wall-clock ms at which an open CCP window of `region` reported a non-zero size (at or after
        `after_ms`), the earliest such report; None if none yet."""
        found = [view["at"] for r, _, view in self.client.viewports()
                 if r == region and not view["closed"] and view["width"] > 0 and view["height"] > 0
                 and view.get("at") and view["at"] >= after_ms]
        return min(found) if found else None

    def hidden(self, region):
        """Whether every open CCP window of `region` reports a zero size."""
        return all(view["width"] == 0 or view["height"] == 0 for r, _, view in self.client.viewports()
                   if r == region and not view["closed"])

    def failover_relayed(self, region, after_ms):
        """Wall-clock ms of the first disasterRecovery::failover a `region` CCP window relayed after `after_ms`."""
        found = [mark["at"] for r, mark in self.client.marks("failover-relayed") if r == region and mark["at"] >= after_ms]
        return min(found) if found else None

    # ----- init -----------------------------------------------------------------------------------------------
    def open_page(self):
        self.driver.get(self.page_url())
        self.page_handle = self.driver.current_window_handle

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
        return {"init_ms": max(ready + [visible_ms]), "parts": parts}

    def _init_moments(self):
        raise NotImplementedError

    # ----- memory ---------------------------------------------------------------------------------------------
    def memory_sample(self):
        """Renderer memory (PSS) after init, after a garbage collection of the page's isolate."""
        from .machine import chromium_renderer_memory
        self.driver.execute_cdp_cmd("HeapProfiler.enable", {})
        self.driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
        heap = self.driver.execute_cdp_cmd("Runtime.getHeapUsage", {})
        memory = chromium_renderer_memory(self.driver.service.process.pid)
        memory["js_heap_used"] = int(heap["usedSize"])
        return memory

    # ----- switches -------------------------------------------------------------------------------------------
    def settle(self, quiet_ms=1000, timeout_ms=10000):
        """Waits, the same way on both sides, until the page's main thread has been idle for `quiet_ms` (idle
        periods of at least 40 ms back to back), at most `timeout_ms`; returns the ms waited. The switches are
        measured after it: what follows init (its garbage collected, the extension's bench control page
        starting in a process of its own) belongs to no switch, and no real failover follows a page load that
        closely."""
        return self.driver.execute_async_script(
            "const [quietMs, timeoutMs, done] = arguments; const start = performance.now(); let since = start;"
            "function check(deadline) { const now = performance.now();"
            " if (deadline.timeRemaining() < 40) since = now;"
            " if (now - since >= quietMs || now - start >= timeoutMs) done(Math.round(now - start));"
            " else requestIdleCallback(check); }"
            "requestIdleCallback(check);", quiet_ms, timeout_ms)

    def switch_sample(self, target, timeout_s=30):
        """{ms, parts}: ms from the old region's CCP relaying disasterRecovery::failover to the target's CCP
        reporting itself visible (the active-region change itself is noticed at the emulated worker's next poll:
        not counted); parts: until the host made the target's frame visible in its DOM ("handled"), and from
        there to the CCP window's resize ("rendered")."""
        old = other(target)
        start = now_ms()
        self.client.set_active(target)
        relayed = wait_until(lambda: self.failover_relayed(old, start - 1), timeout_s,
                             message=f"{self.name}: {old} CCP relays the failover to {target}")
        visible = wait_until(lambda: self.visible_since(target, relayed), timeout_s,
                             message=f"{self.name}: {target} CCP visible")
        wait_until(lambda: self.hidden(old), timeout_s, message=f"{self.name}: {old} CCP hidden")
        return {"ms": visible - relayed, "parts": self._switch_parts(target, relayed, visible)}

    def _switch_parts(self, target, relayed, visible):
        """What the switch is made of: until the host's handling of the failover message ended ("handled";
        for the extension also when the message reached its listener ("delivered") and when, within that task, it
        made the frame visible in its DOM: "frame_shown"),
        then until the CCP window reported its new size ("rendered")."""
        raise NotImplementedError

    # ----- logs -----------------------------------------------------------------------------------------------
    def prepare_controls(self):
        """Anything the side needs opened before the measurements that follow (nothing for the reference)."""

    def fill_logs(self, entries, chunk=1000, timeout_s=900):
        """Each region's worker posts `entries` log lines to its CCP windows, which relay them to the host (the
        protocol's `log` event), in chunks the emulator keeps until the worker has fetched them. Returns the ms
        until the host held them all (how fast each side takes in heavy log traffic)."""
        began = time.monotonic()
        deadline = began + timeout_s
        sent = 0
        index = 0
        while sent < entries:
            count = min(chunk, entries - sent)
            for region in REGIONS:
                self.client.emit_logs(region, count, text=f"bench {region} chunk {index}")
            wanted = {r: self.client.region_state(r)["log_seq"] for r in REGIONS}
            wait_until(lambda: all(self.client.region_state(r)["logs_delivered"] >= wanted[r] for r in REGIONS),
                       max(1.0, deadline - time.monotonic()), interval_s=0.01,
                       message=f"{self.name}: workers fetched log chunk {index}")
            sent += count
            index += 1
        wait_until(lambda: self.logs_held(entries), max(1.0, deadline - time.monotonic()), interval_s=0.25,
                   message=f"{self.name}: {entries} log entries per region held by the host")
        return (time.monotonic() - began) * 1000

    def logs_held(self, entries):
        raise NotImplementedError

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

    def logs_held(self, entries):
        counts = self.driver.execute_script("return window.bench.logCounts()")
        return all(counts.get(r, 0) >= entries for r in REGIONS)

    def _click_download(self):
        self.driver.switch_to.window(self.page_handle)
        self.driver.find_element("id", "download-logs").click()
        written_at = self.wait_downloaded()
        clicked_at = self.driver.execute_script("return window.bench.clickAt")
        return clicked_at, written_at


# A capture listener on the popup's download button: when the click reached the page (wall clock).
_CLICK_PROBE = ("const b = document.getElementById('download-logs'); window.__benchClickAt = null;"
                "if (window.__benchDownload) window.__benchDownload.length = 0;"
                "b.addEventListener('click', () => { window.__benchClickAt = Date.now();"
                " window.__benchClickPerf = performance.now(); }, {capture: true, once: true});")


def download_parts(records, click_perf, time_origin, written_at):
    """What the popup's click-to-files time is made of, from the probe's records (bench/popup_probe.js)."""
    def first(name):
        return next((at for n, at in records if n == name), None)

    def last(name):
        found = [at for n, at in records if n == name]
        return found[-1] if found else None
    moments = [("to_background_request", first("message popup:download-logs:call")),
               ("background_flush_and_plan", first("message popup:download-logs:answer")),
               ("storage_read_request", first("storage.get:call")),
               ("storage_read", first("storage.get:answer")),
               ("assemble_text", first("blob:start")),
               ("blobs", last("blob:made")),
               ("downloads_started", last("downloads.download:answer"))]
    parts, previous = {}, click_perf
    for name, at in moments:
        if at is not None and previous is not None:
            parts[name] = round(at - previous, 1)
            previous = at
    if previous is not None:
        parts["files_written"] = round(written_at - (time_origin + previous), 1)
    return parts


class ExtensionSide(Side):
    name = "extension"
    page = "bench-extension.html"

    def __init__(self, emulator, work_dir, run_index, extension_dir, config):
        super().__init__(emulator, work_dir, run_index)
        self.extension_dir = extension_dir
        self.config = config
        self.control_handle = None

    def start(self):
        """A fresh browser with the extension, configured, its content script registered; then the page."""
        self.launch(self.extension_dir)
        self.driver.get(self.driver.extension_base_url + "popup.html")
        self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1]; chrome.storage.local.set({config: arguments[0]}, done);",
            self.config)
        wait_until(self._registered, 30, message="the extension registered its content script")
        self.open_page()
        return self

    def _registered(self):
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "chrome.scripting.getRegisteredContentScripts().then(s => done(s.length > 0), () => done(false));")

    def _marks(self):
        return self.driver.execute_script(
            "const m = {}; for (const e of performance.getEntriesByType('mark')) {"
            " if (e.name.startsWith('grccp-') && !(e.name in m)) m[e.name] = e.startTime; } return m;")



    def _init_moments(self):
        marks = self._marks()
        if not all(f"grccp-ready-{r}" in marks for r in REGIONS):
            return None
        parts = {name: round(marks[mark], 1) for name, mark in (
            ("content_script_start", "grccp-content-start"), ("runtime_evaluated", "grccp-bench-runtime-evaluated"),
            ("bundle_evaluated", "grccp-bench-bundle-evaluated"), ("main_returned", "grccp-bench-main-returned"),
            ("panel_mounted", "grccp-first-dom-change"), ("panel_status", "grccp-status")) if mark in marks}
        return {"ready": {r: marks[f"grccp-ready-{r}"] for r in REGIONS}, "parts": parts}

    def _switch_parts(self, target, relayed, visible):
        delivered, shown, handled = self.driver.execute_script(
            "const last = (n) => { const m = performance.getEntriesByName(n);"
            " return m.length ? performance.timeOrigin + m[m.length - 1].startTime : null; };"
            "return [last('grccp-bench-failover-delivered'), last('grccp-shown-' + arguments[0]),"
            " last('grccp-bench-failover-handled')];", target)
        if None in (delivered, shown, handled) or not delivered <= shown <= handled:
            return {}
        return {"delivered": round(delivered - relayed, 1), "frame_shown": round(shown - relayed, 1),
                "handled": round(handled - relayed, 1), "rendered": round(visible - handled, 1)}

    # ----- an extension page in a window of its own: reads storage and other tabs without focusing them ------
    def prepare_controls(self):
        """A window of the bench's own, with an extension page that runs no code (bench_control.html): chrome.*
        for reading storage and other tabs. Opened before the heavy parts (a new window waits for a busy
        browser)."""
        self.driver.switch_to.new_window("window")
        self.control_handle = self.driver.current_window_handle
        self.driver.get(self.driver.extension_base_url + "bench_control.html")
        self.driver.switch_to.window(self.page_handle)

    def control(self):
        if self.control_handle is None:
            self.prepare_controls()
        self.driver.switch_to.window(self.control_handle)
        return self.driver

    def _stored_log_counts(self):
        driver = self.control()
        try:
            metas = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "chrome.storage.local.get(arguments[0], items => done(items));", [f"log:{r}" for r in REGIONS])
        finally:
            driver.switch_to.window(self.page_handle)
        counts = {}
        for region in REGIONS:
            meta = metas.get(f"log:{region}")
            counts[region] = (sum(meta["counts"]) - meta["skip"]) if meta else 0
        return counts

    def logs_held(self, entries):
        capacity = self.config.get("logs", {}).get("maxEntriesPerRegion", 50000)
        counts = self._stored_log_counts()
        return all(counts[r] >= min(entries, capacity) for r in REGIONS)

    def _click_download(self):
        driver = self.control()
        driver.get(driver.extension_base_url + "popup.html")  # the popup as a person opens it (own window)
        wait_until(lambda: driver.execute_script(
            "const b = document.getElementById('download-logs'); return b && !b.disabled;"), 30,
            message="the popup's download button enabled")
        driver.execute_script(_CLICK_PROBE)
        driver.find_element("id", "download-logs").click()
        written_at = self.wait_downloaded()
        clicked_at = driver.execute_script("return window.__benchClickAt")
        probe = driver.execute_script("return [window.__benchDownload || [], window.__benchClickPerf,"
                                      " performance.timeOrigin]")
        self.download_parts = download_parts(probe[0], probe[1], probe[2], written_at)
        state = wait_until(lambda: driver.execute_script(
            "const s = document.getElementById('download-status').dataset.state;"
            "return s === 'working' ? null : s;"), 30, message="the popup's download status")
        if state != "done":
            raise AssertionError(f"the popup reports the download as {state!r}")
        driver.get(driver.extension_base_url + "bench_control.html")  # no popup refreshing during what follows
        driver.switch_to.window(self.page_handle)
        return clicked_at, written_at

    # ----- three tabs on two sites ----------------------------------------------------------------------------
    def open_more_tabs(self):
        """Two more tabs: one on the second CRM site, one more on the first; each waits until its CCP is ready."""
        self.driver.switch_to.window(self.page_handle)
        for site, tag in ((1, "b"), (0, "c")):
            self.driver.switch_to.new_window("tab")
            self.driver.get(self.page_url(site=site, tab=tag))
            wait_until(lambda: "grccp-ready-" + self.client.state()["active"]["region"] in self._marks(), 60,
                       message=f"tab {tag}: the active region ready")

    def _tab_switch_times(self, region):
        """{tab id: wall-clock ms of its content script showing `region`'s frame, or None}, read from the control
        window with chrome.scripting (the page's main world): no tab is focused to read it."""
        driver = self.control()
        try:
            return driver.execute_async_script("""
                const [region, done] = [arguments[0], arguments[arguments.length - 1]];
                chrome.tabs.query({url: 'https://*.example.test/*'}).then(tabs => Promise.all(tabs.map(tab =>
                  chrome.scripting.executeScript({target: {tabId: tab.id}, world: 'MAIN', args: [region],
                    func: (r) => { const m = performance.getEntriesByName('grccp-shown-' + r);
                                   return m.length ? performance.timeOrigin + m[m.length - 1].startTime : null; }})
                  .then(res => [tab.id, res[0].result], () => [tab.id, null])))).then(done, () => done(null));
            """, region)
        finally:
            self.driver.switch_to.window(self.page_handle)

    def tabs_region(self):
        """The region every allowlisted tab shows, or None if they disagree (or one has no panel)."""
        regions = {state.get("active") if isinstance(state, dict) else None for state in self._tab_states()}
        return regions.pop() if len(regions) == 1 else None

    def switch_3tabs_sample(self, target, timeout_s=30):
        """ms from the first disasterRecovery::failover relayed by an old-region CCP (in any tab) to the last of
        the three tabs showing the target region's frame (its content script's grccp-shown mark: hidden tabs do
        not render, so there is no resize to wait for)."""
        old = other(target)
        start = now_ms()
        self.client.set_active(target)
        seen = []

        def all_switched():
            times = self._tab_switch_times(target)
            seen[:] = [times]
            if not times or len(times) != 3:
                return None
            values = [at for _, at in times]
            return values if all(at is not None and at >= start for at in values) else None
        try:
            values = wait_until(all_switched, timeout_s, interval_s=0.1, message=f"3 tabs on {target}")
        except AssertionError as problem:
            raise AssertionError(f"{problem}; set_active at {start}; per tab [id, shown at]: {seen}; "
                                 f"tabs: {self._tab_states()}") from None
        # each tab's old-region CCP relays the failover; their beacons arrive in any order: take the earliest
        relays = wait_until(lambda: (lambda found: found if len(found) >= 3 else None)(
            [mark["at"] for r, mark in self.client.marks("failover-relayed") if r == old and mark["at"] >= start - 1]),
            timeout_s, message=f"3 tabs: the {old} CCPs' failover beacons")
        return max(values) - min(relays)

    def _tab_states(self):
        driver = self.control()
        try:
            return driver.execute_async_script("""
                const done = arguments[arguments.length - 1];
                chrome.tabs.query({url: 'https://*.example.test/*'}).then(tabs => Promise.all(tabs.map(tab =>
                  chrome.scripting.executeScript({target: {tabId: tab.id}, world: 'MAIN', func: () => {
                    const h = document.getElementById('grccp-ccp-host');
                    return {url: location.href, state: h && h.dataset.grccpState, active: h && h.dataset.grccpActive,
                            hidden: document.hidden,
                            marks: performance.getEntriesByType('mark').filter(m => m.name.startsWith('grccp-shown'))
                                   .map(m => [m.name, Math.round(performance.timeOrigin + m.startTime)]).slice(-3)}; }})
                  .then(res => res[0].result, (e) => String(e))))).then(done, (e) => done(String(e)));
            """)
        finally:
            self.driver.switch_to.window(self.page_handle)
