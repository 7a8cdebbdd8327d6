"""Failover in legacy DR: the reference scenarios of ccp-protocol 5.4 (1)-(5) plus flapping, duplicates, late and
stale signals, driven through a harness wired like the platform layer (failover_world): CCP message ->
parse_ccp_message -> LegacyDrRules actions -> runtime messages -> GlobalState -> bg:region-changed to every tab."""
import json

import pytest

from core_testdata import EAST, EAST_ARN, WEST, WEST_ARN, snapshot_data
from failover_world import Background, Tab
from grccp.core import global_state as gs
from grccp.core import health
from grccp.core import legacy_dr as dr
from grccp.core.runtime_messages import make_message

UNKNOWN_ARN = "arn:aws:connect:us-west-2:111122223333:instance/99999999-9999-4999-8999-999999999999"


def failover(next_arn=None, is_primary=None):
    data = {}
    if next_arn is not None:
        data["nextActiveArn"] = next_arn
    if is_primary is not None:
        data["isPrimary"] = is_primary
    return {"event": "disasterRecovery::failover", "data": data}


def pending(next_arn=WEST_ARN):
    return {"event": "disasterRecovery::failover_pending", "data": {"nextActiveArn": next_arn}}


def force_offline(next_arn, soft):
    return {"event": "disasterRecovery::force_offline", "data": {"softFailover": soft, "nextActiveArn": next_arn}}


def agent_update(**kwargs):
    return {"event": "agent::update", "data": snapshot_data(**kwargs)}


@pytest.fixture
def world(config):
    background = Background(config)
    return config, background


# ---------------------------------------------------------------------------------------------------------
# 5.4 (1): initial load, the first region is active


def test_initial_load_when_the_first_region_is_active(world):
    config, bg = world
    tab = Tab(config, bg)
    assert tab.shown == EAST
    tab.ccp(EAST, failover(EAST_ARN), 10)                        # worker_A bootstrap: "A is active"
    tab.ccp(WEST, force_offline(EAST_ARN, soft=False), 11)      # worker_B suppresses itself...
    tab.ccp(WEST, failover(EAST_ARN, is_primary=False), 12)     # ...and says so
    assert tab.shown == EAST and tab.completes == [] and tab.posted == []
    assert bg.state.active == EAST and bg.state.timeline == [] and bg.state.failover is None
    assert bg.broadcasts == []


# ---------------------------------------------------------------------------------------------------------
# 5.4 (1b): start-up switch when the first region is not active (either worker's signal may come first)


@pytest.mark.parametrize("first_signal", ["from-A", "from-B"])
def test_start_up_switch_when_the_first_region_is_not_active(world, first_signal):
    config, bg = world
    tab = Tab(config, bg)
    signals = [(EAST, failover(WEST_ARN, is_primary=False)), (WEST, failover(WEST_ARN))]
    if first_signal == "from-B":
        signals.reverse()
    tab.ccp(EAST, force_offline(WEST_ARN, soft=False), 20)
    for at, (region, message) in enumerate(signals):
        tab.ccp(region, message, 30 + at)
    assert tab.shown == WEST and tab.completes == [WEST]
    assert tab.posted == [(WEST, dr.suppress_message(False))]
    assert bg.state.active == WEST and bg.broadcasts == [WEST]
    [entry] = bg.state.timeline
    assert (entry["from"], entry["to"], entry["detectedMs"], entry["completeMs"], entry["soft"]) == (
        EAST, WEST, 20, 30, False)
    assert gs.latencies(entry)["switchMs"] == 10 and gs.latencies(entry)["waitMs"] is None


# ---------------------------------------------------------------------------------------------------------
# 5.4 (2) and (4): hard failover, every tab switches, the background counts it once


def test_hard_failover_in_two_tabs(world):
    config, bg = world
    tabs = [Tab(config, bg), Tab(config, bg)]
    for tab in tabs:                                   # the worker broadcasts to every A port
        tab.ccp(EAST, force_offline(WEST_ARN, soft=False), 100)
    for at, tab in enumerate(tabs):
        tab.ccp(EAST, failover(WEST_ARN, is_primary=False), 200 + at)
    assert [tab.shown for tab in tabs] == [WEST, WEST]
    assert [tab.completes for tab in tabs] == [[WEST], [WEST]]
    assert bg.state.active == WEST and len(bg.state.timeline) == 1 and bg.state.timeline[0]["completeMs"] == 200
    # (4) a failed destroy: the old region keeps retrying force_offline, and duplicates keep coming
    for tab in tabs:
        tab.ccp(EAST, {"event": "disasterRecovery::force_offline"}, 300)
        tab.ccp(EAST, failover(WEST_ARN, is_primary=False), 301)
        tab.ccp(WEST, failover(WEST_ARN), 302)
    assert [tab.completes for tab in tabs] == [[WEST], [WEST]] and len(bg.state.timeline) == 1


