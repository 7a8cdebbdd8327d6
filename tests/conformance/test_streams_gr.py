"""Conformance: the real amazon-connect-streams (connect-streams.js) in ACGR mode against both emulated instances —
ccp-protocol.md Section 7, one test at least per ACGR group of the upstream test list (Section 8). Every test ends
with Streams' own log free of ERROR lines: a handler that threw on an emulated message is a failure here."""
import pytest

from emulator.waiting import wait_until

from .pages import GrPage, wait_for_download

EAST, WEST = "us-east-1", "us-west-2"
GR = "globalResiliency::"


@pytest.fixture
def no_streams_errors():
    """Collects the pages a test opened; fails the test if Streams logged an ERROR on any of them."""
    pages = []
    yield pages
    for page in pages:
        assert page.streams_errors() == [], f"Streams logged errors on {page.url}"


def open_gr_page(driver, emulator, emulator_client, pages, **query):
    """The ACGR page initialised (onInitialized), the stand-by region Offline, the heartbeat relay running."""
    page = GrPage(driver, emulator, **query).open()
    pages.append(page)
    page.wait_for("init")
    page.wait_for("agent")
    active = emulator_client.state()["active"]["region"]
    standby = WEST if active == EAST else EAST
    wait_until(lambda: emulator_client.agent_state(standby) == "Offline", 10, message=f"{standby} standing by")
    for region in (EAST, WEST):
        wait_until(lambda: [e for e in emulator_client.acgr_events(region, direction="ccp", event="heartbeat")
                            if e["data"]["state"] == "established"], 10, message=f"{region} heartbeat relayed")
    return page


def events(emulator_client, region, direction, event):
    return emulator_client.acgr_events(region, direction=direction, event=event)


def wait_event(emulator_client, region, direction, event, count=1, timeout_s=10):
    return wait_until(lambda: (lambda found: found if len(found) >= count else None)(
        events(emulator_client, region, direction, event)), timeout_s,
        message=f"{count} x {direction} {event} in {region}")


def connected_contact(page, emulator_client, region, contact_type="voice"):
    """A contact the agent accepted, once Streams on the page sees it connected."""
    contact_id = emulator_client.route_contact(region, contact_type)
    emulator_client.accept(region, contact_id)
    page.wait_for("agent-refresh", lambda d: d["contacts"] == 1)
    wait_until(lambda: page.run("return contacts[arguments[0]] && contacts[arguments[0]].getStatus().type",
                                contact_id) == "connected", 10, message="Streams sees the contact connected")
    return contact_id


def wait_for_polls(emulator_client, region, count):
    start = len(emulator_client.region_state(region)["active_region_polls"])
    wait_until(lambda: len(emulator_client.region_state(region)["active_region_polls"]) >= start + count, 10,
               message=f"{count} more active-region polls in {region}")


def assert_completed_once_after_the_new_regions_first_update(emulator_client, new_region):
    """Each CCP got failover_complete exactly once from the host, and the new region's CCP had passed on its first
    agent::update since the failover was initiated before it did (the host completes on that update)."""
    first_update = wait_event(emulator_client, new_region, "to-host", "agent::update")[0]
    for region in (EAST, WEST):
        completes = events(emulator_client, region, "from-host", GR + "failover_complete")
        assert len(completes) == 1, (region, completes)
        assert completes[0]["data"]["activeRegion"] == new_region
        assert completes[0]["at"] >= first_update["at"]


# ----- fallback and initialisation ----------------------------------------------------------------------------------

# Streams' own errors in the fallback: the configure error it reports, and with loginUrl missing a defect of its own:
# it has set the SDK provider up for two CCPs (it checks secondaryCCPUrl only) and fails to give it the one iframe.
FALLBACK_ERRORS = {
    "secondary": ["enableGlobalResiliency flag was enabled, but secondaryCCPUrl was not provided. Global Resiliency "
                  "will not be enabled"],
    "login": ["enableGlobalResiliency flag was enabled, but loginUrl was not provided. Global Resiliency will not be "
              "enabled", "Error occurred when setting CCP iframe to provider"],
}


