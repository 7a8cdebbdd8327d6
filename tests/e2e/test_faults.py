"""Faults driven through the emulator's control API, in Chromium and Firefox: a CCP that stops answering, an
active-region endpoint that fails, flapping, a tab closed while a failover is pending, a sign-in that expires in
one region (test_sign_in), and a background that is stopped again and again in the middle of a failover."""
import pytest

from .conftest import extension_config, launch_extension_browser
from .extension_driver import (background_status, configure, host_state, logged, open_allowlisted,
                               service_worker_target, shows_only, stop_service_worker, wait_for,
                               wait_until_both_ccps_connected)
from .test_failover_engine import (EAST, WEST, call_in_progress, open_ready, pending_on_call, pending_status,
                                   ready_on)

TROUBLE = "#c53030"


def region_health(driver, region):
    return next(r["health"] for r in background_status(driver)["regions"] if r["key"] == region)


def test_active_ccp_stops_answering_then_recovers_without_a_switch(ccp_browser, emulator):
    driver = ccp_browser
    config = extension_config(emulator)
    configure(driver, config)
    open_ready(driver, emulator)
    emulator.client.impair(EAST, no_ack=True)
    timeouts = config["timeouts"]
    limit_s = (timeouts["ccpAckTimeout"] + timeouts["ccpSynTimeout"]) / 1000 + 2  # + message and poll slack
    wait_for(driver, lambda: host_state(driver)["state"] == "not-answering", timeout=limit_s)
    status = background_status(driver)
    assert status["regions"][0]["health"] == "not_answering" and status["badge"]["color"] == TROUBLE
    emulator.client.clear_impairments(EAST)
    wait_for(driver, lambda: ready_on(driver, EAST))
    wait_for(driver, lambda: region_health(driver, EAST) == "ready")
    status = background_status(driver)
    assert status["activeRegion"] == EAST and status["timeline"] == [] and shows_only(emulator, EAST)


def polls_with_status(emulator, region, status_code):
    return [p for p in emulator.client.region_state(region)["active_region_polls"] if p["status"] == status_code]


def test_failing_active_region_endpoint_never_switches_and_recovers(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    for region in (EAST, WEST):
        emulator.client.impair(region, active_region_status=503)
    emulator.client.set_active(WEST)
    # several failed polls in both regions, and still no switch
    wait_for(driver, lambda: len(polls_with_status(emulator, EAST, 503)) >= 3
             and len(polls_with_status(emulator, WEST, 503)) >= 3)
    assert ready_on(driver, EAST) and background_status(driver)["timeline"] == []
    emulator.client.clear_impairments()
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    wait_for(driver, lambda: shows_only(emulator, WEST))


def consistent_timeline(status):
    timeline = list(reversed(status["timeline"]))  # oldest first
    return all(a["to"] == b["from"] for a, b in zip(timeline, timeline[1:])) and \
        all(e["from"] != e["to"] for e in timeline)


@pytest.mark.stress
def test_flapping_without_a_contact_ends_in_one_final_state(ccp_browser, emulator, protocol):
    driver = ccp_browser
    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    emulator.client.set_active(EAST)
    emulator.client.set_active(WEST)
    emulator.client.set_active(EAST)
    wait_for(driver, lambda: host_state(driver)["active"] == EAST)
    wait_for(driver, lambda: shows_only(emulator, EAST))
    status = wait_for(driver, lambda: (lambda s: s if s["activeRegion"] == EAST else None)(background_status(driver)))
    assert status["failover"] is None and consistent_timeline(status)
    assert status["timeline"][0]["to"] == EAST


@pytest.mark.stress
def test_flapping_while_a_call_is_pending_leaves_no_pending_behind(ccp_browser, emulator, protocol):
    driver = ccp_browser
    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    contact, _ = pending_on_call(driver, emulator)
    emulator.client.set_active(EAST)  # flips back while the call goes on: the reference cannot cancel
    if protocol == "acgr":  # the CCPs can: the failover turns back once they see it (then no switch at all)
        wait_for(driver, lambda: background_status(driver)["failover"] is None)
    emulator.client.hang_up(EAST, contact)
    emulator.client.clear(EAST, contact)
    # legacy DR switches there and back
    wait_for(driver, lambda: (lambda s: s["failover"] is None and s["activeRegion"] == EAST and (
        bool(s["timeline"]) != (protocol == "acgr")))(background_status(driver)), timeout=30)
    wait_for(driver, lambda: ready_on(driver, EAST) and shows_only(emulator, EAST))
    assert consistent_timeline(background_status(driver))


def test_a_switch_back_within_one_round_trip_ends_on_the_last_region(ccp_browser, emulator):
    """A -> B -> A faster than the background answers the tab: its "complete A", made before it heard the
    background accept B, must not send the tab back to B (suppressing A and setting the agent Offline there)."""
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    wait_until_both_ccps_connected(driver)
    # the active region's worker says "B" and at once "A" again: the tab switches twice in one go
    emulator.client.post_raw(EAST, [
        {"event": "disasterRecovery::failover", "data": {"nextActiveArn": emulator.instance_arn(WEST)}},
        {"event": "disasterRecovery::failover", "data": {"nextActiveArn": emulator.instance_arn(EAST)}}])
    status = wait_for(driver, lambda: (lambda s: s if len(s["timeline"]) == 2 else None)(background_status(driver)))
    assert [(e["from"], e["to"]) for e in reversed(status["timeline"])] == [(EAST, WEST), (WEST, EAST)]
    assert status["activeRegion"] == EAST and status["failover"] is None
    wait_for(driver, lambda: ready_on(driver, EAST) and shows_only(emulator, EAST))
    # the background's answer to "complete B" has reached the tab by now: one more report, and it is EAST's
    emulator.client.emit_logs(EAST, 1, text="after the flip")
    wait_for(driver, lambda: logged(driver, EAST, "after the flip"))
    assert background_status(driver)["activeRegion"] == EAST and ready_on(driver, EAST)
    assert emulator.client.agent_state(EAST) == "Available"
    assert [call for call in emulator.client.region_state(EAST)["api_calls"] if call["method"] == "putAgentState"] == []


def test_tab_closed_while_pending_the_failover_still_completes(ccp_browser, emulator):
    """The failover master CCP (the first tab's) goes away with its tab, taking with it the reference's only
    trigger for finishing the switch; the background finishes it when the contact is gone."""
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    first = driver.current_window_handle
    driver.switch_to.new_window("tab")
    open_ready(driver, emulator, EAST, site=1)
    second = driver.current_window_handle
    contact, _ = pending_on_call(driver, emulator)
    driver.switch_to.window(first)
    driver.close()
    driver.switch_to.window(second)
    wait_for(driver, lambda: background_status(driver)["openTabs"] == 1)
    emulator.client.hang_up(EAST, contact)
    emulator.client.clear(EAST, contact)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST, timeout=30)
    wait_for(driver, lambda: shows_only(emulator, WEST))
    status = background_status(driver)
    assert status["failover"] is None and [(e["from"], e["to"]) for e in status["timeline"]] == [(EAST, WEST)]