# ---------------------------------------------------------------------------------------------------------
# 5.4 (3): soft failover pending on a voice contact, and on a queue callback in after-call work


@pytest.mark.parametrize("contact_type", ["voice", "queue_callback"])
def test_soft_failover_waits_for_the_voice_contact(world, contact_type):
    config, bg = world
    master, other = Tab(config, bg), Tab(config, bg)
    master.ccp(EAST, agent_update(state_name="Busy", state_type="system",
                                  contacts=[("c-1", contact_type, "connected")]), 90)
    for tab in (master, other):
        tab.ccp(EAST, force_offline(WEST_ARN, soft=True), 100)
    master.ccp(EAST, pending(), 101)                   # only the failover master's tab hears this
    master.ccp(EAST, pending(), 102)                   # a second voice contact: no second report
    assert master.pendings == [(WEST, "c-1", contact_type)] and other.pendings == []
    flight = bg.state.pending
    assert (flight["target"], flight["contactId"], flight["detectedMs"], flight["pendingMs"], flight["soft"]) == (
        WEST, "c-1", 100, 101, True)
    # the call ends: after-call work keeps the contact in the snapshot, and the switch waits
    master.ccp(EAST, agent_update(acw=True, contacts=[("c-1", contact_type, "ended")]), 500)
    assert bg.state.pending["contactId"] == "c-1" and bg.state.agent(EAST)[0]["afterCallWork"] is True
    assert master.shown == other.shown == EAST
    # ACW cleared: the contact leaves the snapshot; the CCP then finishes the offline and the worker says so
    master.ccp(EAST, agent_update(state_name="Offline", state_type="offline"), 900)
    assert bg.state.pending["contactId"] == "c-1" and bg.state.agent(EAST)[0]["blockingContacts"] == []
    for at, tab in enumerate((master, other)):
        tab.ccp(EAST, failover(WEST_ARN, is_primary=False), 1000 + at)
    assert master.shown == other.shown == WEST and master.completes == other.completes == [WEST]
    assert bg.state.failover is None and bg.state.pending is None
    [entry] = bg.state.timeline
    assert (entry["pendingMs"], entry["completeMs"], entry["contactId"]) == (101, 1000, "c-1")
    assert gs.latencies(entry) == {"switchMs": 900, "waitMs": 899, "detectedToPendingMs": 1,
                                   "pendingToInitiatedMs": None, "initiatedToCompleteMs": None}


def test_pending_is_reported_again_for_the_next_failover(world):
    config, bg = world
    tab = Tab(config, bg)
    tab.ccp(EAST, agent_update(contacts=[("c-1", "voice", "connected")]), 1)
    tab.ccp(EAST, pending(WEST_ARN), 2)
    tab.ccp(EAST, failover(WEST_ARN, is_primary=False), 3)
    tab.ccp(WEST, agent_update(contacts=[("c-2", "voice", "connected")]), 4)
    tab.ccp(WEST, pending(EAST_ARN), 5)
    assert tab.pendings == [(WEST, "c-1", "voice"), (EAST, "c-2", "voice")]
    assert bg.state.pending["target"] == EAST and bg.state.pending["contactId"] == "c-2"
    tab.ccp(WEST, agent_update(contacts=[("c-2", "voice", "ended"), ("c-3", "voice", "connected")]), 6)
    tab.ccp(WEST, agent_update(contacts=[("c-3", "voice", "connected")]), 7)
    assert bg.state.pending["contactId"] == "c-3"  # the second call now holds the switch


# ---------------------------------------------------------------------------------------------------------
# 5.4 (5): a second tab opened while a failover is pending