@pytest.mark.parametrize("missing", sorted(FALLBACK_ERRORS))
def test_without_secondary_ccp_or_login_url_streams_falls_back_to_one_ccp(
        emulator_chromium, emulator, emulator_client, missing):
    page = GrPage(emulator_chromium, emulator, **{missing: "none"}).open()
    page.wait_for("init")
    page.wait_for("agent")
    assert [f["region"] for f in page.frames()] == [EAST]
    assert page.visible_region() == EAST
    assert page.wait_for("configure-error")[0]["detail"] == FALLBACK_ERRORS[missing][0]
    assert emulator_client.acgr_events() == []  # the CCP was never spoken to in ACGR: it speaks plain Streams
    assert emulator_client.agent_state(WEST) == "Available"
    assert page.streams_errors() == FALLBACK_ERRORS[missing]


def test_two_ccp_iframes_init_assigns_regions_and_configures_each(
        emulator_chromium, emulator, emulator_client, no_streams_errors):
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    frames = page.frames()
    assert [f["region"] for f in frames] == [EAST, WEST]
    assert {f["name"] for f in frames} == {"Amazon Connect CCP"}
    assert page.visible_region() == EAST and page.active_region() == EAST
    assert [r["detail"] for r in page.recorded("init")] == [{"activeRegion": EAST}]
    assert page.recorded("agent")[0]["detail"] == {"state": "Available"}  # the active region's agent, not the stand-by's
    for region, state in ((EAST, "active"), (WEST, "inactive")):
        assert events(emulator_client, region, "to-host", GR + "global_signin_valid")
        init = events(emulator_client, region, "to-host", GR + "init")[0]["data"]
        assert init == {"instanceRegion": region, "instanceState": state, "activeRegion": EAST}
        configure = wait_event(emulator_client, region, "from-host", "configure")[0]["data"]
        assert configure["enableGlobalResiliency"] is True and configure["instanceState"] == state
        assert "disasterRecoveryOn" not in configure
        conduit_states = [e["data"]["instanceState"] for e in
                          events(emulator_client, region, "from-host", GR + "configure_ccp_conduit")]
        assert conduit_states and set(conduit_states) == {state}
    assert events(emulator_client, EAST, "from-host", "agent::fetch_agent_data_from_ccp")
    assert not events(emulator_client, WEST, "from-host", "agent::fetch_agent_data_from_ccp")
    assert not page.recorded("failover-complete")  # none at initialisation


def test_init_switches_once_to_the_active_region_named_by_the_ccps(
        emulator_chromium, emulator, emulator_client, no_streams_errors):
    emulator_client.set_active(WEST)
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    assert page.visible_region() == WEST and page.active_region() == WEST
    assert len(page.recorded("init")) == 1
    wait_for_polls(emulator_client, WEST, 2)
    assert not page.recorded("failover-complete") and not page.recorded("failover-detected")
    assert emulator_client.agent_state(EAST) == "Offline"
    assert page.run("return agent.getState().name") == "Available"  # us-west-2's agent
    assert page.call_streams("agent.setState(agent.getAgentStates()[1], callbacks);") == {"ok": True}
    assert emulator_client.agent_state(WEST) == "Break"  # API calls go to the active region


def test_a_reloaded_ccp_announces_itself_again_and_streams_keeps_its_regions(
        emulator_chromium, emulator, emulator_client, no_streams_errors):
    """A CCP that reloads on its own asks for its configuration (request_configure); Streams' answer (configure
    with enableGlobalResiliency) makes it announce itself again: Streams dedupes that init (no second switch) and
    places the CCP once more with configure_ccp_conduit."""
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    emulator_client.post_raw(WEST, [{"event": "emulator::navigate", "data": {"url": emulator.ccp_url(WEST)}}])
    wait_until(lambda: len(events(emulator_client, WEST, "to-host", GR + "init")) == 2, 15,
               message="the reloaded CCP's second init")
    wait_until(lambda: [e["data"]["instanceState"] for e in
                        events(emulator_client, WEST, "from-host", GR + "configure_ccp_conduit")][-1:] == ["inactive"]
               and len(events(emulator_client, WEST, "from-host", GR + "configure_ccp_conduit")) >= 3, 10,
               message="the reloaded CCP placed again")
    assert len(page.recorded("init")) == 1 and page.visible_region() == EAST
    emulator_client.set_active(WEST)  # and the failover still works with the reloaded CCP
    assert page.wait_for("failover-complete")[0]["detail"]["activeRegion"] == WEST


