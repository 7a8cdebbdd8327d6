"""A CCP window that is new in its frame (issue #16 items 1-2), in Chromium and Firefox: the CCP reloaded itself or
was navigated to its own URL (a new handshake id in the same frame), or the frame was loading when a switch was
decided. A new window gets the protocol's whole first-acknowledge sequence, and the region this tab activated is
activated again in it: failovers still complete, and the active region's agent is offered contacts."""
from selenium.webdriver.support.wait import WebDriverWait

from .conftest import extension_config
from .extension_driver import (background_status, configure, host_state, region_log, wait_for,
                               wait_until_both_ccps_connected, wait_until_contact_seen)
from .test_failover_engine import EAST, WEST, open_ready


def page_loads(emulator, region):
    return len(emulator.client.region_state(region)["ccp_page_loads"])


def reload_ccp(driver, emulator, region):
    """Every CCP window of `region` navigates to its own URL (what the CCP app does when it reloads itself), and
    the new one has loaded."""
    before = page_loads(emulator, region)
    emulator.client.post_raw(region, [{"event": "emulator::navigate", "data": {"url": emulator.ccp_url(region)}}])
    wait_for(driver, lambda: page_loads(emulator, region) > before, message=f"the {region} CCP never reloaded")


POLLING_STARTS = ("[Disaster Recovery] Initializing active region polling",
                  "[Disaster Recovery] Adding new CCP to active region polling")


def polling_starts(driver, region):
    """The region's log texts, oldest first, and where its CCP windows' workers started polling for them."""
    texts = [entry["text"] for entry in sorted(region_log(driver, region) or [], key=lambda entry: entry["time"])]
    return texts, [i for i, text in enumerate(texts) if text.startswith(POLLING_STARTS)]


def wait_until_new_window_polled(driver, region, starts_before):
    """Until the region's new CCP window has its worker's first decision (the worker outlived the old window or
    was started anew with the new one): a change of the active region before it reaches the extension as that
    worker's start-up announcement ("this region is active": the reference switches on it at once), not as a
    failover of the active region. The worker's log lines reach the background in batches: polled twice a second."""
    def polled():
        texts, starts = polling_starts(driver, region)
        return len(starts) > starts_before and any(text.startswith("[Disaster Recovery] Primary instance is")
                                                   for text in texts[starts[-1]:])
    WebDriverWait(driver, 30, poll_frequency=0.5).until(lambda d: polled(), f"the new {region} CCP never polled")


def completed(driver, route):
    """The background's status once its timeline holds `route` [(from, to), ...] and no failover is in flight."""
    status = background_status(driver)
    done = status["failover"] is None and [(e["from"], e["to"]) for e in reversed(status["timeline"])] == route
    return status if done else None


def test_ccps_that_reloaded_themselves_still_fail_over_both_ways(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    wait_until_both_ccps_connected(driver)
    for region in (EAST, WEST):
        wait_until_new_window_polled(driver, region, 0)  # the first windows' lines are in the log
    starts = {region: len(polling_starts(driver, region)[1]) for region in (EAST, WEST)}
    for region in (EAST, WEST):
        reload_ccp(driver, emulator, region)
    for region in (EAST, WEST):
        wait_until_new_window_polled(driver, region, starts[region])
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST, timeout=30)
    status = wait_for(driver, lambda: completed(driver, [(EAST, WEST)]))
    assert status["timeline"][0]["soft"] is not None  # the new window handled force_offline: the failover's start
    emulator.client.set_active(EAST)
    wait_for(driver, lambda: host_state(driver)["active"] == EAST, timeout=30)
    wait_for(driver, lambda: completed(driver, [(EAST, WEST), (WEST, EAST)]))


def test_a_region_activated_while_its_frame_was_loading_is_offered_contacts(ccp_browser, emulator):
    """The stand-by's worker outlives the extension's frame (the agent also has the us-west-2 CCP open in a window of
    its own), so it stays suppressed unless its new window in the extension's frame is told otherwise."""
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    wait_until_both_ccps_connected(driver)
    wait_for(driver, lambda: emulator.client.agent_state(WEST) == "Offline")  # suppressed by its first poll
    page = driver.current_window_handle
    driver.switch_to.new_window("window")
    driver.get(emulator.ccp_url(WEST))  # a CCP window outside the extension: the worker lives on with it
    driver.switch_to.window(page)
    # the extension's stand-by frame goes through a reload that takes long (the CCP says its session ended)
    emulator.client.impair(WEST, ccp_page="hang")
    emulator.client.post_raw(WEST, [{"event": "terminated"}])
    wait_for(driver, lambda: any(load["outcome"] == "hanging"
                                 for load in emulator.client.region_state(WEST)["ccp_page_loads"]), timeout=30)
    emulator.client.set_active(WEST)  # the switch happens meanwhile: its un-suppress finds no CCP window
    wait_for(driver, lambda: host_state(driver)["active"] == WEST, timeout=30)
    emulator.client.clear_impairments(WEST)
    wait_for(driver, lambda: host_state(driver)["state"] == "ready", timeout=30)
    emulator.client.set_agent_state(WEST, "Available")  # the agent makes themselves available in the new region
    contact = emulator.client.route_contact(WEST, "voice")
    wait_until_contact_seen(driver, WEST, contact, timeout=15)  # offered: the worker is not suppressed
