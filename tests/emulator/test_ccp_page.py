"""The emulated CCP page and SharedWorker in a real browser, driven with bare postMessage from raw-host.html:
the CCP side of the protocol (ccp-protocol.md Appendix A) and its refusal of foreign or malformed messages."""
import json

import pytest

from emulator.host_page import HostPage
from emulator.waiting import wait_until

EAST, WEST = "us-east-1", "us-west-2"


class RawHost(HostPage):
    """raw-host.html: one CCP frame for `region`, plus a sibling frame that is not the CCP's parent."""

    def __init__(self, driver, emulator, region=EAST):
        super().__init__(driver, emulator.host_page_url("raw-host.html", region=region))

    def messages(self, event):
        return [r["detail"] for r in self.recorded("from-ccp", lambda d: d["event"] == event)]

    def wait_message(self, event, where=None, count=1, timeout_s=10):
        found = self.wait_for("from-ccp", lambda d: d["event"] == event and (where is None or where(d["data"])),
                              count, timeout_s)
        return [r["detail"] for r in found]

    def send(self, message):
        self.run("sendToCcp(arguments[0])", message)

    def send_from_sibling(self, message):
        self.run("sendFromSibling(arguments[0])", message)

    def api_request(self, request_id, method, params, sibling=False):
        message = {"event": "api_request",
                   "data": {"event": "api_request", "requestId": request_id, "method": method, "params": params}}
        (self.send_from_sibling if sibling else self.send)(message)

    def acknowledged(self):
        """Wait for the first ACK, which must carry the port id."""
        return self.wait_message("acknowledge", lambda d: d and d.get("id"))[0]


def offline_state(emulator_client, region):
    return next(s for s in emulator_client.region_state(region)["agent"]["agent_states"] if s["type"] == "offline")


def test_first_acknowledge_has_an_id_then_port_count_and_agent_update_with_dates(emulator_chromium, emulator):
    page = RawHost(emulator_chromium, emulator).open()
    first = page.acknowledged()
    assert first["data"]["id"].split("-")[0].isdigit()  # "<epoch ms>-<base36>"
    assert page.recorded("from-ccp")[0]["detail"]["event"] == "acknowledge"  # the CCP side speaks first
    assert page.wait_message("update_connected_ccps")[0]["data"] == {"length": 1}
    update = page.wait_message("agent::update")[0]["data"]
    snapshot = update["snapshot"]
    assert snapshot["snapshotTimestamp"].keys() == {"$date"} and snapshot["state"]["startTimestamp"].keys() == {"$date"}
    assert isinstance(snapshot["localTimestamp"], int) and isinstance(snapshot["skew"], int)
    assert snapshot["state"]["name"] == "Available"
    assert update["configuration"]["routingProfile"]["routingProfileId"].endswith("/routing-profile/basic")


def test_synchronize_is_acknowledged_without_data_and_updates_repeat(emulator_chromium, emulator):
    page = RawHost(emulator_chromium, emulator).open()
    page.acknowledged()
    page.send({"event": "synchronize"})
    reply = page.wait_message("acknowledge", lambda d: d is None)[0]
    assert reply["hasData"] is False
    # Without any change the worker still posts a snapshot every long-poll period.
    page.wait_message("agent::update", count=2, timeout_s=3 * emulator.timings.snapshot_long_poll_ms / 1000)


def test_api_request_round_trip_changes_the_shared_agent(emulator_chromium, emulator, emulator_client):
    page = RawHost(emulator_chromium, emulator).open()
    page.acknowledged()
    page.api_request("req-1", "putAgentState", {"state": offline_state(emulator_client, EAST)})
    response = page.wait_message("api_response", lambda d: d["requestId"] == "req-1")[0]["data"]
    assert response == {"event": "api_response", "requestId": "req-1", "data": {}, "err": None}
    assert emulator_client.agent_state(EAST) == "Offline"
    page.wait_message("agent::update", lambda d: d["snapshot"]["state"]["name"] == "Offline")

    page.api_request("req-2", "acceptContact", {"contactId": "missing"})
    failed = page.wait_message("api_response", lambda d: d["requestId"] == "req-2")[0]["data"]
    error = json.loads(failed["err"])  # a JSON string, as Streams expects
    assert error["type"] == "ResourceNotFoundException" and error["retryStatus"] == "none" and error["stack"] == []


