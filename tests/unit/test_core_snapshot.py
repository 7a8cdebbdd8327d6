"""agent::update interpretation: voice contacts, after-call work, summaries, strict shapes."""
import copy

import pytest

from core_testdata import snapshot_data
from grccp.core import snapshot
from grccp.core.errors import ProtocolError

VOICE = snapshot.VOICE_CONTACT_TYPES
VOICE_AND_CHAT = ("voice", "queue_callback", "chat")  # ACGR's


def test_idle_agent():
    agent = snapshot.parse_agent_update(snapshot_data())
    assert (agent.state_name, agent.state_type, agent.state_since_ms) == ("Available", "routable", 1767261605000)
    assert agent.contacts == () and agent.blocking_contact(VOICE) is None and not agent.after_call_work
    assert agent.agent_resource_id == "agent-1"


def test_the_protocols_blocking_contacts_block_in_any_state():
    agent = snapshot.parse_agent_update(snapshot_data(state_name="Busy", state_type="system", contacts=[
        ("chat-1", "chat", "connected"), ("cb-1", "queue_callback", "incoming"), ("v-1", "voice", "connected")]))
    assert [c.contact_id for c in agent.blocking_contacts(VOICE)] == ["cb-1", "v-1"]
    assert agent.blocking_contact(VOICE).contact_id == "cb-1"
    assert agent.blocking_contact(VOICE_AND_CHAT).contact_id == "chat-1"
    summary = agent.to_summary(VOICE)
    assert summary["otherContactCount"] == 1 and [c["contactId"] for c in summary["blockingContacts"]] == [
        "cb-1", "v-1"]
    assert snapshot.summary_problem(summary) is None
    summary = agent.to_summary(VOICE_AND_CHAT)
    assert summary["otherContactCount"] == 0 and [(c["contactId"], c["type"]) for c in summary["blockingContacts"]] \
        == [("chat-1", "chat"), ("cb-1", "queue_callback"), ("v-1", "voice")]
    assert snapshot.summary_problem(summary) is None


def test_after_call_work():
    agent = snapshot.parse_agent_update(snapshot_data(acw=True, contacts=[("v-1", "voice", "ended")]))
    assert agent.after_call_work and agent.blocking_contact(VOICE).contact_id == "v-1"
    by_contact_only = snapshot.parse_agent_update(snapshot_data(state_name="Busy", contacts=[("t", "task", "ended")]))
    assert by_contact_only.after_call_work and by_contact_only.blocking_contact(VOICE) is None


def test_timestamps_as_numbers_or_iso_text_and_unknown_fields_ignored():
    data = snapshot_data(contacts=[("v-1", "voice", "connected")])
    data["snapshot"]["state"]["startTimestamp"] = 1767261600000
    data["snapshot"]["contacts"][0]["state"]["timestamp"] = "2026-01-01T10:00:00.000Z"
    data["snapshot"]["somethingNew"] = {"x": [1]}
    data["snapshot"]["nextState"] = {"name": "Offline", "type": "offline"}
    agent = snapshot.parse_agent_update(data)
    assert agent.state_since_ms == 1767261600000 and agent.contacts[0].state_since_ms == 1767261600000
    assert agent.next_state_name == "Offline"


def test_optional_parts_may_be_missing():
    data = snapshot_data()
    del data["configuration"]
    del data["snapshot"]["state"]["startTimestamp"]
    agent = snapshot.parse_agent_update(data)
    assert agent.agent_resource_id is None and agent.state_since_ms is None


def _broken(change):
    data = snapshot_data(contacts=[("v-1", "voice", "connected")])
    change(data)
    return data


@pytest.mark.parametrize("change", [
    lambda d: d.clear(),
    lambda d: d.__setitem__("snapshot", []),
    lambda d: d["snapshot"].pop("state"),
    lambda d: d["snapshot"]["state"].pop("name"),
    lambda d: d["snapshot"]["state"].__setitem__("type", None),
    lambda d: d["snapshot"]["state"].__setitem__("startTimestamp", "soon"),
    lambda d: d["snapshot"].pop("contacts"),
    lambda d: d["snapshot"].__setitem__("contacts", {}),
    lambda d: d["snapshot"]["contacts"].append(None),
    lambda d: d["snapshot"]["contacts"][0].pop("contactId"),
    lambda d: d["snapshot"]["contacts"][0].__setitem__("contactId", ""),
    lambda d: d["snapshot"]["contacts"][0].__setitem__("type", 1),
    lambda d: d["snapshot"]["contacts"][0].__setitem__("state", "connected"),
    lambda d: d["snapshot"]["contacts"][0]["state"].__setitem__("timestamp", True),
    lambda d: d["snapshot"].__setitem__("nextState", "Offline"),
    lambda d: d["snapshot"].__setitem__("nextState", {"name": 3}),
    lambda d: d.__setitem__("configuration", "x"),
    lambda d: d["configuration"]["routingProfile"].__setitem__("queues", {}),
    lambda d: d["configuration"]["routingProfile"]["queues"].append(7),
    lambda d: d["configuration"]["routingProfile"]["queues"][0].__setitem__("queueARN", 7),
])
def test_malformed_updates(change):
    with pytest.raises(ProtocolError):
        snapshot.parse_agent_update(_broken(change))


@pytest.mark.parametrize("data", [None, "x", 1, []])
def test_non_objects(data):
    with pytest.raises(ProtocolError):
        snapshot.parse_agent_update(data)


def test_summary_problem():
    summary = snapshot.parse_agent_update(snapshot_data(contacts=[("v", "voice", "connected")])).to_summary(VOICE)
    assert snapshot.summary_problem(summary) is None
    for key, value in [("stateName", None), ("otherContactCount", -1), ("afterCallWork", 0),
                       ("blockingContacts", [{"contactId": "", "type": "chat", "stateType": "x",
                                              "stateSinceMs": None}]),
                       ("blockingContacts", [{"contactId": "c", "type": 5, "stateType": "x", "stateSinceMs": None}]),
                       ("bogus", 1)]:
        broken = copy.deepcopy(summary)
        broken[key] = value
        assert snapshot.summary_problem(broken) is not None, key
