"""The page API's relay (core.page_relay) and ACGR's page view (core.acgr.AcgrPageView): the rule table in both
directions (the spike's cases, spikes/page_api/test_relay_rules.py), the first ACK, keep-alives, agent data,
request routing, and what the page's Streams is told of the tab's decisions."""
import pytest

from core_testdata import EAST, WEST, make_acgr_config, make_config, snapshot_data
from grccp.core import acgr, legacy_dr, page_relay as pr, protocols
from grccp.core.config import page_api_enabled, page_api_matches, parse_config

GR = "globalResiliency::"


def api(method="putAgentState", request_id="1-a"):
    return {"event": "api_request", "data": {"event": "api_request", "requestId": request_id, "method": method,
                                             "params": {}}}


def master(method, topic, passive=False):
    params = dict({"topic": topic}, **({"shouldNotBecomeMasterIfNone": True} if passive else {}))
    return {"event": "master_request", "data": {"event": "master_request", "requestId": "2-b", "method": method,
                                                "params": params}}


def broadcast(inner):
    return {"event": "broadcast", "data": {"event": inner, "data": {}}}


def verdict(message):
    """The spike's words for host_verdict: forward / answer:<event> / answer-keepalive / answer-agent-data /
    protocol (the page view's to judge) / drop."""
    kind, detail = pr.host_verdict(message)
    if kind == pr.ANSWER:
        if isinstance(detail, dict):
            return "answer:" + detail["event"]
        return {pr.SYNCHRONIZE: "answer-keepalive", pr.FETCH_AGENT_DATA: "answer-agent-data"}[detail]
    return {pr.FORWARD: "forward", pr.DROP: "drop", None: "protocol"}[kind]


HOST_TABLE = [
    (api(), "forward"), (api("not a method!"), "drop"), (api(request_id=""), "drop"),
    (master("checkMaster", "crm::popups"), "forward"), (master("becomeMaster", "crm::popups"), "forward"),
    (master("becomeMaster", "connect::failover"), "answer:master_response"),
    (master("checkMaster", "connect::softphone"), "answer:master_response"),
    (master("checkMaster", "connect::failover", passive=True), "forward"),
    (broadcast("log"), "forward"), (broadcast("client_metric"), "forward"),
    (broadcast("contact::accepted::c-1"), "forward"), (broadcast("mute"), "forward"),
    (broadcast("disasterRecovery::failover"), "drop"), (broadcast(GR + "failover_initiated"), "drop"),
    (broadcast("agent::update"), "drop"), (broadcast("acknowledge"), "drop"), (broadcast("api_response"), "drop"),
    (broadcast("configuration::configure"), "drop"), (broadcast("auth_fail"), "drop"),
    (broadcast("contact::accepted::"), "drop"),
    ({"event": "reload_agent_configuration"}, "forward"), ({"event": "media_device_request"}, "forward"),
    ({"event": "webSocket::subscribe", "data": ["topic"]}, "forward"),
    ({"event": "synchronize"}, "answer-keepalive"),
    ({"event": "agent::fetch_agent_data_from_ccp"}, "answer-agent-data"),
    # the protocol's page view judges these (ACGR: below); for any other it is a drop
    ({"event": GR + "validate_global_signin"}, "protocol"), ({"event": GR + "force_failover"}, "protocol"),
    ({"event": "download_log_from_ccp"}, "protocol"),
    ({"event": "configure", "data": {}}, "protocol"), ({"event": "close"}, "protocol"),
    ({"event": "acknowledge", "data": {"id": "x"}}, "protocol"),
    ({"event": ""}, "drop"), ("text", "drop"), (None, "drop"), ({"event": "x" * 251}, "drop"),
]


@pytest.mark.parametrize("message, expected", HOST_TABLE, ids=[str(i) for i in range(len(HOST_TABLE))])
def test_host_to_ccp_table(message, expected):
    assert verdict(message) == expected


CCP_TABLE = [
    ({"event": "agent::update", "data": {}}, True, pr.FORWARD),
    ({"event": "agent::update", "data": {}}, False, pr.DROP),
    ({"event": "api_response", "data": {}}, True, pr.ROUTE), ({"event": "master_response", "data": {}}, False, pr.ROUTE),
    ({"event": "acknowledge", "data": {"id": "x"}}, True, pr.DROP), ({"event": "request_configure"}, True, pr.DROP),
    ({"event": "disasterRecovery::failover", "data": {}}, True, pr.DROP),
    ({"event": GR + "failover_initiated", "data": {}}, True, pr.DROP),
    ({"event": "contact::accepted", "data": {}}, True, pr.FORWARD), ({"event": "auth_fail"}, True, pr.FORWARD),
    ({"event": "update_connected_ccps", "data": {}}, True, pr.FORWARD), ("text", True, pr.DROP),
]


@pytest.mark.parametrize("message, active, expected", CCP_TABLE, ids=[str(i) for i in range(len(CCP_TABLE))])
def test_ccp_to_host_table(message, active, expected):
    assert pr.ccp_verdict(message, active) == expected


