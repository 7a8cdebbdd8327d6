"""Where the panel goes: docked by default, or inside the element a CSS selector names; a selector that matches
nothing or is not valid (markup included) leaves the page alone instead of throwing."""
from .conftest import extension_config
from .extension_driver import configure, host_state, open_allowlisted, settle, wait_for

PLACED = ("const h = document.getElementById('grccp-ccp-host');"
          "return h && [h.parentElement.id, getComputedStyle(h).position, h.offsetWidth, h.offsetHeight];")


def test_docked_panel_is_at_least_320_by_460(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator, placement={"mode": "docked", "width": 320, "height": 460}))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: host_state(driver)["state"] == "ready")
    parent, position, width, height = driver.execute_script(PLACED)
    assert position == "fixed" and width >= 320 and height >= 460


def test_panel_inside_the_configured_element(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator, placement={"mode": "selector", "selector": "#ccp-slot"}))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: host_state(driver)["state"] == "ready")
    parent, position, width, height = driver.execute_script(PLACED)
    assert parent == "ccp-slot" and position != "fixed" and width >= 320 and height >= 460


def test_selector_that_matches_nothing_or_is_invalid_leaves_the_page_alone(ccp_browser, emulator):
    driver = ccp_browser
    for selector in ("#no-such-slot", "div[<img src=x onerror=alert(1)>"):
        configure(driver, extension_config(emulator, placement={"mode": "selector", "selector": selector}))
        # the content script ran (its tripwire marks the page) but placed nothing and broke nothing
        wait_for(driver, lambda: (driver.get(emulator.crm_url()) or True) and driver.execute_script(
            "return document.documentElement.hasAttribute('data-grccp-tripwire')"))
        settle(driver)
        assert host_state(driver) is None
        assert driver.find_element("id", "crm-title").text == "Acme CRM"
        assert driver.execute_script("return document.querySelectorAll('img').length") == 0


# When the early start made the panel (its frames), and when the page's slow script, which holds the parser before
# the container, came: [made, came] in ms since navigation start, or null while either is missing
MADE_AND_PARSER_RELEASED = (
    "const made = performance.getEntriesByName('grccp-early-panel')[0];"
    "const slow = performance.getEntriesByType('resource').find((r) => r.name.includes('/slow-script.js'));"
    "return made && slow ? [made.startTime, slow.responseEnd] : null;")


def ccp_page_loads(emulator):
    return {region: len(emulator.client.region_state(region)["ccp_page_loads"]) for region in emulator.regions}


def test_the_ccps_load_while_the_page_is_parsed_and_move_into_their_container_without_loading_again(
        ccp_browser, browser_name, emulator):
    """In Chromium the panel is made before its container is parsed and moved into it (Element.moveBefore keeps
    its frames loaded); Firefox would load them again, so there it waits for the container (boot/early_start.js)."""
    driver = ccp_browser
    configure(driver, extension_config(emulator, placement={"mode": "selector", "selector": "#ccp-slot"}))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: host_state(driver)["state"] == "ready")
    loads = ccp_page_loads(emulator)
    driver.get(emulator.crm_url("/late-slot.html"))
    wait_for(driver, lambda: (host_state(driver) or {}).get("state") == "ready")
    made, parser_released = driver.execute_script(MADE_AND_PARSER_RELEASED)
    if browser_name == "chromium":
        assert made < parser_released, "the frames were made only once the container was parsed"
    else:
        assert made >= parser_released, "Firefox loads a moved shadow tree's frames again: see boot/early_start.js"
    assert ccp_page_loads(emulator) == {region: count + 1 for region, count in loads.items()}
    parent, position, width, height = driver.execute_script(PLACED)
    assert parent == "ccp-slot" and position != "fixed" and width >= 320 and height >= 460


def test_frames_made_before_the_page_is_parsed_leave_it_when_their_container_never_comes(
        ccp_browser, browser_name, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator, placement={"mode": "selector", "selector": "#no-such-slot"}))
    # Chromium made the panel early (it is allowlisted; the container was not parsed yet); Firefox made none
    made = "return performance.getEntriesByName('grccp-early-panel').length > 0"
    if browser_name != "chromium":
        made = "return document.documentElement.hasAttribute('data-grccp-tripwire')"  # the content script ran
    wait_for(driver, lambda: (driver.get(emulator.crm_url("/late-slot.html")) or True) and driver.execute_script(made))
    settle(driver)
    assert host_state(driver) is None
    # nothing of the panel is left: the document element holds the page's head and body only
    assert driver.execute_script("return Array.from(document.documentElement.children, (e) => e.localName)") == [
        "head", "body"]
