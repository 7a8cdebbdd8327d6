"""What end-to-end tests do with the extension, in one place: configure it, open allowlisted pages, observe the
panel (as the page sees it, and as each CCP frame sees itself), and read the background's status."""
from contextlib import contextmanager

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from bench.injected import ASK_REGISTERED_SCRIPTS, injected_files

HOST_STATE = ("const h = document.getElementById('grccp-ccp-host');"
              "return h ? {state: h.dataset.grccpState, active: h.dataset.grccpActive || null,"
              " notice: h.dataset.grccpNotice || null, status: h.dataset.grccpStatus || ''} : null;")


def wait_for(driver, condition, timeout=30, message=""):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: condition(), message)


def configure(driver, config):
    """Stores the configuration the way the options page does (chrome.storage.local)."""
    driver.get(driver.extension_base_url + "popup.html")
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; chrome.storage.local.set({config: arguments[0]}, done);",
        config)


def settle(driver):
    """Returns once the page has loaded and the browser has been idle once: content scripts registered for
    document_end (or document_idle) have run by then (what a negative assertion about injection needs)."""
    wait_for(driver, lambda: driver.execute_script("return document.readyState") == "complete")
    driver.execute_async_script("const done = arguments[0]; requestIdleCallback(() => setTimeout(done, 0));")


def read_extension_storage(driver, keys):
    """chrome.storage.local values, read from the extension page the driver is on."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; chrome.storage.local.get(arguments[0], done);", keys)


def host_state(driver):
    return driver.execute_script(HOST_STATE)


def open_allowlisted(driver, url, timeout=30, present=lambda d: host_state(d) is not None):
    """Loads `url` until the extension's panel is on it (the background registers the content script
    asynchronously after a configuration is stored), or until `present(driver)` says so. Each load waits twice as
    long as the one before: a reload restarts the content script, so a fixed short wait would never let a slow boot
    on a loaded machine finish."""
    patience = [3]

    def injected():
        driver.get(url)
        try:
            WebDriverWait(driver, patience[0], poll_frequency=0.05).until(present)
            return True
        except Exception:
            patience[0] *= 2
            return False
    try:
        wait_for(driver, injected, timeout)
    except TimeoutException:
        raise AssertionError(f"the extension never appeared on {url}: {why_not_injected(driver, url)}") from None


def why_not_injected(driver, url):
    """What a page the panel never appeared on had of the extension (its performance marks: the early start's,
    set only once the background said the page is allowlisted) and which of the registered content scripts
    (as the browser holds them) match it: which of the background and the content script was late."""
    marks = driver.execute_script(
        "return performance.getEntriesByType('mark').filter(m => m.name.startsWith('grccp-'))"
        ".map(m => m.name + '@' + Math.round(m.startTime));")
    registered = on_extension_page(driver, ASK_REGISTERED_SCRIPTS, page=QUIET_PAGE)
    files = injected_files(registered, url) if isinstance(registered, list) else registered
    return f"the page's marks {marks}; the registered content scripts' files for it {files}"


def visible_ccps(emulator):
    """[(region, host page origin)] of the CCP windows an agent can see, as the CCP windows themselves report
    their size (the panel's closed shadow root keeps the frames out of the page's, and the test's, reach)."""
    return emulator.client.visible_ccps()


def shows_only_on(emulator, region, page_origin):
    """Whether the CCP windows visible on pages of `page_origin` (e.g. "https://crm.example.test:8443/") are
    exactly one, of `region`. A hidden tab does not lay out its frames, so check a tab while it is shown."""
    visible = [r for r, host in visible_ccps(emulator) if host == page_origin]
    return visible == [region]


def shows_only(emulator, region, hosts=1):
    """Whether exactly `hosts` CCP windows are visible and all are `region`'s."""
    visible = visible_ccps(emulator)
    return len(visible) == hosts and all(r == region for r, _ in visible)


@contextmanager
def extension_page(driver, page="popup.html"):
    """The driver on an extension page opened in a new tab (where chrome.* is available); then the tab is closed
    and the driver is back on the page the test was on. `page`: e.g. QUIET_PAGE, where nothing of the extension
    runs (the popup tells the background it is open, and reads the policy)."""
    original = driver.current_window_handle
    driver.switch_to.new_window("tab")
    try:
        driver.get(driver.extension_base_url + page)
        yield driver
    finally:
        driver.close()
        driver.switch_to.window(original)


def on_extension_page(driver, script, *args, page="popup.html"):
    """Runs an async script on an extension page (extension_page), and returns its result."""
    with extension_page(driver, page):
        return driver.execute_async_script(script, *args)


QUIET_PAGE = "test/blank.html"  # (tests/rig/extension_copy.py)
ASK_BACKGROUND = ("const done = arguments[arguments.length - 1];"
                  "chrome.runtime.sendMessage(arguments[0], done);")


def ask_background(driver, message):
    """The background's reply to a runtime message sent from an extension page."""
    return on_extension_page(driver, ASK_BACKGROUND, message)


def background_status(driver):
    """The popup's status model, asked of the background."""
    return ask_background(driver, {"type": "popup:get-status"})["status"]


def service_worker_target(driver):
    """Chromium: the extension service worker's CDP target id (it changes when the worker restarts)."""
    targets = driver.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]
    workers = [t for t in targets if t["type"] == "service_worker" and t["url"].startswith(driver.extension_base_url)]
    return workers[0]["targetId"] if workers else None