@pytest.fixture
def relay():
    config = make_acgr_config()
    return pr.PageRelay(config.region_keys, protocols.page_view_for(config, EAST))


def to_ccp(region, message):
    return {"kind": "to-ccp", "region": region, "msg": message}


def acked(relay, now=0):
    """Both regions' real CCPs acknowledged, both page hosts ready: what the page got."""
    out = []
    for region in (EAST, WEST):
        out += relay.on_ccp(region, {"event": "acknowledge", "data": {"id": "port-" + region}}, now)
        out += relay.on_page({"kind": "host-ready", "region": region}, now)
    return out


def test_first_ack_waits_for_both_sides_then_brings_the_regions_data(relay):
    agent = snapshot_data()
    assert relay.on_page({"kind": "host-ready", "region": EAST}, 0) == []
    assert relay.on_page(to_ccp(EAST, api()), 0) == []  # before its ACK: lost, as with a CCP still loading
    relay.on_ccp(EAST, {"event": "update_connected_ccps", "data": {"length": 1}}, 0)
    relay.on_ccp(EAST, {"event": "agent::update", "data": agent}, 0)
    assert relay.on_ccp(EAST, {"event": "acknowledge", "data": {"id": "p1"}}, 0) == [
        ("page", EAST, {"event": "acknowledge", "data": {"id": "p1"}}),
        ("page", EAST, {"event": "update_connected_ccps", "data": {"length": 1}}),
        ("page", EAST, {"event": "agent::update", "data": agent})]
    # the stand-by region's host is acknowledged too, without the agent's data (inactive in ACGR)
    relay.on_ccp(WEST, {"event": "agent::update", "data": agent}, 0)
    relay.on_ccp(WEST, {"event": "acknowledge", "data": {"id": "p2"}}, 0)
    assert relay.on_page({"kind": "host-ready", "region": WEST}, 0) == [
        ("page", WEST, {"event": "acknowledge", "data": {"id": "p2"}})]
    assert relay.on_ccp(WEST, {"event": "acknowledge", "data": {"id": "p3"}}, 0) == []  # once


def test_keep_alive_answered_while_the_real_ccp_answers(relay):
    acked(relay, now=1000)
    assert relay.on_page(to_ccp(EAST, {"event": "synchronize"}), 1000 + pr.ALIVE_MS - 1) == [
        ("page", EAST, {"event": "acknowledge"})]
    assert relay.on_page(to_ccp(EAST, {"event": "synchronize"}), 1000 + pr.ALIVE_MS) == []


def test_agent_data_is_answered_or_asked_of_the_ccp(relay):
    acked(relay)
    fetch = {"event": "agent::fetch_agent_data_from_ccp"}
    assert relay.on_page(to_ccp(EAST, fetch), 0) == [("ccp", EAST, fetch)]
    data = snapshot_data()
    assert relay.on_ccp(EAST, {"event": "agent::fetch_agent_data_from_ccp", "data": data}, 0) == [
        ("page", EAST, {"event": "agent::fetch_agent_data_from_ccp", "data": data})]
    assert relay.on_page(to_ccp(EAST, fetch), 0) == [("page", EAST, dict(fetch, data=data))]


def test_responses_go_only_to_the_pages_own_request_in_its_region(relay):
    acked(relay)
    assert relay.on_page(to_ccp(EAST, api(request_id="r1")), 0) == [("ccp", EAST, api(request_id="r1"))]
    response = {"event": "api_response", "data": {"requestId": "r1", "data": {}}}
    assert relay.on_ccp(WEST, response, 0) == []          # not the region it was sent to
    assert relay.on_ccp(EAST, {"event": "api_response", "data": {"requestId": "other"}}, 0) == []
    assert relay.on_ccp(EAST, response, 0) == [("page", EAST, response)]
    assert relay.on_ccp(EAST, response, 0) == []          # answered once


def test_tracking_is_bounded(relay):
    acked(relay)
    for n in range(pr.MAX_TRACKED + 10):
        relay.on_page(to_ccp(EAST, api(request_id=f"r{n}")), 0)
    assert len(relay.tracked) == pr.MAX_TRACKED and "r0" not in relay.tracked


def test_malformed_port_messages_are_dropped(relay):
    acked(relay)
    for message in (None, "x", {"kind": "to-ccp"}, {"kind": "to-ccp", "region": "eu-west-1", "msg": api()},
                    {"kind": "what", "region": EAST}, to_ccp(EAST, broadcast(GR + "failover_initiated")),
                    to_ccp(EAST, {"event": "close"})):
        assert relay.on_page(message, 0) == []
    assert relay.dropped == 7


