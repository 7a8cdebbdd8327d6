"""An agent cannot act in the stand-by CCP (issue #18): the frame kept loaded but not shown must take no keyboard
focus and no click, and be hidden from assistive technology (boot/panel_dom.js's markStandby makes it inert and
aria-hidden), while the shown one takes all three; after a switch the roles swap. Checked as an agent meets it, in
both browsers and both protocols: Tab through the page, a click on the panel (the CCP windows report what reached
them: emulator marks `focused`, `pointer`), and the accessibility tree a screen reader reads (Chromium: DevTools'
Accessibility domain; Firefox: its accessibility service, from the browser's own context). The panel's closed shadow
root keeps the frames themselves out of the test's reach. The same holds of the panel the content script's early
start makes before Python runs (boot/early_start.js), for the 0.2 s to seconds until Python adopts it."""
import os
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from .conftest import extension_config, launch_extension_browser
from .extension_driver import configure, host_state, open_allowlisted, shows_only, wait_for
from .test_failover_engine import EAST, WEST, open_ready

# Tab presses allowed for one pass through the page and the panel (the CRM page has no focusable element of its
# own; the emulated CCP a few; the browser's own interface may take some before focus comes back)
MAX_TABS = 40
START = ("const start = document.createElement('button'); start.textContent = 'before the panel';"
         "document.body.prepend(start); start.focus(); window.tabStart = start;"
         "return document.activeElement === start;")
# the page has nothing else to focus: focus elsewhere in the page is in the panel (its host, for the page: the
# early panel's host has no id yet)
FOCUS_IN_PANEL = ("return document.hasFocus() &&"
                  " ![document.body, document.documentElement, window.tabStart].includes(document.activeElement);")

# the docked panel's host: the document element's child that is neither the head nor the body
DOCKED_PANEL = ("return [...document.documentElement.children]"
                ".find((element) => element !== document.head && element !== document.body);")


def now_ms():
    return int(time.time() * 1000)  # the CCP windows' marks are this machine's wall clock too


def acted_in(emulator, kind, since_ms):
    """The regions whose CCP windows reported `kind` at or after `since_ms`."""
    return {region for region, mark in emulator.client.marks(kind) if mark["at"] >= since_ms}


def tab_through_the_panel(driver):
    """From a button the test puts first on the page, presses Tab until the focus has gone into the panel and out
    of it again: every frame of the panel in the tab order has had its turn."""
    assert driver.execute_script(START)
    entered = False
    for _ in range(MAX_TABS):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        inside = driver.execute_script(FOCUS_IN_PANEL)
        if entered and not inside:
            return
        entered = entered or inside
    raise AssertionError(f"{MAX_TABS} Tabs did not go into the panel and out (went in: {entered})")


def keyboard_and_pointer_reach_only(driver, emulator, shown):
    since = now_ms()
    tab_through_the_panel(driver)
    ActionChains(driver).move_to_element(driver.execute_script(DOCKED_PANEL)).click().perform()
    # the click comes after the Tab pass and reaches one window: once the shown CCP's report of it came, a report
    # of the stand-by's taking focus would have been sent before it
    wait_for(driver, lambda: shown in acted_in(emulator, "focused", since) & acted_in(emulator, "pointer", since),
             message=f"Tab and a click never reached the shown CCP ({shown})")
    assert acted_in(emulator, "focused", since) == {shown}
    assert acted_in(emulator, "pointer", since) == {shown}


def ccp_regions(emulator, url):
    return [region for region in emulator.regions if url.startswith(emulator.origin(emulator.instance(region).host))]


def exposed_ccps_chromium(driver, emulator):
    """The regions whose CCP document has content a screen reader would read (a node in it that is not ignored and
    has a name): DevTools' tree of each CCP frame. The document's own node is left out: Chromium keeps it, named by
    its title, in the tree of a frame whose whole content it ignores."""
    exposed = []
    for child in driver.execute_cdp_cmd("Page.getFrameTree", {})["frameTree"].get("childFrames", []):
        nodes = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {"frameId": child["frame"]["id"]})["nodes"]
        if any(not node["ignored"] and node.get("name", {}).get("value") and node["role"]["value"] != "RootWebArea"
               for node in nodes):
            exposed += ccp_regions(emulator, child["frame"]["url"])
    return sorted(exposed)


