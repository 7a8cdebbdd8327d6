"""The emulated agent in one instance: CTI API effects and snapshots (no server, no browser)."""
import pytest

from emulator.agent_model import DATE_KEYS, AgentModel, ApiError
from emulator.config import default_instances


class Clock:
    def __init__(self):
        self.now = 1_700_000_000_000

    def __call__(self):
        self.now += 1000
        return self.now


@pytest.fixture
def agent():
    return AgentModel(default_instances()[0], clock=Clock())


def only_contact(agent):
    (contact,) = agent.snapshot()["contacts"]
    return contact


def agent_connection(contact):
    return next(c for c in contact["connections"] if c["type"] == "agent")


def test_idle_agent_is_available_with_an_offline_state_to_choose(agent):
    snapshot = agent.snapshot()
    assert snapshot["state"]["name"] == "Available" and snapshot["state"]["type"] == "routable"
    assert snapshot["contacts"] == [] and snapshot["nextState"] is None
    types = [s["type"] for s in agent.configuration()["agentStates"]]
    assert "offline" in types and "routable" in types


def test_voice_call_lifecycle_connecting_connected_ended_cleared(agent):
    contact_id = agent.route_contact("voice")
    assert only_contact(agent)["state"]["type"] == "connecting"
    agent.accept_contact({"contactId": contact_id})
    assert only_contact(agent)["state"]["type"] == "connected"
    assert agent.state_name() == "Busy"
    agent.hang_up(contact_id)
    contact = only_contact(agent)
    assert contact["state"]["type"] == "ended"
    assert {c["state"]["type"] for c in contact["connections"]} == {"disconnected"}
    assert agent.state_name() == "AfterCallWork"
    agent.clear_contact({"contactId": contact_id})
    assert agent.snapshot()["contacts"] == [] and agent.state_name() == "Available"


def test_queue_callback_is_offered_as_incoming(agent):
    agent.route_contact("queue_callback")
    contact = only_contact(agent)
    assert contact["type"] == "queue_callback" and contact["state"]["type"] == "incoming"


def test_destroying_the_agent_connection_moves_through_acw_then_removes(agent):
    contact_id = agent.route_contact("voice")
    agent.accept_contact({"contactId": contact_id})
    connection_id = agent_connection(only_contact(agent))["connectionId"]
    agent.call("destroyConnection", {"contactId": contact_id, "connectionId": connection_id})
    assert only_contact(agent)["state"]["type"] == "ended"
    agent.call("destroyConnection", {"contactId": contact_id, "connectionId": connection_id})
    assert agent.snapshot()["contacts"] == []


def test_reject_removes_a_ringing_contact(agent):
    contact_id = agent.route_contact("chat")
    agent.call("rejectContact", {"contactId": contact_id})
    assert agent.snapshot()["contacts"] == []


def test_hold_and_resume_the_customer_connection(agent):
    contact_id = agent.route_contact("voice")
    agent.accept_contact({"contactId": contact_id})
    customer = next(c for c in only_contact(agent)["connections"] if c["type"] == "inbound")
    ids = {"contactId": contact_id, "connectionId": customer["connectionId"]}
    agent.call("holdConnection", ids)
    assert next(c for c in only_contact(agent)["connections"] if c["type"] == "inbound")["state"]["type"] == "hold"
    agent.call("resumeConnection", ids)
    assert next(c for c in only_contact(agent)["connections"] if c["type"] == "inbound")["state"]["type"] == "connected"


def test_outbound_call_dials_the_endpoint(agent):
    result = agent.call("createOutboundContact", {"endpoint": {"type": "phone_number", "phoneNumber": "+15550001"}})
    contact = only_contact(agent)
    assert contact["contactId"] == result["contactId"] and contact["state"]["type"] == "connecting"
    with pytest.raises(ApiError):
        agent.call("createOutboundContact", {"endpoint": {}})


def test_put_agent_state_by_arn_and_enqueued_next_state(agent):
    offline = next(s for s in agent.agent_states if s["type"] == "offline")
    agent.call("putAgentState", {"state": offline})
    assert agent.state_name() == "Offline" and not agent.is_routable()
    agent.set_state_by_name("Available")
    contact_id = agent.route_contact("voice")
    agent.call("putAgentState", {"state": offline, "enqueueNextState": True})
    assert agent.snapshot()["nextState"]["name"] == "Offline" and agent.selected_state()["name"] == "Available"
    agent.hang_up(contact_id)  # never answered: abandoned, removed, the enqueued state applies
    assert agent.state_name() == "Offline" and agent.snapshot()["nextState"] is None


def test_state_timestamp_moves_only_when_the_name_changes(agent):
    first = agent.snapshot()["state"]["startTimestamp"]
    assert agent.snapshot()["state"]["startTimestamp"] == first
    agent.set_state_by_name("Break")
    assert agent.snapshot()["state"]["startTimestamp"] > first


def test_routing_needs_a_routable_agent_unless_forced(agent):
    agent.set_state_by_name("Offline")
    with pytest.raises(ApiError) as refused:
        agent.route_contact("voice")
    assert refused.value.status_code == 409
    agent.route_contact("voice", force=True)


@pytest.mark.parametrize("method, params, error_type", [
    ("acceptContact", {"contactId": "nope"}, "ResourceNotFoundException"),
    ("clearContact", {"contactId": "nope"}, "ResourceNotFoundException"),
    ("putAgentState", {"state": {"agentStateARN": "arn:nope"}}, "InvalidStateException"),
    ("fooBar", {}, "UnsupportedOperationException"),
])
def test_api_errors_are_typed(agent, method, params, error_type):
    with pytest.raises(ApiError) as error:
        agent.call(method, params)
    assert error.value.as_dict()["type"] == error_type


def test_get_agent_snapshot_answers_the_present_snapshot(agent):
    contact_id = agent.route_contact("voice")
    answer = agent.call("getAgentSnapshot", {"nextToken": None})
    assert answer["nextToken"] is None
    assert [c["contactId"] for c in answer["snapshot"]["contacts"]] == [contact_id]
    assert answer["snapshot"]["state"]["name"] == agent.snapshot()["state"]["name"]


def test_clear_refuses_an_active_contact(agent):
    contact_id = agent.route_contact("voice")
    with pytest.raises(ApiError):
        agent.clear_contact({"contactId": contact_id})


def test_snapshot_timestamps_are_epoch_milliseconds_under_the_date_keys(agent):
    agent.route_contact("voice")
    found = set()

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in DATE_KEYS:
                    assert isinstance(item, int) and item > 1_600_000_000_000
                    found.add(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(agent.snapshot())
    assert {"startTimestamp", "timeStamp", "snapshotTimestamp", "timestamp"} <= found


def test_configuration_carries_the_agent_queue_for_log_agent_resource_id(agent):
    queues = agent.configuration()["routingProfile"]["queues"]
    assert any(q["queueARN"].endswith(f"/queue/agent/{agent.agent_id}") for q in queues)


def test_get_agent_states_pages_the_states_the_agent_may_choose(agent):
    first = agent.call("getAgentStates", {"nextToken": None, "maxResults": 2})
    assert [s["name"] for s in first["states"]] == ["Available", "Break"] and first["nextToken"] == "2"
    rest = agent.call("getAgentStates", {"nextToken": first["nextToken"], "maxResults": 2})
    assert [s["name"] for s in rest["states"]] == ["Offline"] and rest["nextToken"] is None
    assert agent.call("getAgentStates", {})["states"] == agent.configuration()["agentStates"]
    with pytest.raises(ApiError):
        agent.call("getAgentStates", {"maxResults": 0})