def test_a_tab_joining_while_pending(world):
    config, bg = world
    first = Tab(config, bg)
    first.ccp(EAST, agent_update(contacts=[("c-1", "voice", "connected")]), 1)
    first.ccp(EAST, force_offline(WEST_ARN, soft=True), 2)
    first.ccp(EAST, pending(), 3)
    late = Tab(config, bg)                                # starts on the background's active region,
    assert late.shown == EAST and late.rules.epoch == bg.state.epoch
    assert late.rules.pending_target == WEST              # showing the failover pending (its CCP will not say it)
    late.ccp(EAST, failover(EAST_ARN), 10)               # worker_A keeps the new window on A: ignored
    late.ccp(WEST, failover(EAST_ARN, is_primary=False), 11)
    assert late.completes == [] and late.pendings == [] and bg.state.pending is not None
    for tab in (first, late):
        tab.ccp(EAST, failover(WEST_ARN, is_primary=False), 20)
    assert first.shown == late.shown == WEST and len(bg.state.timeline) == 1 and bg.state.failover is None


def test_every_tab_is_told_of_a_pending_failover_that_only_the_master_ccps_tab_hears(world):
    config, bg = world
    master, other = Tab(config, bg), Tab(config, bg)
    master.ccp(EAST, agent_update(contacts=[("c-1", "voice", "connected")]), 1)
    master.ccp(EAST, force_offline(WEST_ARN, soft=True), 2)
    master.ccp(EAST, pending(), 3)
    assert other.rules.pending_target == WEST and other.rules.detected_target == WEST and other.pendings == []
    assert other.shown == EAST
    other.ccp(EAST, force_offline(WEST_ARN, soft=True), 4)   # already known: not reported again
    assert bg.state.pending["detectedMs"] == 2


def test_a_lagging_tab_follows_the_background_like_a_manual_failover(world):
    config, bg = world
    leader = Tab(config, bg)
    lagging = Tab(config, bg)
    lagging_rules_epoch = lagging.rules.epoch
    leader.ccp(EAST, failover(WEST_ARN, is_primary=False), 50)   # only the leader heard it (e.g. lagging's CCP
    assert lagging.shown == WEST                                  # was reloading): the broadcast moves it too
    assert lagging.posted == [(EAST, dr.suppress_message(True)), (EAST, dr.set_offline_message(True)),
                              (WEST, dr.suppress_message(False))]
    assert lagging.completes == [WEST] and lagging.rules.epoch == lagging_rules_epoch + 1
    assert len(bg.state.timeline) == 1 and bg.broadcasts == [WEST]


def test_switch_now_completes_the_pending_failover_and_every_tab_follows(world):
    config, bg = world
    master, other = Tab(config, bg), Tab(config, bg)
    master.ccp(EAST, agent_update(state_name="Busy", contacts=[("c-1", "voice", "connected")]), 1)
    assert not bg.switch_now(WEST, 2)                              # nothing pending yet
    for tab in (master, other):
        tab.ccp(EAST, force_offline(WEST_ARN, soft=True), 3)
    master.ccp(EAST, pending(), 4)
    assert not bg.switch_now(EAST, 5)                              # not the failover pending
    assert bg.switch_now(WEST, 6)                                  # completed by the background, at once
    assert bg.state.active == WEST and bg.state.failover is None and bg.broadcasts == [WEST]
    for tab in (master, other):                                    # each follows as a hard manual failover does:
        assert tab.shown == WEST                                   # the call the failover waited for is cut off
        assert tab.posted[-3:] == [(EAST, dr.suppress_message(True)), (EAST, dr.set_offline_message(False)),
                                   (WEST, dr.suppress_message(False))]
        assert tab.completes == [WEST] and tab.rules.epoch == bg.state.epoch and tab.rules.pending_target is None
    assert not bg.switch_now(WEST, 7)                              # once
    [entry] = bg.state.timeline
    assert (entry["from"], entry["to"], entry["forcedBy"], entry["forcedMs"], entry["completeMs"],
            entry["contactId"]) == (EAST, WEST, "popup", 6, 6, "c-1")
    late = Tab(config, bg, shown=EAST)                             # a tab that hears of it only now (e.g. woken
    late.from_background(bg.region_changed(), 8)                   # later) cuts the call off too
    assert late.posted[-2] == (EAST, dr.set_offline_message(False))
    del bg.tabs[-1]
    # the worker's own failover, arriving once the call ends, switches nothing more
    master.ccp(EAST, failover(WEST_ARN, is_primary=False), 20)
    assert master.shown == WEST and len(bg.state.timeline) == 1 and bg.state.active == WEST


