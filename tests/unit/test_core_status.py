"""The popup's status model and the badge."""
from core_testdata import EAST, WEST, make_acgr_config, snapshot_data
from grccp.core import global_state as gs
from grccp.core import health as hl
from grccp.core import status
from grccp.core.acgr import AcgrRules
from grccp.core.errors import FieldError
from grccp.core.legacy_dr import LegacyDrRules
from grccp.core.snapshot import VOICE_CONTACT_TYPES as VOICE, parse_agent_update

SUMMARY = parse_agent_update(snapshot_data(contacts=[("c-1", "voice", "connected")])).to_summary(VOICE)
EXPECTED_KEYS = {"configured", "configErrors", "managedFields", "activeRegion", "standbyRegion", "protocol",
                 "regions", "regionProblems", "warnings", "failover", "manualFailover", "timeline", "openTabs", "badge"}


def build(config, state, now, managed_fields=()):
    return status.build_status(config, state, now, LegacyDrRules, managed_fields)


def test_fresh_state(config):
    state = gs.GlobalState(config.region_keys)
    model = build(config, state, 1000, managed_fields=("regions",))
    assert set(model) == EXPECTED_KEYS
    assert model["configured"] is True and model["managedFields"] == ["regions"]
    assert (model["activeRegion"], model["standbyRegion"]) == (EAST, WEST)
    assert [(r["key"], r["role"], r["label"], r["health"], r["signedIn"], r["agent"]) for r in model["regions"]] == [
        (EAST, "active", "UE1", None, None, None), (WEST, "standby", "UW2", None, None, None)]
    assert model["failover"] is None and model["timeline"] == [] and model["openTabs"] == 0
    assert model["badge"] == {"text": "UE1", "color": status.BADGE_COLORS["idle"]}


def test_a_page_that_took_the_panel_away_is_warned_about(config):
    state = gs.GlobalState(config.region_keys)
    assert build(config, state, 1000)["warnings"] == []
    state.on_panel_returned(3, 2, False)
    state.on_panel_returned(8, 5, True)
    assert [w["text"][:40] for w in build(config, state, 1000)["warnings"]] == [
        "A page removed the CCP panel 2 times: it", "A page keeps removing the CCP panel: it w"[:40]]


def test_health_sign_in_and_agent(config):
    state = gs.GlobalState(config.region_keys)
    state.on_ccp_health(1, EAST, hl.READY, 100)
    state.on_ccp_health(1, WEST, hl.SIGNED_OUT, 200)
    state.on_agent_update(EAST, SUMMARY, 300)
    model = build(config, state, 1000)
    east, west = model["regions"]
    assert (east["health"], east["healthForMs"], east["signedIn"]) == (hl.READY, 900, True)
    assert east["announcement"] is None and model["regionProblems"] == []  # legacy DR announces nothing
    assert (west["health"], west["signedIn"]) == (hl.SIGNED_OUT, False)
    assert east["agent"] == SUMMARY and east["agentUpdatedMs"] == 300 and model["openTabs"] == 1
    assert model["badge"]["color"] == status.BADGE_COLORS["ok"]
    state.on_ccp_health(1, EAST, hl.NOT_ANSWERING, 400)
    assert build(config, state, 1000)["badge"]["color"] == status.BADGE_COLORS["trouble"]


def test_a_stand_by_waiting_for_a_sign_in_marks_the_badge_and_is_offered(config):
    state = gs.GlobalState(config.region_keys)
    state.on_ccp_health(1, EAST, hl.READY, 100)
    state.on_ccp_health(1, WEST, hl.NOT_ANSWERING, 200)
    state.on_sign_in_needed(1, WEST)
    east, west = build(config, state, 1000)["regions"]
    assert (west["signedIn"], west["signInNeeded"]) == (False, True)
    assert (east["signedIn"], east["signInNeeded"]) == (True, False)
    assert build(config, state, 1000)["badge"] == {"text": "UE1!", "color": status.BADGE_COLORS["ok"]}
    state.on_ccp_health(1, WEST, hl.READY, 300)
    assert build(config, state, 1000)["badge"] == {"text": "UE1", "color": status.BADGE_COLORS["ok"]}
    state.on_ccp_health(1, EAST, hl.NOT_ANSWERING, 400)
    state.on_sign_in_needed(1, EAST)                  # the active region's need shows in its colour, unmarked
    assert build(config, state, 1000)["badge"] == {"text": "UE1", "color": status.BADGE_COLORS["trouble"]}


def test_the_mark_fits_the_badge(config):
    keys = ("us-east-1.blue", "us-west-2.green")
    state = gs.GlobalState(keys)
    state.on_ccp_health(1, keys[1], hl.NOT_ANSWERING, 200)
    state.on_sign_in_needed(1, keys[1])
    assert status.badge(state, status.region_labels(keys))["text"] == "UE1!"


def test_pending_failover_and_timeline(config):
    state = gs.GlobalState(config.region_keys)
    state.on_failover_detected(WEST, True, 100)
    detected = build(config, state, 150)["failover"]
    assert (detected["phase"], detected["target"], detected["forMs"]) == ("detected", WEST, 50)
    state.on_failover_pending(WEST, "c-1", 200)
    model = build(config, state, 1200)
    assert model["failover"] == {"phase": "pending", "from": EAST, "target": WEST, "soft": True, "contactId": "c-1",
                                 "contactType": None, "detectedMs": 100, "pendingMs": 200, "initiatedMs": None,
                                 "forMs": 1000, "forcedBy": None, "canSwitchNow": True}
    assert model["badge"] == {"text": "UE1", "color": status.BADGE_COLORS["pending"]}
    state.on_switch_complete(WEST, 1500)
    state.on_switch_complete(EAST, 3000)
    model = build(config, state, 4000)
    assert [(e["from"], e["to"], e["switchMs"], e["waitMs"]) for e in model["timeline"]] == [
        (WEST, EAST, 0, None), (EAST, WEST, 1400, 1300)]  # newest first
    assert model["failover"] is None and model["badge"]["text"] == "UE1"