# Firefox's accessibility service (started by the first call) and the tree of the selected tab: the titles of the
# frames (each CCP frame's title names its region) under which something has a name
FIREFOX_EXPOSED = """
const service = Cc["@mozilla.org/accessibilityService;1"].getService(Ci.nsIAccessibilityService);
const exposed = new Set();
function walk(accessible, frameTitle) {
  if (service.getStringRole(accessible.role) === "internal frame") frameTitle = accessible.name || "";
  else if (frameTitle !== null && accessible.name) exposed.add(frameTitle);
  for (let child = accessible.firstChild; child; child = child.nextSibling) walk(child, frameTitle);
}
const top = service.getAccessibleFor(gBrowser.selectedBrowser);
if (top) walk(top, null);
return [...exposed];
"""


def exposed_ccps_firefox(driver):
    with driver.context(driver.CONTEXT_CHROME):
        titles = driver.execute_script(FIREFOX_EXPOSED)
    return sorted(region for region in (EAST, WEST) for title in titles if title.endswith(f"({region})"))


def exposed_ccps(driver, emulator):
    if driver.browser_name == "chromium":
        return exposed_ccps_chromium(driver, emulator)
    return exposed_ccps_firefox(driver)


def assistive_technology_reads_only(driver, emulator, shown):
    wait_for(driver, lambda: exposed_ccps(driver, emulator) == [shown],
             message=f"the accessibility tree does not show {shown}'s CCP alone")


def test_the_stand_by_ccp_takes_no_focus_no_click_and_is_hidden_from_assistive_technology(ccp_browser, emulator,
                                                                                          protocol):
    driver = ccp_browser
    # No sign-in window: the one the extension opens when a CCP has not answered within ccpLoadTimeout (3 s here, a
    # CCP on a very busy machine can take longer) is a window of its own and takes the keyboard focus from the
    # page's, so no Tab in the page reaches the panel until it closes (seen in Firefox at load 35-45, on the 0 x 0
    # and the moved-out stand-by alike, before a switch as after one). Sign-in windows have their own tests
    # (test_sign_in.py); this one is about which of the panel's frames an agent's key and click reach.
    configure(driver, extension_config(emulator, protocol, loginPopup=False))
    open_ready(driver, emulator)
    wait_for(driver, lambda: shows_only(emulator, EAST))
    keyboard_and_pointer_reach_only(driver, emulator, EAST)
    assistive_technology_reads_only(driver, emulator, EAST)
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    wait_for(driver, lambda: shows_only(emulator, WEST))
    keyboard_and_pointer_reach_only(driver, emulator, WEST)
    assistive_technology_reads_only(driver, emulator, WEST)


def without_python(extension_dir):
    """The content script's Python never starts (boot/content_run.js does not run it): the panel stays as the early
    start made it."""
    path = os.path.join(extension_dir, "boot", "content_run.js")
    with open(path) as handle:
        text = handle.read()
    start = "__BRYTHON__.aot.runMain('content_script');"
    assert text.count(start) == 1, "boot/content_run.js starts Python otherwise: update without_python"
    with open(path, "w") as handle:
        handle.write(text.replace(start, ""))


@pytest.fixture
def early_panel_browser(browser_name, run_dir, emulator):
    driver = launch_extension_browser(browser_name, run_dir, emulator, instrument=without_python)
    yield driver
    driver.quit()


EARLY_PANEL = "return performance.getEntriesByName('grccp-early-panel').length > 0"


def test_the_early_panels_stand_by_ccp_takes_no_focus_no_click_and_is_hidden_from_assistive_technology(
        early_panel_browser, emulator):
    driver = early_panel_browser
    configure(driver, extension_config(emulator))
    open_allowlisted(driver, emulator.crm_url(), present=lambda d: d.execute_script(EARLY_PANEL))
    wait_for(driver, lambda: shows_only(emulator, EAST))
    keyboard_and_pointer_reach_only(driver, emulator, EAST)
    assistive_technology_reads_only(driver, emulator, EAST)