def test_a_tab_starting_on_the_wrong_region_is_corrected(world):
    config, bg = world
    stale = Tab(config, bg, shown=WEST)
    stale.from_background(make_message("bg:region-changed", region=EAST, epoch=bg.state.epoch, failover=None,
                                       forced=False), 5)
    assert stale.shown == EAST and stale.completes == [EAST]
    assert bg.state.timeline == [] and bg.broadcasts == []   # EAST was already active: nothing to record


# ---------------------------------------------------------------------------------------------------------
# Flapping, duplicates, late and stale signals


def test_flapping_ends_in_one_state_with_each_switch_recorded_once(world):
    config, bg = world
    tabs = [Tab(config, bg), Tab(config, bg)]
    tabs[0].ccp(EAST, agent_update(contacts=[("c-1", "voice", "connected")]), 1)
    tabs[0].ccp(EAST, pending(), 2)
    for tab in tabs:
        tab.ccp(EAST, failover(WEST_ARN, is_primary=False), 10)     # A -> B completes after the call
    for tab in tabs:
        tab.ccp(WEST, force_offline(EAST_ARN, soft=False), 20)
        tab.ccp(WEST, failover(EAST_ARN, is_primary=False), 21)     # the TDG flipped back: B -> A
    assert [tab.shown for tab in tabs] == [EAST, EAST]
    assert [tab.completes for tab in tabs] == [[WEST, EAST], [WEST, EAST]]
    assert [(e["from"], e["to"]) for e in bg.state.timeline] == [(EAST, WEST), (WEST, EAST)]
    assert bg.state.active == EAST and bg.state.failover is None and bg.broadcasts == [WEST, EAST]
    assert all(tab.rules.pending_target is None and tab.rules.detected_target is None for tab in tabs)


def test_a_late_report_from_before_the_last_switch_is_ignored(config):
    state = gs.GlobalState(config.region_keys, epoch=7)
    assert state.on_switch_complete(WEST, 10, epoch=7)            # A -> B   (epoch 8)
    assert state.on_switch_complete(EAST, 20, epoch=8)            # B -> A   (epoch 9)
    assert not state.on_switch_complete(WEST, 21, epoch=7)        # a tab's late "complete B" from epoch 7
    assert not state.on_failover_pending(WEST, "c", 22, epoch=8)
    assert not state.on_failover_detected(WEST, True, 23, epoch=8)
    assert state.active == EAST and state.epoch == 9 and len(state.timeline) == 2 and state.failover is None
    assert state.on_failover_detected(WEST, False, 24, epoch=9)   # a current report is news


def test_a_switch_back_within_one_round_trip_ends_on_the_last_region(world):
    """A -> B -> A before the background's answer to "complete B" reaches the tab: the tab's "complete A" is
    no stale report (the tab made the switch the background is at), and the background's late word about B is
    no news to the tab. One final state, the last one: A, never suppressed or set offline by the extension."""
    config, bg = world
    tab = Tab(config, bg)
    bg.hold_messages()
    tab.ccp(EAST, failover(WEST_ARN, is_primary=False), 10)     # A -> B
    tab.ccp(WEST, force_offline(EAST_ARN, soft=False), 11)      # the TDG flipped back at once: B -> A
    tab.ccp(WEST, failover(EAST_ARN, is_primary=False), 12)
    bg.deliver(13)
    assert tab.shown == EAST and tab.completes == [WEST, EAST]
    assert bg.state.active == EAST and bg.state.failover is None
    assert [(e["from"], e["to"]) for e in bg.state.timeline] == [(EAST, WEST), (WEST, EAST)]
    assert (EAST, dr.suppress_message(True)) not in tab.posted and (EAST, dr.set_offline_message(True)) not in tab.posted
    assert tab.rules.epoch == bg.state.epoch


def test_two_tabs_flipping_back_in_either_order_end_on_the_last_region(world):
    """Both tabs switch A -> B -> A within one round trip; the background accepts the first tab's B and the
    second tab's A (each made with knowledge of every switch before it). Neither tab is sent back to B."""
    config, bg = world
    first, second = Tab(config, bg), Tab(config, bg)
    bg.hold_messages()
    first.ccp(EAST, failover(WEST_ARN, is_primary=False), 10)
    second.ccp(EAST, failover(WEST_ARN, is_primary=False), 11)
    second.ccp(WEST, failover(EAST_ARN, is_primary=False), 12)
    first.ccp(WEST, failover(EAST_ARN, is_primary=False), 13)
    bg.deliver(14)
    assert first.shown == second.shown == EAST and bg.state.active == EAST
    assert [(e["from"], e["to"]) for e in bg.state.timeline] == [(EAST, WEST), (WEST, EAST)]
    for tab in (first, second):
        assert (EAST, dr.set_offline_message(True)) not in tab.posted


