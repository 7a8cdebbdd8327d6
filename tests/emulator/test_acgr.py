"""ACGR, the CCP side (ccp-protocol.md 7.1, 7.4): both emulated CCPs in a real browser, driven with bare postMessage
from raw-gr-host.html, which relays pending / initiated / complete and heartbeats from one CCP to the other as
Streams' GRProxyIframeConduit does (unless switched off)."""
import json
import os

import pytest

from emulator.host_page import HostPage
from emulator.waiting import wait_until

EAST, WEST = "us-east-1", "us-west-2"
GR = "globalResiliency::"


class GrHost(HostPage):
    """raw-gr-host.html: one CCP frame per region, messages sent by hand."""

    def __init__(self, driver, emulator, **query):
        super().__init__(driver, emulator.host_page_url("raw-gr-host.html", **query))

    def messages(self, region, event):
        return [r["detail"]["data"] for r in self.recorded(
            "from-ccp", lambda d: d["region"] == region and d["event"] == event)]

    def wait_message(self, region, event, where=None, count=1, timeout_s=10):
        found = self.wait_for("from-ccp", lambda d: d["region"] == region and d["event"] == event and
                              (where is None or where(d["data"])), count, timeout_s)
        return [r["detail"]["data"] for r in found]

    def send(self, region, event, data=None):
        self.run("sendTo(arguments[0], arguments[1])", region, {"event": event} if data is None else
                 {"event": event, "data": data})

    def acknowledged(self, region):
        return self.wait_message(region, "acknowledge", lambda d: d and d.get("id"))[0]

    def greet(self, *regions):
        """What a Streams ACGR host does per CCP: validate the sign-in after the first ACK, then place the CCP with
        configure_ccp_conduit as its init says. Returns {region: init data}."""
        inits = {}
        for region in regions or (EAST, WEST):
            self.acknowledged(region)
            self.send(region, GR + "validate_global_signin")
            inits[region] = self.wait_message(region, GR + "init")[0]
            self.send(region, GR + "configure_ccp_conduit", {"instanceState": inits[region]["instanceState"]})
        return inits

    def heartbeats(self, region):
        return self.run("return window.heartbeatsSeen[arguments[0]] || 0", region)


def events(emulator_client, region=None, direction=None, event=None):
    return emulator_client.acgr_events(region, direction=direction, event=event)


def wait_event(emulator_client, region, direction, event, where=None, count=1, timeout_s=10):
    def enough():
        found = [e for e in events(emulator_client, region, direction, event) if where is None or where(e["data"])]
        return found if len(found) >= count else None
    return wait_until(enough, timeout_s, message=f"{count} x {direction} {event} in {region}")


def connected_contact(page, emulator_client, region, contact_type="voice"):
    """A contact the agent accepted, once the region's (active) CCP has posted it connected to its host."""
    contact_id = emulator_client.route_contact(region, contact_type)
    emulator_client.accept(region, contact_id)
    page.wait_message(region, "agent::update", lambda d: [c["state"]["type"] for c in d["snapshot"]["contacts"]
                                                          if c["contactId"] == contact_id] == ["connected"])
    return contact_id


def wait_for_polls(emulator_client, region, count):
    start = len(emulator_client.region_state(region)["active_region_polls"])
    wait_until(lambda: len(emulator_client.region_state(region)["active_region_polls"]) >= start + count, 10,
               message=f"{count} more active-region polls in {region}")


def ready_pair(driver, emulator, emulator_client, **query):
    """Both CCPs placed, the stand-by forced Offline, the heartbeat relay established both ways."""
    page = GrHost(driver, emulator, **query).open()
    page.greet()
    wait_until(lambda: emulator_client.agent_state(WEST) == "Offline", 10, message="stand-by region Offline")
    if query.get("relay", "1") != "0":
        for region in (EAST, WEST):
            wait_event(emulator_client, region, "ccp", "heartbeat", lambda d: d["state"] == "established")
    return page


def test_a_host_that_does_not_speak_acgr_gets_none(emulator_chromium, emulator, emulator_client):
    page = GrHost(emulator_chromium, emulator).open()
    for region in (EAST, WEST):
        page.acknowledged(region)
        page.wait_message(region, "request_configure")
        page.wait_message(region, "agent::update")
    assert not [r for r in page.recorded("from-ccp") if (r["detail"]["event"] or "").startswith(GR)]
    assert page.heartbeats(EAST) == page.heartbeats(WEST) == 0
    assert events(emulator_client) == []
    assert emulator_client.region_state(EAST)["active_region_polls"] == []  # no worker polls for a plain host


