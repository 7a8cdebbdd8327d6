"""Switch now from the popup during a pending failover, in both protocols and both browsers: the agent confirms a
question naming the contact that will be cut off, every tab (a second one on another site too) ends on the new
region, and the contact is cut off. (ACGR's own wire details — force_failover to both CCPs, cancelling first — are in test_acgr_engine.)"""
from .conftest import extension_config
from .extension_driver import background_status, configure, host_state, shows_only_on, wait_for
from .test_failover_engine import EAST, WEST, open_ready, pending_on_call
from .ui_pages import Popup


def test_switch_now_during_a_pending_failover_moves_every_tab(ccp_browser, emulator, protocol):
    driver = ccp_browser
    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    tabs = [(driver.current_window_handle, emulator.crm_url())]
    driver.switch_to.new_window("tab")
    open_ready(driver, emulator, EAST, site=1)
    tabs.append((driver.current_window_handle, emulator.crm_url(site=1)))
    contact, _ = pending_on_call(driver, emulator)
    with Popup(driver) as popup:
        popup.wait(lambda s: s["switchNow"]["offered"])
        driver.find_element("id", "switch-now").click()
        state = popup.wait(lambda s: s["switchNow"]["confirming"])
        assert state["switchNow"]["question"] == (
            f"Switch to {WEST} now? The voice contact {contact} in {EAST} will be cut off.")
        driver.find_element("id", "switch-now-yes").click()
        state = popup.wait(lambda s: s["failover"]["phase"] == "none" and s["timeline"], timeout=30)
        assert state["timeline"][0]["route"] == f"{EAST} → {WEST} (Switch now, from the popup)"
    for handle, page in tabs:
        driver.switch_to.window(handle)  # a hidden tab lays its frames out (and they report) once shown
        wait_for(driver, lambda: host_state(driver)["active"] == WEST)
        wait_for(driver, lambda: shows_only_on(emulator, WEST, page))
    status = background_status(driver)
    assert status["activeRegion"] == WEST and len(status["timeline"]) == 1
    entry = status["timeline"][0]
    assert (entry["forcedBy"], entry["contactId"]) == ("popup", contact)
    assert entry["pendingMs"] <= entry["forcedMs"] <= entry["completeMs"]
    # as the question said: the old region's CCP ended the call (ACGR's then removes it; legacy DR's leaves it in
    # after-call work)
    wait_for(driver, lambda: all(c["state"]["type"] == "ended" for c in emulator.client.contacts(EAST)))
