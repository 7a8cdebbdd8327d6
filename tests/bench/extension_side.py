"""The extension's side of the benchmark (see bench.sides): the bench's instrumented copy of the built extension
(bench.instrument), configured as the reference page is shaped, with a control window of its own (an extension
page with chrome.*) from which the bench reads storage, other tabs and the probes without focusing any tab."""
from e2e.extension_driver import ASK_BACKGROUND
from emulator.waiting import wait_until

from . import activity
from .activity import flat
from .sides import REGIONS, Side, now_ms, other

# The content probe of every allowlisted tab (its content script's world), through chrome.scripting.
_CONTENT_PROBES = """
const [call, args, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
chrome.tabs.query({url: 'https://*.example.test/*'}).then(tabs => Promise.all(tabs.map(tab =>
  chrome.scripting.executeScript({target: {tabId: tab.id}, args: [call, args],
    func: (c, a) => globalThis.__grccpBench ? globalThis.__grccpBench[c](...a) : null})
  .then(res => res[0].result, e => String(e))))).then(done, e => done(String(e)));
"""
# The background probe, over its BroadcastChannel: {follow?: {text: region}, since?: ms} -> its snapshot.
_BACKGROUND_PROBE = """
const [request, done] = [arguments[0], arguments[arguments.length - 1]];
const channel = new BroadcastChannel('grccp-bench');
const id = Math.random();
const timer = setTimeout(() => { channel.close(); done(null); }, 10000);
channel.onmessage = (event) => {
  if (event.data && event.data.id === id) { clearTimeout(timer); channel.close(); done(event.data.snapshot); }
};
channel.postMessage(Object.assign({id: id}, request));
"""
NO_RECORDS = 1e15  # a `since` later than any record: a snapshot without records


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

    def __init__(self, emulator, work_dir, run_label, kind, extension_dir, config):
        super().__init__(emulator, work_dir, run_label, kind)
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
        wait_until(self._background_ready, 30, message="the background finished starting")
        self.open_page()
        return self

    def _registered(self):
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "chrome.scripting.getRegisteredContentScripts().then(s => done(s.length > 0), () => done(false));")

    def _background_ready(self):
        """The background has started (it answers nothing before its configuration, state and logs are read)."""
        return bool(self.driver.execute_async_script(ASK_BACKGROUND, {"type": "popup:get-status"}))

    def _marks(self):
        return self.driver.execute_script(
            "const m = {}; for (const e of performance.getEntriesByType('mark')) {"
            " if (e.name.startsWith('grccp-') && !(e.name in m)) m[e.name] = e.startTime; } return m;")

    def _init_moments(self):
        marks = self._marks()
        if not all(f"grccp-ready-{r}" in marks for r in REGIONS):
            return None
        parts = {name: round(marks[mark], 1) for name, mark in (
            ("content_script_start", "grccp-content-start"), ("python_started", "grccp-bench-python-started"),
            ("runtime_evaluated", "grccp-bench-runtime-evaluated"),
            ("bundle_evaluated", "grccp-bench-bundle-evaluated"), ("main_returned", "grccp-bench-main-returned"),
            ("early_panel", "grccp-early-panel"), ("panel_mounted", "grccp-first-dom-change"),
            ("panel_status", "grccp-status")) if mark in marks}
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

    # ----- the probes -----------------------------------------------------------------------------------------
    def _in_control(self, script, *args):
        driver = self.control()
        try:
            return driver.execute_async_script(script, *args)
        finally:
            driver.switch_to.window(self.page_handle)

    def content_probes(self, call, *args):
        """`call` on the content probe of every allowlisted tab: [result per tab]."""
        found = self._in_control(_CONTENT_PROBES, call, list(args))
        if not isinstance(found, list) or not all(isinstance(result, dict) for result in found):
            raise AssertionError(f"extension: the content probes answered {found!r}")
        return found

    def background_probe(self, since=NO_RECORDS, follow=None):
        """The background probe's snapshot (records from `since` on), or None if the background did not answer
        (a service worker that was stopped loses its probe's records too)."""
        request = {"since": since}
        if follow is not None:
            request["follow"] = follow
        return self._in_control(_BACKGROUND_PROBE, request)

    def follow_log_lines(self, texts):
        self.content_probes("follow", texts)
        if self.background_probe(follow=texts) is None:
            raise AssertionError("extension: the background probe did not answer")

    def followed_log_lines(self):
        background = self.background_probe()
        if background is None or not all(region in background["stored"] for region in REGIONS):
            return None
        (content,) = self.content_probes("snapshot", NO_RECORDS)
        found = {}
        for region in REGIONS:
            seen = content["seen"].get(region, {})
            stored = background["stored"][region]
            found[region] = {"relayed": seen.get("relayed"), "sent": seen.get("sent"),
                             "received": background["received"].get(region),
                             "write_started": stored["writeStarted"], "stored": stored["stored"]}
        return found

    def activity_totals(self):
        (content,) = self.content_probes("snapshot", NO_RECORDS)
        return {"content": content, "background": self.background_probe()}

    def activity_parts(self, before, after):
        return activity.probe_parts(before, after)

    def switch_activity(self, windows):
        """For each switch window: the content script's and the background's busy ms inside it, by part (the
        background's writes in flight too)."""
        if not windows:
            return []
        since = min(start for start, _ in windows)
        (content,) = self.content_probes("snapshot", since)
        background = self.background_probe(since) or {"records": []}
        found = []
        for start, end in windows:
            parts = flat("content_ms", activity.busy_within(content["records"], start, end, activity.CONTENT_GROUPS))
            parts.update(flat("background_ms", activity.busy_within(background["records"], start, end,
                                                                     activity.BACKGROUND_GROUPS)))
            found.append(parts)
        return found

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