def test_sign_in_validation_then_init_for_each_ccp(emulator_chromium, emulator, emulator_client):
    page = GrHost(emulator_chromium, emulator).open()
    inits = page.greet()
    assert inits[EAST] == {"instanceRegion": EAST, "instanceState": "active", "activeRegion": EAST}
    assert inits[WEST] == {"instanceRegion": WEST, "instanceState": "inactive", "activeRegion": EAST}
    for region in (EAST, WEST):
        assert page.messages(region, GR + "global_signin_valid") == [
            {"message": "[GR] Global signin validated successfully"}]
        order = [r["detail"]["event"] for r in page.recorded("from-ccp", lambda d: d["region"] == region)]
        assert order.index(GR + "global_signin_valid") < order.index(GR + "init")
        wait_event(emulator_client, region, "from-host", GR + "configure_ccp_conduit")
    recorded = [(e["direction"], e["event"]) for e in events(emulator_client, EAST)]
    assert recorded[:3] == [("from-host", GR + "validate_global_signin"), ("to-host", GR + "global_signin_valid"),
                            ("to-host", GR + "init")]
    # The stand-by region stands by at once: contacts dropped, agent Offline, no new contacts offered.
    wait_until(lambda: emulator_client.agent_state(WEST) == "Offline", 10, message="stand-by region Offline")
    assert emulator_client.agent_state(EAST) == "Available"


def test_init_names_the_active_region_of_the_traffic_distribution_group(emulator_chromium, emulator, emulator_client):
    emulator_client.set_active(WEST)
    inits = GrHost(emulator_chromium, emulator).open().greet()
    assert inits[EAST] == {"instanceRegion": EAST, "instanceState": "inactive", "activeRegion": WEST}
    assert inits[WEST] == {"instanceRegion": WEST, "instanceState": "active", "activeRegion": WEST}
    wait_until(lambda: emulator_client.agent_state(EAST) == "Offline", 10, message="stand-by region Offline")


@pytest.mark.parametrize("state, error_type", [("missing", "LILY_AGENT_CONFIG_MISSING"),
                                               ("parse_error", "LILY_AGENT_CONFIG_PARSE_ERROR")])
def test_regional_sign_in_is_reported_invalid_and_the_ccp_stays_out(emulator_chromium, emulator, emulator_client,
                                                                    state, error_type):
    emulator_client.set_global_signin(EAST, state)
    page = GrHost(emulator_chromium, emulator).open()
    for region in (EAST, WEST):
        page.acknowledged(region)
        page.send(region, GR + "validate_global_signin")
    invalid = page.wait_message(EAST, GR + "global_signin_invalid")[0]
    assert invalid["errorType"] == error_type and invalid["error"].startswith("[GR] ")
    page.wait_message(WEST, GR + "init")  # the other instance is fine
    wait_for_polls(emulator_client, WEST, 2)
    assert not page.messages(EAST, GR + "init") and not page.messages(EAST, GR + "global_signin_valid")

    emulator_client.sign_in()  # global sign-in fixes the cookie; the CCP sees it once reloaded
    assert emulator_client.region_state(EAST)["global_signin"] == "valid"
    page.run("reloadCcp(arguments[0])", EAST)
    page.acknowledged(EAST)
    page.wait_message(EAST, "acknowledge", lambda d: d and d.get("id"), count=2)
    page.send(EAST, GR + "validate_global_signin")
    page.wait_message(EAST, GR + "global_signin_valid")
    assert page.wait_message(EAST, GR + "init")[0]["instanceState"] == "active"


def test_a_ccp_that_predates_validation_does_not_answer_but_joins(emulator_chromium, emulator, emulator_client):
    emulator_client.set_global_signin(WEST, "no_answer")
    page = GrHost(emulator_chromium, emulator).open()
    page.greet(EAST)
    page.acknowledged(WEST)
    page.send(WEST, GR + "validate_global_signin")
    assert page.wait_message(WEST, GR + "init")[0]["instanceRegion"] == WEST
    assert not page.messages(WEST, GR + "global_signin_valid") and not page.messages(WEST, GR + "global_signin_invalid")


