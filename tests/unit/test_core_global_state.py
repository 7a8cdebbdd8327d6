"""GlobalState, the background's single source of truth: health across tabs, the tab registry, agents, the
failover in flight and its phases, the stuck-failover rule, persistence. (Whole failovers through the tab rules:
test_core_failover.)"""
import json

import pytest

from core_testdata import EAST, WEST, snapshot_data
from grccp.core import global_state as gs
from grccp.core import health
from grccp.core.errors import StateError
from grccp.core.snapshot import VOICE_CONTACT_TYPES as VOICE, parse_agent_update
def test_region_health_is_the_best_any_tab_reports(config):
    state = gs.GlobalState(config.region_keys)
    assert state.region_health(EAST) == (None, None, None)
    assert state.on_ccp_health(1, EAST, health.LOADING, 10)
    assert not state.on_ccp_health(1, EAST, health.LOADING, 11)          # unchanged: keeps its since
    assert state.on_ccp_health(2, EAST, health.SIGNED_OUT, 12, "global sign-in invalid (LILY_AGENT_CONFIG_MISSING)")
    assert state.region_health(EAST) == (health.SIGNED_OUT, 12, "global sign-in invalid (LILY_AGENT_CONFIG_MISSING)")
    assert state.on_ccp_health(2, EAST, health.SIGNED_OUT, 15, "expired")  # a new reason, the same since
    assert state.region_health(EAST) == (health.SIGNED_OUT, 12, "expired")
    assert state.on_ccp_health(1, EAST, health.READY, 20)
    assert state.region_health(EAST) == (health.READY, 20, None)
    assert state.on_tab_closed(1) and not state.on_tab_closed(1)
    assert state.region_health(EAST) == (health.SIGNED_OUT, 12, "expired")
    assert not state.on_ccp_health(3, "eu-west-1", health.READY, 30)
    assert not state.on_ccp_health(3, EAST, "fine", 30) and not state.on_ccp_health(3, EAST, ["ready"], 30)


def test_a_region_needs_a_sign_in_while_a_tab_says_so_and_none_has_it_answering(config):
    state = gs.GlobalState(config.region_keys)
    assert not state.sign_in_needed(WEST)
    state.on_ccp_health(1, WEST, health.NOT_ANSWERING, 10)
    assert state.on_sign_in_needed(1, WEST) and not state.on_sign_in_needed(1, WEST)
    assert not state.on_sign_in_needed(1, "eu-west-1")
    assert state.sign_in_needed(WEST) and not state.sign_in_needed(EAST)
    assert not state.sign_in_opens_window(WEST)          # the stand-by's need opens no window
    state.on_ccp_health(2, WEST, health.READY, 20)       # another tab's CCP answers: no sign-in is needed
    assert not state.sign_in_needed(WEST)
    state.on_tab_closed(2)
    assert state.sign_in_needed(WEST)
    assert gs.GlobalState.from_dict(json.loads(json.dumps(state.to_dict()))).sign_in_needed(WEST)
    state.on_switch_complete(WEST, 30, state.epoch)
    assert state.sign_in_opens_window(WEST)              # active now: its need opens the window
    state.on_ccp_health(1, WEST, health.READY, 40)       # the tab that asked has it answering
    assert not state.sign_in_needed(WEST) and not state.sign_in_opens_window(WEST)
    state.on_ccp_health(1, WEST, health.SIGNED_OUT, 50)
    assert not state.sign_in_needed(WEST)                # until the tab asks again
    state.on_sign_in_needed(1, WEST)
    assert state.on_tab_closed(1) and not state.sign_in_needed(WEST)


def test_tab_region_reports(config):
    state = gs.GlobalState(config.region_keys)
    assert state.on_tab_region(4, WEST) is True                       # lagging: send it bg:region-changed
    assert state.on_tab_region(4, EAST) is False
    assert state.on_tab_region(4, "nowhere") is False and state.tabs["4"]["shown"] == EAST


def test_what_the_tabs_are_told_of_the_failover_in_flight(config):
    state = gs.GlobalState(config.region_keys)
    assert state.flight is None
    state.on_failover_detected(WEST, None, 10)
    assert state.flight == {"target": WEST, "pending": False}
    state.on_failover_pending(WEST, "c-1", 20)
    assert state.flight == {"target": WEST, "pending": True}
    state.on_failover_initiated(WEST, 30)
    assert state.flight == {"target": WEST, "pending": False}
    state.on_switch_complete(WEST, 40)
    assert state.flight is None