def stop_service_worker(driver):
    """Chromium: stops the extension's service worker as the browser does when it idles (CDP)."""
    target = service_worker_target(driver)
    if target is not None:
        driver.execute_cdp_cmd("Target.closeTarget", {"targetId": target})
    return target


def frame_urls(driver):
    """The URLs of the frames directly in the current tab's page, as the browser knows them (the panel's closed
    shadow root keeps them from the page): Chromium's frame tree (CDP), Firefox's browsing contexts (a privileged
    script in the browser's own context)."""
    if driver.browser_name == "chromium":
        tree = driver.execute_cdp_cmd("Page.getFrameTree", {})["frameTree"]
        return [child["frame"]["url"] for child in tree.get("childFrames", [])]
    with driver.context(driver.CONTEXT_CHROME):
        return driver.execute_script("return gBrowser.selectedBrowser.browsingContext.children"
                                     ".map((frame) => frame.currentURI ? frame.currentURI.spec : null);")


FIREFOX_BACKGROUND = """
const {ExtensionParent} = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
const extension = ExtensionParent.GlobalManager.getExtension(arguments[0]);
"""


def stop_background(driver):
    """Stops the extension's background as the browser does when it idles, and returns once it was stopped:
    Chromium's service worker with CDP, Firefox's event page as about:debugging's "Terminate background script"
    does (a privileged script in the browser's own context). The next event the background listens to (a
    message, a tab closed, ...) starts it again: by the time this returns, a tab's log batch may have done so."""
    if driver.browser_name == "chromium":
        stopped = stop_service_worker(driver)
        wait_for(driver, lambda: service_worker_target(driver) != stopped)
        return
    from rig.browsers import FIREFOX_ADDON_ID
    with driver.context(driver.CONTEXT_CHROME):
        state = driver.execute_async_script(
            FIREFOX_BACKGROUND + "const done = arguments[arguments.length - 1];"
            "extension.terminateBackground({ignoreDevToolsAttached: true})"
            ".then(() => done('terminated'), (error) => done('failed: ' + error));",
            FIREFOX_ADDON_ID)
    assert state == "terminated", f"the event page was not stopped: {state}"


