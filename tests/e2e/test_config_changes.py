"""A configuration change reaches every open tab without a page reload (issue #16 item 4), in Chromium and
Firefox: a tab whose settings changed rebuilds its panel with the new CCPs, a page no longer allowlisted loses
its panel, an open page newly allowlisted gets one, and a call in progress is never cut: the change waits for
it, the panel saying so. (The change is stored as the options page stores it; an
enterprise policy's change reaches the background the same way: test_managed_policy.)"""
from .conftest import extension_config
from .extension_driver import background_status, configure, frame_urls, host_state, settle, wait_for
from .test_failover_engine import EAST, WEST, call_in_progress, open_ready, ready_on

MARK = "window.__grccpNotReloaded = true;"
MARKED = "return window.__grccpNotReloaded === true;"


def store(driver, config):
    """Stores a configuration from an extension page opened for it, and comes back to the page."""
    original = driver.current_window_handle
    driver.switch_to.new_window("tab")
    try:
        configure(driver, config)
    finally:
        driver.close()
        driver.switch_to.window(original)


def moved_ccps(emulator):
    """The configuration with other CCP URLs (the same instances, another query)."""
    moved = extension_config(emulator)
    for region in moved["regions"]:
        region["ccpUrl"] += "?tenant=2"
    return moved


def ccp_frames_are(driver, emulator, query=""):
    return sorted(frame_urls(driver)) == [emulator.ccp_url(EAST) + query, emulator.ccp_url(WEST) + query]


def test_an_open_tab_follows_new_ccp_urls_in_place(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    driver.execute_script(MARK)
    assert ccp_frames_are(driver, emulator)
    store(driver, moved_ccps(emulator))
    wait_for(driver, lambda: ccp_frames_are(driver, emulator, "?tenant=2"), timeout=15,
             message="the open tab kept its old CCP frames")
    wait_for(driver, lambda: ready_on(driver, EAST), timeout=30)
    assert driver.execute_script(MARKED), "the page was reloaded"
    assert background_status(driver)["openTabs"] == 1


def test_a_page_taken_off_the_allowlist_loses_its_panel(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    driver.execute_script(MARK)
    store(driver, extension_config(emulator, allowlist=[f"https://crm2.example.test:{emulator.port}/*"]))
    wait_for(driver, lambda: host_state(driver) is None and frame_urls(driver) == [], timeout=15,
             message="the panel stayed on a page that is no longer allowlisted")
    wait_for(driver, lambda: background_status(driver)["openTabs"] == 0)
    assert driver.execute_script(MARKED), "the page was reloaded"


def test_an_open_page_added_to_the_allowlist_gets_the_panel(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator, allowlist=[f"https://crm2.example.test:{emulator.port}/*"]))
    driver.get(emulator.crm_url())
    settle(driver)
    assert host_state(driver) is None
    driver.execute_script(MARK)
    store(driver, extension_config(emulator))
    wait_for(driver, lambda: ready_on(driver, EAST), timeout=30, message="the open page never got the panel")
    assert driver.execute_script(MARKED), "the page was reloaded"


def test_a_change_waits_for_the_call_in_progress_and_says_so(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    driver.execute_script(MARK)
    contact = call_in_progress(driver, emulator)
    store(driver, moved_ccps(emulator))
    wait_for(driver, lambda: "applies when the contact ends" in (host_state(driver)["notice"] or ""), timeout=15,
             message="the panel never said that a new configuration waits")
    assert ccp_frames_are(driver, emulator), "the CCP frames of the call in progress were replaced"
    emulator.client.hang_up(EAST, contact)  # after-call work: the contact is still there
    wait_for(driver, lambda: emulator.client.contacts(EAST)[0]["state"]["type"] == "ended")
    assert ccp_frames_are(driver, emulator) and host_state(driver)["notice"]
    emulator.client.clear(EAST, contact)
    wait_for(driver, lambda: ccp_frames_are(driver, emulator, "?tenant=2"), timeout=15,
             message="the configuration never applied after the call")
    wait_for(driver, lambda: ready_on(driver, EAST), timeout=30)
    assert host_state(driver)["notice"] is None and driver.execute_script(MARKED), "the page was reloaded"