# ----- sign-in validation -------------------------------------------------------------------------------------------

STAND_BY_LOAD_TIMEOUT = "CCP LoadTimeout detected but ignored for non-primary regions"  # connect-streams.js:24344


@pytest.mark.parametrize("state, error_type", [("missing", "LILY_AGENT_CONFIG_MISSING"),
                                               ("parse_error", "LILY_AGENT_CONFIG_PARSE_ERROR")])
def test_invalid_global_sign_in_on_the_active_ccp_opens_the_login_and_refreshes_until_signed_in_globally(
        emulator_chromium, emulator, emulator_client, state, error_type):
    """Invalid on the active CCP is handled like an ACK timeout: the login popup and both iframes refreshed; once
    the agent signed in globally, the refreshed CCP validates and takes the page's API calls. (Streams initialises
    on the other CCP's init meanwhile: it never waits for the validation to place the regions.)"""
    driver = emulator_chromium
    emulator_client.set_global_signin(EAST, state)
    page = GrPage(driver, emulator, loginPopup=1, ccpLoadTimeout=1000).open()
    invalid = wait_event(emulator_client, EAST, "to-host", GR + "global_signin_invalid")[0]["data"]
    assert invalid["errorType"] == error_type
    assert not events(emulator_client, EAST, "to-host", GR + "init")  # a regionally signed-in CCP stays out
    home = driver.current_window_handle
    popup = wait_until(lambda: [h for h in driver.window_handles if h != home], 10, message="login popup")[0]
    driver.switch_to.window(popup)
    assert driver.current_url == emulator.login_url
    wait_until(lambda: driver.find_elements("id", "sign-in"), 10, message="login form")
    driver.find_element("id", "sign-in").click()
    wait_until(lambda: driver.find_elements("id", "signed-in"), 10, message="signed in")
    driver.switch_to.window(home)
    # Streams refreshes the iframe on its own cycle (backing off); one run with another browser on each of two
    # cores took over 20 s, so the bound is generous: it is a wait on the event, not a figure
    wait_event(emulator_client, EAST, "to-host", GR + "global_signin_valid", timeout_s=45)
    wait_event(emulator_client, EAST, "to-host", GR + "init")
    page.wait_for("init")
    page.wait_for("agent")
    assert page.visible_region() == EAST
    assert page.call_streams("agent.setState(agent.getAgentStates()[1], callbacks);") == {"ok": True}
    assert emulator_client.agent_state(EAST) == "Break"
    assert len(emulator_client.region_state(EAST)["ccp_page_loads"]) >= 2  # Streams refreshed the frame
    # the 1 s load timeout is short for a busy machine: Streams may say it ignored the stand-by's late load, which
    # is its own rule at work, not a handler that threw
    errors = [line for line in page.streams_errors() if not line.startswith(STAND_BY_LOAD_TIMEOUT)]
    assert errors == [], errors


def test_a_ccp_that_does_not_answer_the_validation_is_taken_as_valid(
        emulator_chromium, emulator, emulator_client, no_streams_errors):
    emulator_client.set_global_signin(EAST, "no_answer")
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    assert page.visible_region() == EAST
    assert not events(emulator_client, EAST, "to-host", GR + "global_signin_valid")
    assert events(emulator_client, EAST, "from-host", "configure")  # Streams went on after its 250 ms


# ----- failover phases ----------------------------------------------------------------------------------------------