def test_contact_lifecycle_reaches_the_host_as_snapshots(emulator_chromium, emulator, emulator_client):
    page = RawHost(emulator_chromium, emulator).open()
    page.acknowledged()
    contact_id = emulator_client.route_contact(EAST)

    def contact_state(data):
        contacts = data["snapshot"]["contacts"]
        return contacts[0]["state"]["type"] if contacts else None

    page.wait_message("agent::update", lambda d: contact_state(d) == "connecting")
    page.api_request("acc", "acceptContact", {"contactId": contact_id})
    update = page.wait_message("agent::update", lambda d: contact_state(d) == "connected")[0]["data"]
    contact = update["snapshot"]["contacts"][0]
    assert contact["status"] == contact["state"] and contact["state"]["timestamp"].keys() == {"$date"}
    assert all(c["address"] == c["endpoint"] for c in contact["connections"])
    assert contact["queue"]["queueId"] == contact["queue"]["queueARN"]
    emulator_client.hang_up(EAST)
    page.wait_message("agent::update", lambda d: contact_state(d) == "ended" and
                      d["snapshot"]["state"]["name"] == "AfterCallWork")
    page.api_request("clr", "clearContact", {"contactId": contact_id})
    page.wait_message("agent::update", lambda d: contact_state(d) is None and d["snapshot"]["state"]["name"] == "Available")


def test_master_broadcast_and_logs(emulator_chromium, emulator, emulator_client):
    page = RawHost(emulator_chromium, emulator).open()
    page.acknowledged()
    master = {"event": "master_request", "data": {"event": "master_request", "requestId": "m-1",
                                                  "method": "checkMaster", "params": {"topic": "connect::failover"}}}
    page.send(master)
    response = page.wait_message("master_response", lambda d: d["requestId"] == "m-1")[0]["data"]
    assert response["data"]["isMaster"] is True and response["data"]["topic"] == "connect::failover"
    assert response["err"] is None

    page.send({"event": "broadcast", "data": {"event": "custom::ping", "data": {"n": 1}}})
    assert page.wait_message("custom::ping")[0]["data"] == {"n": 1}

    texts = emulator_client.emit_logs(EAST, 3, text="emulator says hi")
    entries = [m["data"] for m in page.wait_message("log", lambda d: d["text"].startswith("emulator says hi"), count=3)]
    assert [e["text"] for e in entries] == texts
    for entry in entries:
        assert entry["contextLayer"] == "SharedWorker" and entry["component"] == "ccp" and entry["level"] == "INFO"
        assert entry["time"].keys() == {"$date"} and entry["loggerId"] and isinstance(entry["line"], int)
        assert entry["exception"] is None and entry["objects"] == []
        assert entry["agentResourceId"] == f"agent-{EAST}"


def test_request_configure_when_no_configure_arrives(emulator_chromium, emulator):
    page = RawHost(emulator_chromium, emulator).open()
    page.acknowledged()
    assert page.wait_message("request_configure")[0]["hasData"] is False


MALFORMED = [
    None, "synchronize", 42, [1, 2], {"data": {}}, {"event": 7}, {"event": ""},
    {"event": "api_request"}, {"event": "api_request", "data": "putAgentState"},
    {"event": "api_request", "data": {"requestId": 5, "method": "putAgentState", "params": {}}},
    {"event": "api_request", "data": {"requestId": "bad-1"}},
    {"event": "master_request", "data": {"requestId": "bad-m", "method": "checkMaster"}},
    {"event": "broadcast", "data": {"data": 1}},
    {"event": "disasterRecovery::init_disaster_recovery", "data": "yes"},
]


