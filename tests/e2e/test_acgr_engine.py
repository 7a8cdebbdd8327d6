"""ACGR end to end against the emulator, in Chromium and Firefox: what only ACGR has. (The scenarios both protocols
share — hard and soft failovers, three tabs on two sites, flapping, the background stopped mid-failover, hostile
page messages — run in both protocols in test_failover_engine, test_faults and test_engine_robustness.)

The emulated CCPs speak ACGR because the extension does (tests/emulator/README.md, "One CCP, two protocols"), and
record every ACGR message their host sent them (`acgr_events`)."""
import pytest

from .conftest import extension_config
from .extension_driver import (background_status, configure, host_state, logged, open_allowlisted, shows_only,
                               wait_for, wait_until_both_ccps_connected)
from .test_failover_engine import EAST, WEST, call_in_progress, open_ready, pending_status, ready_on
from .test_sign_in import sign_in_through
from .ui_pages import Popup

GR = "globalResiliency::"


def acgr_config(emulator, **overrides):
    return extension_config(emulator, protocol="acgr", **overrides)


def from_host(emulator, region, event):
    return [e for e in emulator.client.acgr_events(region, direction="from-host", event=event)]


def region_card(status, region):
    return next(entry for entry in status["regions"] if entry["key"] == region)


def test_handshake_announcements_heartbeat_relay_and_logs(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, acgr_config(emulator))
    open_ready(driver, emulator)
    wait_until_both_ccps_connected(driver)
    status = wait_for(driver, lambda: (lambda s: s if [r["announcement"] for r in s["regions"]] == ["ok", "ok"]
                                       else None)(background_status(driver)))
    assert [r["announcedRegion"] for r in status["regions"]] == [EAST, WEST] and status["regionProblems"] == []
    for region, state in ((EAST, "active"), (WEST, "inactive")):
        events = [e["event"] for e in emulator.client.acgr_events(region, direction="from-host")]
        assert events.index(GR + "validate_global_signin") < events.index("configure"), events
        assert from_host(emulator, region, GR + "configure_ccp_conduit")[-1]["data"] == {"instanceState": state}
        # the two CCPs hear each other's heartbeats through the extension's relay
        wait_for(driver, lambda: [e for e in emulator.client.acgr_events(region, direction="ccp", event="heartbeat")
                                  if e["data"]["state"] == "established"])
    assert from_host(emulator, EAST, "agent::fetch_agent_data_from_ccp")  # the first init's switch asked for it
    assert shows_only(emulator, EAST)
    # one log per region, with the extension's own lines
    wait_for(driver, lambda: logged(driver, WEST, "announced region us-west-2"))


@pytest.mark.parametrize("contact_type", ["chat"])
def test_soft_failover_over_a_chat_shows_its_contact_and_phases(ccp_browser, emulator, contact_type):
    driver = ccp_browser
    configure(driver, acgr_config(emulator))
    open_ready(driver, emulator)
    contact = call_in_progress(driver, emulator, contact_type)
    with Popup(driver) as popup:
        emulator.client.set_active(WEST)
        state = popup.wait(lambda s: s["failover"]["phase"] == "pending")
        assert state["failover"]["headline"] == f"Failover to {WEST} pending"
        assert state["failover"]["detail"].startswith(f"Waiting for chat contact {contact} to end, since ")
        assert state["switchNow"]["offered"] and not state["switchNow"]["confirming"]
        driver.switch_to.window(popup.previous)                 # the page (the popup focuses itself again)
        assert host_state(driver)["state"] == "pending" and shows_only(emulator, EAST)
        assert from_host(emulator, WEST, GR + "failover_pending")  # relayed to the region taking over
        emulator.client.hang_up(EAST, contact)
        emulator.client.clear(EAST, contact)
        state = popup.wait(lambda s: s["failover"]["phase"] == "none" and s["timeline"])
        assert state["timeline"][0]["route"] == f"{EAST} → {WEST}"
        assert "pending → initiated" in state["timeline"][0]["latency"]
        assert "initiated → complete" in state["timeline"][0]["latency"]
    wait_for(driver, lambda: ready_on(driver, WEST) and shows_only(emulator, WEST))
    entry = background_status(driver)["timeline"][0]
    assert (entry["contactId"], entry["contactType"]) == (contact, "chat")
    assert entry["detectedMs"] <= entry["pendingMs"] <= entry["initiatedMs"] <= entry["completeMs"]
    for region in (EAST, WEST):  # each CCP was told once, after the new region's first snapshot
        completes = from_host(emulator, region, GR + "failover_complete")
        assert [c["data"]["activeRegion"] for c in completes] == [WEST], region