def test_failover_without_contacts_detected_once_then_completed_after_the_new_regions_update(
        emulator_chromium, emulator, emulator_client, no_streams_errors):
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    emulator_client.set_active(WEST)
    complete = page.wait_for("failover-complete")[0]
    assert complete["detail"] == {"activeRegion": WEST, "activeCcpUrl": emulator.origin(f"ccp.{WEST}.example.test")}
    assert page.visible_region() == WEST and page.active_region() == WEST
    detected = page.recorded("failover-detected")
    assert [d["detail"] for d in detected] == [{"nextActiveRegion": WEST}] and detected[0]["at"] <= complete["at"]
    wait_until(lambda: len(events(emulator_client, WEST, "to-host", GR + "failover_detected")) == 1, 10,
               message="us-west-2 detected it too")  # both CCPs announce it; Streams reports it once
    assert len(events(emulator_client, EAST, "to-host", GR + "failover_detected")) == 1
    assert not page.recorded("failover-pending")
    assert_completed_once_after_the_new_regions_first_update(emulator_client, WEST)
    assert emulator_client.agent_state(EAST) == "Offline"
    assert page.call_streams("agent.setState(agent.getAgentStates()[0], callbacks);") == {"ok": True}
    assert emulator_client.agent_state(WEST) == "Available"  # the API now reaches us-west-2


@pytest.mark.parametrize("contact_type", ["voice", "chat"])
def test_pending_from_the_active_ccp_only_once_then_completed_when_the_contact_is_cleared(
        emulator_chromium, emulator, emulator_client, no_streams_errors, contact_type):
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    contact_id = connected_contact(page, emulator_client, EAST, contact_type)
    emulator_client.set_active(WEST)
    pending = page.wait_for("failover-pending")[0]
    assert pending["detail"] == {"nextActiveRegion": WEST}
    emulator_client.hang_up(EAST)
    wait_for_polls(emulator_client, EAST, 2)
    assert not page.recorded("failover-complete") and page.visible_region() == EAST
    assert page.call_streams("contacts[args[0]].clear(callbacks);", contact_id) == {"ok": True}
    complete = page.wait_for("failover-complete")[0]
    assert complete["detail"]["activeRegion"] == WEST and complete["at"] > pending["at"]
    assert page.visible_region() == WEST and len(page.recorded("failover-pending")) == 1
    assert events(emulator_client, WEST, "from-host", GR + "failover_pending")  # relayed to the other CCP
    assert_completed_once_after_the_new_regions_first_update(emulator_client, WEST)


def test_pending_from_the_inactive_ccp_is_ignored(emulator_chromium, emulator, emulator_client, no_streams_errors):
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    emulator_client.post_raw(WEST, [{"event": GR + "failover_pending", "data": {"activeRegion": WEST}}])
    wait_until(lambda: events(emulator_client, EAST, "from-host", GR + "failover_pending"), 10,
               message="the stand-by's pending relayed to us-east-1")
    assert not page.recorded("failover-pending")


def test_terminate_active_contacts_completes_without_pending(
        emulator_chromium, emulator, emulator_client, no_streams_errors):
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    contact_id = connected_contact(page, emulator_client, EAST)
    emulator_client.set_active(WEST, terminate_active_contacts=True)
    assert page.wait_for("failover-complete")[0]["detail"]["activeRegion"] == WEST
    assert not page.recorded("failover-pending")
    page.wait_for("contact-destroy", lambda d: d["id"] == contact_id)
    assert emulator_client.contacts(EAST) == []


def test_force_failover_ends_a_pending_failover(emulator_chromium, emulator, emulator_client, no_streams_errors):
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    contact_id = connected_contact(page, emulator_client, EAST)
    page.run("connect.globalResiliency.forceFailover()")  # nothing pending: nothing happens
    wait_for_polls(emulator_client, EAST, 2)
    assert emulator_client.contacts(EAST)[0]["state"]["type"] == "connected" and page.visible_region() == EAST

    emulator_client.set_active(WEST)
    page.wait_for("failover-pending")
    page.run("connect.globalResiliency.forceFailover()")
    assert page.wait_for("failover-complete")[0]["detail"]["activeRegion"] == WEST
    assert page.visible_region() == WEST
    wait_until(lambda: contact_id in [c["params"]["contactId"] for c in emulator_client.region_state(EAST)["api_calls"]
                                      if c["method"] == "destroyConnection"], 10, message="the stuck call dropped")
    assert len(events(emulator_client, EAST, "from-host", GR + "force_failover")) == 2
    assert_completed_once_after_the_new_regions_first_update(emulator_client, WEST)


