"""The administrator's manual failover (core.manual_failover, GlobalState.on_manual_failover): whether it is
offered and done, the no-op for the region already active, the timeline's "manual" and who, and the CCPs' switch
back that follows when the traffic distribution group still names the old region."""
import pytest

from core_testdata import EAST, WEST, example, make_acgr_config, snapshot_data
from grccp.core import global_state as gs
from grccp.core import manual_failover, status, status_view
from grccp.core.acgr import AcgrRules
from grccp.core.config import parse_config
from grccp.core.legacy_dr import LegacyDrRules
from grccp.core.snapshot import VOICE_CONTACT_TYPES as VOICE, parse_agent_update


@pytest.fixture
def enabled():
    """The legacy DR example with the manual failover on."""
    data = example("legacy-dr-full")
    data["outage"]["manualFailover"] = True
    return parse_config(data)


def model(config, state, traits=LegacyDrRules):
    return status.build_status(config, state, 10_000, traits)


def test_the_option_is_off_by_default_and_only_legacy_dr_can(config, enabled):
    assert not config.outage["manualFailover"]
    assert not manual_failover.offered(config, LegacyDrRules)
    assert manual_failover.offered(enabled, LegacyDrRules)
    acgr = make_acgr_config(outage={"manualFailover": True})
    assert not manual_failover.offered(acgr, AcgrRules)
    state = gs.GlobalState(acgr.region_keys)
    assert "no manual failover" in manual_failover.refusal(acgr, AcgrRules, state, WEST)
    assert "not enabled" in manual_failover.refusal(config, LegacyDrRules, gs.GlobalState(config.region_keys), WEST)


def test_the_region_already_active_is_a_no_op_with_a_message(enabled):
    state = gs.GlobalState(enabled.region_keys)
    before = state.to_dict()
    assert manual_failover.refusal(enabled, LegacyDrRules, state, EAST) == f"{EAST} is already active: nothing to do"
    assert not state.on_manual_failover(EAST, 1000)
    assert state.to_dict() == before


def test_an_unknown_region_is_refused(enabled):
    state = gs.GlobalState(enabled.region_keys)
    assert manual_failover.refusal(enabled, LegacyDrRules, state, "eu-west-9") == (
        "eu-west-9 is not a configured region")
    assert not state.on_manual_failover("eu-west-9", 1000)
    assert state.active == EAST and state.timeline == []


def test_not_while_a_failover_is_in_flight(enabled):
    state = gs.GlobalState(enabled.region_keys)
    state.on_failover_pending(WEST, "c-1", 500)
    assert "in flight" in manual_failover.refusal(enabled, LegacyDrRules, state, WEST)
    assert not state.on_manual_failover(WEST, 1000)
    assert model(enabled, state)["manualFailover"] is None


def test_a_manual_failover_switches_at_once_forced_and_says_manual_and_who(enabled):
    state = gs.GlobalState(enabled.region_keys, epoch=5)
    assert manual_failover.refusal(enabled, LegacyDrRules, state, WEST) is None
    assert state.on_manual_failover(WEST, 1000)
    assert (state.active, state.epoch, state.failover) == (WEST, 6, None)
    assert state.region_news["forced"] is True      # every tab ends the old region's contacts as it follows
    [entry] = state.timeline
    assert (entry["from"], entry["to"], entry["forcedBy"], entry["pendingMs"]) == (EAST, WEST, "popup", None)
    assert entry["soft"] is False and entry["detectedMs"] == entry["forcedMs"] == entry["completeMs"] == 1000
    assert gs.is_manual(entry)
    [row, _, _] = status_view.timeline_rows(model(enabled, state)["timeline"])
    assert row["route"] == f"{EAST} → {WEST} (manual failover, from the popup)"
    restored = gs.GlobalState.from_dict(state.to_dict(), enabled.region_keys)
    assert restored.to_dict() == state.to_dict()


def test_the_page_api_is_named_as_who(enabled):
    state = gs.GlobalState(enabled.region_keys)
    state.on_manual_failover(WEST, 1000, "page-api")
    [row, _, _] = status_view.timeline_rows(model(enabled, state)["timeline"])
    assert row["route"] == f"{EAST} → {WEST} (manual failover, from the page API)"


def test_the_ccps_switching_back_after_a_manual_failover_is_said(enabled):
    """The traffic distribution group still names EAST: WEST's worker fails back at its next poll."""
    state = gs.GlobalState(enabled.region_keys)
    state.on_manual_failover(WEST, 1000)
    state.on_failover_detected(EAST, True, 1400)
    assert state.on_switch_complete(EAST, 1500)
    back = state.timeline[-1]
    assert back["afterManual"] is True and back["forcedBy"] is None
    rows = status_view.timeline_rows(model(enabled, state)["timeline"])
    assert rows[0]["route"] == f"{WEST} → {EAST} (undone: the CCPs' poll names {EAST} active)"
    assert gs.GlobalState.from_dict(state.to_dict(), enabled.region_keys).timeline[-1]["afterManual"] is True
    state.on_switch_complete(WEST, 9000)             # a later switch is not about the manual failover
    assert "afterManual" not in state.timeline[-1]


def test_a_forced_switch_back_is_not_the_ccps_undoing_it(enabled):
    state = gs.GlobalState(enabled.region_keys)
    state.on_manual_failover(WEST, 1000)
    state.on_manual_failover(EAST, 2000)
    assert "afterManual" not in state.timeline[-1]
    assert status_view.timeline_rows(model(enabled, state)["timeline"])[0]["route"] == (
        f"{WEST} → {EAST} (manual failover, from the popup)")


def test_the_popup_offers_it_naming_the_contact_that_will_be_cut_off(config, enabled):
    state = gs.GlobalState(enabled.region_keys)
    assert model(config, state)["manualFailover"] is None              # option off
    assert status_view.failover_action(model(config, state)) is None
    acgr = make_acgr_config(outage={"manualFailover": True})
    assert model(acgr, gs.GlobalState(acgr.region_keys), AcgrRules)["manualFailover"] is None
    action = status_view.failover_action(model(enabled, state))
    assert (action["kind"], action["label"], action["target"]) == ("manual-failover", f"Fail over to {WEST}", WEST)
    assert action["question"] == (f"Switch to {WEST} now? Any contact still in {EAST} will be cut off. The CCPs "
                                  f"switch back at their next poll unless the traffic distribution group names "
                                  f"{WEST}.")
    call = parse_agent_update(snapshot_data(contacts=[("c-9", "voice", "connected")])).to_summary(VOICE)
    state.on_agent_update(EAST, call, 500)
    action = status_view.failover_action(model(enabled, state))
    assert action["question"].startswith(f"Switch to {WEST} now? The voice contact c-9 in {EAST} will be cut off.")
    state.on_failover_pending(WEST, "c-9", 600)                           # a pending failover: Switch now instead
    action = status_view.failover_action(model(enabled, state))
    assert (action["kind"], action["label"]) == ("switch-now", "Switch now")


def test_what_the_popup_says_once_answered():
    action = {"kind": "manual-failover", "target": WEST}
    assert status_view.action_result(action, True, "") == f"Failed over to {WEST}: every tab switched."
    assert status_view.action_result(action, False, f"{EAST} is already active: nothing to do") == (
        f"Not switched: {EAST} is already active: nothing to do.")
    assert status_view.action_result({"kind": "switch-now", "target": WEST}, True, None) == (
        f"Switch now sent: the CCPs end the failover to {WEST}.")
