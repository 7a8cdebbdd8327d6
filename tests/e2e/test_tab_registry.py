"""The background's registry of tabs that run a CCP panel (issue #16 item 7), in Chromium and Firefox: a tab that
closes while the background is stopped (its closing is what wakes the background), and a tab that navigates away
from the allowlisted page, leave it; the popup and the badge then show no CCP."""
from .conftest import extension_config
from .extension_driver import background_status, configure, stop_background, wait_for
from .test_failover_engine import open_ready
from .ui_pages import Popup

IDLE = "#6b7280"


def no_ccp_anywhere(driver):
    status = background_status(driver)
    return (status["openTabs"] == 0 and [region["health"] for region in status["regions"]] == [None, None]
            and status["badge"]["color"] == IDLE)


def assert_popup_shows_no_ccp(driver):
    with Popup(driver) as popup:
        state = popup.wait(lambda s: s["view"] == "status")
        assert [region["health"] for region in state["regions"]] == ["none", "none"], state["regions"]


def test_a_tab_closed_while_the_background_is_stopped_leaves_the_registry(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    page = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(emulator.other_url())
    other = driver.current_window_handle
    assert background_status(driver)["openTabs"] == 1
    stop_background(driver)
    driver.switch_to.window(page)
    driver.close()  # tabs.onRemoved wakes the background, which is still loading its state when it arrives
    driver.switch_to.window(other)
    wait_for(driver, lambda: no_ccp_anywhere(driver), timeout=15,
             message="the closed tab is still in the background's registry")
    assert_popup_shows_no_ccp(driver)


def test_a_tab_that_navigates_away_leaves_the_registry(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    assert background_status(driver)["openTabs"] == 1
    driver.get(emulator.other_url())
    wait_for(driver, lambda: no_ccp_anywhere(driver), timeout=15,
             message="the tab that left the allowlisted page is still in the background's registry")
    assert_popup_shows_no_ccp(driver)