def test_a_second_initiated_for_the_same_region_switches_nothing(
        emulator_chromium, emulator, emulator_client, no_streams_errors):
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    emulator_client.set_active(WEST)
    page.wait_for("failover-complete")
    for region in (EAST, WEST):
        emulator_client.post_raw(region, [{"event": GR + "failover_initiated", "data": {"activeRegion": WEST}}])
    for region in (EAST, WEST):
        wait_event(emulator_client, region, "from-host", GR + "failover_initiated")  # each relayed to the other
    emulator_client.set_agent_state(WEST, "Break")
    page.wait_for("agent-refresh", lambda d: d["state"] == "Break")
    assert len(page.recorded("failover-complete")) == 1
    assert_completed_once_after_the_new_regions_first_update(emulator_client, WEST)


def test_failover_back_and_forth(emulator_chromium, emulator, emulator_client, no_streams_errors):
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    emulator_client.set_active(WEST)
    page.wait_for("failover-complete")
    emulator_client.set_active(EAST)
    back = page.wait_for("failover-complete", count=2)[1]
    assert back["detail"]["activeRegion"] == EAST and page.visible_region() == EAST
    assert [d["detail"]["nextActiveRegion"] for d in page.recorded("failover-detected")] == [WEST, EAST]
    assert emulator_client.agent_state(WEST) == "Offline"


# ----- the inactive region, logs ------------------------------------------------------------------------------------

def test_the_inactive_region_reaches_streams_with_nothing_but_its_allowlist(
        emulator_chromium, emulator, emulator_client, no_streams_errors):
    page = open_gr_page(emulator_chromium, emulator, emulator_client, no_streams_errors)
    emulator_client.route_contact(WEST, force=True)  # offered to the stand-by region: suppressed
    emulator_client.set_agent_state(WEST, "Break")
    texts = emulator_client.emit_logs(WEST, 2, text="stand-by worker line")
    wait_until(lambda: all(t in page.run("return connect.getLog().toString()") for t in texts), 10,
               message="the stand-by's log lines in Streams' log")
    wait_for_polls(emulator_client, WEST, 2)
    assert page.run("return agent.getState().name") == "Available" and page.run("return agent.getContacts().length") == 0
    assert not page.recorded("contact")


@pytest.mark.parametrize("browser", ["chromium", "firefox"])
def test_log_download_saves_the_crm_file_and_one_per_ccp(request, emulator, emulator_client, browser):
    driver = request.getfixturevalue(f"emulator_{browser}")  # (no no_streams_errors: it would outlive the browser)
    page = open_gr_page(driver, emulator, emulator_client, [])
    lines = {region: emulator_client.emit_logs(region, 2, text=f"worker line from {region}") for region in (EAST, WEST)}
    wait_until(lambda: all(t in page.run("return connect.getLog().toString()") for ts in lines.values() for t in ts),
               10, message="both regions' worker lines in Streams' log")
    page.run("connect.getLog().download()")
    crm = wait_for_download(driver.download_dir, "crm-agent-log.txt")
    assert {t for ts in lines.values() for t in ts} <= {e["text"] for e in crm}
    for region in (EAST, WEST):
        request = wait_event(emulator_client, region, "from-host", "download_log_from_ccp")[0]
        assert request["data"] == {"logName": f"ccp-{region}-agent-log"}
        entries = wait_for_download(driver.download_dir, f"ccp-{region}-agent-log.txt")
        assert set(lines[region]) <= {e["text"] for e in entries}
    assert page.streams_errors() == []


# ----- Firefox ------------------------------------------------------------------------------------------------------

def test_firefox_soft_failover_over_chat(emulator_firefox, emulator, emulator_client, no_streams_errors):
    page = open_gr_page(emulator_firefox, emulator, emulator_client, no_streams_errors)
    contact_id = connected_contact(page, emulator_client, EAST, "chat")
    emulator_client.set_active(WEST)
    assert page.wait_for("failover-pending")[0]["detail"] == {"nextActiveRegion": WEST}
    emulator_client.hang_up(EAST)
    assert page.call_streams("contacts[args[0]].clear(callbacks);", contact_id) == {"ok": True}
    assert page.wait_for("failover-complete")[0]["detail"]["activeRegion"] == WEST
    assert page.visible_region() == WEST
    assert_completed_once_after_the_new_regions_first_update(emulator_client, WEST)
