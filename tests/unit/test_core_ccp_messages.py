"""The CCP <-> host wire protocol: what the host sends, and the validating parser of what a CCP sends (the
shared events, with legacy DR's as the tab parses them; legacy DR's own messages: test_core_legacy_dr)."""
import pytest

from core_testdata import WEST_ARN, snapshot_data
from grccp.core import ccp_messages as cm
from grccp.core import legacy_dr
from grccp.core.errors import ProtocolError
from grccp.core.snapshot import AgentSnapshot

PARSERS = cm.parser_table(legacy_dr.LegacyDrRules.CCP_EVENTS)


def test_configure(config):
    assert legacy_dr.configure_message(config) == {"event": "configure", "data": {
        "softphone": {"allowFramedSoftphone": True, "disableRingtone": False},
        "pageOptions": {"enableAudioDeviceSettings": False, "enableVideoDeviceSettings": False,
                        "enablePhoneTypeSettings": True, "showInactivityModal": True},
        "showInactivityModal": True, "disasterRecoveryOn": True}}


def test_small_host_messages():
    assert cm.synchronize_message() == {"event": "synchronize"}
    assert cm.outer_context_info_message() == {"event": "outer_context_info", "data": {"streamsVersion": "2.28.1"}}


@pytest.mark.parametrize("message, expected", [
    ({"event": "acknowledge", "data": {"id": "1795482561573-abc"}}, ("acknowledge", {"id": "1795482561573-abc"})),
    ({"event": "acknowledge"}, ("acknowledge", None)),
    ({"event": "acknowledge", "data": None}, ("acknowledge", None)),
    ({"event": "acknowledge", "data": {"other": 1}}, ("acknowledge", None)),
    ({"event": "disasterRecovery::failover", "data": {"nextActiveArn": WEST_ARN}},
     ("disasterRecovery::failover", {"nextActiveArn": WEST_ARN, "isPrimary": None})),
    ({"event": "disasterRecovery::failover", "data": {"isPrimary": False, "nextActiveArn": WEST_ARN}},
     ("disasterRecovery::failover", {"nextActiveArn": WEST_ARN, "isPrimary": False})),
    ({"event": "disasterRecovery::failover", "data": {"isPrimary": False}},
     ("disasterRecovery::failover", {"nextActiveArn": None, "isPrimary": False})),
    ({"event": "disasterRecovery::failover_pending", "data": {"nextActiveArn": WEST_ARN}},
     ("disasterRecovery::failover_pending", {"nextActiveArn": WEST_ARN})),
    ({"event": "disasterRecovery::failover_pending", "data": {}},
     ("disasterRecovery::failover_pending", {"nextActiveArn": None})),
    ({"event": "disasterRecovery::failover_pending"}, ("disasterRecovery::failover_pending", {"nextActiveArn": None})),
    ({"event": "disasterRecovery::force_offline", "data": {"softFailover": True, "nextActiveArn": WEST_ARN}},
     ("disasterRecovery::force_offline", {"softFailover": True, "nextActiveArn": WEST_ARN})),
    ({"event": "disasterRecovery::force_offline"}, ("disasterRecovery::force_offline", None)),
    ({"event": "auth_fail", "data": {"authorize": True}}, ("auth_fail", None)),
    ({"event": "auth_fail"}, ("auth_fail", None)),
    ({"event": "terminated"}, ("terminated", None)),
    ({"event": "request_configure"}, ("request_configure", None)),
    ({"event": "api_response", "data": {"requestId": "r1", "data": {"x": 1}, "err": None}},
     ("api_response", {"requestId": "r1", "data": {"x": 1}, "err": None})),
    ({"event": "api_response", "data": {"requestId": "r2", "err": '{"type": "AccessDenied"}'}},
     ("api_response", {"requestId": "r2", "data": None, "err": '{"type": "AccessDenied"}'})),
    ({"event": "update_connected_ccps", "data": {"length": 2}}, ("ignored", "update_connected_ccps")),
    ({"event": "some::future_event", "data": [1, 2]}, ("ignored", "some::future_event")),
])
def test_parse(message, expected):
    assert cm.parse_ccp_message(message, PARSERS) == expected


def test_parse_agent_update_and_log():
    event, agent = cm.parse_ccp_message({"event": "agent::update", "data": snapshot_data()}, PARSERS)
    assert event == "agent::update" and isinstance(agent, AgentSnapshot)
    event, entry = cm.parse_ccp_message({"event": "log", "data": {"level": "INFO", "text": "hi", "loggerId": "w"}},
                                        PARSERS)
    assert event == "log" and entry["text"] == "hi"


@pytest.mark.parametrize("message", [
    None, "acknowledge", ["acknowledge"], 5, {}, {"event": ""}, {"event": None}, {"event": 3}, {"data": {}},
    {"event": "acknowledge", "data": "id"}, {"event": "acknowledge", "data": {"id": 7}},
    {"event": "agent::update"}, {"event": "agent::update", "data": {"snapshot": None}},
    {"event": "disasterRecovery::failover"}, {"event": "disasterRecovery::failover", "data": []},
    {"event": "disasterRecovery::failover", "data": {"nextActiveArn": 5}},
    {"event": "disasterRecovery::failover", "data": {"isPrimary": "false"}},
    {"event": "disasterRecovery::failover_pending", "data": "arn"},
    {"event": "disasterRecovery::failover_pending", "data": {"nextActiveArn": ["x"]}},
    {"event": "disasterRecovery::force_offline", "data": {"softFailover": "yes"}},
    {"event": "log"}, {"event": "log", "data": {"text": "no level"}},
    {"event": "auth_fail", "data": "x"}, {"event": "auth_fail", "data": {"authorize": 1}},
    {"event": "api_response"}, {"event": "api_response", "data": {"data": {}}},
    {"event": "api_response", "data": {"requestId": 5}},
    {"event": "api_response", "data": {"requestId": "r", "err": 1}},
])
def test_malformed(message):
    with pytest.raises(ProtocolError):
        cm.parse_ccp_message(message, PARSERS)


def test_api_request_message_is_the_streams_envelope():
    assert cm.api_request_message("r1", "getAgentSnapshot", {"nextToken": None}) == {
        "event": "api_request",
        "data": {"event": "api_request", "requestId": "r1", "method": "getAgentSnapshot",
                 "params": {"nextToken": None}}}


def test_event_catalogue():
    every = cm.ALL_EVENTS + legacy_dr.ALL_EVENTS
    assert len(set(every)) == len(every)
    assert set(cm.HANDLED_CCP_EVENTS) == set(cm.PARSERS)
    assert set(PARSERS) == set(cm.PARSERS) | set(legacy_dr.PARSERS)
    for event in cm.IGNORED_CCP_EVENTS:
        assert cm.parse_ccp_message({"event": event, "data": {"anything": [1]}}, PARSERS) == ("ignored", event)
    # an event of the protocol not spoken is not handled
    assert cm.parse_ccp_message({"event": legacy_dr.FAILOVER, "data": {}}) == ("ignored", legacy_dr.FAILOVER)
