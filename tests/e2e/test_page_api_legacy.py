"""The page API in legacy DR mode (README "Page API"), in Chromium and Firefox against the emulator: a CRM page opted
in to it (tests/emulator/static/page_api/legacy.*, strict CSP, no Streams file, no initCCP) runs the
connect-streams-dr.js documentation's own hooks on `globalConnect.core`, over one real Streams per region fed by
the extension's CCP frames; the facade reports the extension's decisions; a page not opted in sees nothing."""
from .conftest import extension_config
from .extension_driver import (background_status, configure, open_allowlisted, settle, shows_only, wait_for,
                               wait_until_contact_seen)
from .test_failover_engine import EAST, WEST, ready_on
from .test_logs import clear_downloads, files_of
from .test_page_api import page_accepts

PAGE = "/page-api/legacy.html"
WINDOW_CONNECT_AVAILABLE = """
const done = arguments[arguments.length - 1];
const agent = new connect.Agent();
agent.setState(agent.getAgentStates().filter((s) => s.name === 'Available')[0],
               {success: () => done('ok'), failure: (error) => done('failed: ' + error)});
"""

# what page script may send through a region's own Streams: DR control, and broadcasts the CCPs' worker would echo
FORGE = """
const [eastArn, done] = [arguments[0], arguments[arguments.length - 1]];
for (const region of Object.keys(crm.connects)) {
  const upstream = crm.connects[region].core.getUpstream();
  upstream.sendUpstream('broadcast', {event: 'disasterRecovery::failover', data: {nextActiveArn: eastArn}});
  upstream.sendUpstream('broadcast', {event: 'disasterRecovery::failover', data: {isPrimary: false}});
  upstream.sendUpstream('broadcast', {event: 'agent::update', data: {snapshot: {}}});
  upstream.sendUpstream('disasterRecovery::suppress', {suppress: false, shouldSendFailoverDownstream: true});
  upstream.sendUpstream('disasterRecovery::set_offline', {softFailover: false});
  upstream.sendUpstream('disasterRecovery::init_disaster_recovery', {isPrimary: true, pollForFailover: false});
  for (const event of ['close', 'configure', 'terminate']) upstream.sendUpstream(event, {});
}
setTimeout(done, 1500);
"""


def legacy_config(emulator):
    """Legacy DR (the configuration without `protocol`) with the page API on the first CRM site only."""
    return extension_config(emulator, pageApi=[f"https://crm.example.test:{emulator.port}/*"])


def crm(driver):
    return driver.execute_script("return window.crm ? {events: crm.events, log: crm.log, errors: crm.errors, "
                                 "violations: crm.violations, readyEvent: crm.readyEvent, "
                                 "atFirstScript: crm.atFirstScript} : null;")


def events(driver, kind):
    return [e["data"] for e in (crm(driver) or {"events": []})["events"] if e["kind"] == kind]


def connecting_lines(driver):
    return [line for line in crm(driver)["log"] if "connecting in region" in line]


def set_state(driver, region, name):
    return driver.execute_async_script("crm.setState(arguments[0], arguments[1]).then(arguments[2]);", region, name)


def open_legacy_page(driver, emulator):
    """Loads the opted-in CRM page until it has the page API (a page loaded before the background registered the
    page API's scripts gets it from its next load), and waits for both regions' agents."""
    url = emulator.crm_url(PAGE)
    open_allowlisted(driver, url, timeout=60)  # (each reload restarts the boot: on a loaded machine it wants time)
    wait_for(driver, lambda: crm(driver)["atFirstScript"]["globalConnect"] == "object" or driver.get(url))
    wait_for(driver, lambda: sorted(e["region"] for e in events(driver, "agent")) == [EAST, WEST])


