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