def test_switch_now_asks_first_names_the_contact_and_ends_the_pending_failover(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, acgr_config(emulator))
    open_ready(driver, emulator)
    contact = call_in_progress(driver, emulator, "voice")
    with Popup(driver) as popup:
        emulator.client.set_active(WEST)
        popup.wait(lambda s: s["switchNow"]["offered"])
        heights = {popup.state()["height"]}
        driver.find_element("id", "switch-now").click()
        state = popup.wait(lambda s: s["switchNow"]["confirming"])
        assert state["switchNow"]["question"] == (
            f"Switch to {WEST} now? The voice contact {contact} in {EAST} will be cut off.")
        heights.add(state["height"])
        driver.find_element("id", "switch-now-no").click()              # changed their mind: nothing sent
        popup.wait(lambda s: not s["switchNow"]["confirming"] and s["switchNow"]["offered"])
        assert not from_host(emulator, EAST, GR + "force_failover")
        driver.find_element("id", "switch-now").click()
        popup.wait(lambda s: s["switchNow"]["confirming"])
        driver.find_element("id", "switch-now-yes").click()
        state = popup.wait(lambda s: s["failover"]["phase"] == "none" and s["timeline"], timeout=30)
        assert state["timeline"][0]["route"] == f"{EAST} → {WEST} (Switch now, from the popup)"
        heights.add(state["height"])
        assert len(heights) == 1, heights
    assert [len(from_host(emulator, region, GR + "force_failover")) for region in (EAST, WEST)] == [1, 1]
    wait_for(driver, lambda: ready_on(driver, WEST) and shows_only(emulator, WEST))
    entry = background_status(driver)["timeline"][0]
    assert (entry["forcedBy"], entry["contactId"]) == ("popup", contact)
    assert entry["pendingMs"] <= entry["forcedMs"] <= entry["completeMs"]
    # the call was cut off, as the question said (the CCP ends it, then removes it)
    wait_for(driver, lambda: emulator.client.contacts(EAST) == [], timeout=10)


@pytest.mark.parametrize("signin, error_type", [("missing", "LILY_AGENT_CONFIG_MISSING"),
                                                ("parse_error", "LILY_AGENT_CONFIG_PARSE_ERROR")])
def test_an_invalid_global_sign_in_is_named_and_one_sign_in_recovers_it(ccp_browser, emulator, signin, error_type):
    driver = ccp_browser
    emulator.client.set_global_signin(EAST, signin)
    configure(driver, acgr_config(emulator))
    page_url = emulator.crm_url()
    open_allowlisted(driver, page_url)
    page = driver.current_window_handle
    problem = f"global sign-in invalid ({error_type})"
    # (between the frame's reloads for the sign-in the CCP is loading again: wait for the answer itself)
    wait_for(driver, lambda: problem in (region_card(background_status(driver), EAST)["healthDetail"] or ""))
    with Popup(driver) as popup:
        state = popup.wait(lambda s: problem in s["regions"][0]["signedInText"])
        assert state["regions"][0]["signedIn"] == "no"
    wait_for(driver, lambda: len(driver.window_handles) == 2, timeout=30)   # one sign-in window
    wait_for(driver, lambda: problem in (host_state(driver) or {}).get("status", ""))  # the panel names it too
    driver.switch_to.window(next(h for h in driver.window_handles if h != page))
    wait_for(driver, lambda: driver.find_elements("id", "sign-in"))
    driver.find_element("id", "sign-in").click()                          # the global sign-in
    driver.switch_to.window(page)
    wait_for(driver, lambda: ready_on(driver, EAST), timeout=45)
    wait_for(driver, lambda: region_card(background_status(driver), EAST)["health"] == "ready")


def test_a_ccp_that_does_not_answer_the_sign_in_check_is_taken_as_valid(ccp_browser, emulator):
    driver = ccp_browser
    emulator.client.set_global_signin(WEST, "no_answer")
    configure(driver, acgr_config(emulator))
    open_ready(driver, emulator)
    wait_until_both_ccps_connected(driver)
    # the line is written before the handshake, but reaches the region's log through the batched log relay
    wait_for(driver, lambda: logged(driver, WEST, "did not answer the sign-in check in time: assumed valid"))