def test_timeline_is_bounded(config):
    state = gs.GlobalState(config.region_keys)
    for at in range(gs.TIMELINE_LIMIT + 5):
        assert state.on_switch_complete(state.standby, at, state.epoch)
    assert len(state.timeline) == gs.TIMELINE_LIMIT and state.timeline[-1]["completeMs"] == gs.TIMELINE_LIMIT + 4
    gs.GlobalState.from_dict(state.to_dict())


def _corrupt(change):
    state = gs.GlobalState((EAST, WEST), epoch=3)
    state.on_ccp_health(1, EAST, health.READY, 1)
    state.on_failover_pending(WEST, "c", 2)
    data = json.loads(json.dumps(state.to_dict()))
    change(data)
    return data


@pytest.mark.parametrize("change", [
    lambda d: d.clear(),
    lambda d: d.__setitem__("version", 2),
    lambda d: d.__setitem__("version", 4),
    lambda d: d.__setitem__("version", True),
    lambda d: d.__setitem__("regionKeys", [EAST]),
    lambda d: d.__setitem__("regionKeys", [EAST, EAST]),
    lambda d: d.__setitem__("active", "eu-west-1"),
    lambda d: d.__setitem__("epoch", -1),
    lambda d: d.__setitem__("failover", {"target": WEST}),
    lambda d: d["failover"].__setitem__("target", EAST),
    lambda d: d.__setitem__("tabs", []),
    lambda d: d["tabs"]["1"].__setitem__("shown", "nowhere"),
    lambda d: d["tabs"]["1"]["health"].__setitem__(EAST, {"status": "great", "sinceMs": 1}),
    lambda d: d["tabs"]["1"]["health"].__setitem__("nowhere", {"status": "ready", "sinceMs": 1}),
    lambda d: d["agents"].pop(WEST),
    lambda d: d["agents"].__setitem__(WEST, {"summary": {}, "updatedMs": 1}),
    lambda d: d.__setitem__("timeline", [{"from": EAST, "to": EAST, "detectedMs": 1, "pendingMs": None,
                                          "initiatedMs": None, "completeMs": 2, "soft": None, "contactId": None,
                                          "contactType": None, "forcedBy": None, "forcedMs": None}]),
    lambda d: d["failover"].__setitem__("forcedBy", "page"),
    lambda d: d["tabs"]["1"]["health"][EAST].__setitem__("detail", 5),
    lambda d: d["tabs"]["1"].pop("signIn"),
    lambda d: d["tabs"]["1"].__setitem__("signIn", ["nowhere"]),
    lambda d: d.__setitem__("announced", {"nowhere": EAST}),
    lambda d: d.__setitem__("announced", {EAST: ""}),
    lambda d: d.pop("announced"),
    lambda d: d.__setitem__("timeline", [{}] * (gs.TIMELINE_LIMIT + 1)),
    lambda d: d.__setitem__("extra", 1),
    lambda d: d.__setitem__("switchForced", "yes"),
])
def test_corrupt_state_is_refused_with_a_reason(change):
    with pytest.raises(StateError) as caught:
        gs.GlobalState.from_dict(_corrupt(change))
    assert str(caught.value).startswith("stored failover state: ")


def test_state_of_another_configuration_is_refused():
    data = _corrupt(lambda d: None)
    gs.GlobalState.from_dict(data, (EAST, WEST))
    with pytest.raises(StateError, match="another configuration"):
        gs.GlobalState.from_dict(data, (EAST, "eu-west-1"))


# ---------------------------------------------------------------------------------------------------------
# The failover in flight: its phases


def test_a_failover_moves_through_its_phases_and_never_back(config):
    state = gs.GlobalState(config.region_keys, epoch=1)
    assert state.phase is gs.NO_FAILOVER and state.pending is None
    assert state.on_failover_detected(WEST, False, 10, epoch=1) and state.phase == gs.DETECTED
    assert not state.on_failover_detected(WEST, True, 11, epoch=1)            # twice: nothing changes
    assert state.on_failover_pending(WEST, "c-1", 20, epoch=1) and state.phase == gs.PENDING
    assert state.failover == {"target": WEST, "detectedMs": 10, "soft": True, "pendingMs": 20, "initiatedMs": None,
                              "contactId": "c-1", "contactType": None, "forcedBy": None, "forcedMs": None}
    assert not state.on_failover_detected(WEST, False, 21, epoch=1)           # back to detected: ignored
    assert not state.on_failover_pending(WEST, "c-2", 22, epoch=1)
    assert state.on_failover_initiated(WEST, 25, epoch=1) and state.phase == gs.INITIATED
    assert not state.on_failover_initiated(WEST, 26, epoch=1)
    assert not state.on_failover_pending(WEST, "c-2", 27, epoch=1) and state.pending is None
    assert state.on_switch_complete(WEST, 30, epoch=1) and state.phase is gs.NO_FAILOVER
    [entry] = state.timeline
    assert gs.latencies(entry) == {"switchMs": 20, "waitMs": 10, "detectedToPendingMs": 10,
                                   "pendingToInitiatedMs": 5, "initiatedToCompleteMs": 5}


