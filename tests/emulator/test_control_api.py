"""The control API over HTTP: scenarios change the shared state; malformed requests get 400 naming the field and
change nothing."""
import json
import urllib.error
import urllib.request

import pytest

from emulator.client import EmulatorError

EAST, WEST = "us-east-1", "us-west-2"


def comparable(state):
    """The state without the clock-driven snapshot timestamp."""
    for region in state["regions"].values():
        region["agent"]["snapshot"].pop("snapshotTimestamp")
    return state


def test_initial_state(emulator_client, emulator):
    state = emulator_client.state()
    assert state["active"] == {"InstanceArn": emulator.instance_arn(EAST), "TerminateActiveContacts": False,
                               "region": EAST}
    for region in (EAST, WEST):
        regional = state["regions"][region]
        assert regional["signed_in"] and regional["agent"]["state"] == "Available"
        assert regional["agent"]["snapshot"]["contacts"] == []
        assert regional["impairments"]["ccp_page"] == "ok"


def test_set_active_by_region_or_arn(emulator_client, emulator):
    assert emulator_client.set_active(WEST, terminate_active_contacts=True) == {
        "InstanceArn": emulator.instance_arn(WEST), "TerminateActiveContacts": True, "region": WEST}
    foreign = "arn:aws:connect:eu-west-1:111122223333:instance/other"
    assert emulator_client.set_active(instance_arn=foreign)["region"] is None


def test_inbound_call_accept_hang_up_clear(emulator_client):
    contact_id = emulator_client.route_contact(EAST)
    assert [c["state"]["type"] for c in emulator_client.contacts(EAST)] == ["connecting"]
    assert emulator_client.contacts(WEST) == []
    assert emulator_client.accept(EAST) == contact_id
    assert emulator_client.agent_state(EAST) == "Busy"
    assert emulator_client.hang_up(EAST) == contact_id
    assert emulator_client.agent_state(EAST) == "AfterCallWork"
    assert emulator_client.clear(EAST) == contact_id
    assert emulator_client.contacts(EAST) == [] and emulator_client.agent_state(EAST) == "Available"


def test_agent_state_and_routing_refusal(emulator_client):
    emulator_client.set_agent_state(WEST, "Offline")
    assert emulator_client.agent_state(WEST) == "Offline"
    with pytest.raises(EmulatorError) as refused:
        emulator_client.route_contact(WEST)
    assert refused.value.status == 409
    emulator_client.route_contact(WEST, "queue_callback", force=True)
    assert emulator_client.contacts(WEST)[0]["state"]["type"] == "incoming"


def test_nothing_to_accept_is_a_conflict(emulator_client):
    with pytest.raises(EmulatorError) as conflict:
        emulator_client.accept(EAST)
    assert conflict.value.status == 409


def test_sessions_impairments_and_logs(emulator_client):
    emulator_client.expire_session(WEST)
    assert [emulator_client.region_state(r)["signed_in"] for r in (EAST, WEST)] == [True, False]
    emulator_client.expire_session()
    assert not emulator_client.region_state(EAST)["signed_in"]
    emulator_client.sign_in()
    assert all(emulator_client.region_state(r)["signed_in"] for r in (EAST, WEST))

    emulator_client.impair(EAST, no_ack=True, active_region_status=503)
    emulator_client.impair(EAST, latency_ms=10)  # other impairments stay as they were
    assert emulator_client.region_state(EAST)["impairments"] == {
        "no_ack": True, "active_region_status": 503, "api_status": None, "ccp_page": "ok", "latency_ms": 10,
        "api_latency_ms": 0, "late_scripts_ms": 0}
    emulator_client.impair(EAST, active_region_status=None)
    assert emulator_client.region_state(EAST)["impairments"]["active_region_status"] is None
    emulator_client.clear_impairments()
    assert not emulator_client.region_state(EAST)["impairments"]["no_ack"]

    before = emulator_client.region_state(EAST)["log_seq"]
    texts = emulator_client.emit_logs(EAST, 3, text="hello")
    assert texts == ["hello #1", "hello #2", "hello #3"]
    assert emulator_client.region_state(EAST)["log_seq"] == before + 3


def test_global_signin_per_region_and_the_global_login_repairs_it(emulator_client):
    assert emulator_client.set_global_signin(EAST, "missing") == {EAST: "missing", WEST: "valid"}
    emulator_client.set_global_signin(WEST, "no_answer")
    emulator_client.sign_in()
    # the login fixes a missing cookie; a CCP that does not answer the validation still does not
    assert [emulator_client.region_state(r)["global_signin"] for r in (EAST, WEST)] == ["valid", "no_answer"]
    emulator_client.set_global_signin(EAST, "parse_error")
    assert emulator_client.reset()["regions"][EAST]["global_signin"] == "valid"


