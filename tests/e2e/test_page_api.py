"""The page API in ACGR mode (README "Page API"), in Chromium and Firefox against the emulator: a CRM page opted in
to it (tests/emulator/static/page_api/, strict CSP, no Streams file, no initCCP) gets the real Streams fed by the
extension's CCP frames; page script cannot drive the extension through it; a page not opted in sees nothing."""
from .conftest import extension_config
from .extension_driver import (background_status, configure, open_allowlisted, settle, shows_only, wait_for,
                               wait_until_contact_seen)
from .test_failover_engine import EAST, WEST, call_in_progress, ready_on

PAGE = "/page-api/"
GR = "globalResiliency::"


def page_api_config(emulator, **overrides):
    """ACGR with the page API on the first CRM site only (the second is allowlisted, not opted in)."""
    return extension_config(emulator, protocol="acgr", pageApi=[f"https://crm.example.test:{emulator.port}/*"],
                            **overrides)


def crm(driver):
    return driver.execute_script("return window.crm ? {events: crm.events, violations: crm.violations, "
                                 "readyEvent: crm.readyEvent, atFirstScript: crm.atFirstScript} : null;")


def events(driver, kind):
    return [e["data"] for e in (crm(driver) or {"events": []})["events"] if e["kind"] == kind]


def set_state(driver, name):
    return driver.execute_async_script("crm.setState(arguments[0]).then(arguments[arguments.length - 1]);", name)


def page_accepts(driver, emulator, contact_id):
    """The page's own Streams accepts an incoming contact (crm.accept: Contact.accept, in its region's Streams in
    legacy DR); returns Streams' answer and what the emulator saw: each region's acceptContact calls for it (ok or
    not) and the contact's state in each region that has it."""
    answer = driver.execute_async_script("crm.accept(arguments[0]).then(arguments[arguments.length - 1]);",
                                         contact_id)
    calls = {region: [c["ok"] for c in emulator.client.region_state(region)["api_calls"]
                      if c["method"] == "acceptContact" and c["params"].get("contactId") == contact_id]
             for region in (EAST, WEST)}
    states = {region: c["state"]["type"] for region in (EAST, WEST) for c in emulator.client.contacts(region)
              if c["contactId"] == contact_id}
    return answer, calls, states


def open_page_api(driver, emulator):
    """Loads the opted-in CRM page until it has the page API, and returns its first agent events. (A page loaded
    before the background registered the page API's scripts gets the panel, which the background injects into
    open pages, but the page API only from its next load: its main-world part must run before the page's scripts.)"""
    url = emulator.crm_url(PAGE)
    open_allowlisted(driver, url)
    wait_for(driver, lambda: crm(driver)["atFirstScript"]["connect"] == "object" or driver.get(url))
    wait_for(driver, lambda: ready_on(driver, EAST))
    return wait_for(driver, lambda: events(driver, "agent"))


def test_crm_code_gets_agent_contacts_api_calls_and_failover_events(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, page_api_config(emulator))
    agents = open_page_api(driver, emulator)
    page = crm(driver)
    # Streams was there before the page's first script; the page itself loads no Streams file
    assert page["atFirstScript"] == {"connect": "object", "grccpPageApi": "object"} and page["readyEvent"]
    assert driver.execute_script("return document.scripts.length") == 1
    assert agents[0]["region"] == EAST and events(driver, "init") == [{"activeRegion": EAST}]
    # an API call round-trips to the active region only
    assert set_state(driver, "Break") == "ok"
    assert emulator.client.agent_state(EAST) == "Break" and emulator.client.agent_state(WEST) != "Break"
    assert set_state(driver, "Available") == "ok"
    # a contact in the active region reaches the page's subscription
    contact = emulator.client.route_contact(EAST, "voice")
    wait_for(driver, lambda: {"id": contact, "region": EAST} in events(driver, "connecting"))
    # the page accepts it: the accept round-trips to the active region's CCP, and the emulator connects the call
    assert page_accepts(driver, emulator, contact) == ("ok", {EAST: [True], WEST: []}, {EAST: "connected"})
    wait_until_contact_seen(driver, EAST, contact)  # (a failover drops a contact that is not connected yet)
    # failover over the call: detected and pending, then complete once the call is gone
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: events(driver, "pending") == [{"nextActiveRegion": WEST}])
    assert events(driver, "detected") == [{"nextActiveRegion": WEST}] and events(driver, "complete") == []
    emulator.client.hang_up(EAST, contact)
    emulator.client.clear(EAST, contact)
    wait_for(driver, lambda: events(driver, "complete"))
    assert events(driver, "complete") == [{"activeRegion": WEST, "getActiveRegion": WEST,
                                           "activeCcpUrl": emulator.ccp_url(WEST).split("/ccp-v2/")[0]}]
    wait_for(driver, lambda: ready_on(driver, WEST) and shows_only(emulator, WEST))
    # the same subscriptions now serve the new region (whose agent the stand-by CCP had set Offline)
    assert set_state(driver, "Available") == "ok"
    assert emulator.client.agent_state(WEST) == "Available"
    second = emulator.client.route_contact(WEST, "voice")
    wait_for(driver, lambda: {"id": second, "region": WEST} in events(driver, "connecting"))
    assert crm(driver)["violations"] == []