def test_foreign_and_malformed_messages_are_ignored(emulator_chromium, emulator, emulator_client):
    page = RawHost(emulator_chromium, emulator).open()
    page.acknowledged()
    break_state = next(s for s in emulator_client.region_state(EAST)["agent"]["agent_states"] if s["name"] == "Break")
    page.api_request("from-sibling", "putAgentState", {"state": break_state}, sibling=True)
    page.send_from_sibling({"event": "synchronize"})
    for message in MALFORMED:
        page.send(message)
    for request_id in ("from-parent", "from-parent-2"):  # the second round trip flushes anything queued before
        page.api_request(request_id, "putAgentState", {"state": offline_state(emulator_client, EAST)})
        page.wait_message("api_response", lambda d: d["requestId"] == request_id)
    assert [c["method"] for c in emulator_client.region_state(EAST)["api_calls"]] == ["putAgentState"] * 2
    assert emulator_client.agent_state(EAST) == "Offline"  # never Break
    answered = {m["data"]["requestId"] for m in page.messages("api_response") + page.messages("master_response")}
    assert answered == {"from-parent", "from-parent-2"}
    assert not page.messages("acknowledge")[1:]  # the sibling's SYN got no ACK
    assert not page.recorded("page-error")


def test_no_ack_impairment_holds_the_first_acknowledge_until_lifted(emulator_chromium, emulator, emulator_client):
    emulator_client.impair(EAST, no_ack=True)
    page = RawHost(emulator_chromium, emulator).open()
    page.wait_message("request_configure")  # the CCP page has run for a second...
    page.send({"event": "synchronize"})
    assert not page.messages("acknowledge") and not page.messages("agent::update")  # ...and said nothing else
    emulator_client.impair(EAST, no_ack=False)
    page.acknowledged()
    page.wait_message("agent::update")


def test_expired_session_reports_auth_fail_and_global_login_restores(emulator_chromium, emulator, emulator_client):
    page = RawHost(emulator_chromium, emulator, region=WEST).open()
    page.acknowledged()
    emulator_client.expire_session()
    assert page.wait_message("auth_fail")[0]["data"] == {"authorize": True}
    page.api_request("while-out", "putAgentState", {"state": offline_state(emulator_client, WEST)})

    driver = emulator_chromium
    driver.get(emulator.ccp_url(WEST))  # a refreshed CCP while signed out: the sign-in page, no worker
    assert driver.find_element("css selector", "body").get_attribute("data-ccp-state") == "signed-out"
    driver.get(emulator.login_url)
    driver.find_element("id", "sign-in").click()
    wait_until(lambda: driver.find_elements("id", "signed-in"), 10, message="login confirmation")
    assert all(emulator_client.region_state(r)["signed_in"] for r in (EAST, WEST))
    assert emulator_client.agent_state(WEST) == "Available"  # the call made while signed out had no effect
    RawHost(driver, emulator, region=WEST).open().acknowledged()


def test_two_windows_share_one_agent(emulator_chromium, emulator, emulator_client):
    driver = emulator_chromium
    first = RawHost(driver, emulator).open()
    first.acknowledged()
    driver.switch_to.new_window("tab")
    second = RawHost(driver, emulator).open()
    second.acknowledged()
    second.wait_message("update_connected_ccps", lambda d: d["length"] == 2)
    emulator_client.route_contact(EAST)
    second.wait_message("agent::update", lambda d: len(d["snapshot"]["contacts"]) == 1)
    driver.switch_to.window(driver.window_handles[0])
    first.wait_message("agent::update", lambda d: len(d["snapshot"]["contacts"]) == 1)
    first.wait_message("update_connected_ccps", lambda d: d["length"] == 2)


@pytest.mark.parametrize("region", [EAST])
def test_firefox_speaks_the_same_protocol(emulator_firefox, emulator, emulator_client, region):
    page = RawHost(emulator_firefox, emulator, region).open()
    page.acknowledged()
    update = page.wait_message("agent::update")[0]["data"]
    assert update["snapshot"]["snapshotTimestamp"].keys() == {"$date"}
    page.api_request("ff-1", "putAgentState", {"state": offline_state(emulator_client, region)})
    assert page.wait_message("api_response", lambda d: d["requestId"] == "ff-1")[0]["data"]["err"] is None