REGION_LOG = """
const [region, fragment, newestOnly, done] = [arguments[0], arguments[1], arguments[2], arguments[arguments.length - 1]];
const opening = () => new Promise((resolve, reject) => {
  const request = indexedDB.open('grccp-logs');
  request.onerror = () => reject(request.error);
  request.onsuccess = () => resolve(request.result);
});
const archived = (db, index) => new Promise((resolve, reject) => {
  const reading = db.transaction('chunks').objectStore('chunks').get([region, index]);
  reading.onerror = () => reject(reading.error);
  reading.onsuccess = () => reading.result ? reading.result.text().then(resolve, reject)
                                           : reject(new Error(`archived chunk ${index} is missing`));
});
const local = (key) => new Promise((resolve) => chrome.storage.local.get([key], (items) => resolve(items[key])));
chrome.runtime.sendMessage({type: 'popup:download-logs'}, async (reply) => {
  const plan = (reply.files || []).find(f => f.region === region);
  if (!plan) return done(null);
  try {
    const db = plan.chunks.some((chunk) => chunk.archived) ? await opening() : null;
    const chunks = newestOnly ? plan.chunks.slice(-1) : plan.chunks;
    const texts = [];
    for (const chunk of chunks) {
      texts.push(chunk.archived ? await archived(db, chunk.index) : chunk.key ? await local(chunk.key) : chunk.text);
    }
    chrome.runtime.sendMessage({type: 'popup:log-export-done', exportId: reply.exportId});
    const records = texts.flatMap((text) => text.split(/,\\n(?= {4}\\{)/));
    if (plan.open) records.push(...plan.open.split('\\x1e'));
    const skip = chunks.length === plan.chunks.length ? plan.skip : 0;  // the skip is into the first chunk
    const entries = records.slice(skip).map((record) => JSON.parse(record));
    done(fragment === null ? entries : entries.filter((entry) => entry.text.includes(fragment)));
  } catch (error) {
    done({error: String(error)});
  }
});
"""


def region_log(driver, region, fragment=None, newest_only=False):
    """The entries the background keeps for `region`, as the popup's download would write them (read the way
    platform.pages.log_files reads them: each closed chunk where the plan says it is, and the open one); only those
    whose text contains `fragment` if given (picked in the browser: a log of 100,000 entries is tens of MB);
    `newest_only`: only those of the newest closed chunk and the open one."""
    entries = on_extension_page(driver, REGION_LOG, region, fragment, newest_only)
    if isinstance(entries, dict):
        raise AssertionError(f"the log of {region} could not be read: {entries['error']}")
    return entries


def wait_until_logged(driver, region, text, timeout):
    """Waits until `text`, the text of the newest line sent to `region`, is in its log. Each look reads only the
    log's newest chunks: reading all of it (100,000 entries, tens of MB) once a second competed with the background
    storing it, and one read took over 120 s in Firefox at a load average of ~30."""
    WebDriverWait(driver, timeout, poll_frequency=1).until(lambda d: region_log(d, region, text, newest_only=True),
                                                           f"{text!r} never reached the log of {region}")


def logged(driver, region, fragment):
    """The texts of `region`'s log entries that contain `fragment`."""
    return [entry["text"] for entry in region_log(driver, region, fragment) or []]


def wait_until_both_ccps_connected(driver, timeout=30):
    """Waits until both regions' CCPs are acknowledged: each worker has answered its first poll by then (a worker
    acknowledges its CCPs only after it), so lines and messages the emulator emits from now on reach the host."""
    wait_for(driver, lambda: [r["health"] for r in background_status(driver)["regions"]] == ["ready", "ready"],
             timeout)


def wait_until_both_workers_polled(driver, emulator, timeout=30):
    """Waits until each region's worker has had its first active-region poll answered. Until then a change of the
    active region can reach the extension as the stand-by worker's start-up announcement ("this region is active")
    rather than as a failover of the active one (the reference switches on either, and so does the extension):
    a test of the failover phases must start after both polls."""
    wait_for(driver, lambda: all(emulator.client.region_state(region)["active_region_polls"]
                                 for region in emulator.regions), timeout)


def wait_until_contact_seen(driver, region, contact_id, timeout=30):
    """Waits until the background's model shows `contact_id` as a voice contact of `region`'s agent (the CCP's
    snapshot got there): a failover started before that would find no call to wait for."""
    def seen():
        for entry in background_status(driver)["regions"]:
            agent = entry["agent"] or {}
            if entry["key"] == region and any(c["contactId"] == contact_id for c in agent.get("blockingContacts", [])):
                return True
        return False
    wait_for(driver, seen, timeout)