# When the panel's host said a region is shown (data-grccp-active: set once the switch to it is rendered), on the
# page's clock: the page can watch its attributes as any element's.
WATCH_SHOWN = """
const [region, host] = [arguments[0], document.getElementById('grccp-ccp-host')];
window.shownAt = null;
new MutationObserver(() => {
  if (window.shownAt === null && host.getAttribute('data-grccp-active') === region) window.shownAt = performance.now();
}).observe(host, {attributes: true, attributeFilter: ['data-grccp-active']});
"""


def test_the_page_hears_of_a_switch_once_the_new_ccp_is_on_screen(ccp_browser, emulator):
    """The page's Streams runs its handlers on the tab's thread (and its CCP frames' too when they are of the page's
    site): what it is told while the tab switches CCPs (the new region's first agent data and the failover's
    completion come within a few milliseconds) waits until the new CCP is rendered, so it never delays what the
    agent sees."""
    driver = ccp_browser
    configure(driver, page_api_config(emulator))
    open_page_api(driver, emulator)
    driver.execute_script(WATCH_SHOWN, WEST)
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: events(driver, "complete"))
    shown_at, heard_at = driver.execute_script(
        "return [window.shownAt, crm.events.filter(e => e.kind === 'complete')[0].at];")
    assert shown_at is not None and heard_at > shown_at
    wait_for(driver, lambda: ready_on(driver, WEST) and shows_only(emulator, WEST))


# what page script may try through its own Streams: broadcasts the CCPs' worker would echo to the extension
FORGED = [{"event": GR + "failover_initiated", "data": {"activeRegion": WEST}},
          {"event": GR + "failover_detected", "data": {"activeRegion": WEST}},
          {"event": "disasterRecovery::failover", "data": {"nextActiveArn": "x", "isPrimary": False}},
          {"event": "agent::update", "data": {"snapshot": {}}},
          {"event": "acknowledge", "data": {"id": "forged"}}]
FORGE = """
const [forged, done] = [arguments[0], arguments[arguments.length - 1]];
const upstream = connect.core.getUpstream();
for (const message of forged) upstream.sendUpstream('broadcast', message);
for (const event of ['globalResiliency::failover_complete', 'globalResiliency::configure_ccp_conduit', 'close',
                     'configure', 'terminate']) {
  upstream.sendUpstream(event, {activeRegion: 'us-west-2', instanceState: 'active'});
}
connect.globalResiliency.forceFailover();   // refused: the configuration does not allow it
setTimeout(done, 1500);
"""


def test_page_script_cannot_drive_the_extension_through_its_streams(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, page_api_config(emulator))
    open_page_api(driver, emulator)
    before = {region: len(emulator.client.acgr_events(region, direction="from-host")) for region in (EAST, WEST)}
    driver.execute_async_script(FORGE, FORGED)
    settle(driver)
    # nothing the page sent reached a CCP as GR control (the extension's own messages go on: the state it wants)
    for region, state in ((EAST, "active"), (WEST, "inactive")):
        sent = emulator.client.acgr_events(region, direction="from-host")[before[region]:]
        assert [e["event"] for e in sent if e["event"] in (GR + "failover_complete", GR + "force_failover",
                                                           GR + "failover_initiated", GR + "failover_pending")] == []
        assert all(e["data"] == {"instanceState": state} for e in sent if e["event"] == GR + "configure_ccp_conduit")
    status = background_status(driver)
    assert [r["key"] for r in status["regions"] if r["role"] == "active"] == [EAST]
    assert status["failover"] is None and status["timeline"] == []
    assert ready_on(driver, EAST) and shows_only(emulator, EAST)
    assert events(driver, "detected") == events(driver, "complete") == []


def test_a_page_not_opted_in_sees_no_page_api(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, page_api_config(emulator))
    open_allowlisted(driver, emulator.crm_url(PAGE, site=1))  # allowlisted, not opted in
    wait_for(driver, lambda: ready_on(driver, EAST))
    settle(driver)
    page = crm(driver)
    assert page["atFirstScript"] == {"connect": "undefined", "grccpPageApi": "undefined"}
    assert driver.execute_script("return [typeof connect, typeof grccpPageApi, typeof globalConnect]") == [
        "undefined", "undefined", "undefined"]
    assert not page["readyEvent"] and page["events"] == []


def test_force_failover_is_the_agents_switch_now_where_the_configuration_allows_it(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, page_api_config(emulator, pageApiForceFailover=True))
    open_page_api(driver, emulator)
    contact = call_in_progress(driver, emulator)
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: events(driver, "pending") == [{"nextActiveRegion": WEST}])
    driver.execute_script("connect.globalResiliency.forceFailover();")
    wait_for(driver, lambda: [e["activeRegion"] for e in events(driver, "complete")] == [WEST])
    wait_for(driver, lambda: ready_on(driver, WEST) and shows_only(emulator, WEST))
    assert [len(emulator.client.acgr_events(region, direction="from-host", event=GR + "force_failover"))
            for region in (EAST, WEST)] == [1, 1]  # the extension's own, once, as the popup's Switch now
    entry = background_status(driver)["timeline"][0]
    assert (entry["forcedBy"], entry["contactId"]) == ("page-api", contact)
