"""The relay's rule table (extension/relay_rules.js), run under Node: what passes from the page's Streams to a real
CCP, what is answered locally, what becomes a request to the extension, what is dropped; and the other way."""
import json
import os
import subprocess

RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "extension", "relay_rules.js")
RUN = """
const vm = require('vm'), fs = require('fs');
const sandbox = {};
vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8') + ';this.RelayRules = RelayRules;', sandbox);
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = input.host.map(m => sandbox.RelayRules.hostToCcp(m))
  .map(v => v.action === 'drop' ? 'drop' : v.action === 'answer' ? 'answer:' + v.reply.event : v.action);
const back = input.ccp.map(c => sandbox.RelayRules.ccpToHost(c[0], c[1]));
process.stdout.write(JSON.stringify({host: out, ccp: back}));
"""


def judge(host_messages, ccp_messages=()):
    result = subprocess.run(["node", "-e", RUN, RULES], input=json.dumps({"host": host_messages, "ccp": ccp_messages}),
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def api(method="putAgentState", request_id="1-a"):
    return {"event": "api_request", "data": {"event": "api_request", "requestId": request_id, "method": method,
                                             "params": {}}}


def master(method, topic, passive=False):
    params = {"topic": topic, **({"shouldNotBecomeMasterIfNone": True} if passive else {})}
    return {"event": "master_request", "data": {"event": "master_request", "requestId": "2-b", "method": method,
                                                "params": params}}


def broadcast(inner):
    return {"event": "broadcast", "data": {"event": inner, "data": {}}}


def test_host_to_ccp_table():
    table = [
        (api(), "forward"), (api("not a method!"), "drop"), (api(request_id=""), "drop"),
        (master("checkMaster", "crm::popups"), "forward"), (master("becomeMaster", "crm::popups"), "forward"),
        (master("becomeMaster", "connect::failover"), "answer:master_response"),
        (master("checkMaster", "connect::softphone"), "answer:master_response"),
        (master("checkMaster", "connect::failover", passive=True), "forward"),
        (broadcast("log"), "forward"), (broadcast("client_metric"), "forward"),
        (broadcast("contact::accepted::c-1"), "forward"), (broadcast("mute"), "forward"),
        (broadcast("disasterRecovery::failover"), "drop"), (broadcast("globalResiliency::failover_initiated"), "drop"),
        (broadcast("agent::update"), "drop"), (broadcast("acknowledge"), "drop"), (broadcast("api_response"), "drop"),
        (broadcast("configuration::configure"), "drop"), (broadcast("auth_fail"), "drop"),
        ({"event": "reload_agent_configuration"}, "forward"), ({"event": "media_device_request"}, "forward"),
        ({"event": "webSocket::subscribe", "data": ["topic"]}, "forward"),
        ({"event": "synchronize"}, "answer-keepalive"),
        ({"event": "agent::fetch_agent_data_from_ccp"}, "answer-agent-data"),
        ({"event": "globalResiliency::validate_global_signin"}, "answer:globalResiliency::global_signin_valid"),
        ({"event": "globalResiliency::force_failover"}, "request"), ({"event": "download_log_from_ccp"}, "request"),
        ({"event": "configure", "data": {}}, "drop"), ({"event": "outer_context_info", "data": {}}, "drop"),
        ({"event": "iframe_style", "data": {}}, "drop"), ({"event": "close"}, "drop"), ({"event": "terminate"}, "drop"),
        ({"event": "disasterRecovery::init_disaster_recovery", "data": {}}, "drop"),
        ({"event": "disasterRecovery::suppress", "data": {"suppress": True}}, "drop"),
        ({"event": "disasterRecovery::set_offline"}, "drop"),
        ({"event": "globalResiliency::configure_ccp_conduit", "data": {}}, "drop"),
        ({"event": "globalResiliency::failover_complete", "data": {}}, "drop"),
        ({"event": "globalResiliency::heartbeat_syn"}, "drop"),
        ({"event": "acknowledge", "data": {"id": "x"}}, "drop"), ({"event": ""}, "drop"), ("text", "drop"), (None, "drop"),
    ]
    assert judge([m for m, _ in table])["host"] == [v for _, v in table]


def test_ccp_to_host_table():
    legacy, acgr_active, acgr_inactive = {"mode": "legacy", "active": False}, {"mode": "acgr", "active": True}, \
        {"mode": "acgr", "active": False}
    table = [
        ({"event": "agent::update", "data": {}}, legacy, "forward"),
        ({"event": "agent::update", "data": {}}, acgr_active, "forward"),
        ({"event": "agent::update", "data": {}}, acgr_inactive, "drop"),
        ({"event": "log", "data": {}}, acgr_inactive, "forward"),
        ({"event": "api_response", "data": {}}, legacy, "route"), ({"event": "master_response", "data": {}}, legacy, "route"),
        ({"event": "acknowledge", "data": {"id": "x"}}, legacy, "drop"), ({"event": "request_configure"}, legacy, "drop"),
        ({"event": "disasterRecovery::failover", "data": {}}, legacy, "drop"),
        ({"event": "disasterRecovery::failover_pending", "data": {}}, legacy, "drop"),
        ({"event": "globalResiliency::failover_initiated", "data": {}}, acgr_active, "drop"),
        ({"event": "contact::accepted", "data": {}}, legacy, "forward"), ({"event": "auth_fail"}, legacy, "forward"),
        ({"event": "update_connected_ccps", "data": {}}, legacy, "forward"), ("text", legacy, "drop"),
    ]
    assert judge([], [[m, c] for m, c, _ in table])["ccp"] == [v for _, _, v in table]