def test_the_stand_by_signed_out_is_named_while_the_active_region_works(ccp_browser, emulator):
    """The stand-by's invalid global sign-in opens no window (the active region drives the sign-in window) and is
    named in the popup, which offers its sign-in."""
    driver = ccp_browser
    emulator.client.set_global_signin(WEST, "missing")
    configure(driver, acgr_config(emulator))
    open_allowlisted(driver, emulator.crm_url())  # (a regionally signed-in CCP does not join its worker)
    wait_for(driver, lambda: ready_on(driver, EAST))
    page = driver.current_window_handle
    status = wait_for(driver, lambda: (lambda s: s if region_card(s, WEST)["health"] == "signed_out" else None)(
        background_status(driver)))
    assert "LILY_AGENT_CONFIG_MISSING" in region_card(status, WEST)["healthDetail"]
    assert region_card(status, EAST)["health"] == "ready" and ready_on(driver, EAST)
    assert driver.window_handles == [page]
    with Popup(driver) as popup:
        popup.wait(lambda s: s["regions"][1]["signInAction"] == f"Sign in to {WEST}")
        known = set(driver.window_handles)
        driver.find_element("css selector", "#region-1 .sign-in-action").click()
        wait_for(driver, lambda: len(set(driver.window_handles) - known) == 1, message="no sign-in window opened")
        sign_in_through(driver, (set(driver.window_handles) - known).pop())
    driver.switch_to.window(page)
    wait_for(driver, lambda: region_card(background_status(driver), WEST)["health"] == "ready", timeout=45)
    assert ready_on(driver, EAST)


@pytest.mark.parametrize("silent", [WEST, EAST])
def test_a_ccp_that_never_announces_its_region_leaves_the_primary_shown_and_is_named(ccp_browser, emulator,
                                                                                    silent):
    """A CCP whose worker never learns the active region (its active-region poll fails) never sends init, while it
    otherwise works: it acknowledges, answers the sign-in check and relays logs."""
    driver = ccp_browser
    emulator.client.impair(silent, active_region_status=503)
    configure(driver, acgr_config(emulator))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: ready_on(driver, EAST))
    with Popup(driver) as popup:
        index = [EAST, WEST].index(silent)
        state = popup.wait(lambda s: s["regions"][index]["announcement"] == "missing", timeout=30)
        assert state["regions"][index]["announcementText"] == "Has not announced its region"
        assert any(line.startswith(f"regions/{index}/ccpUrl: ") and "has not announced its region" in line
                   for line in state["problems"]), state["problems"]
        assert state["regions"][1 - index]["announcement"] == "ok"
    assert ready_on(driver, EAST) and shows_only(emulator, EAST)


@pytest.mark.parametrize("browser_name", ["chromium"])
def test_a_region_name_the_ccp_contradicts_is_a_configuration_problem_naming_the_field(ccp_browser, emulator):
    driver = ccp_browser
    config = acgr_config(emulator)
    config["regions"][1]["region"] = "us-west-1"  # the CCP at this URL is in us-west-2
    configure(driver, config)
    open_ready(driver, emulator)
    with Popup(driver) as popup:
        state = popup.wait(lambda s: s["problems"])
        assert state["problems"] == [f'regions/1/region: the CCP at {emulator.ccp_url(WEST)} announces region '
                                     f'"us-west-2", not "us-west-1"']
        assert state["regions"][1]["announcementText"] == "Announces us-west-2, configured us-west-1"
    emulator.client.set_active(WEST)                           # the engine works all the same
    wait_for(driver, lambda: ready_on(driver, "us-west-1"))
    assert background_status(driver)["activeRegion"] == "us-west-1"


def test_hostile_acgr_messages_from_a_ccp_are_dropped_or_ignored(ccp_browser, emulator):
    """Malformed ACGR messages from the real CCP frame are dropped and logged; well-formed ones that name no
    region of ours, or come from the stand-by where only the active one counts, change nothing."""
    driver = ccp_browser
    configure(driver, acgr_config(emulator))
    open_ready(driver, emulator)
    wait_until_both_ccps_connected(driver)
    emulator.client.post_raw(WEST, [
        {"event": GR + "init", "data": {"instanceRegion": "us-west-2"}},
        {"event": GR + "failover_detected", "data": "us-west-2"},
        {"event": GR + "failover_initiated", "data": [1]},
        {"event": GR + "failover_initiated", "data": {"activeRegion": "eu-west-9"}},
        {"event": GR + "failover_pending", "data": {"activeRegion": "us-west-2"}},   # from the stand-by
        {"event": GR + "global_signin_invalid", "data": {"errorType": "LILY_AGENT_CONFIG_MISSING"}},  # unasked
    ])
    dropped = wait_for(driver, lambda: (lambda found: found if len(found) >= 3 else None)(
        logged(driver, WEST, "dropped a malformed message from the us-west-2 CCP")))
    assert len(dropped) >= 3
    status = background_status(driver)
    assert ready_on(driver, EAST) and status["activeRegion"] == EAST and status["failover"] is None
    assert status["timeline"] == [] and region_card(status, WEST)["health"] == "ready"