@pytest.mark.parametrize("from_region, message", [
    (EAST, failover(EAST_ARN)),                        # the region already shown
    (EAST, failover(EAST_ARN, is_primary=False)),      # an explicit ARN decides, even with isPrimary false
    (EAST, failover(UNKNOWN_ARN)),                     # not a configured instance: no action (item 13)
    (EAST, failover(UNKNOWN_ARN, is_primary=False)),
    (EAST, failover(is_primary=True)),
    (EAST, failover()),
    (WEST, failover(is_primary=False)),                # the hidden region saying it is not primary
])
def test_failovers_that_do_not_switch(world, from_region, message):
    config, bg = world
    tab = Tab(config, bg)
    tab.ccp(from_region, message, 1)
    assert tab.shown == EAST and tab.completes == [] and tab.posted == []


def test_manual_failover_without_arn_switches(world):
    config, bg = world
    tab = Tab(config, bg)
    tab.ccp(EAST, failover(is_primary=False), 1)
    assert tab.shown == WEST and tab.completes == [WEST]


@pytest.mark.parametrize("from_region, message", [
    (WEST, pending(EAST_ARN)),                         # from the hidden region
    (EAST, pending(EAST_ARN)),                         # towards the region already shown
    (EAST, pending(UNKNOWN_ARN)),
])
def test_pendings_that_are_ignored(world, from_region, message):
    config, bg = world
    tab = Tab(config, bg)
    tab.ccp(from_region, message, 1)
    assert tab.pendings == [] and bg.state.failover is None


def test_manual_failover_pending_without_arn_targets_the_hidden_region(world):
    config, bg = world
    tab = Tab(config, bg)
    tab.ccp(EAST, {"event": "disasterRecovery::failover_pending"}, 1)
    assert tab.pendings == [(WEST, None, None)] and bg.state.pending["target"] == WEST


@pytest.mark.parametrize("from_region, message", [
    (WEST, force_offline(EAST_ARN, soft=False)),       # the stand-by suppressing itself at start-up
    (EAST, force_offline(EAST_ARN, soft=False)),
    (EAST, force_offline(UNKNOWN_ARN, soft=True)),
    (EAST, {"event": "disasterRecovery::force_offline"}),
])
def test_force_offlines_that_are_not_a_failover(world, from_region, message):
    config, bg = world
    tab = Tab(config, bg)
    tab.ccp(from_region, message, 1)
    assert bg.state.failover is None and tab.rules.detected_target is None


def test_detection_is_reported_once(world):
    config, bg = world
    tab = Tab(config, bg)
    tab.ccp(EAST, force_offline(WEST_ARN, soft=True), 1)
    tab.ccp(EAST, force_offline(WEST_ARN, soft=False), 2)
    assert bg.state.failover["detectedMs"] == 1 and bg.state.failover["soft"] is True


def test_rules_ignore_unknown_regions(config):
    rules = dr.LegacyDrRules(config, "eu-west-1")
    assert rules.shown == EAST and rules.hidden == WEST
    assert rules.on_global_region("eu-west-1") == [] and rules.on_global_region(EAST) == []
    assert rules.on_agent_update("eu-west-1", None) == []


def test_state_round_trips_through_storage(world):
    config, bg = world
    tab = Tab(config, bg)
    bg.state.on_ccp_health(1, EAST, health.READY, 5)
    tab.ccp(EAST, agent_update(contacts=[("c-1", "voice", "connected")]), 6)
    tab.ccp(EAST, force_offline(WEST_ARN, soft=True), 7)
    tab.ccp(EAST, pending(), 8)
    stored = json.loads(json.dumps(bg.state.to_dict()))
    restored = gs.GlobalState.from_dict(stored, config.region_keys)
    assert restored.to_dict() == bg.state.to_dict()
    for state in (bg.state, restored):                                # and they behave the same afterwards
        state.on_switch_complete(WEST, 50, state.epoch)
    assert restored.to_dict() == bg.state.to_dict()