def test_a_pending_report_without_a_detected_one_starts_a_soft_failover(config):
    state = gs.GlobalState(config.region_keys)
    assert state.on_failover_pending(WEST, None, 5, contact_type="chat")
    assert state.failover == {"target": WEST, "detectedMs": 5, "soft": True, "pendingMs": 5, "initiatedMs": None,
                              "contactId": None, "contactType": "chat", "forcedBy": None, "forcedMs": None}


@pytest.mark.parametrize("report", ["detected", "initiated"])
def test_a_failover_turning_back_to_the_active_region_ends_with_no_switch(config, report):
    state = gs.GlobalState(config.region_keys, epoch=1)
    state.on_failover_pending(WEST, "c-1", 5, epoch=1, contact_type="voice")
    turn_back = state.on_failover_detected if report == "detected" else state.on_failover_initiated
    assert not (turn_back(EAST, 6, 0, epoch=0) if report == "detected" else turn_back(EAST, 6, epoch=0))  # stale
    assert (turn_back(EAST, 7, None, epoch=1) if report == "detected" else turn_back(EAST, 7, epoch=1))
    assert state.failover is None and state.active == EAST and state.timeline == [] and state.epoch == 1
    assert not (turn_back(EAST, 8, None) if report == "detected" else turn_back(EAST, 8))  # nothing in flight


def test_once_initiated_only_an_initiated_report_turns_the_failover_back(config):
    """Once initiated, a tab shows the target already: a detected report naming the active region is about the
    next failover (back), which comes after this switch completes, with the new epoch; an initiated one switches
    the tabs back before the target completed (test_core_acgr: a fast flap back)."""
    state = gs.GlobalState(config.region_keys, epoch=1)
    state.on_failover_pending(WEST, "c-1", 5, epoch=1, contact_type="voice")
    assert state.on_failover_initiated(WEST, 6, epoch=1)
    assert not state.on_failover_detected(EAST, None, 7, epoch=1)
    assert state.phase == gs.INITIATED and state.failover["target"] == WEST
    assert state.on_switch_complete(WEST, 8, epoch=1)
    assert state.timeline[0]["contactId"] == "c-1" and state.timeline[0]["pendingMs"] == 5
    assert state.on_failover_initiated(EAST, 9, epoch=2) and state.on_switch_complete(EAST, 10, epoch=2)
    assert state.active == EAST and [entry["to"] for entry in state.timeline] == [WEST, EAST]
    assert state.on_failover_initiated(WEST, 11, epoch=3) and state.on_failover_initiated(EAST, 12, epoch=3)
    assert state.failover is None and state.active == EAST and len(state.timeline) == 2


def test_an_initiated_report_alone_starts_and_phases_the_flight(config):
    state = gs.GlobalState(config.region_keys, epoch=1)
    assert state.on_failover_initiated(WEST, 5, epoch=1)
    assert (state.phase, state.failover["detectedMs"], state.failover["initiatedMs"]) == (gs.INITIATED, 5, 5)
    assert state.on_switch_complete(WEST, 9, epoch=1)
    assert gs.latencies(state.timeline[0])["initiatedToCompleteMs"] == 4


def test_switch_now_marks_the_pending_failover_once(config):
    state = gs.GlobalState(config.region_keys, epoch=1)
    assert not state.on_switch_now(WEST, 1)                       # nothing pending
    state.on_failover_detected(WEST, None, 2, epoch=1)
    assert not state.on_switch_now(WEST, 3)                       # detected is not pending
    state.on_failover_pending(WEST, "c-1", 4, epoch=1, contact_type="chat")
    assert not state.on_switch_now(EAST, 5)                       # not the failover confirmed
    assert state.on_switch_now(WEST, 6)
    assert (state.failover["forcedBy"], state.failover["forcedMs"]) == ("popup", 6)
    assert not state.on_switch_now(WEST, 7)                       # once
    state.on_failover_initiated(WEST, 8, epoch=1)
    state.on_switch_complete(WEST, 9, epoch=1)
    [entry] = state.timeline
    assert (entry["forcedBy"], entry["forcedMs"], entry["contactType"], entry["initiatedMs"]) == ("popup", 6, "chat",
                                                                                                   8)


