"""The failover engine end to end against the emulator, in Chromium and Firefox."""
from .conftest import extension_config
from .extension_driver import background_status, configure, host_state, open_allowlisted, shows_only, wait_for

EAST, WEST = "us-east-1", "us-west-2"


def ready_on(driver, region):
    state = host_state(driver)
    return state is not None and state["state"] == "ready" and state["active"] == region


def test_initial_load_shows_active_region_and_suppresses_the_other(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: ready_on(driver, EAST))
    wait_for(driver, lambda: shows_only(emulator, EAST))
    # the stand-by region's worker suppressed itself and set its agent Offline (the reference's bootstrap rule);
    # the active region's agent stays available
    wait_for(driver, lambda: emulator.client.agent_state(WEST) == "Offline")
    assert emulator.client.agent_state(EAST) == "Available"


def test_hard_failover_switches_the_visible_ccp(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: ready_on(driver, EAST))
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    wait_for(driver, lambda: shows_only(emulator, WEST))
    status = wait_for(driver, lambda: (lambda s: s if s["activeRegion"] == WEST and s["timeline"] else None)(
        background_status(driver)))
    assert status["timeline"][0]["from"] == EAST and status["timeline"][0]["to"] == WEST
