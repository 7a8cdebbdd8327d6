"""The CCP <-> host wire protocol: what the host sends, and the validating parser of what a CCP sends."""
import pytest

from core_testdata import EAST, EAST_ARN, WEST, WEST_ARN, LOGIN, snapshot_data
from grccp.core import ccp_messages as cm
from grccp.core.errors import ProtocolError
from grccp.core.snapshot import AgentSnapshot


def test_configure(config):
    assert cm.configure_message(config) == {"event": "configure", "data": {
        "softphone": {"allowFramedSoftphone": True, "disableRingtone": False},
        "pageOptions": {"enableAudioDeviceSettings": False, "enableVideoDeviceSettings": False,
                        "enablePhoneTypeSettings": True, "showInactivityModal": True},
        "showInactivityModal": True, "disasterRecoveryOn": True}}


def test_init_disaster_recovery_for_the_region_displayed_first(config):
    message = cm.init_disaster_recovery_message(config, EAST, displayed_first=True)
    assert message["event"] == "disasterRecovery::init_disaster_recovery"
    data = message["data"]
    assert (data["region"], data["instanceArn"], data["otherArn"]) == (EAST, EAST_ARN, WEST_ARN)
    assert data["pollForFailover"] is True and data["isPrimary"] is True and data["disasterRecoveryOn"] is True
    assert (data["loginUrl"], data["loginPopup"]) == (LOGIN, True)
    assert (data["ccpAckTimeout"], data["ccpSynTimeout"], data["ccpLoadTimeout"]) == (3000, 1000, 5000)
    assert data["softphone"] == config.softphone and data["pageOptions"] == config.page_options


def test_init_disaster_recovery_for_the_stand_by(config):
    data = cm.init_disaster_recovery_message(config, WEST, displayed_first=False)["data"]
    assert (data["region"], data["instanceArn"], data["otherArn"]) == (WEST, WEST_ARN, EAST_ARN)
    assert "isPrimary" not in data and data["loginPopup"] is False


def test_the_ccp_gets_the_region_name_without_suffix():
    from core_testdata import make_config
    config = make_config(regions=[
        {"region": "us-east-1.blue", "ccpUrl": "https://blue.example.test/", "instanceArn": EAST_ARN},
        {"region": "us-east-1.green", "ccpUrl": "https://green.example.test/",
         "instanceArn": EAST_ARN.replace("11111111-1111-4111-8111-111111111111",
                                         "33333333-3333-4333-8333-333333333333")}])
    assert cm.init_disaster_recovery_message(config, "us-east-1.green", False)["data"]["region"] == "us-east-1"


def test_small_host_messages():
    assert cm.synchronize_message() == {"event": "synchronize"}
    assert cm.outer_context_info_message() == {"event": "outer_context_info", "data": {"streamsVersion": "2.28.1"}}
    assert cm.suppress_message(True) == {"event": "disasterRecovery::suppress",
                                         "data": {"suppress": True, "shouldSendFailoverDownstream": False}}
    assert cm.suppress_message(False)["data"]["suppress"] is False
    assert cm.set_offline_message() == {"event": "disasterRecovery::set_offline"}
    assert cm.set_offline_message(True) == {"event": "disasterRecovery::set_offline", "data": {"softFailover": True}}


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
    ({"event": "api_response", "data": {"requestId": "r1", "data": {"x": 1}, "err": None}}, ("ignored", "api_response")),
    ({"event": "update_connected_ccps", "data": {"length": 2}}, ("ignored", "update_connected_ccps")),
    ({"event": "some::future_event", "data": [1, 2]}, ("ignored", "some::future_event")),
])
def test_parse(message, expected):
    assert cm.parse_ccp_message(message) == expected


def test_parse_agent_update_and_log():
    event, agent = cm.parse_ccp_message({"event": "agent::update", "data": snapshot_data()})
    assert event == "agent::update" and isinstance(agent, AgentSnapshot)
    event, entry = cm.parse_ccp_message({"event": "log", "data": {"level": "INFO", "text": "hi", "loggerId": "w"}})
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
])
def test_malformed(message):
    with pytest.raises(ProtocolError):
        cm.parse_ccp_message(message)


def test_handshake():
    assert cm.is_handshake(*cm.parse_ccp_message({"event": "acknowledge", "data": {"id": "p"}}))
    assert not cm.is_handshake(*cm.parse_ccp_message({"event": "acknowledge"}))
    assert not cm.is_handshake("ignored", "acknowledge")


def test_event_catalogue():
    assert len(set(cm.ALL_EVENTS)) == len(cm.ALL_EVENTS)
    assert set(cm.HANDLED_CCP_EVENTS) == set(cm._PARSERS)
    for event in cm.IGNORED_CCP_EVENTS:
        assert cm.parse_ccp_message({"event": event, "data": {"anything": [1]}}) == ("ignored", event)