def test_reset_restores_everything(emulator_client):
    emulator_client.route_contact(EAST)
    emulator_client.set_active(WEST)
    emulator_client.impair(WEST, ccp_page="error")
    emulator_client.expire_session()
    emulator_client.set_framing(WEST, x_frame_options="DENY")
    emulator_client.impair_login(unreachable=True)
    state = emulator_client.reset()
    assert state["regions"][WEST]["framing"] == {"approved_origins": None, "x_frame_options": None}
    assert state["login"] == {"status": None, "unreachable": False, "requests": []}
    assert state["active"]["region"] == EAST
    assert state["regions"][EAST]["agent"]["snapshot"]["contacts"] == []
    assert state["regions"][WEST]["impairments"]["ccp_page"] == "ok"
    assert state["regions"][WEST]["signed_in"]


@pytest.mark.parametrize("path, body, field", [
    ("/active", {"region": "eu-central-1"}, "region"),
    ("/active", {}, "region"),
    ("/active", {"region": "us-west-2", "terminate_active_contacts": "yes"}, "terminate_active_contacts"),
    ("/active", {"region": "us-west-2", "instance_arn": "arn:x"}, "region"),
    ("/contacts", {"type": "voice"}, "region"),
    ("/contacts", {"region": "us-east-1", "type": "fax"}, "type"),
    ("/contacts", {"region": "us-east-1", "phone_number": 5}, "phone_number"),
    ("/contacts", {"region": "us-east-1", "colour": "red"}, "colour"),
    ("/contacts/accept", {"region": "us-east-1", "contact_id": ""}, "contact_id"),
    ("/agent/state", {"region": "us-east-1", "state": "Sleeping"}, "state"),
    ("/agent/state", {"region": "us-east-1"}, "state"),
    ("/impair", {"region": "us-east-1", "ccp_page": "slow"}, "ccp_page"),
    ("/impair", {"region": "us-east-1", "no_ack": 1}, "no_ack"),
    ("/impair", {"region": "us-east-1", "active_region_status": 200}, "active_region_status"),
    ("/impair", {"region": "us-east-1", "latency_ms": -1}, "latency_ms"),
    ("/impair", {"no_ack": True}, "region"),
    ("/logs", {"region": "us-east-1", "count": 0}, "count"),
    ("/logs", {"region": "us-east-1", "count": True}, "count"),
    ("/logs", {"region": "us-east-1", "count": 2, "level": "LOUD"}, "level"),
    ("/session/expire", {"region": 7}, "region"),
    ("/framing", {"approved_origins": []}, "region"),
    ("/framing", {"region": "us-east-1", "approved_origins": ["https://crm.example.test/path"]}, "approved_origins"),
    ("/framing", {"region": "us-east-1", "approved_origins": ["http://crm.example.test"]}, "approved_origins"),
    ("/framing", {"region": "us-east-1", "approved_origins": "https://crm.example.test"}, "approved_origins"),
    ("/framing", {"region": "us-east-1", "x_frame_options": "ALLOW-FROM https://crm.example.test"}, "x_frame_options"),
    ("/impair/login", {"status": 200}, "status"),
    ("/impair/login", {"unreachable": "yes"}, "unreachable"),
    ("/session/global_signin", {"state": "missing"}, "region"),
    ("/session/global_signin", {"region": "us-east-1"}, "state"),
    ("/session/global_signin", {"region": "us-east-1", "state": "expired"}, "state"),
    ("/session/global_signin", {"region": "eu-west-1", "state": "valid"}, "region"),
    ("/reset", [], "body"),
])
def test_malformed_request_is_400_naming_the_field_and_changes_nothing(emulator_client, path, body, field):
    before = comparable(emulator_client.state())
    with pytest.raises(EmulatorError) as refused:
        emulator_client.request("POST", path, body)
    assert (refused.value.status, refused.value.field) == (400, field)
    assert field in refused.value.body["error"]
    assert comparable(emulator_client.state()) == before


def test_body_that_is_not_json_is_400(emulator):
    request = urllib.request.Request(emulator.control_url + "/contacts", data=b"{region:", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
    assert json.load(refused.value)["field"] == "body"


def test_unknown_route_and_wrong_method(emulator_client):
    with pytest.raises(EmulatorError) as missing:
        emulator_client.request("POST", "/nope", {})
    assert missing.value.status == 404
    with pytest.raises(EmulatorError) as wrong_method:
        emulator_client.request("GET", "/contacts")
    assert wrong_method.value.status == 405
