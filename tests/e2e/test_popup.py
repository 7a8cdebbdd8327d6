"""The popup end to end in Chromium and Firefox: every state the engine can be in, driven on the emulator (not
configured, configuration refused, no CCP open, loading, answering, not answering, signed out, failover pending on
a voice call, failover done with its latencies), with the same size in every state, usable from the keyboard, in
light and dark themes. (The short "detected" phase of a failover is covered by the core's unit tests: the
emulator cannot hold a failover between its first sign and the switch.)"""
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from .conftest import extension_config
from .extension_driver import configure, host_state, open_allowlisted, wait_for
from .ui_pages import Popup

EAST, WEST = "us-east-1", "us-west-2"


def open_crm(driver, emulator, state="ready"):
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: (host_state(driver) or {}).get("state") == state)


def region_is(state, index, **expected):
    region = state["regions"][index]
    return state["view"] == "status" and all(region[name] == value for name, value in expected.items())


def test_not_configured_offers_the_options_page(ccp_browser, emulator):
    driver = ccp_browser
    with Popup(driver) as popup:
        state = popup.wait(lambda s: s["view"] == "setup")
        assert state["summary"] == "Not configured" and state["tone"] == "idle"
        assert state["setup"]["headline"].startswith("Not configured yet") and state["setup"]["errors"] == []
        assert state["download"]["disabled"] is True
        driver.find_element("id", "open-options-setup").click()
        # (Chromium's WebDriver does not list a tab an extension opened: ask the browser's tabs instead)
        wait_for(driver, lambda: any(url.endswith("/options.html") for url in driver.execute_async_script(
            "const done = arguments[0]; chrome.tabs.query({}, (tabs) => done(tabs.map((tab) => tab.url || '')));")))


def test_refused_configuration_lists_its_problems(ccp_browser, emulator):
    driver = ccp_browser
    config = extension_config(emulator)
    config["regions"][1]["instanceArn"] = config["regions"][0]["instanceArn"]
    configure(driver, config)
    with Popup(driver) as popup:
        state = popup.wait(lambda s: s["view"] == "setup" and s["setup"]["errors"])
        assert state["summary"] == "Configuration refused" and state["tone"] == "trouble"
        assert state["setup"]["headline"].startswith("The stored configuration was refused")
        assert any(line.startswith("regions/1/instanceArn: ") for line in state["setup"]["errors"])


