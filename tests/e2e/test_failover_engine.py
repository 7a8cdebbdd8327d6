"""The failover engine end to end against the emulator, in Chromium and Firefox; the scenarios both Global
Resiliency protocols share run in each (the `protocol` fixture), what only ACGR has is in test_acgr_engine."""
import pytest

from .conftest import extension_config
from .extension_driver import (background_status, configure, host_state, open_allowlisted, shows_only,
                               shows_only_on, visible_ccps, wait_for, wait_until_both_workers_polled,
                               wait_until_contact_seen)

EAST, WEST = "us-east-1", "us-west-2"


def ready_on(driver, region):
    state = host_state(driver)
    return state is not None and state["state"] == "ready" and state["active"] == region


def test_initial_load_shows_active_region_and_suppresses_the_other(ccp_browser, emulator, protocol):
    driver = ccp_browser
    configure(driver, extension_config(emulator, protocol))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: ready_on(driver, EAST))
    wait_for(driver, lambda: shows_only(emulator, EAST))
    # the stand-by region's worker suppressed itself and set its agent Offline (the reference's bootstrap rule);
    # the active region's agent stays available
    wait_for(driver, lambda: emulator.client.agent_state(WEST) == "Offline")
    assert emulator.client.agent_state(EAST) == "Available"


def test_hard_failover_switches_the_visible_ccp(ccp_browser, emulator, protocol):
    driver = ccp_browser
    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    wait_for(driver, lambda: shows_only(emulator, WEST))
    status = wait_for(driver, lambda: (lambda s: s if s["activeRegion"] == WEST and s["timeline"] else None)(
        background_status(driver)))
    entry = status["timeline"][0]
    assert entry["from"] == EAST and entry["to"] == WEST
    if protocol == "acgr":  # detected -> initiated -> complete, each reported
        assert entry["detectedMs"] <= entry["initiatedMs"] <= entry["completeMs"] and entry["pendingMs"] is None
        return
    # the failover-detected report (held while the switch renders) reached the background before the switch's
    # own report: a switch reported without it has no `soft` flag
    assert entry["soft"] is not None and entry["detectedMs"] <= entry["completeMs"]


def test_a_first_sign_of_failover_with_no_switch_soon_after_is_still_reported(ccp_browser, emulator):
    """force_offline (the worker's first sign) with the failover seconds behind it: the failover-detected report,
    held for a moment in case the switch follows at once, reaches the background on its own."""
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    call_in_progress(driver, emulator)
    # a hard failover: the CCP ends the call first, and in a slow region that takes seconds; the failover that
    # switches the CCPs waits for it
    emulator.client.impair(EAST, latency_ms=4000)
    emulator.client.post_raw(EAST, [{"event": "disasterRecovery::force_offline",
                                     "data": {"nextActiveArn": emulator.instance_arn(WEST), "softFailover": False}}])

    def detected_before_the_switch():
        status = background_status(driver)
        return status["failover"] is not None and host_state(driver)["active"] == EAST and status
    status = wait_for(driver, detected_before_the_switch)
    assert status["failover"]["target"] == WEST and status["failover"]["soft"] is False
    assert status["activeRegion"] == EAST


def open_ready(driver, emulator, region=EAST, site=0):
    """Opens a CRM page and waits until `region` is shown and ready, and both workers know the active region."""
    open_allowlisted(driver, emulator.crm_url(site=site))
    wait_for(driver, lambda: ready_on(driver, region))
    wait_until_both_workers_polled(driver, emulator)


def test_switch_at_start_up_when_the_first_region_is_not_active(ccp_browser, emulator, protocol):
    driver = ccp_browser
    emulator.client.set_active(WEST)
    configure(driver, extension_config(emulator, protocol))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: ready_on(driver, WEST))
    wait_for(driver, lambda: shows_only(emulator, WEST))
    assert background_status(driver)["activeRegion"] == WEST


@pytest.mark.stress
def test_hard_failover_in_three_tabs_on_two_sites(ccp_browser, emulator, protocol):
    driver = ccp_browser
    configure(driver, extension_config(emulator, protocol))
    tabs = []
    for site in (0, 1, 0):
        if tabs:
            driver.switch_to.new_window("tab")
        open_ready(driver, emulator, EAST, site)
        tabs.append(driver.current_window_handle)
    wait_for(driver, lambda: shows_only(emulator, EAST, hosts=3))
    emulator.client.set_active(WEST)
    for shown, handle in enumerate(tabs, start=1):
        driver.switch_to.window(handle)  # a hidden tab lays its frames out (and they report) once shown
        wait_for(driver, lambda: host_state(driver)["active"] == WEST)
        wait_for(driver, lambda: [r for r, _ in visible_ccps(emulator)].count(WEST) >= shown)
    wait_for(driver, lambda: shows_only(emulator, WEST, hosts=3))
    status = background_status(driver)
    assert status["activeRegion"] == WEST and len(status["timeline"]) == 1 and status["openTabs"] == 3