def test_acgr_page_view_answers_the_sign_in_check_and_turns_force_failover_into_one_request(relay):
    acked(relay)
    check = {"event": GR + "validate_global_signin"}
    assert relay.on_page(to_ccp(WEST, check), 0) == [
        ("page", WEST, {"event": GR + "global_signin_valid"}),
        ("page", WEST, {"event": GR + "init", "data": {"instanceRegion": WEST, "instanceState": "inactive",
                                                        "activeRegion": EAST}})]
    force = {"event": GR + "force_failover"}
    assert relay.on_page(to_ccp(EAST, force), 0) == [("request", "force-failover", {})]
    assert relay.on_page(to_ccp(WEST, force), 0) == []  # Streams sends it to both stand-ins: one wish
    for event in ("configure", "close", "terminate", "download_log_from_ccp", GR + "failover_complete",
                  GR + "configure_ccp_conduit", "disasterRecovery::suppress"):
        assert relay.on_page(to_ccp(EAST, {"event": event, "data": {}}), 0) == [], event


def test_acgr_only_the_active_regions_traffic_reaches_the_page(relay):
    acked(relay)
    update = {"event": "agent::update", "data": snapshot_data()}
    assert relay.on_ccp(EAST, update, 0) == [("page", EAST, update)]
    assert relay.on_ccp(WEST, update, 0) == []


class Rules:
    """What AcgrPageView reads of a tab's AcgrRules."""

    def __init__(self, shown=EAST, detected_target=None, pending_target=None):
        self.shown, self.detected_target, self.pending_target = shown, detected_target, pending_target


def test_acgr_page_view_tells_detected_pending_and_the_switch_in_gr_terms(relay):
    acked(relay)
    west_agent = snapshot_data(state_name="Offline", state_type="offline")
    relay.on_ccp(WEST, {"event": "agent::update", "data": west_agent}, 0)
    detected = {"event": GR + "failover_detected", "data": {"activeRegion": WEST}}
    assert relay.on_decisions(Rules(detected_target=WEST)) == [("page", EAST, detected)]
    assert relay.on_decisions(Rules(detected_target=WEST)) == []  # told once
    assert relay.on_decisions(Rules(detected_target=WEST, pending_target=WEST)) == [
        ("page", EAST, {"event": GR + "failover_pending", "data": {"activeRegion": WEST}})]
    assert relay.on_decisions(Rules(shown=WEST, detected_target=WEST)) == [
        ("page", WEST, {"event": GR + "failover_initiated", "data": {"activeRegion": WEST}}),
        ("page", WEST, {"event": "agent::update", "data": west_agent})]
    # a tab that follows the background (no detected here) tells the whole switch; back to EAST
    assert relay.on_decisions(Rules(shown=EAST, detected_target=WEST)) == [
        ("page", WEST, {"event": GR + "failover_detected", "data": {"activeRegion": EAST}}),
        ("page", EAST, {"event": GR + "failover_initiated", "data": {"activeRegion": EAST}})]


def test_decisions_wait_for_the_pages_host():
    config = make_acgr_config()
    relay = pr.PageRelay(config.region_keys, protocols.page_view_for(config, EAST))
    assert relay.on_decisions(Rules(detected_target=WEST)) == []


def test_each_protocol_has_its_page_view():
    assert isinstance(protocols.page_view_for(make_acgr_config(), EAST), acgr.AcgrPageView)
    assert isinstance(protocols.page_view_for(make_config(), EAST), legacy_dr.LegacyDrPageView)
    assert {cls.MAIN_FILES: cls.REGIONAL_REALMS for cls in protocols.PAGE_VIEWS.values()} == {
        "page_api_main": False, "page_api_legacy_main": True}


def test_the_opt_in_is_per_allowlisted_pattern_port_included():
    config = make_acgr_config(allowlist=["https://crm.example.test:8443/*", "https://crm2.example.test/app*"],
                              pageApi=["https://crm2.example.test/app*"], pageApiForceFailover=True)
    assert [p.text for p in config.page_api] == ["https://crm2.example.test/app*"] and config.page_api_force_failover
    assert page_api_matches(config) == ["https://crm2.example.test/app*"]
    assert page_api_enabled("https://crm2.example.test/app/x", config)
    assert not page_api_enabled("https://crm2.example.test:444/app/x", config)
    assert not page_api_enabled("https://crm.example.test:8443/app", config)
    assert make_acgr_config().page_api == () and not make_acgr_config().page_api_force_failover  # default off
    assert parse_config(config.to_dict()).to_dict() == config.to_dict()


def test_page_api_entries_must_be_allowlist_entries():
    from grccp.core.config import validate_config
    from core_testdata import example
    obj = dict(example("minimal"), pageApi=["https://crm.example.test/*", "https://elsewhere.example.test/*",
                                            "https://crm.example.test/*", "http://x", 7])
    errors = {(e.path, e.rule) for e in validate_config(obj)}
    assert errors == {("pageApi/1", "page-api-allowlisted"), ("pageApi/2", "unique-items"),
                      ("pageApi/3", "page-pattern"), ("pageApi/4", "type")}
    assert {(e.path, e.rule) for e in validate_config(dict(example("minimal"), pageApi="x"))} == {("pageApi", "type")}


def test_an_open_tab_keeps_its_ccps_when_only_the_page_api_changes():
    from grccp.core import tab_config
    before = make_acgr_config()
    after = make_acgr_config(pageApi=list(before.allowlist), pageApiForceFailover=True)
    assert tab_config.follow(before, after, "https://crm.example.test/x") == tab_config.KEEP