def test_an_inactive_ccp_passes_only_the_allowlist(emulator_chromium, emulator, emulator_client):
    page = ready_pair(emulator_chromium, emulator, emulator_client)
    before = len(page.messages(WEST, "agent::update"))
    emulator_client.set_agent_state(WEST, "Break")
    texts = emulator_client.emit_logs(WEST, 2, text="stand-by worker line")
    page.wait_message(WEST, "log", lambda d: d["text"] in texts, count=2)  # logs pass
    page.send(WEST, "api_request", {"event": "api_request", "requestId": "blocked", "method": "putAgentState",
                                    "params": {"state": {"name": "Available"}}})
    page.send(WEST, "synchronize")
    page.wait_message(WEST, "acknowledge", lambda d: d is None)  # keep-alive passes
    wait_for_polls(emulator_client, WEST, 2)
    assert len(page.messages(WEST, "agent::update")) == before  # agent data does not pass
    assert not page.messages(WEST, "api_response")
    assert [c["params"]["state"]["name"] for c in emulator_client.region_state(WEST)["api_calls"]] == ["Offline"]
    assert emulator_client.agent_state(WEST) == "Break"

    page.send(WEST, GR + "configure_ccp_conduit", {"instanceState": "active"})  # made active: agent data follows
    assert page.wait_message(WEST, "agent::update", lambda d: d["snapshot"]["state"]["name"] == "Break")


def test_configure_with_instance_state_places_the_ccp_too(emulator_chromium, emulator, emulator_client):
    page = GrHost(emulator_chromium, emulator).open()
    page.acknowledged(WEST)
    page.send(WEST, "configure", {"softphone": {"allowFramedSoftphone": True}, "enableGlobalResiliency": True,
                                  "instanceState": "inactive"})
    page.wait_message(WEST, GR + "init")
    before = len(page.messages(WEST, "agent::update"))
    emulator_client.set_agent_state(WEST, "Break")
    wait_for_polls(emulator_client, WEST, 2)
    assert len(page.messages(WEST, "agent::update")) == before
    configure = wait_event(emulator_client, WEST, "from-host", "configure")[0]
    assert configure["data"]["instanceState"] == "inactive" and configure["data"]["enableGlobalResiliency"] is True


def test_fetch_agent_data_is_answered_with_agent_data(emulator_chromium, emulator, emulator_client):
    page = ready_pair(emulator_chromium, emulator, emulator_client)
    page.send(EAST, "agent::fetch_agent_data_from_ccp")
    answer = page.wait_message(EAST, "agent::fetch_agent_data_from_ccp")[0]
    assert answer["snapshot"]["state"]["name"] == "Available"
    assert answer["snapshot"]["snapshotTimestamp"].keys() == {"$date"}  # real Dates, as agent::update carries
    assert answer["configuration"]["agentStates"]
    wait_event(emulator_client, EAST, "to-host", "agent::fetch_agent_data_from_ccp",
               lambda d: d == {"state": "Available", "contacts": 0})


def test_failover_without_contacts_is_detected_then_initiated(emulator_chromium, emulator, emulator_client):
    page = ready_pair(emulator_chromium, emulator, emulator_client)
    emulator_client.set_active(WEST)
    for region in (EAST, WEST):
        assert page.wait_message(region, GR + "failover_detected")[0] == {"activeRegion": WEST}
    assert page.wait_message(EAST, GR + "failover_initiated")[0] == {"activeRegion": WEST}
    wait_event(emulator_client, WEST, "from-host", GR + "failover_initiated")  # relayed by the host
    assert emulator_client.agent_state(EAST) == "Offline"  # the old region went Offline before handing over
    wait_for_polls(emulator_client, WEST, 2)
    assert not page.messages(EAST, GR + "failover_pending") and not page.messages(WEST, GR + "failover_initiated")
    order = [r["detail"]["event"] for r in page.recorded("from-ccp", lambda d: d["region"] == EAST)]
    assert order.index(GR + "failover_detected") < order.index(GR + "failover_initiated")

    complete = {"activeRegion": WEST, "activeCcpUrl": emulator.origin(f"ccp.{WEST}.example.test")}
    for region in (EAST, WEST):
        page.send(region, GR + "failover_complete", complete)
        assert wait_event(emulator_client, region, "from-host", GR + "failover_complete")[0]["data"] == complete