def call_in_progress(driver, emulator, contact_type="voice"):
    """An accepted call on EAST that the extension has seen in the CCP's snapshot; returns its contact id."""
    contact = emulator.client.route_contact(EAST, contact_type)
    emulator.client.accept(EAST, contact)
    wait_until_contact_seen(driver, EAST, contact)
    return contact


def pending_on_call(driver, emulator, contact_type="voice"):
    """A soft failover EAST → WEST waiting for a call: (contact id, the background's status once pending)."""
    contact = call_in_progress(driver, emulator, contact_type)
    emulator.client.set_active(WEST)  # TerminateActiveContacts false: soft
    return contact, wait_for(driver, lambda: pending_status(driver))


def pending_status(driver):
    status = background_status(driver)
    failover = status["failover"]
    return status if failover and failover["phase"] == "pending" else None


def soft_failover_waits_for_the_contact(driver, emulator, contact_type, protocol=None):
    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    contact, status = pending_on_call(driver, emulator, contact_type)
    assert status["failover"]["target"] == WEST and status["failover"]["contactId"] == contact
    assert status["badge"]["color"] == "#b7791f"
    assert host_state(driver)["state"] == "pending"
    assert shows_only(emulator, EAST)
    emulator.client.hang_up(EAST, contact)  # after-call work: still pending
    wait_for(driver, lambda: emulator.client.contacts(EAST)[0]["state"]["type"] == "ended")
    assert pending_status(driver) is not None and shows_only(emulator, EAST)
    emulator.client.clear(EAST, contact)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    wait_for(driver, lambda: shows_only(emulator, WEST))
    status = background_status(driver)
    assert status["failover"] is None and status["activeRegion"] == WEST
    entry = status["timeline"][0]
    assert entry["contactId"] == contact and entry["waitMs"] is not None


def test_soft_failover_pends_on_a_voice_call_through_after_call_work(ccp_browser, emulator, protocol):
    soft_failover_waits_for_the_contact(ccp_browser, emulator, "voice", protocol)


def test_queue_callback_counts_as_voice(ccp_browser, emulator):
    soft_failover_waits_for_the_contact(ccp_browser, emulator, "queue_callback")


def test_terminate_active_contacts_switches_at_once(ccp_browser, emulator, protocol):
    driver = ccp_browser
    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    call_in_progress(driver, emulator)
    emulator.client.set_active(WEST, terminate_active_contacts=True)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    wait_for(driver, lambda: shows_only(emulator, WEST))
    assert background_status(driver)["timeline"][0]["waitMs"] is None


def pending_on(driver, region):
    state = host_state(driver)
    return state is not None and state["state"] == "pending" and state["active"] == region


@pytest.mark.stress
def test_second_tab_opened_while_pending_stays_on_the_old_region(ccp_browser, emulator, protocol):
    """It shows the old region, with the failover pending (the background says so: only the tab whose CCP waits
    for the contact hears it from its CCP), and never the new region's CCP until the switch (ACGR: its CCPs'
    init already names the new region)."""
    driver = ccp_browser
    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    contact, _ = pending_on_call(driver, emulator)
    first = driver.current_window_handle
    driver.switch_to.new_window("tab")
    open_allowlisted(driver, emulator.crm_url(site=1))
    wait_for(driver, lambda: pending_on(driver, EAST))
    wait_until_both_workers_polled(driver, emulator)
    assert pending_status(driver) is not None and pending_on(driver, EAST)
    if protocol == "acgr":  # the new region's CCP in the new tab was never made the active one
        woken = [e for e in emulator.client.acgr_events(WEST, direction="from-host")
                 if e["host"] == emulator.crm_url(site=1) and (e["event"] == "agent::fetch_agent_data_from_ccp" or
                                                              e["data"] == {"instanceState": "active"})]
        assert woken == []
    emulator.client.hang_up(EAST, contact)
    emulator.client.clear(EAST, contact)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    wait_for(driver, lambda: shows_only_on(emulator, WEST, emulator.crm_url(site=1)))
    driver.switch_to.window(first)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    wait_for(driver, lambda: shows_only_on(emulator, WEST, emulator.crm_url()))
