"""Conformance: the real amazon-connect-streams (npm, connect-streams.js) against the emulated CCP."""
from emulator.waiting import wait_until

from .pages import StreamsPage, wait_for_download

EAST, WEST = "us-east-1", "us-west-2"


def kinds_in_order(page, *kinds):
    return [r["kind"] for r in page.recorded() if r["kind"] in kinds]


def test_init_ccp_initialises_and_agent_callbacks_fire(emulator_chromium, emulator):
    page = StreamsPage(emulator_chromium, emulator).open()
    page.wait_for("init")
    assert page.wait_for("agent")[0]["detail"] == {"state": "Available"}
    assert page.run("return connect.core.initialized") is True
    assert page.run("return connect.agent.initialized") is True
    assert page.run("return agent.getAgentStates().map(function (s) { return s.type; })") == [
        "routable", "not_routable", "offline"]
    assert page.run("return agent.getStateDuration() >= 0") is True  # needs real Date timestamps
    assert page.run("return typeof agent.getRoutingProfile().routingProfileId") == "string"
    assert not page.recorded("page-error")


def test_inbound_voice_contact_lifecycle_as_streams_derives_it(emulator_chromium, emulator, emulator_client):
    page = StreamsPage(emulator_chromium, emulator).open()
    page.wait_for("agent")
    contact_id = emulator_client.route_contact(EAST)
    assert page.wait_for("contact")[0]["detail"] == {"id": contact_id, "type": "voice", "state": "connecting"}
    page.wait_for("contact-connecting")

    accepted = page.call_streams("contacts[args[0]].accept(callbacks);", contact_id)
    assert accepted == {"ok": True}
    page.wait_for("contact-connected")
    assert page.run("return contacts[arguments[0]].isConnected()", contact_id) is True
    for method, state in (("hold", "hold"), ("resume", "connected")):
        result = page.call_streams(f"contacts[args[0]].getInitialConnection().{method}(callbacks);", contact_id)
        assert result == {"ok": True}
        customer = next(c for c in emulator_client.contacts(EAST)[0]["connections"] if c["type"] == "inbound")
        assert customer["state"]["type"] == state

    emulator_client.hang_up(EAST)
    page.wait_for("contact-acw")
    page.wait_for("contact-ended")
    assert page.run("return agent.getState().name") == "AfterCallWork"

    cleared = page.call_streams("contacts[args[0]].clear(callbacks);", contact_id)
    assert cleared == {"ok": True}
    page.wait_for("contact-destroy")
    assert kinds_in_order(page, "contact-connecting", "contact-connected", "contact-ended", "contact-destroy") == [
        "contact-connecting", "contact-connected", "contact-ended", "contact-destroy"]
    methods = [c["method"] for c in emulator_client.region_state(EAST)["api_calls"]]
    assert methods == ["acceptContact", "holdConnection", "resumeConnection", "clearContact"]
    assert emulator_client.contacts(EAST) == []


def test_agent_set_state_round_trips_through_api_request(emulator_chromium, emulator, emulator_client):
    page = StreamsPage(emulator_chromium, emulator, region=WEST).open()
    page.wait_for("agent")
    result = page.call_streams(
        "var offline = agent.getAgentStates().filter(function (s) { return s.type === 'offline'; })[0];"
        "agent.setState(offline, callbacks);")
    assert result == {"ok": True}
    assert emulator_client.agent_state(WEST) == "Offline"
    page.wait_for("agent-state", lambda state: state == "Offline")
    call = emulator_client.region_state(WEST)["api_calls"][-1]
    assert call["method"] == "putAgentState" and call["params"]["state"]["type"] == "offline"

    refused = page.call_streams("agent.setState({agentStateARN: 'arn:nope', type: 'routable', name: 'Nope'}, callbacks);")
    assert refused["ok"] is False and "InvalidStateException" in refused["err"]

    dialled = page.call_streams("agent.connect(connect.Endpoint.byPhoneNumber('+15555550199'), callbacks);")
    assert dialled == {"ok": True}
    contact = page.wait_for("contact")[0]["detail"]
    assert contact["type"] == "voice" and contact["state"] == "connecting"
    outbound = emulator_client.contacts(WEST)[0]
    assert any(c["type"] == "outbound" and c["endpoint"]["phoneNumber"] == "+15555550199"
               for c in outbound["connections"])


def test_log_download_holds_the_emulator_log_lines(emulator_chromium, emulator, emulator_client):
    page = StreamsPage(emulator_chromium, emulator).open()
    page.wait_for("init")
    texts = emulator_client.emit_logs(EAST, 3, text="emulated worker line")
    wait_until(lambda: all(t in page.log_text() for t in texts), 10, message="worker lines in the host logger")
    page.run("connect.getLog().download()")
    entries = wait_for_download(emulator_chromium.download_dir, "agent-log.txt")
    relayed = [e for e in entries if e["text"] in texts]
    assert [e["text"] for e in relayed] == texts
    for entry in relayed:
        assert entry["contextLayer"] == "SharedWorker" and entry["component"] == "ccp"
        assert entry["time"].endswith("Z") and entry["agentResourceId"] == f"agent-{EAST}"
    assert any(e["text"] == "Acknowledged by the CCP!" for e in entries)  # the host's own lines are there too


def test_expired_session_signs_in_through_the_login_popup(emulator_chromium, emulator, emulator_client):
    """auth_fail → Streams opens loginUrl and refreshes the iframe; signing in there makes the refreshed CCP
    acknowledge again, and the API works through the new frame."""
    driver = emulator_chromium
    page = StreamsPage(driver, emulator, loginPopup=1, ccpAckTimeout=300, ccpLoadTimeout=800).open()
    page.wait_for("agent")
    first_ccp = page.wait_for("ccp-connected")[0]["detail"]["id"]
    home = driver.current_window_handle
    emulator_client.expire_session()
    page.wait_for("auth_fail")
    popup = wait_until(lambda: [h for h in driver.window_handles if h != home], 10, message="login popup")[0]
    driver.switch_to.window(popup)
    wait_until(lambda: driver.find_elements("id", "sign-in"), 10, message="login form")
    assert driver.current_url == emulator.login_url
    driver.find_element("id", "sign-in").click()
    wait_until(lambda: driver.find_elements("id", "signed-in"), 10, message="signed in")
    driver.switch_to.window(home)
    assert all(emulator_client.region_state(r)["signed_in"] for r in (EAST, WEST))
    page.wait_for("ccp-connected", lambda detail: detail["id"] != first_ccp, timeout_s=15)
    assert page.call_streams("agent.setState(agent.getAgentStates()[1], callbacks);") == {"ok": True}
    assert emulator_client.agent_state(EAST) == "Break"
    loads = [load["outcome"] for load in emulator_client.region_state(EAST)["ccp_page_loads"]]
    assert loads[0] == "ok" and "signed-out" in loads and loads[-1] == "ok"  # Streams refreshed the frame