def test_switch_now_completed_by_the_background_records_the_switch_at_once(config):
    state = gs.GlobalState(config.region_keys, epoch=1)
    assert not state.on_switch_now(WEST, 1, complete=True)        # nothing pending: nothing switches
    assert state.active == EAST and state.timeline == []
    state.on_failover_pending(WEST, "c-1", 4, epoch=1, contact_type="voice")
    assert state.on_switch_now(WEST, 6, complete=True)
    assert (state.active, state.epoch, state.failover) == (WEST, 2, None)
    [entry] = state.timeline
    assert (entry["from"], entry["to"], entry["forcedBy"], entry["forcedMs"], entry["completeMs"],
            entry["contactId"]) == (EAST, WEST, "popup", 6, 6, "c-1")
    assert not state.on_switch_complete(WEST, 9, epoch=1)          # the tabs' late reports are stale
    assert len(state.timeline) == 1


def test_the_tabs_are_told_a_switch_was_forced_until_the_next_one(config):
    state = gs.GlobalState(config.region_keys, epoch=1)
    assert state.region_news == {"region": EAST, "epoch": 1, "failover": None, "forced": False}
    state.on_failover_pending(WEST, "c-1", 4, epoch=1, contact_type="voice")
    state.on_switch_now(WEST, 6, complete=True)
    assert state.region_news == {"region": WEST, "epoch": 2, "failover": None, "forced": True}
    stored = json.loads(json.dumps(state.to_dict()))
    assert gs.GlobalState.from_dict(stored).region_news["forced"] is True
    del stored["switchForced"]                                     # stored before the field existed
    assert gs.GlobalState.from_dict(stored).region_news["forced"] is False
    state.on_region_announced(EAST, "us-east-1", EAST, epoch=2)     # the next switch (any kind) is not forced
    assert state.region_news == {"region": EAST, "epoch": 3, "failover": None, "forced": False}


def test_announced_regions_and_the_active_region_they_name(config):
    state = gs.GlobalState(config.region_keys, epoch=1)
    assert state.on_region_announced(EAST, "us-east-1", EAST, epoch=1) and state.announced == {EAST: "us-east-1"}
    assert not state.on_region_announced(EAST, "us-east-1", EAST, epoch=1)        # nothing new
    assert state.on_region_announced(WEST, "us-west-1", EAST, epoch=1)            # a mismatch is kept as said
    assert not state.on_region_announced("eu-west-1", "eu-west-1", EAST) and not state.on_region_announced(
        EAST, "", EAST)
    assert state.on_region_announced(WEST, "us-west-1", WEST, epoch=1)            # the CCPs say WEST is active
    assert (state.active, state.epoch, state.timeline) == (WEST, 2, [])           # no failover, no timeline entry
    assert not state.on_region_announced(EAST, "us-east-1", EAST, epoch=1)        # stale: made before that
    state.on_failover_detected(EAST, None, 5, epoch=2)
    assert not state.on_region_announced(EAST, "us-east-1", EAST, epoch=2)        # a failover decides itself
    assert state.active == WEST


# ---------------------------------------------------------------------------------------------------------
# A stuck pending failover: its contact is gone, no tab completes it


def _summary(contacts=()):
    return parse_agent_update(snapshot_data(contacts=[(contact, "voice", "connected") for contact in contacts])
                              ).to_summary(VOICE)


def _pending_on_a_call(config):
    state = gs.GlobalState(config.region_keys, epoch=1)
    state.on_agent_update(EAST, _summary(["c-1"]), 1)
    state.on_failover_pending(WEST, "c-1", 2, epoch=1)
    return state


def test_a_stuck_failover_is_completed_once_its_contact_is_gone(config):
    state = _pending_on_a_call(config)
    assert not state.stuck_check_due(EAST)                       # the call goes on
    state.on_agent_update(EAST, _summary(), 100)
    assert state.stuck_check_due(EAST) and gs.STUCK_PENDING_GRACE_MS == 3000
    assert state.complete_stuck_failover(3100, _summary()) == WEST
    assert state.active == WEST and state.epoch == 2 and state.failover is None
    [entry] = state.timeline
    assert (entry["from"], entry["to"], entry["pendingMs"], entry["completeMs"], entry["contactId"]) == (
        EAST, WEST, 2, 3100, "c-1")
    assert state.complete_stuck_failover(3200, _summary()) is None


