"""Driving the extension's own pages (popup, options) in tests: each opens in a window of its own, so that the
allowlisted page's tab stays the visible one of its window (hidden tabs have their timers throttled, which would
make their CCP heartbeats late), and what the page shows is read from its fixed ids and data attributes."""
import os
import time

from .extension_driver import wait_for

POPUP_STATE = """
const q = (sel, root) => (root || document).querySelector(sel);
const text = (sel, root) => { const n = q(sel, root); return n ? n.textContent : null; };
const app = q('#app');
const region = (i) => { const c = q('#region-' + i); return {
  key: text('.region-key', c), role: c.dataset.role || null, health: c.dataset.health || null,
  signedIn: c.dataset.signedIn || null, roleText: text('.role', c), healthText: text('.health', c),
  signedInText: text('.signed-in', c), agent: text('.agent', c),
  signInAction: (() => { const b = q('.sign-in-action', c); return b && !b.hidden ? b.textContent : null; })(),
  announcement: c.dataset.announcement || null, announcementText: text('.announcement', c)}; };
const shown = (sel) => { const n = q(sel); return !!n && !n.hidden && getComputedStyle(n).visibility !== 'hidden'; };
return {
  view: app.dataset.view, summary: text('#summary'), tone: q('#summary').dataset.tone,
  regions: [region(0), region(1)],
  failover: {phase: q('#failover').dataset.phase, headline: text('#failover-headline'),
             detail: text('#failover-detail')},
  switchNow: {offered: shown('#switch-now'), confirming: shown('#switch-now-confirm'),
              label: text('#switch-now'), kind: q('#switch-now').dataset.kind || null,
              question: text('#switch-now-question'), status: text('#switch-now-status')},
  problems: Array.from(document.querySelectorAll('#problems li')).map(li => li.textContent),
  timeline: Array.from(document.querySelectorAll('#timeline li')).filter(li => li.dataset.filled === 'yes')
             .map(li => ({route: text('.route', li), latency: text('.latency', li),
                          agentState: li.querySelector('.agent-state').title, agentStateShort: text('.agent-state', li),
                          agentStateTone: li.querySelector('.agent-state').dataset.tone})),
  setup: {headline: text('#setup-headline'),
          errors: Array.from(document.querySelectorAll('#setup-errors li')).map(li => li.textContent)},
  download: {state: q('#download-status').dataset.state, text: text('#download-status'),
             disabled: q('#download-logs').disabled},
  managedNote: text('#managed-note'),
  warning: text('#warning'),
  height: document.documentElement.getBoundingClientRect().height,
};
"""


class ExtensionPage:
    """An extension page in a window of its own; use as a context manager or call close()."""

    def __init__(self, driver, page):
        self.driver = driver
        self.previous = driver.current_window_handle
        driver.switch_to.new_window("window")
        self.handle = driver.current_window_handle
        driver.get(driver.extension_base_url + page)

    def focus(self):
        self.driver.switch_to.window(self.handle)
        return self

    def close(self):
        self.focus()
        self.driver.close()
        self.driver.switch_to.window(self.previous)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Popup(ExtensionPage):
    def __init__(self, driver):
        super().__init__(driver, "popup.html")
        wait_for(driver, lambda: self.state()["view"] != "loading", message="the popup never rendered")

    def state(self):
        self.focus()
        return self.driver.execute_script(POPUP_STATE)

    def wait(self, condition, timeout=30, message=""):
        """Waits until condition(state) holds; returns that state."""
        found = []
        last = [None]

        def check():
            state = last[0] = self.state()
            if condition(state):
                found.append(state)
                return True
            return False
        try:
            wait_for(self.driver, check, timeout, message or "the popup never showed the expected state")
        except Exception as timeout_error:
            raise AssertionError(f"{timeout_error}; last state: {last[0]}") from None
        return found[0]


def downloaded_files(download_dir, names, timeout=60):
    """Waits until every name is a complete file in download_dir (no .crdownload/.part partner), returns
    {name: text} and the time waited."""
    started = time.monotonic()
    deadline = started + timeout

    def complete(name):
        path = os.path.join(download_dir, name)
        listing = os.listdir(download_dir)
        partial = any(entry.startswith(name) and entry.endswith((".crdownload", ".part")) for entry in listing) \
            or any(entry.endswith(".crdownload") for entry in listing)
        return os.path.exists(path) and not partial and os.path.getsize(path) > 0
    while not all(complete(name) for name in names):
        if time.monotonic() > deadline:
            raise AssertionError(f"not downloaded in {timeout} s: {names}; found {os.listdir(download_dir)}")
        time.sleep(0.02)  # polling a condition (the files on disk), not a fixed wait
    waited = time.monotonic() - started
    texts = {}
    for name in names:
        with open(os.path.join(download_dir, name), encoding="utf-8") as handle:
            texts[name] = handle.read()
    return texts, waited


class OptionsPage(ExtensionPage):
    """The options page; fields are addressed by their setting's path ("regions/1/instanceArn")."""

    def __init__(self, driver):
        super().__init__(driver, "options.html")
        wait_for(driver, lambda: driver.execute_script(
            "return document.getElementById('app').dataset.state") == "ready", message="options page not ready")

    @staticmethod
    def field_id(path):
        return "f-" + path.replace("/", "-")

    def control(self, path):
        return self.driver.find_element("id", self.field_id(path))

    def value(self, path):
        return self.driver.execute_script(
            "const c = document.getElementById(arguments[0]); return c.type === 'checkbox' ? c.checked : c.value;",
            self.field_id(path))

    def set(self, path, value):
        from selenium.webdriver.support.ui import Select
        control = self.control(path)
        if control.get_attribute("type") == "checkbox":
            if control.is_selected() != bool(value):
                control.click()
        elif control.tag_name == "select":
            Select(control).select_by_value(value)
        else:
            control.clear()
            control.send_keys(value)

    def error(self, path):
        return self.driver.find_element("id", self.field_id(path) + "-error").text

    def status(self):
        return self.driver.execute_script(
            "const s = document.getElementById('status');"
            "return {state: s.dataset.state, text: s.textContent, origins: s.dataset.origins || null};")

    def wait_status(self, *states, timeout=20):
        wait_for(self.driver, lambda: self.status()["state"] in states, timeout,
                 f"the options page never reached {states}")
        return self.status()

    def save(self):
        """A real click (the browser's user gesture)."""
        self.focus()
        self.driver.find_element("id", "save").click()

    def stored_config(self):
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "chrome.storage.local.get(['config'], (items) => done(items.config === undefined ? null : items.config));")
