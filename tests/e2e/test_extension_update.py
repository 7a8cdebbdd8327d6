"""The extension updated (or reloaded) while an allowlisted page is open (issue 16 item 8): the new background
injects the content script again, and the panel of the earlier instance gives way to the new one's — at once
without a contact, after the contact with one — so that the page never holds two panels (two CCPs of a region,
both visible, one of them reaching no background). Chromium keeps the earlier instance running without its
extension (an orphan, which says so); Firefox stops it (core.tab_config's docstring).

How the extension goes away and comes back: in Firefox, runtime.reload() (the add-on is reloaded from its
directory, as an update replaces it). In Chromium, an extension that manages others disables it and enables it
again (chrome.management.setEnabled): like an update, it ends every context of the extension and starts a new
one. (runtime.reload() there, with such a page open, sometimes leaves the extension unloaded for good in this
rig: no service worker starts and its pages are blocked, with nothing in the browser's log.)"""
import json
import os
import uuid

import pytest

from grccp.core.tab_config import ORPHAN_NOTICE
from rig import browsers

from .conftest import extension_config, launch_extension_browser
from .extension_driver import configure, host_state, shows_only, visible_ccps, wait_for
from .test_failover_engine import EAST, WEST, call_in_progress, open_ready, ready_on

HOSTS = "return document.querySelectorAll('[id=grccp-ccp-host]').length"
REMEMBER_THE_PANEL = "window.grccpTestEarlierPanel = document.getElementById('grccp-ccp-host')"
A_NEW_PANEL = ("const h = document.getElementById('grccp-ccp-host');"
               "return h !== null && h !== window.grccpTestEarlierPanel")
SWITCH_OFF_AND_ON = """
const id = location.hash.slice(1);
chrome.management.setEnabled(id, false, () => {
  if (chrome.runtime.lastError) { document.title = 'failed: ' + chrome.runtime.lastError.message; return; }
  chrome.management.setEnabled(id, true, () => {
    document.title = chrome.runtime.lastError ? 'failed: ' + chrome.runtime.lastError.message : 'switched';
  });
});
"""


def switcher_extension(directory):
    """An extension that disables and enables the extension whose id follows '#' in its page's URL."""
    os.makedirs(directory)
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump({"manifest_version": 3, "name": "switcher", "version": "1.0", "permissions": ["management"]}, f)
    with open(os.path.join(directory, "switch.js"), "w") as f:
        f.write(SWITCH_OFF_AND_ON)
    with open(os.path.join(directory, "switch.html"), "w") as f:
        f.write('<!doctype html><title>switching</title><script src="switch.js"></script>')
    return directory


@pytest.fixture
def updatable_browser(browser_name, run_dir, emulator):
    switcher = (switcher_extension(os.path.join(run_dir, f"switcher-{uuid.uuid4().hex[:8]}"))
                if browser_name == "chromium" else None)
    driver = launch_extension_browser(browser_name, run_dir, emulator,
                                      other_extensions=[switcher] if switcher else ())
    driver.switcher_url = switcher and f"chrome-extension://{browsers.chromium_extension_id(switcher)}/switch.html"
    yield driver
    driver.quit()


def update_the_extension(driver):
    """Ends the extension's every context and starts it again (see the module's docstring); the driver goes back
    to the page it was on."""
    page = driver.current_window_handle
    driver.switch_to.new_window("tab")
    if driver.switcher_url:
        our_id = driver.extension_base_url.split("/")[2]
        driver.get(f"{driver.switcher_url}#{our_id}")
        wait_for(driver, lambda: driver.title != "switching")
        assert driver.title == "switched"
        driver.close()
    else:
        driver.get(driver.extension_base_url + "popup.html")
        driver.execute_script("setTimeout(() => chrome.runtime.reload(), 0)")  # (its tab closes)
    driver.switch_to.window(page)


@pytest.mark.stress
def test_an_update_replaces_the_panel_of_an_open_page(updatable_browser, emulator, protocol):
    driver = updatable_browser
    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    driver.execute_script(REMEMBER_THE_PANEL)
    update_the_extension(driver)
    wait_for(driver, lambda: driver.execute_script(A_NEW_PANEL) and ready_on(driver, EAST))
    assert driver.execute_script(HOSTS) == 1
    wait_for(driver, lambda: shows_only(emulator, EAST))
    emulator.client.set_active(WEST)  # and the new panel fails over
    wait_for(driver, lambda: ready_on(driver, WEST) and shows_only(emulator, WEST))
    assert driver.execute_script(HOSTS) == 1