def test_a_stuck_failover_is_not_completed_while_the_ccp_says_the_contact_is_there(config):
    """The agent updates saying the call is gone may be page script's echoes: the CCP's answer to the
    extension's own request decides."""
    state = _pending_on_a_call(config)
    state.on_agent_update(EAST, _summary(), 100)                  # (forged) no call
    assert state.complete_stuck_failover(3100, _summary(["c-1"])) is None
    assert state.complete_stuck_failover(3100, {"stateName": "broken"}) is None
    assert state.complete_stuck_failover(3100, None) is None
    assert state.active == EAST and state.pending is not None and state.timeline == []


def test_the_stuck_check_asks_a_tab_that_shows_the_active_region_with_its_ccp_ready(config):
    state = _pending_on_a_call(config)
    state.on_tab_region(7, EAST)
    state.on_ccp_health(7, EAST, health.READY, 1)
    state.on_tab_region(3, WEST)
    state.on_ccp_health(3, WEST, health.READY, 1)
    state.on_tab_region(5, EAST)
    state.on_ccp_health(5, EAST, health.NOT_ANSWERING, 1)
    assert state.stuck_check_tab() is None                        # the call goes on: nothing to check
    state.on_agent_update(EAST, _summary(), 100)
    assert state.stuck_check_tab() == 7
    state.on_tab_closed(7)
    assert state.stuck_check_tab() is None                        # no tab can ask: nothing to switch either


def test_a_failover_completed_by_a_tab_or_held_by_a_new_call_is_left_alone(config):
    completed = _pending_on_a_call(config)
    completed.on_agent_update(EAST, _summary(), 100)
    assert completed.on_switch_complete(WEST, 150, epoch=1)       # a tab finished it within the grace
    assert completed.complete_stuck_failover(3100, _summary()) is None and len(completed.timeline) == 1
    held = _pending_on_a_call(config)
    held.on_agent_update(EAST, _summary(), 100)
    held.on_agent_update(EAST, _summary(["c-2"]), 200)            # a second call: it holds the switch now
    assert held.complete_stuck_failover(3100, _summary()) is None and held.pending["contactId"] == "c-2"


def test_no_stuck_check_without_a_pending_failover_or_from_the_stand_by(config):
    state = gs.GlobalState(config.region_keys, epoch=1)
    state.on_agent_update(EAST, _summary(), 1)
    assert not state.stuck_check_due(EAST)                       # nothing pending
    state.on_failover_detected(WEST, True, 2, epoch=1)
    assert not state.stuck_check_due(EAST)                       # detected, not pending
    state = _pending_on_a_call(config)
    state.on_agent_update(WEST, _summary(), 5)
    assert not state.stuck_check_due(WEST)                       # the stand-by's agent says nothing about it


# ---------------------------------------------------------------------------------------------------------
# The panel a page took away (core.panel_returns)


def test_panel_returns_are_kept_per_tab_persisted_and_forgotten_with_the_tab(config):
    state = gs.GlobalState(config.region_keys, epoch=1)
    state.on_tab_region(4, EAST)
    assert state.panel_warnings() == []
    assert state.on_panel_returned(4, 1, False) and not state.on_panel_returned(4, 1, False)
    assert state.on_panel_returned(9, 5, True)
    assert not state.on_panel_returned(4, -1, False) and not state.on_panel_returned(4, 2, "yes")
    assert state.panel_warnings() == [(1, False), (5, True)]
    restored = gs.GlobalState.from_dict(json.loads(json.dumps(state.to_dict())), config.region_keys)
    assert restored.panel_warnings() == [(1, False), (5, True)] and restored.tabs["4"]["shown"] == EAST
    assert state.on_tab_closed(9) and state.panel_warnings() == [(1, False)]


def test_a_stored_tab_with_a_malformed_panel_record_is_refused(config):
    data = gs.GlobalState(config.region_keys, epoch=1).to_dict()
    data["tabs"] = {"4": {"shown": EAST, "health": {}, "panel": {"returns": "many", "gaveUp": False}}}
    with pytest.raises(StateError):
        gs.GlobalState.from_dict(data, config.region_keys)