def test_the_documented_hooks_run_unchanged_over_both_regions_and_follow_the_extensions_failover(ccp_browser,
                                                                                                  emulator):
    driver = ccp_browser
    configure(driver, legacy_config(emulator))
    open_legacy_page(driver, emulator)
    wait_for(driver, lambda: ready_on(driver, EAST))
    page = crm(driver)
    # globalConnect was there before the page's first script; the page loads no Streams file and calls no initCCP
    assert page["atFirstScript"] == {"globalConnect": "object", "connect": "undefined", "grccpPageApi": "object"}
    assert driver.execute_script("return document.scripts.length") == 1
    inits = events(driver, "init")
    assert [e["region"] for e in inits] == [EAST, WEST] and inits[0]["version"] == inits[1]["version"]
    assert events(driver, "ready") == [{"isGlobalConnect": True, "windowConnect": EAST, "primaryRegion": EAST,
                                        "secondaryRegion": WEST}] and page["readyEvent"]
    # the hook that throws was reported once per region, and stopped neither the other hooks nor the other region
    assert len([e for e in page["errors"] if "a CRM hook that throws" in e]) == 2
    # an API call round-trips to its own region only
    assert set_state(driver, EAST, "Break") == "ok"
    assert emulator.client.agent_state(EAST) == "Break" and emulator.client.agent_state(WEST) != "Break"
    assert set_state(driver, EAST, "Available") == "ok"
    # the documented onInit example sees a contact in its own region
    contact = emulator.client.route_contact(EAST, "voice")
    wait_for(driver, lambda: connecting_lines(driver) == [f"contact with ID {contact} connecting in region {EAST}"])
    # the page accepts it through its region's Streams: the accept round-trips to that region's CCP only
    assert page_accepts(driver, emulator, contact) == ("ok", {EAST: [True], WEST: []}, {EAST: "connected"})
    wait_until_contact_seen(driver, EAST, contact)
    # a failover over the call: pending, window.connect still the old region's; complete once the call is gone
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: events(driver, "pending"))
    assert events(driver, "pending") == [{"nextActiveArn": emulator.instance_arn(WEST), "windowConnect": EAST}]
    assert events(driver, "complete") == []
    emulator.client.hang_up(EAST, contact)
    emulator.client.clear(EAST, contact)
    wait_for(driver, lambda: events(driver, "complete") and events(driver, "chat-loaded"))
    assert events(driver, "complete") == [{"activeRegion": WEST, "activeCcpUrl": emulator.ccp_url(WEST),
                                           "windowConnect": WEST, "primaryRegion": WEST, "secondaryRegion": EAST}]
    assert events(driver, "chat-loaded") == [{"windowConnect": WEST}]  # the documented onFailoverComplete example
    wait_for(driver, lambda: ready_on(driver, WEST) and shows_only(emulator, WEST))
    # window.connect is the new region's (whose agent the stand-by CCP had set Offline)
    assert driver.execute_async_script(WINDOW_CONNECT_AVAILABLE) == "ok"
    assert emulator.client.agent_state(WEST) == "Available"
    second = emulator.client.route_contact(WEST, "voice")
    wait_for(driver, lambda: connecting_lines(driver)[1:] == [
        f"contact with ID {second} connecting in region {WEST}"])
    assert events(driver, "deregistered") == [] and len(events(driver, "pending")) == 1
    # downloadLogs: the popup's files, one per region
    names = [f"{EAST}-agent-log.txt", f"{WEST}-agent-log.txt"]
    clear_downloads(driver.download_dir, names)
    driver.execute_script("globalConnect.core.downloadLogs();")
    entries, _, _ = files_of(driver.download_dir, names)
    assert all(entries[name] for name in names)
    assert crm(driver)["violations"] == []


def test_complete_at_start_forged_dr_control_moves_nothing_and_a_page_not_opted_in_sees_nothing(ccp_browser,
                                                                                               emulator):
    driver = ccp_browser
    emulator.client.set_active(WEST)
    configure(driver, legacy_config(emulator))
    open_legacy_page(driver, emulator)
    wait_for(driver, lambda: events(driver, "complete"))
    assert events(driver, "complete") == [{"activeRegion": WEST, "activeCcpUrl": emulator.ccp_url(WEST),
                                           "windowConnect": WEST, "primaryRegion": WEST, "secondaryRegion": EAST}]
    assert [e["region"] for e in events(driver, "init")] == [EAST, WEST]
    wait_for(driver, lambda: ready_on(driver, WEST) and shows_only(emulator, WEST))
    # page script driving its regional Streams cannot move the extension: DR control and forged CCP events dropped
    before = background_status(driver)
    driver.execute_async_script(FORGE, emulator.instance_arn(EAST))
    settle(driver)
    after = background_status(driver)
    assert after["activeRegion"] == WEST and after["failover"] is None and after["timeline"] == before["timeline"]
    assert ready_on(driver, WEST) and shows_only(emulator, WEST) and len(events(driver, "complete")) == 1
    # the same page on the allowlisted site that is not opted in
    open_allowlisted(driver, emulator.crm_url(PAGE, site=1))
    wait_for(driver, lambda: ready_on(driver, WEST))
    settle(driver)
    page = crm(driver)
    assert page["atFirstScript"] == {"globalConnect": "undefined", "connect": "undefined", "grccpPageApi": "undefined"}
    assert driver.execute_script("return [typeof globalConnect, typeof connect, typeof grccpPageApi, "
                                 "document.querySelectorAll('iframe').length]") == [
        "undefined", "undefined", "undefined", 0]
    assert not page["readyEvent"] and page["events"] == []