def test_an_update_during_a_call_keeps_the_call_and_adds_no_second_panel(updatable_browser, emulator):
    driver = updatable_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    contact = call_in_progress(driver, emulator)
    driver.execute_script(REMEMBER_THE_PANEL)
    update_the_extension(driver)
    # the new instance started, and waits for the earlier panel (it says so on that panel's host element)
    wait_for(driver, lambda: driver.execute_script(
        "return window.grccpTestEarlierPanel.getAttribute('data-grccp-successor')") == "waiting")
    if driver.switcher_url:  # Chromium: the orphan says why it stays
        wait_for(driver, lambda: host_state(driver)["notice"] == ORPHAN_NOTICE)
    assert driver.execute_script(HOSTS) == 1 and not driver.execute_script(A_NEW_PANEL)
    assert [view[0] for view in visible_ccps(emulator)] == [EAST]
    assert [c["state"]["type"] for c in emulator.client.contacts(EAST)] == ["connected"]
    if not driver.switcher_url:
        return  # a stopped instance's panel stays until the page is reloaded (nothing can tell when the call ends)
    emulator.client.hang_up(EAST, contact)
    emulator.client.clear(EAST, contact)
    wait_for(driver, lambda: driver.execute_script(A_NEW_PANEL) and ready_on(driver, EAST))
    assert driver.execute_script(HOSTS) == 1
    wait_for(driver, lambda: shows_only(emulator, EAST))


# What an earlier version registered: the page guard and early start apart at document_start, the rest at
# document_end (the version before the content script became one registration at document_start)
EARLIER_REGISTRATIONS = """
const done = arguments[arguments.length - 1];
chrome.scripting.getRegisteredContentScripts({ids: ['grccp-ccp-host']}).then(([host]) => {
  const guard = host.js.slice(0, 3);
  return chrome.scripting.registerContentScripts([{id: 'grccp-page-guard', matches: host.matches, js: guard,
                                                   runAt: 'document_start', persistAcrossSessions: true}])
    .then(() => chrome.scripting.updateContentScripts([{id: 'grccp-ccp-host', js: host.js.slice(3),
                                                        runAt: 'document_end'}]))
    .then(() => done(guard));
}).catch((error) => done(String(error)));
"""
REGISTERED = """
const done = arguments[arguments.length - 1];
chrome.scripting.getRegisteredContentScripts().then(
  (scripts) => done(scripts.map((s) => [s.id, s.runAt, s.js.length])), (error) => done(String(error)));
"""


def test_an_update_replaces_an_earlier_versions_two_registrations_with_one(updatable_browser, emulator):
    """The earlier version's page guard registration is unregistered, not left to inject its files a second time
    (platform/background/content_scripts.RETIRED_SCRIPT_IDS). Chromium keeps persisted registrations across the
    update (without the retirement this failed there); Firefox's reload already clears them."""
    driver = updatable_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    page = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(driver.extension_base_url + "popup.html")
    guard = driver.execute_async_script(EARLIER_REGISTRATIONS)
    assert guard == ["boot/page_guard.js", "boot/panel_dom.js", "boot/early_start.js"], guard
    assert sorted(id_ for id_, _, _ in driver.execute_async_script(REGISTERED)) == ["grccp-ccp-host",
                                                                                  "grccp-page-guard"]
    driver.close()
    driver.switch_to.window(page)
    update_the_extension(driver)
    driver.switch_to.new_window("tab")
    driver.get(driver.extension_base_url + "popup.html")
    wait_for(driver, lambda: [(id_, run_at) for id_, run_at, _ in driver.execute_async_script(REGISTERED)] == [
        ("grccp-ccp-host", "document_start")])
    driver.close()
    driver.switch_to.window(page)
    driver.refresh()  # a page loaded under the new registration: one panel, ready
    wait_for(driver, lambda: ready_on(driver, EAST) and shows_only(emulator, EAST))
    assert driver.execute_script(HOSTS) == 1
