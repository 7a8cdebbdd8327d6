"""The HTTPS origins without a browser: CCP page and impairments, the worker's backend endpoints, the global
login, the CRM sites and the Streams files served from node_modules."""
import base64
import http.client
import json
import socket
import threading
import time

import pytest

from emulator.config import (CCP_OWN_DOMAIN, CRM_HOSTS, DOMAIN, LOGIN_HOST, OTHER_HOST, Timings, ccp_host,
                             login_host)
from emulator.loopback_https import https_json, https_request
from emulator.server import Emulator
from emulator.waiting import wait_until

EAST, WEST = "us-east-1", "us-west-2"


def get(emulator, host, path):
    return https_request(emulator, host, path)


def test_ccp_page_and_its_scripts(emulator):
    status, headers, body = get(emulator, ccp_host(EAST), "/ccp-v2/")
    assert status == 200 and b'src="ccp.js"' in body
    assert headers["Cache-Control"] == "no-store"
    status, headers, body = get(emulator, ccp_host(EAST), "/ccp-v2/worker.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert get(emulator, ccp_host(EAST), "/ccp-v2/../server.py")[0] == 404


def test_signed_out_ccp_page_has_no_worker_and_names_the_login(emulator, emulator_client):
    emulator_client.expire_session(EAST)
    status, _, body = get(emulator, ccp_host(EAST), "/ccp-v2/")
    assert status == 200 and b"<script" not in body
    assert b'data-ccp-state="signed-out"' in body and emulator.login_url.encode() in body
    assert b'src="ccp.js"' in get(emulator, ccp_host(WEST), "/ccp-v2/")[2]  # the other instance is unaffected


def test_global_login_signs_in_both_instances(emulator, emulator_client):
    emulator_client.expire_session()
    status, _, body = get(emulator, LOGIN_HOST, "/login")
    assert status == 200 and b'id="sign-in"' in body
    status, _, body = https_request(emulator, LOGIN_HOST, "/login", method="POST", body=b"username=agent1")
    assert status == 200 and b'id="signed-in"' in body
    assert all(emulator_client.region_state(r)["signed_in"] for r in (EAST, WEST))


def test_ccp_page_error_and_hang_impairments(emulator, emulator_client):
    emulator_client.impair(EAST, ccp_page="error")
    assert get(emulator, ccp_host(EAST), "/ccp-v2/")[0] == 503

    emulator_client.impair(EAST, ccp_page="hang")
    answers = []
    request = threading.Thread(target=lambda: answers.append(get(emulator, ccp_host(EAST), "/ccp-v2/")))
    request.start()
    wait_until(lambda: [p["outcome"] for p in emulator_client.region_state(EAST)["ccp_page_loads"]][-1:] == ["hanging"],
               10, message="the page request being held")
    assert not answers  # the page does not load...
    emulator_client.impair(EAST, ccp_page="ok")  # ...until the impairment is lifted
    request.join(timeout=10)
    assert answers and answers[0][0] == 200


def test_latency_impairment_slows_only_that_region(emulator, emulator_client):
    emulator_client.impair(WEST, latency_ms=800)
    started = time.monotonic()
    get(emulator, ccp_host(WEST), "/api/worker-config")
    assert time.monotonic() - started >= 0.8
    started = time.monotonic()
    get(emulator, ccp_host(EAST), "/api/worker-config")
    assert time.monotonic() - started < 0.8


def test_active_region_endpoint_and_its_http_error_impairment(emulator, emulator_client):
    assert https_json(emulator, ccp_host(WEST), "/api/active-region") == (
        200, {"InstanceArn": emulator.instance_arn(EAST), "TerminateActiveContacts": False})
    emulator_client.set_active(WEST, terminate_active_contacts=True)
    assert https_json(emulator, ccp_host(EAST), "/api/active-region")[1] == {
        "InstanceArn": emulator.instance_arn(WEST), "TerminateActiveContacts": True}
    emulator_client.impair(EAST, active_region_status=500)
    assert https_json(emulator, ccp_host(EAST), "/api/active-region")[0] == 500
    assert https_json(emulator, ccp_host(WEST), "/api/active-region")[0] == 200
    polls = emulator_client.region_state(EAST)["active_region_polls"]
    assert [p["status"] for p in polls] == [200, 500]


def test_worker_config_carries_timings_and_date_keys(emulator):
    status, config = https_json(emulator, ccp_host(WEST), "/api/worker-config")
    assert status == 200 and config["region"] == WEST and config["instanceArn"] == emulator.instance_arn(WEST)
    assert config["timings"]["dr_poll_interval_ms"] == emulator.timings.dr_poll_interval_ms
    assert "timestamp" in config["dateKeys"]
    assert config["instances"] == [{"region": r, "arn": emulator.instance_arn(r)} for r in (EAST, WEST)]
    assert config["globalSignin"] == "valid"


def test_framing_headers_as_the_instance_says_and_what_a_browser_would_decide(emulator, emulator_client):
    crm, crm2 = emulator.crm_url("", 0), emulator.crm_url("", 1)

    def load(region, framing_origin):
        headers = {"Sec-Fetch-Dest": "iframe", "Referer": framing_origin + "/"}
        _, response_headers, _ = https_request(emulator, ccp_host(region), "/ccp-v2/", headers=headers)
        outcome = emulator_client.region_state(region)["ccp_page_loads"][-1]
        return ({k: v for k, v in response_headers.items() if k in ("Content-Security-Policy", "X-Frame-Options")},
                outcome["framed_by"], outcome["framing_refused"])

    assert load(WEST, crm2) == ({}, crm2, False)  # by default any page may frame the CCP
    assert emulator_client.set_framing(WEST, approved_origins=[crm]) == {"approved_origins": [crm],
                                                                         "x_frame_options": None}
    assert load(WEST, crm2) == ({"Content-Security-Policy": f"frame-ancestors 'self' {crm}"}, crm2, True)
    assert load(WEST, crm)[2] is False
    assert load(EAST, crm2) == ({}, crm2, False)  # the other instance is unaffected
    emulator_client.set_framing(WEST, x_frame_options="SAMEORIGIN")  # the CSP stays and wins, as in browsers
    assert load(WEST, crm) == ({"Content-Security-Policy": f"frame-ancestors 'self' {crm}",
                                "X-Frame-Options": "SAMEORIGIN"}, crm, False)
    emulator_client.set_framing(WEST, approved_origins=None, x_frame_options="DENY")
    assert load(WEST, crm) == ({"X-Frame-Options": "DENY"}, crm, True)
    assert https_request(emulator, ccp_host(WEST), "/ccp-v2/")[0] == 200  # not a frame load: nothing refused
    assert emulator_client.region_state(WEST)["ccp_page_loads"][-1]["framed_by"] is None


def test_login_page_error_and_unreachable_impairments(emulator, emulator_client):
    emulator_client.expire_session()
    emulator_client.impair_login(503)
    assert get(emulator, LOGIN_HOST, "/login")[0] == 503
    emulator_client.impair_login(unreachable=True)
    for method, body in (("GET", None), ("POST", b"username=agent1")):
        with pytest.raises((ConnectionError, http.client.HTTPException)):  # no answer at all
            https_request(emulator, LOGIN_HOST, "/login", method=method, body=body)
    emulator_client.impair_login()
    assert get(emulator, LOGIN_HOST, "/login")[0] == 200
    outcomes = [r["outcome"] for r in emulator_client.login_requests()]
    assert outcomes == ["error", "dropped", "dropped", "ok"]
    assert not emulator_client.region_state(EAST)["signed_in"]  # a failing login signs nobody in


def test_ccp_page_carries_the_global_sign_in_cookie_as_the_instance_says(emulator, emulator_client):
    def cookie(region):
        return get(emulator, ccp_host(region), "/ccp-v2/")[1]["Set-Cookie"]

    value = cookie(EAST).split(";")[0].split("=", 1)[1]
    assert json.loads(base64.b64decode(value)) == {"globalSignIn": True, "instanceArn": emulator.instance_arn(EAST),
                                                   "region": EAST}
    assert "Secure" in cookie(EAST) and "SameSite=None" in cookie(EAST)
    emulator_client.set_global_signin(EAST, "missing")
    assert cookie(EAST).startswith("lily-agent-config=;") and "Max-Age=0" in cookie(EAST)
    emulator_client.set_global_signin(EAST, "parse_error")
    assert base64.b64decode(cookie(EAST).split(";")[0].split("=", 1)[1]) == b"not-json"
    assert cookie(WEST).split(";")[0] != "lily-agent-config="  # the other instance is unaffected


def test_viewport_reports_arriving_out_of_order_keep_the_latest_size_and_its_paint(emulator, emulator_client):
    def post(**report):
        body = dict({"window_id": "w1", "width": 400, "height": 560, "host": "https://crm.example.test/",
                     "closed": False}, **report)
        assert https_request(emulator, ccp_host(EAST), "/api/viewport", "POST", body)[0] == 204
        return emulator_client.region_state(EAST)["viewports"]["w1"]

    assert post(at=100, painted_at=130)["painted_at"] == 130
    assert post(at=100)["painted_at"] == 130  # the "seen" beacon of the same size, arriving after its paint
    assert post(at=90, width=0, height=0)["width"] == 400  # an older size, arriving late
    latest = post(at=200, width=0, height=0)
    assert (latest["width"], latest["at"], latest["painted_at"]) == (0, 200, None)


def test_acgr_reports_are_recorded_and_malformed_ones_refused(emulator, emulator_client):
    report = {"window_id": "w1", "host": "https://crm.example.test/", "direction": "to-host",
              "event": "globalResiliency::init", "data": {"instanceRegion": WEST}, "at": 5, "seq": 1}
    assert https_request(emulator, ccp_host(WEST), "/api/acgr", "POST", report)[0] == 204
    assert https_request(emulator, ccp_host(WEST), "/api/acgr", "POST", dict(report, direction="sideways"))[0] == 400
    assert https_request(emulator, ccp_host(WEST), "/api/acgr", "POST", dict(report, at="soon"))[0] == 400
    [recorded] = emulator_client.acgr_events()
    assert recorded["region"] == WEST and recorded["event"] == "globalResiliency::init"
    assert recorded["data"] == {"instanceRegion": WEST} and recorded["direction"] == "to-host"


def test_snapshot_long_poll_answers_on_change(emulator, emulator_client):
    status, first = https_json(emulator, ccp_host(EAST), "/api/snapshot?since=0&log_seq=-1")
    assert status == 200 and first["agent"]["snapshot"]["contacts"] == []
    answers = []
    poll = threading.Thread(target=lambda: answers.append(
        https_json(emulator, ccp_host(EAST), f"/api/snapshot?since={first['version']}&log_seq={first['log_seq']}")))
    poll.start()
    emulator_client.route_contact(EAST)
    poll.join(timeout=10)
    status, second = answers[0]
    assert second["changed"] and second["snapshot_version"] > first["snapshot_version"]
    assert len(second["agent"]["snapshot"]["contacts"]) == 1


def test_snapshot_delivers_emitted_log_lines_once(emulator, emulator_client):
    status, first = https_json(emulator, ccp_host(EAST), "/api/snapshot?since=0&log_seq=-1")
    assert first["logs"] == []  # a new worker starts from now, not from old lines
    emulator_client.emit_logs(EAST, 2, text="line", level="WARN")
    status, second = https_json(emulator, ccp_host(EAST), f"/api/snapshot?since=0&log_seq={first['log_seq']}")
    assert second["logs"] == [{"level": "WARN", "text": "line #1"}, {"level": "WARN", "text": "line #2"}]
    status, third = https_json(emulator, ccp_host(EAST), f"/api/snapshot?since=0&log_seq={second['log_seq']}")
    assert third["logs"] == []


def test_snapshot_long_poll_times_out_with_the_unchanged_snapshot(emulator):
    status, first = https_json(emulator, ccp_host(WEST), "/api/snapshot?since=0")
    started = time.monotonic()
    status, second = https_json(emulator, ccp_host(WEST), f"/api/snapshot?since={first['version']}")
    assert status == 200 and not second["changed"]
    assert time.monotonic() - started >= emulator.timings.snapshot_long_poll_ms / 1000 * 0.9


def test_snapshot_and_calls_answer_401_when_signed_out(emulator, emulator_client):
    emulator_client.expire_session(WEST)
    assert https_json(emulator, ccp_host(WEST), "/api/snapshot?since=0")[0] == 401
    assert https_json(emulator, ccp_host(WEST), "/api/call", "POST", {"method": "putAgentState", "params": {}})[0] == 401


def test_cti_call_changes_state_and_reports_typed_errors(emulator, emulator_client):
    offline = next(s for s in https_json(emulator, ccp_host(EAST), "/api/snapshot?since=0")[1]["agent"]
                   ["configuration"]["agentStates"] if s["type"] == "offline")
    status, result = https_json(emulator, ccp_host(EAST), "/api/call", "POST",
                                {"method": "putAgentState", "params": {"state": offline}})
    assert (status, result) == (200, {"data": {}, "err": None})
    assert emulator_client.agent_state(EAST) == "Offline"
    status, result = https_json(emulator, ccp_host(EAST), "/api/call", "POST",
                                {"method": "acceptContact", "params": {"contactId": "missing"}})
    assert status == 200 and result["err"]["type"] == "ResourceNotFoundException"
    calls = emulator_client.region_state(EAST)["api_calls"]
    assert [(c["method"], c["ok"]) for c in calls] == [("putAgentState", True), ("acceptContact", False)]
    emulator_client.impair(EAST, api_status=503)
    assert https_json(emulator, ccp_host(EAST), "/api/call", "POST", {"method": "putAgentState"})[0] == 503
    assert https_json(emulator, ccp_host(EAST), "/api/call", "POST", b"[1,2]")[0] == 400


def test_sites_vendor_files_and_page_config(emulator):
    for site in (0, 1):
        host = emulator.crm_url("/", site).split("//")[1].split(":")[0]
        assert get(emulator, host, "/")[0] == 200
    assert b"Not allowlisted" in get(emulator, OTHER_HOST, "/")[2]
    crm = emulator.crm_url("/").split("//")[1].split(":")[0]
    status, headers, body = get(emulator, crm, "/vendor/amazon-connect-streams/connect-streams-dr.js")
    assert status == 200 and b"globalConnect" in body
    status, _, body = get(emulator, crm, "/emulator/config.js")
    assert status == 200 and emulator.ccp_url(WEST).encode() in body and emulator.login_url.encode() in body
    assert get(emulator, crm, "/hosts/streams-dr.html")[0] == 200


def test_idle_connection_does_not_block_other_requests(emulator):
    """A browser's preconnected socket that never speaks must not stall the shared accept loop."""
    idle = socket.create_connection(("127.0.0.1", emulator.port))
    try:
        wait_until(lambda: get(emulator, ccp_host(EAST), "/api/worker-config")[0] == 200, 5)
    finally:
        idle.close()


def test_the_ccps_and_the_sign_in_page_on_a_domain_of_their_own(tmp_path):
    """ccp_domain puts the CCPs and the sign-in page on a site of their own (a real deployment's topology): their
    names are mapped and covered by the certificate, the CRM sites stay where they were, and the pages served to the
    CRM sites point at the CCPs' new origins."""
    with Emulator(tmp_dir=str(tmp_path), timings=Timings.fast(), ccp_domain=CCP_OWN_DOMAIN) as own:
        assert own.host_names[:3] == [ccp_host(EAST, CCP_OWN_DOMAIN), ccp_host(WEST, CCP_OWN_DOMAIN),
                                      login_host(CCP_OWN_DOMAIN)]
        assert set(CRM_HOSTS) < set(own.host_names) and ccp_host(EAST) not in own.host_names
        assert own.ccp_url(EAST) == f"https://ccp.{EAST}.{CCP_OWN_DOMAIN}:{own.port}/ccp-v2/"
        assert own.login_url == f"https://login.{CCP_OWN_DOMAIN}:{own.port}/login"
        assert b'src="ccp.js"' in get(own, ccp_host(WEST, CCP_OWN_DOMAIN), "/ccp-v2/")[2]  # the certificate covers it
        assert b'id="sign-in"' in get(own, login_host(CCP_OWN_DOMAIN), "/login")[2]
        config = get(own, CRM_HOSTS[0], "/emulator/config.js")[2].decode()
        assert own.ccp_url(EAST) in config and own.login_url in config


def test_by_default_the_ccps_share_the_crm_sites_domain(emulator):
    assert emulator.ccp_url(EAST).startswith(f"https://{ccp_host(EAST, DOMAIN)}:")
    assert emulator.login_url.startswith(f"https://{LOGIN_HOST}:") and LOGIN_HOST == login_host(DOMAIN)
