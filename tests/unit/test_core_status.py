"""The popup's status model and the badge."""
from core_testdata import EAST, WEST, snapshot_data
from grccp.core import global_state as gs
from grccp.core import health as hl
from grccp.core import status
from grccp.core.errors import FieldError
from grccp.core.snapshot import parse_agent_update

SUMMARY = parse_agent_update(snapshot_data(contacts=[("c-1", "voice", "connected")])).to_summary()
EXPECTED_KEYS = {"configured", "configErrors", "managedFields", "activeRegion", "standbyRegion", "regions",
                 "failover", "timeline", "openTabs", "badge"}


def test_fresh_state(config):
    state = gs.GlobalState(config.region_keys)
    model = status.build_status(config, state, 1000, managed_fields=("regions",))
    assert set(model) == EXPECTED_KEYS
    assert model["configured"] is True and model["managedFields"] == ["regions"]
    assert (model["activeRegion"], model["standbyRegion"]) == (EAST, WEST)
    assert [(r["key"], r["role"], r["label"], r["health"], r["signedIn"], r["agent"]) for r in model["regions"]] == [
        (EAST, "active", "UE1", None, None, None), (WEST, "standby", "UW2", None, None, None)]
    assert model["failover"] is None and model["timeline"] == [] and model["openTabs"] == 0
    assert model["badge"] == {"text": "UE1", "color": status.BADGE_COLORS["idle"]}


def test_health_sign_in_and_agent(config):
    state = gs.GlobalState(config.region_keys)
    state.on_ccp_health(1, EAST, hl.READY, 100)
    state.on_ccp_health(1, WEST, hl.SIGNED_OUT, 200)
    state.on_agent_update(EAST, SUMMARY, 300)
    model = status.build_status(config, state, 1000)
    east, west = model["regions"]
    assert (east["health"], east["healthForMs"], east["signedIn"]) == (hl.READY, 900, True)
    assert (west["health"], west["signedIn"]) == (hl.SIGNED_OUT, False)
    assert east["agent"] == SUMMARY and east["agentUpdatedMs"] == 300 and model["openTabs"] == 1
    assert model["badge"]["color"] == status.BADGE_COLORS["ok"]
    state.on_ccp_health(1, EAST, hl.NOT_ANSWERING, 400)
    assert status.build_status(config, state, 1000)["badge"]["color"] == status.BADGE_COLORS["trouble"]


def test_pending_failover_and_timeline(config):
    state = gs.GlobalState(config.region_keys)
    state.on_failover_detected(WEST, True, 100)
    detected = status.build_status(config, state, 150)["failover"]
    assert (detected["phase"], detected["target"], detected["forMs"]) == ("detected", WEST, 50)
    state.on_failover_pending(WEST, "c-1", 200)
    model = status.build_status(config, state, 1200)
    assert model["failover"] == {"phase": "pending", "from": EAST, "target": WEST, "soft": True, "contactId": "c-1",
                                 "detectedMs": 100, "pendingMs": 200, "forMs": 1000}
    assert model["badge"] == {"text": "UE1", "color": status.BADGE_COLORS["pending"]}
    state.on_switch_complete(WEST, 1500)
    state.on_switch_complete(EAST, 3000)
    model = status.build_status(config, state, 4000)
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