@pytest.fixture
def restless_browser(browser_name, run_dir, emulator):
    """Firefox unloads an idle event page after `extensions.background.idle.timeout`; 1 s makes it come and go
    all the time. (Chromium's worker is stopped explicitly with CDP in the test.)"""
    prefs = {"extensions.background.idle.timeout": 1000} if browser_name == "firefox" else None
    driver = launch_extension_browser(browser_name, run_dir, emulator, prefs=prefs)
    yield driver
    driver.quit()


@pytest.mark.stress
def test_background_stopped_repeatedly_during_a_failover(restless_browser, emulator, protocol):
    driver = restless_browser

    def restart_background():
        if driver.browser_name == "chromium":
            stopped = stop_service_worker(driver)
            wait_for(driver, lambda: service_worker_target(driver) != stopped)
        background_status(driver)  # wakes it; its state comes back from session storage

    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    contact = call_in_progress(driver, emulator)
    restart_background()
    emulator.client.set_active(WEST)
    detected = wait_for(driver, lambda: pending_status(driver))["failover"]
    for _ in range(3):
        restart_background()
        assert pending_status(driver)["failover"]["detectedMs"] == detected["detectedMs"]
    emulator.client.hang_up(EAST, contact)
    restart_background()
    emulator.client.clear(EAST, contact)
    restart_background()
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    status = wait_for(driver, lambda: (lambda s: s if s["activeRegion"] == WEST else None)(background_status(driver)))
    assert status["failover"] is None
    assert [(e["from"], e["to"], e["contactId"]) for e in status["timeline"]] == [(EAST, WEST, contact)]
    assert status["timeline"][0]["detectedMs"] == detected["detectedMs"]


def test_active_region_already_impaired_at_load_needs_no_page_refresh(ccp_browser, emulator):
    """The reference's documented caveat: with the displayed region down at page load, the agent had to refresh
    the page. Here the healthy region's CCP takes over, and the impaired frame is reloaded with backoff."""
    driver = ccp_browser
    emulator.client.impair(EAST, ccp_page="error")
    emulator.client.set_active(WEST)
    configure(driver, extension_config(emulator))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: ready_on(driver, WEST), timeout=30)
    wait_for(driver, lambda: shows_only(emulator, WEST))
    wait_for(driver, lambda: region_health(driver, EAST) == "not_answering")
    loads_before = len(emulator.client.region_state(EAST)["ccp_page_loads"])
    emulator.client.clear_impairments(EAST)
    wait_for(driver, lambda: region_health(driver, EAST) == "ready", timeout=45)  # a later reload succeeds
    assert len(emulator.client.region_state(EAST)["ccp_page_loads"]) > loads_before
    assert ready_on(driver, WEST) and shows_only(emulator, WEST)