def test_configured_without_an_open_page(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    with Popup(driver) as popup:
        state = popup.wait(lambda s: s["view"] == "status")
        assert [(r["key"], r["role"], r["health"], r["healthText"]) for r in state["regions"]] == [
            (EAST, "active", "none", "No CCP open"), (WEST, "standby", "none", "No CCP open")]
        assert state["summary"] == f"{EAST} active" and state["tone"] == "idle"
        assert state["failover"] == {"phase": "none", "headline": "No failover in progress", "detail": ""}
        assert state["timeline"] == [] and state["download"]["disabled"] is False


def test_normal_state_then_a_pending_failover_then_done(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_crm(driver, emulator)
    popup = Popup(driver)
    state = popup.wait(lambda s: region_is(s, 0, health="ready", signedIn="yes", agent="Available")
                       and region_is(s, 1, health="ready", agent="Offline"))
    assert state["summary"] == f"{EAST} active" and state["tone"] == "ok"
    assert [r["roleText"] for r in state["regions"]] == ["Active", "Stand-by"]
    assert state["regions"][0]["healthText"].startswith("Answering")
    assert state["failover"]["phase"] == "none"
    heights = {state["height"]}

    contact = emulator.client.route_contact(EAST, "voice")
    emulator.client.accept(EAST, contact)
    popup.wait(lambda s: "voice call" in s["regions"][0]["agent"])
    emulator.client.set_active(WEST)
    state = popup.wait(lambda s: s["failover"]["phase"] == "pending")
    assert state["failover"]["headline"] == f"Failover to {WEST} pending"
    assert state["failover"]["detail"].startswith(f"Waiting for voice contact {contact} to end, since ")
    assert state["summary"] == "Failover pending" and state["tone"] == "pending"
    heights.add(state["height"])

    emulator.client.hang_up(EAST, contact)
    emulator.client.clear(EAST, contact)
    state = popup.wait(lambda s: s["failover"]["phase"] == "none" and s["timeline"])
    assert [(r["key"], r["role"]) for r in state["regions"]] == [(EAST, "standby"), (WEST, "active")]
    assert state["summary"] == f"{WEST} active"
    assert state["timeline"][0]["route"] == f"{EAST} → {WEST}"
    assert state["timeline"][0]["latency"].startswith("switched in ") and " after the call" in \
        state["timeline"][0]["latency"]
    heights.add(state["height"])
    assert len(heights) == 1, heights  # no layout shift
    popup.close()


def test_not_answering_region(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_crm(driver, emulator)
    with Popup(driver) as popup:
        first = popup.wait(lambda s: region_is(s, 1, health="ready"))
        emulator.client.impair(WEST, no_ack=True)
        state = popup.wait(lambda s: region_is(s, 1, health="not_answering"))
        assert state["regions"][1]["healthText"].startswith("Not answering")
        assert state["regions"][0]["health"] == "ready" and state["tone"] == "ok"  # the active region is fine
        emulator.client.impair(EAST, no_ack=True)
        state = popup.wait(lambda s: region_is(s, 0, health="not_answering"))
        assert state["tone"] == "trouble"
        assert state["height"] == first["height"]


def test_signed_out_and_loading(ccp_browser, emulator):
    driver = ccp_browser
    # a long load timeout keeps each state long enough to be seen; no sign-in window in this test
    configure(driver, extension_config(emulator, loginPopup=False,
                                       timeouts={"ccpAckTimeout": 1000, "ccpSynTimeout": 500,
                                                 "ccpLoadTimeout": 60000}))
    emulator.client.impair(WEST, ccp_page="hang")
    open_crm(driver, emulator, state="ready")
    with Popup(driver) as popup:
        state = popup.wait(lambda s: region_is(s, 0, health="ready") and region_is(s, 1, health="loading"))
        assert state["regions"][1]["signedIn"] == "unknown" and state["regions"][1]["healthText"].startswith("Loading")
        emulator.client.expire_session(EAST)
        state = popup.wait(lambda s: region_is(s, 0, health="signed_out", signedIn="no"))
        assert state["regions"][0]["signedInText"] == "Sign-in needed: the CCP reported that the sign-in expired"
        assert state["tone"] == "trouble"


def test_keyboard_reaches_and_uses_the_buttons(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    with Popup(driver) as popup:
        popup.wait(lambda s: s["view"] == "status" and not s["download"]["disabled"])
        focused = []
        for _ in range(2):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            focused.append(driver.switch_to.active_element.get_attribute("id"))
        assert focused == ["download-logs", "open-options"], focused
        ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        assert driver.switch_to.active_element.get_attribute("id") == "download-logs"
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        state = popup.wait(lambda s: s["download"]["state"] == "done")
        assert state["download"]["text"] == f"Saved {EAST}-agent-log.txt, {WEST}-agent-log.txt"


def set_dark(driver, dark):
    if driver.browser_name == "chromium":
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})
    else:
        with driver.context(driver.CONTEXT_CHROME):
            driver.execute_script("Services.prefs.setIntPref('layout.css.prefers-color-scheme.content-override',"
                                  " arguments[0])", 0 if dark else 1)


BACKGROUND = "return getComputedStyle(document.body).backgroundColor"


def test_light_and_dark_themes(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    with Popup(driver) as popup:
        popup.wait(lambda s: s["view"] == "status")
        set_dark(driver, False)
        wait_for(driver, lambda: driver.execute_script(BACKGROUND) == "rgb(255, 255, 255)")
        light_height = popup.state()["height"]
        set_dark(driver, True)
        wait_for(driver, lambda: driver.execute_script(BACKGROUND) == "rgb(22, 25, 31)")
        assert driver.execute_script("return getComputedStyle(document.querySelector('#summary')).color") != \
            "rgb(22, 25, 31)"
        assert popup.state()["height"] == light_height
        set_dark(driver, False)


@pytest.mark.parametrize("browser_name", ["chromium"])
def test_popup_page_has_no_console_errors(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    with Popup(driver) as popup:
        popup.wait(lambda s: s["view"] == "status")
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []

