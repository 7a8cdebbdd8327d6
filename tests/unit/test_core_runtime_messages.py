"""Runtime messages: the table, make_message and parse_message."""
import pytest

from core_testdata import EAST, WEST, snapshot_data
from grccp.core import logs
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import MAX_LOG_BATCH, MESSAGE_TYPES, make_message, parse_message, parse_reply
from grccp.core.snapshot import parse_agent_update

ENTRY = logs.make_entry("INFO", "hello", 0, "logger-1")
SUMMARY = parse_agent_update(snapshot_data(contacts=[("c-1", "voice", "connected")])).to_summary(("voice",))

# One valid message of every type (the test below checks the list is complete).
VALID = {
    "cs:hello": {"url": "https://crm.example.test/app"},
    "cs:region-state": {"region": EAST, "epoch": 3},
    "cs:ccp-health": {"region": EAST, "health": "ready", "detail": None},
    "cs:agent-update": {"region": EAST, "agent": SUMMARY},
    "cs:failover-detected": {"region": EAST, "soft": None, "epoch": 0},
    "cs:failover-pending": {"region": EAST, "contactId": "c-1", "contactType": "chat", "epoch": 0},
    "cs:failover-initiated": {"region": EAST, "epoch": 0},
    "cs:switch-complete": {"region": EAST, "fromRegion": "us-west-2", "epoch": 1},
    "cs:region-announced": {"region": EAST, "instanceRegion": EAST, "activeRegion": None, "shown": EAST,
                            "epoch": 1},
    "cs:log-batch": {"region": EAST, "entries": [ENTRY]},
    "cs:relayed-logs": {"region": EAST, "loggerId": "tab-1", "blocks": [
        {"lines": '[{"level": "INFO", "text": "x"}]', "receivedMs": 5, "agentResourceId": None}]},
    "cs:need-login": {"region": EAST},
    "cs:goodbye": {},
    "cs:panel-returned": {"returns": 2, "gaveUp": False},
    "cs:page-request": {"request": "force-failover"},
    "cs:load-streams": {"region": EAST, "document": "1764727200123.4"},
    "bg:streams-loaded": {},
    "bg:welcome": {"allowed": True, "config": {"regions": []}, "activeRegion": EAST, "epoch": 5, "failover": None},
    "bg:config": {"allowed": False, "config": None, "activeRegion": None, "epoch": 0, "failover": None},
    "bg:region-changed": {"region": EAST, "epoch": 2, "failover": {"target": "us-west-2", "pending": True},
                          "forced": False},
    "bg:switch-now": {"region": EAST},
    "bg:check-contacts": {"region": EAST},
    "bg:framing-refused": {"region": EAST, "detail": "us-east-1 does not list https://crm.example.com ..."},
    "cs:contacts": {"region": EAST, "agent": SUMMARY, "error": None},
    "bg:keep-agent-state": {"region": EAST, "state": {"name": "Break", "type": "not_routable"},
                            "baseline": {"stateName": "Offline", "stateSinceMs": 5}},
    "cs:agent-state": {"region": EAST, "outcome": "agent", "stateName": "Break", "error": None},
    "popup:get-status": {},
    "popup:download-logs": {},
    "bg:status": {"status": {"configured": False}},
    "popup:switch-now": {"region": EAST},
    "popup:sign-in": {"region": WEST},
    "bg:switch-now-result": {"ok": False, "error": "no failover is pending"},
    "popup:manual-failover": {"region": WEST},
    "bg:manual-failover-result": {"switched": False, "message": "us-east-1 is already active: nothing to do"},
    "bg:log-export": {"files": [{"region": EAST, "fileName": "us-east-1-agent-log.txt",
                                 "chunks": [{"index": 0, "archived": True}, {"index": 1, "key": "log:us-east-1:1"},
                                            {"index": 2, "text": "    {}"}],
                                 "open": "    {}", "skip": 0, "count": 1501}],
                      "filterByLogLevel": False, "exportId": 3},
    "popup:log-export-done": {"exportId": 3},
    "options:get-config": {},
    "options:save-config": {"config": {"anything": "goes; the background validates it"}},
    "bg:config-state": {"local": None, "managed": None, "managedFields": [], "effective": None,
                        "errors": [{"path": "loginUrl", "rule": "required", "message": "is required"}]},
    "bg:save-result": {"ok": False, "errors": []},
    "options:check-config": {},
    "bg:config-check": {"findings": [{"check": "ccp-answers", "region": "us-east-1", "ok": False,
                                      "message": "us-east-1: the CCP URL ... answered HTTP 503: ..."},
                                     {"check": "login-answers", "region": None, "ok": True, "message": "..."}]},
    "bg:error": {"error": "not configured"},
}


def test_every_type_has_an_example():
    assert set(VALID) == set(MESSAGE_TYPES)
    for name in MESSAGE_TYPES:
        assert name.split(":")[0] in ("cs", "bg", "popup", "options")


@pytest.mark.parametrize("message_type", sorted(VALID))
def test_round_trip(message_type):
    message = make_message(message_type, **VALID[message_type])
    assert message["type"] == message_type
    assert parse_message(message) == (message_type, VALID[message_type])


def test_parse_returns_a_new_dict():
    message = make_message("cs:need-login", region=EAST)
    _, fields = parse_message(message)
    fields["region"] = "x"
    assert message["region"] == EAST


def test_optional_fields_may_be_left_out():
    assert parse_message({"type": "cs:ccp-health", "region": EAST, "health": "loading"})[1] == {
        "region": EAST, "health": "loading"}


@pytest.mark.parametrize("message", [
    None, [], "cs:hello", {}, {"type": None}, {"type": ["cs:hello"]}, {"type": "cs:nope"},
    {"type": "cs:hello"}, {"type": "cs:hello", "url": 5}, {"type": "cs:hello", "url": "x", "extra": 1},
    {"type": "cs:region-state", "region": "", "epoch": 1}, {"type": "cs:region-state", "region": EAST, "epoch": -1},
    {"type": "cs:region-state", "region": EAST, "epoch": True}, {"type": "cs:region-state", "region": "x" * 65,
                                                                  "epoch": 1},
    {"type": "cs:ccp-health", "region": EAST, "health": "fine"},
    {"type": "cs:agent-update", "region": EAST, "agent": {}},
    {"type": "cs:failover-detected", "region": EAST, "epoch": 0},
    {"type": "cs:failover-pending", "region": EAST, "contactId": 5, "epoch": 0},
    {"type": "cs:log-batch", "region": EAST, "entries": [{}]},
    {"type": "cs:log-batch", "region": EAST, "entries": [ENTRY] * (MAX_LOG_BATCH + 1)},
    {"type": "cs:relayed-logs", "region": EAST, "loggerId": "tab-1", "blocks": [{"lines": [], "receivedMs": 5,
                                                                                "agentResourceId": None}]},
    {"type": "cs:relayed-logs", "region": EAST, "loggerId": "", "blocks": []},
    {"type": "cs:relayed-logs", "region": EAST, "loggerId": "tab-1", "blocks": [
        {"lines": "[]", "receivedMs": 5, "agentResourceId": None}] * (MAX_LOG_BATCH + 1)},
    {"type": "bg:save-result", "ok": True, "errors": [{"path": "x"}]},
    {"type": "bg:region-changed", "region": EAST, "epoch": 2},
    {"type": "bg:region-changed", "region": EAST, "epoch": 2, "failover": {"target": "us-west-2"}, "forced": False},
    {"type": "bg:region-changed", "region": EAST, "epoch": 2, "failover": {"target": "", "pending": False},
     "forced": False},
    {"type": "bg:region-changed", "region": EAST, "epoch": 2, "failover": None},
    {"type": "bg:region-changed", "region": EAST, "epoch": 2, "failover": None, "forced": "yes"},
    {"type": "popup:get-status", "please": True},
    {"type": "bg:keep-agent-state", "region": EAST, "state": {"name": "Offline", "type": "offline"},
     "baseline": None},
    {"type": "bg:keep-agent-state", "region": EAST, "state": {"name": "", "type": "routable"}, "baseline": None},
    {"type": "cs:agent-state", "region": EAST, "outcome": "waiting", "stateName": None, "error": None},
    {"type": "bg:config-check", "findings": [{"check": "login-answers", "region": None, "ok": "yes",
                                              "message": "..."}]},
    {"type": "bg:config-check", "findings": [{"check": "login-answers", "region": None, "ok": True}]},
    *({"type": "bg:log-export", "filterByLogLevel": False, "exportId": 1,
       "files": [{"region": EAST, "fileName": "f.txt", "chunks": [chunk], "open": "", "skip": 0, "count": 0}]}
      for chunk in ({"index": 0}, {"index": 0, "archived": True, "key": "log:x:0"}, {"index": 0, "archived": False},
                    {"index": -1, "archived": True}, {"index": 0, "key": ""})),
])
def test_refused(message):
    with pytest.raises(MessageError):
        parse_message(message)


def test_make_message_checks_what_it_sends():
    with pytest.raises(MessageError, match="cs:hello"):
        make_message("cs:hello")
    with pytest.raises(MessageError):
        make_message("cs:hello", url="x", bogus=1)


def test_error_messages_are_bounded():
    with pytest.raises(MessageError) as caught:
        parse_message({"type": "x" * 10000})
    assert len(str(caught.value)) <= 200


def test_a_reply_is_accepted_only_as_the_expected_type():
    status = make_message("popup:get-status")
    assert parse_reply(status, None, "popup:get-status") == {}
    for reply, error, says in ((None, None, "did not answer (no reply)"),
                               (status, "port closed", "did not answer (port closed)"),
                               (make_message("bg:error", error="log name is too long"), None, "log name is too long"),
                               (status, None, "unexpected reply popup:get-status"),
                               ({"type": "bg:status"}, None, "bg:status: ")):
        with pytest.raises(MessageError) as caught:
            parse_reply(reply, error, "bg:status")
        assert says in str(caught.value)
