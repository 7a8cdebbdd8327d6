"""The administrator's manual failover (outage.manualFailover, legacy DR), in both browsers: with the option on the
popup offers "Fail over to <the stand-by region>" while nothing is pending; confirmed (the question names the call
that will be cut off) it switches every tab, on two sites, and the old region's CCP ends the call; asking for the
region already active is a no-op with a message; the CCPs' next poll, when the traffic distribution group still
names the old region, switches back and the popup says why; with the option off nothing is offered."""
from .conftest import extension_config
from .extension_driver import (ask_background, background_status, configure, host_state, shows_only_on,
                               wait_for)
from .test_failover_engine import EAST, WEST, call_in_progress, open_ready
from .ui_pages import Popup

MANUAL = {"outage": {"manualFailover": True}}


def manual_failover(driver, region):
    """The popup's request, sent from an extension page: the background's answer."""
    return ask_background(driver, {"type": "popup:manual-failover", "region": region})


def polls(emulator, region):
    return len(emulator.client.region_state(region)["active_region_polls"])


def test_manual_failover_from_the_popup_moves_every_tab(ccp_browser, emulator):
    """The traffic distribution group already names WEST, but EAST's CCPs cannot reach their backend to hear it
    (their polls fail): the case the administrator's manual failover is for. It holds at WEST's next poll."""
    driver = ccp_browser
    configure(driver, extension_config(emulator, **MANUAL))
    open_ready(driver, emulator)
    tabs = [(driver.current_window_handle, emulator.crm_url())]
    driver.switch_to.new_window("tab")
    open_ready(driver, emulator, EAST, site=1)
    tabs.append((driver.current_window_handle, emulator.crm_url(site=1)))
    contact = call_in_progress(driver, emulator)
    emulator.client.impair(EAST, active_region_status=503)
    emulator.client.set_active(WEST)
    with Popup(driver) as popup:
        state = popup.wait(lambda s: s["switchNow"]["offered"])
        assert (state["switchNow"]["kind"], state["switchNow"]["label"]) == ("manual-failover", f"Fail over to {WEST}")
        assert state["failover"]["phase"] == "none"
        driver.find_element("id", "switch-now").click()
        state = popup.wait(lambda s: s["switchNow"]["confirming"])
        assert state["switchNow"]["question"] == (
            f"Switch to {WEST} now? The voice contact {contact} in {EAST} will be cut off. The CCPs switch back at "
            f"their next poll unless the traffic distribution group names {WEST}.")
        assert driver.find_element("id", "switch-now-yes").text == f"Fail over to {WEST}"
        driver.find_element("id", "switch-now-yes").click()
        state = popup.wait(lambda s: s["timeline"] and s["switchNow"]["status"].startswith("Failed"))
        assert state["switchNow"]["status"] == f"Failed over to {WEST}: every tab switched."
        assert state["timeline"][0]["route"] == f"{EAST} → {WEST} (manual failover, from the popup)"
        # the other way is offered now
        state = popup.wait(lambda s: s["switchNow"]["label"] == f"Fail over to {EAST}")
    for handle, page in tabs:
        driver.switch_to.window(handle)  # a hidden tab lays its frames out (and they report) once shown
        wait_for(driver, lambda: host_state(driver)["active"] == WEST)
        wait_for(driver, lambda: shows_only_on(emulator, WEST, page))
    # as the question said: the old region's CCP ended the call
    wait_for(driver, lambda: all(c["state"]["type"] == "ended" for c in emulator.client.contacts(EAST)))
    # the region already active: a no-op, with a message
    assert manual_failover(driver, WEST) == {
        "type": "bg:manual-failover-result", "switched": False, "message": f"{WEST} is already active: nothing to do"}
    # and an unknown one is refused
    assert manual_failover(driver, "eu-west-9")["message"] == "eu-west-9 is not a configured region"
    # WEST's worker polls again and finds itself active: the switch holds
    seen = polls(emulator, WEST)
    wait_for(driver, lambda: polls(emulator, WEST) >= seen + 2)
    status = background_status(driver)
    assert status["activeRegion"] == WEST and len(status["timeline"]) == 1
    entry = status["timeline"][0]
    assert (entry["forcedBy"], entry["pendingMs"], entry["soft"]) == ("popup", None, False)


def test_the_ccps_switch_back_at_their_next_poll_and_the_popup_says_why(ccp_browser, emulator):
    """The traffic distribution group still names EAST: WEST's worker fails back at its next poll (the reference's
    "the next poll may switch the UI back"); the timeline says it was the CCPs' poll, not a silent flip."""
    driver = ccp_browser
    configure(driver, extension_config(emulator, **MANUAL))
    open_ready(driver, emulator)
    assert manual_failover(driver, WEST)["switched"] is True

    def back():
        status = background_status(driver)
        return status["activeRegion"] == EAST and len(status["timeline"]) == 2 and status
    status = wait_for(driver, back)
    assert status["timeline"][0]["afterManual"] is True and status["timeline"][0]["forcedBy"] is None
    with Popup(driver) as popup:
        state = popup.wait(lambda s: len(s["timeline"]) == 2)
        assert [row["route"] for row in state["timeline"]] == [
            f"{WEST} → {EAST} (undone: the CCPs' poll names {EAST} active)",
            f"{EAST} → {WEST} (manual failover, from the popup)"]
    wait_for(driver, lambda: host_state(driver)["active"] == EAST)
    wait_for(driver, lambda: shows_only_on(emulator, EAST, emulator.crm_url()))


def test_with_the_option_off_nothing_is_offered_and_a_request_is_refused(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    with Popup(driver) as popup:
        state = popup.wait(lambda s: s["view"] == "status" and s["regions"][0]["health"] == "ready")
        assert not state["switchNow"]["offered"] and state["switchNow"]["kind"] is None
    assert manual_failover(driver, WEST) == {
        "type": "bg:manual-failover-result", "switched": False,
        "message": "manual failover is not enabled by the configuration (outage.manualFailover)"}
    assert background_status(driver)["activeRegion"] == EAST