def test_not_configured():
    model = status.not_configured_status()
    assert set(model) == EXPECTED_KEYS and model["configured"] is False
    assert model["badge"] == {"text": "!", "color": status.BADGE_COLORS["idle"]}
    refused = status.not_configured_status([FieldError("loginUrl", "required", "is required")], ("allowlist",))
    assert refused["configErrors"] == [{"path": "loginUrl", "rule": "required", "message": "is required"}]
    assert refused["badge"]["color"] == status.BADGE_COLORS["trouble"] and refused["managedFields"] == ["allowlist"]


def test_region_labels():
    assert status.region_labels(["us-east-1", "us-west-2"]) == {"us-east-1": "UE1", "us-west-2": "UW2"}
    assert status.region_labels(["us-east-1.blue", "us-east-1.green"]) == {"us-east-1.blue": "UE1B",
                                                                           "us-east-1.green": "UE1G"}
    assert status.region_labels(["us-east-1.blue", "us-east-1.black"]) == {"us-east-1.blue": "R1",
                                                                           "us-east-1.black": "R2"}
    assert status.region_labels(["us-gov-west-1", "ap-southeast-22"]) == {"us-gov-west-1": "UGW1",
                                                                          "ap-southeast-22": "AS22"}
    assert all(len(label) <= status.BADGE_TEXT_LIMIT for label in
               status.region_labels(["us-gov-west-12.x", "us-gov-east-12.y"]).values())


def test_acgr_pending_on_a_chat_offers_switch_now_once():
    config = make_acgr_config()
    state = gs.GlobalState(config.region_keys)
    state.on_failover_detected(WEST, None, 100)
    state.on_failover_pending(WEST, "chat-1", 200, contact_type="chat")
    failover = status.build_status(config, state, 300, AcgrRules)["failover"]
    assert (failover["phase"], failover["contactType"], failover["canSwitchNow"]) == ("pending", "chat", True)
    state.on_switch_now(WEST, 400)
    failover = status.build_status(config, state, 500, AcgrRules)["failover"]
    assert (failover["forcedBy"], failover["canSwitchNow"]) == ("popup", False)
    state.on_failover_initiated(WEST, 600)
    failover = status.build_status(config, state, 650, AcgrRules)["failover"]
    assert (failover["phase"], failover["initiatedMs"], failover["forMs"]) == ("initiated", 600, 50)


def test_acgr_announcements_and_the_problems_they_reveal():
    config = make_acgr_config()
    state = gs.GlobalState(config.region_keys)
    model = status.build_status(config, state, 0, AcgrRules)
    assert [r["announcement"] for r in model["regions"]] == ["waiting", "waiting"] and model["regionProblems"] == []
    state.on_ccp_health(1, EAST, hl.READY, 0)
    state.on_ccp_health(1, WEST, hl.READY, 0)
    state.on_region_announced(EAST, "us-east-1", EAST)
    state.on_region_announced(WEST, "eu-west-1", EAST)
    model = status.build_status(config, state, status.ANNOUNCE_GRACE_MS - 1, AcgrRules)
    assert [r["announcement"] for r in model["regions"]] == ["ok", "mismatch"]
    assert model["regionProblems"] == [{"path": "regions/1/region", "message":
                                        f'the CCP at {config.regions[1].ccp_url} announces region "eu-west-1", '
                                        f'not "us-west-2"'}]
    silent = gs.GlobalState(config.region_keys)
    silent.on_ccp_health(1, WEST, hl.READY, 0)
    silent.on_region_announced(EAST, "us-east-1", EAST)
    assert status.build_status(config, silent, status.ANNOUNCE_GRACE_MS - 1, AcgrRules)["regionProblems"] == []
    model = status.build_status(config, silent, status.ANNOUNCE_GRACE_MS, AcgrRules)
    assert model["regions"][1]["announcement"] == "missing"
    [problem] = model["regionProblems"]
    assert problem["path"] == "regions/1/ccpUrl" and "us-west-2 CCP" in problem["message"] and \
        "has not announced its region" in problem["message"]


def test_a_site_the_browser_refuses_to_show_a_ccp_on_is_a_problem_named_with_its_fix(config):
    """Each tab's refusal is listed, also while a tab of another site shows the region's CCP (the best health)."""
    state = gs.GlobalState(config.region_keys)
    refused = "us-west-2 does not list https://crm2.example.com as an approved origin: add it ..."
    state.on_ccp_health(1, WEST, hl.READY, 100)
    state.on_sign_in_needed(2, WEST)  # its CCP did not answer after loading, before the background found why
    state.on_ccp_health(2, WEST, hl.REFUSED_FRAMING, 200, refused)
    assert not state.sign_in_needed(WEST) and state.tabs["2"]["signIn"] == []
    state.on_ccp_health(3, WEST, hl.REFUSED_FRAMING, 300, refused)
    model = build(config, state, 1000)
    assert model["regions"][1]["health"] == hl.READY
    assert model["regionProblems"] == [{"path": "regions/1/ccpUrl", "message": refused}]
    state.on_ccp_health(1, WEST, hl.LOADING, 400)
    model = build(config, state, 1000)
    assert (model["regions"][1]["health"], model["regions"][1]["healthDetail"]) == (hl.REFUSED_FRAMING, refused)
    state.on_ccp_health(1, EAST, hl.REFUSED_FRAMING, 500, "east refused")
    assert build(config, state, 1000)["badge"]["color"] == status.BADGE_COLORS["trouble"]