@pytest.mark.parametrize("contact_type", ["voice", "queue_callback", "chat"])
def test_failover_is_pending_while_a_voice_or_chat_contact_lives(emulator_chromium, emulator, emulator_client,
                                                                 contact_type):
    page = ready_pair(emulator_chromium, emulator, emulator_client)
    connected_contact(page, emulator_client, EAST, contact_type)
    emulator_client.set_active(WEST)  # TerminateActiveContacts false
    assert page.wait_message(EAST, GR + "failover_pending")[0] == {"activeRegion": WEST}
    wait_event(emulator_client, WEST, "from-host", GR + "failover_pending")  # relayed to the other CCP
    emulator_client.hang_up(EAST)  # after contact work: still pending
    wait_for_polls(emulator_client, EAST, 2)
    assert not page.messages(EAST, GR + "failover_initiated") and not page.messages(WEST, GR + "failover_initiated")
    assert emulator_client.contacts(EAST)[0]["state"]["type"] == "ended"

    emulator_client.clear(EAST)  # the contact leaves the snapshot: the hand-over follows
    assert page.wait_message(EAST, GR + "failover_initiated")[0] == {"activeRegion": WEST}
    assert len(page.messages(EAST, GR + "failover_pending")) == 1
    assert not page.messages(WEST, GR + "failover_pending")  # only the active CCP announces it
    assert emulator_client.agent_state(EAST) == "Offline"


def test_other_contacts_are_dropped_without_waiting(emulator_chromium, emulator, emulator_client):
    page = ready_pair(emulator_chromium, emulator, emulator_client)
    task = connected_contact(page, emulator_client, EAST, "task")
    ringing = emulator_client.route_contact(EAST, "voice")  # offered, not yet accepted
    page.wait_message(EAST, "agent::update", lambda d: len(d["snapshot"]["contacts"]) == 2)
    emulator_client.set_active(WEST)
    page.wait_message(EAST, GR + "failover_initiated")
    assert not page.messages(EAST, GR + "failover_pending")
    dropped = {c["params"]["contactId"] for c in emulator_client.region_state(EAST)["api_calls"]
               if c["method"] == "destroyConnection"}
    assert dropped == {task, ringing} and emulator_client.contacts(EAST) == []


def test_terminate_active_contacts_drops_the_call(emulator_chromium, emulator, emulator_client):
    page = ready_pair(emulator_chromium, emulator, emulator_client)
    call = connected_contact(page, emulator_client, EAST)
    emulator_client.set_active(WEST, terminate_active_contacts=True)
    page.wait_message(EAST, GR + "failover_initiated")
    assert not page.messages(EAST, GR + "failover_pending")
    assert call in [c["params"]["contactId"] for c in emulator_client.region_state(EAST)["api_calls"]
                    if c["method"] == "destroyConnection"]
    assert emulator_client.contacts(EAST) == [] and emulator_client.agent_state(EAST) == "Offline"


def test_force_failover_acts_only_while_a_failover_is_pending(emulator_chromium, emulator, emulator_client):
    page = ready_pair(emulator_chromium, emulator, emulator_client)
    call = connected_contact(page, emulator_client, EAST)
    for region in (EAST, WEST):  # nothing pending: ignored
        page.send(region, GR + "force_failover")
    wait_for_polls(emulator_client, EAST, 2)
    assert emulator_client.contacts(EAST)[0]["state"]["type"] == "connected"
    assert not page.messages(EAST, GR + "failover_initiated") and not page.messages(WEST, GR + "failover_initiated")

    emulator_client.set_active(WEST)
    page.wait_message(EAST, GR + "failover_pending")
    wait_event(emulator_client, WEST, "from-host", GR + "failover_pending")
    for region in (EAST, WEST):  # what Streams' forceFailover() does: both CCPs get it
        page.send(region, GR + "force_failover")
    initiated = [r["detail"] for r in page.wait_for(
        "from-ccp", lambda d: d["event"] == GR + "failover_initiated")]
    assert initiated[0]["data"] == {"activeRegion": WEST}
    wait_until(lambda: call in [c["params"]["contactId"] for c in emulator_client.region_state(EAST)["api_calls"]
                                if c["method"] == "destroyConnection"], 10, message="the stuck call dropped")
    wait_until(lambda: emulator_client.agent_state(EAST) == "Offline", 10, message="old region Offline")


def test_the_new_region_takes_over_when_the_old_one_cannot_hand_over(emulator_chromium, emulator, emulator_client):
    page = ready_pair(emulator_chromium, emulator, emulator_client)
    emulator_client.impair(EAST, active_region_status=503)  # us-east-1's CCP can no longer reach its backend
    wait_until(lambda: [p["status"] for p in emulator_client.region_state(EAST)["active_region_polls"]][-1:] == [503],
               10, message="a failed poll in us-east-1")
    emulator_client.set_active(WEST)
    assert page.wait_message(WEST, GR + "failover_initiated")[0] == {"activeRegion": WEST}
    assert page.messages(WEST, GR + "failover_detected") == [{"activeRegion": WEST}]
    assert not page.messages(EAST, GR + "failover_initiated")


def test_the_heartbeat_relay_is_noticed_when_it_stops(emulator_chromium, emulator, emulator_client):
    page = ready_pair(emulator_chromium, emulator, emulator_client)
    assert page.heartbeats(EAST) and page.heartbeats(WEST)
    page.run("setRelay(false)")
    for region in (EAST, WEST):
        wait_event(emulator_client, region, "ccp", "heartbeat", lambda d: d["state"] == "lost")
    page.run("setRelay(true)")
    for region in (EAST, WEST):
        wait_event(emulator_client, region, "ccp", "heartbeat", lambda d: d["state"] == "restored")
    states = [e["data"]["state"] for e in events(emulator_client, EAST, "ccp", "heartbeat")]
    assert states == ["established", "lost", "restored"]


def test_without_the_relay_both_regions_act_alone(emulator_chromium, emulator, emulator_client):
    """A host that does not relay: the new region hears nothing from the old one and takes over itself too."""
    page = ready_pair(emulator_chromium, emulator, emulator_client, relay="0")
    emulator_client.set_active(WEST)
    assert page.wait_message(WEST, GR + "failover_initiated")[0] == {"activeRegion": WEST}
    assert page.wait_message(EAST, GR + "failover_initiated")[0] == {"activeRegion": WEST}
    assert not [e for e in events(emulator_client, WEST, "ccp", "heartbeat") if e["data"]["state"] == "established"]


def test_back_to_the_old_region_before_the_hand_over_cancels_it(emulator_chromium, emulator, emulator_client):
    page = ready_pair(emulator_chromium, emulator, emulator_client)
    connected_contact(page, emulator_client, EAST)
    emulator_client.set_active(WEST)
    page.wait_message(EAST, GR + "failover_pending")
    page.wait_message(WEST, GR + "failover_detected")  # both saw it (a region that did not, sees no change back)
    emulator_client.set_active(EAST)
    for region in (EAST, WEST):
        page.wait_message(region, GR + "failover_detected", lambda d: d == {"activeRegion": EAST})
    emulator_client.hang_up(EAST)
    emulator_client.clear(EAST)
    wait_for_polls(emulator_client, EAST, 3)
    assert not page.messages(EAST, GR + "failover_initiated") and not page.messages(WEST, GR + "failover_initiated")
    assert emulator_client.agent_state(EAST) == "Available" and emulator_client.agent_state(WEST) == "Offline"
    emulator_client.route_contact(EAST)  # still the active region: it takes contacts


def test_download_log_from_ccp_saves_the_ccps_own_log(emulator_chromium, emulator, emulator_client):
    page = ready_pair(emulator_chromium, emulator, emulator_client)
    texts = emulator_client.emit_logs(WEST, 2, text="stand-by worker line")
    page.wait_message(WEST, "log", lambda d: d["text"] in texts, count=2)
    page.send(WEST, "download_log_from_ccp", {"logName": f"ccp-{WEST}-agent-log"})
    saved = wait_event(emulator_client, WEST, "ccp", "log_saved")[0]["data"]
    assert saved["file"] == f"ccp-{WEST}-agent-log.txt"
    path = os.path.join(emulator_chromium.download_dir, saved["file"])
    wait_until(lambda: os.path.isfile(path) and not path.endswith(".crdownload"), 10, message=f"{path} saved")
    entries = wait_until(lambda: _json_or_none(path), 10, message=f"{path} complete")
    assert [e["text"] for e in entries if e["text"] in texts] == texts
    assert any(e["contextLayer"] == "CCP" and e["text"].startswith("[GR]") for e in entries)
    assert wait_event(emulator_client, WEST, "from-host", "download_log_from_ccp")[0]["data"] == {
        "logName": f"ccp-{WEST}-agent-log"}


def _json_or_none(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def test_firefox_speaks_acgr_the_same_way(emulator_firefox, emulator, emulator_client):
    page = ready_pair(emulator_firefox, emulator, emulator_client)
    connected_contact(page, emulator_client, EAST, "chat")
    emulator_client.set_active(WEST)
    assert page.wait_message(EAST, GR + "failover_pending")[0] == {"activeRegion": WEST}
    emulator_client.hang_up(EAST)
    emulator_client.clear(EAST)
    assert page.wait_message(EAST, GR + "failover_initiated")[0] == {"activeRegion": WEST}

