"""ACGR (src/global-resiliency.js): its host messages, its host rules as actions (dedupe, order, relays,
completion after the new region's first snapshot), and whole failovers through the background (failover_world):
hard, soft over voice and over chat, flapping, Switch now, a lagging tab, stale reports, start-up."""
import pytest

from core_testdata import EAST, LOGIN, WEST, make_acgr_config, snapshot_data
from failover_world import Background, Tab
from grccp.core import acgr
from grccp.core import ccp_messages as cm
from grccp.core import global_state as gs
from grccp.core import protocols
from grccp.core import tab_actions as ta
from grccp.core.errors import ProtocolError
from grccp.core.snapshot import parse_agent_update
from test_core_legacy_dr import assert_implements_host_rules

EAST_ORIGIN = "https://ccp.us-east-1.example.test:8443"
WEST_ORIGIN = "https://ccp.us-west-2.example.test:8443"


@pytest.fixture
def config():
    return make_acgr_config()


def init(instance, active, state=None):
    return {"event": acgr.INIT, "data": {"instanceRegion": instance, "activeRegion": active,
                                         "instanceState": state or ("active" if instance == active else "inactive")}}


def gr(event, active_region=None, **data):
    if active_region is not None:
        data["activeRegion"] = active_region
    return {"event": event, "data": data}


def agent_update(**kwargs):
    return {"event": "agent::update", "data": snapshot_data(**kwargs)}


def ccc(state):
    return acgr.configure_ccp_conduit_message(state)


FETCH = {"event": acgr.FETCH_AGENT_DATA}


def run(rules, region, message):
    event, payload = cm.parse_ccp_message(message, cm.parser_table(rules.CCP_EVENTS))
    if event == cm.AGENT_UPDATE:
        return rules.on_agent_update(region, payload)
    return rules.on_ccp_event(region, event, payload)


def posts(actions):
    return [(a.region, a.message) for a in actions if isinstance(a, ta.Post)]


def reports(actions):
    return [a for a in actions if not isinstance(a, (ta.Post, ta.Log))]


# ---------------------------------------------------------------------------------------------------------
# The interface, the protocol's choice and its messages


def test_the_rules_implement_the_whole_host_rules_interface_and_are_chosen_by_the_configuration(config):
    assert_implements_host_rules(acgr.AcgrRules)
    assert isinstance(protocols.host_rules_for(config, None, 0), acgr.AcgrRules)
    assert protocols.rules_class(config) is acgr.AcgrRules
    traits = acgr.AcgrRules
    assert traits.SWITCH_NOW and traits.ANNOUNCES_REGIONS and not traits.COMPLETES_STUCK_FAILOVER
    assert set(traits.BLOCKING_CONTACT_TYPES) == {"voice", "queue_callback", "chat"}


@pytest.mark.parametrize("shown, states", [(None, ("active", "inactive")), (EAST, ("active", "inactive")),
                                           (WEST, ("inactive", "active"))])
def test_a_new_frame_is_told_whether_it_is_active(config, shown, states):
    rules = acgr.AcgrRules(config, shown)
    assert [rules.frame_created_messages(region) for region in (EAST, WEST)] == [[ccc(states[0])], [ccc(states[1])]]


def test_the_sign_in_check_and_the_handshake(config):
    rules = acgr.AcgrRules(config, EAST)
    assert rules.sign_in_check(WEST) == ({"event": "globalResiliency::validate_global_signin"}, 250)
    configure, context = rules.handshake_messages(WEST)
    assert configure == rules.configure_message(WEST)
    assert configure["event"] == "configure" and configure["data"]["enableGlobalResiliency"] is True
    assert configure["data"]["instanceState"] == "inactive" and "disasterRecoveryOn" not in configure["data"]
    assert configure["data"]["softphone"] == config.softphone
    assert context["event"] == "outer_context_info" and context["data"]["streamsVersion"] == cm.STREAMS_VERSION
    params = context["data"]["initCCPParams"]
    assert (params["ccpUrl"], params["secondaryCCPUrl"], params["loginUrl"], params["enableGlobalResiliency"]) == (
        config.regions[0].ccp_url, config.regions[1].ccp_url, LOGIN, True)


@pytest.mark.parametrize("message", [
    init("us-east-1", "us-east-1", "standby"),
    {"event": acgr.INIT, "data": {"instanceRegion": "us-east-1", "instanceState": "active"}},
    {"event": acgr.INIT, "data": {"instanceRegion": 5, "activeRegion": "us-east-1", "instanceState": "active"}},
    {"event": acgr.INIT},
    gr(acgr.FAILOVER_DETECTED),
    gr(acgr.FAILOVER_DETECTED, "x" * 65),
    {"event": acgr.FAILOVER_INITIATED, "data": "us-west-2"},
    {"event": acgr.HEARTBEAT_SYN, "data": [1]},
    {"event": acgr.GLOBAL_SIGNIN_INVALID, "data": "LILY_AGENT_CONFIG_MISSING"},
])
def test_malformed_messages_are_refused(config, message):
    with pytest.raises(ProtocolError):
        cm.parse_ccp_message(message, cm.parser_table(acgr.AcgrRules.CCP_EVENTS))


# ---------------------------------------------------------------------------------------------------------
# init


def test_the_first_init_shows_the_active_region_and_later_ones_are_deduped(config):
    rules = acgr.AcgrRules(config, EAST)
    first = run(rules, EAST, init("us-east-1", "us-east-1"))
    assert posts(first) == [(EAST, ccc("active")), (EAST, FETCH), (EAST, ccc("active")), (WEST, ccc("inactive"))]
    assert reports(first) == [ta.Announced(EAST, "us-east-1", EAST)]
    second = run(rules, WEST, init("us-west-2", "us-east-1"))
    assert posts(second) == [(WEST, ccc("inactive"))] and reports(second) == [ta.Announced(WEST, "us-west-2", EAST)]
    assert rules.shown == EAST and rules.initialized


@pytest.mark.parametrize("announcer, message", [(EAST, init("us-east-1", "us-west-2")),
                                                (WEST, init("us-west-2", "us-west-2"))])
def test_an_init_naming_the_other_region_switches_to_it_once(config, announcer, message):
    rules = acgr.AcgrRules(config, EAST)
    actions = run(rules, announcer, message)
    assert [a for a in actions if isinstance(a, ta.Show)] == [ta.Show(WEST)]
    assert posts(actions)[1:] == [(WEST, FETCH), (WEST, ccc("active")), (EAST, ccc("inactive"))]
    assert reports(actions)[-1] == ta.Announced(announcer, message["data"]["instanceRegion"], WEST)
    assert (rules.shown, rules.hidden) == (WEST, EAST)
    assert not [a for a in run(rules, announcer, message) if isinstance(a, ta.Show)]  # deduped


def test_names_that_differ_from_the_configuration_are_learnt_as_streams_learns_them(config):
    rules = acgr.AcgrRules(config, EAST)
    actions = run(rules, WEST, init("us-west-1", "us-east-1"))   # the configuration says us-west-2
    assert reports(actions) == [ta.Announced(WEST, "us-west-1", EAST)]
    switch = run(rules, EAST, gr(acgr.FAILOVER_INITIATED, "us-west-1"))
    assert ta.Show(WEST) in switch and ta.Initiated(WEST) in switch
    done = run(rules, WEST, agent_update())
    assert posts(done) == [(WEST, acgr.failover_complete_message("us-west-1", WEST_ORIGIN)),
                           (EAST, acgr.failover_complete_message("us-west-1", WEST_ORIGIN))]


def test_a_region_name_no_ccp_announced_goes_to_the_one_that_said_nothing(config):
    rules = acgr.AcgrRules(config, EAST)
    run(rules, EAST, init("us-east-1", "us-east-1"))
    switch = run(rules, EAST, gr(acgr.FAILOVER_INITIATED, "eu-west-1"))  # WEST never said its name
    assert ta.Initiated(WEST) in switch
    assert run(rules, EAST, gr(acgr.FAILOVER_DETECTED, "ap-south-1"))[0].level == "WARN"  # no one left


# ---------------------------------------------------------------------------------------------------------
# The failover phases in one tab, table-driven


DETECTED_TABLE = [
    # (from, target named, reported?)
    (EAST, "us-west-2", [ta.Detected(WEST, None)]),
    (WEST, "us-west-2", []),                       # the same target again, from either CCP: deduped
    (EAST, "us-east-1", [ta.Detected(EAST, None)]),  # back to the region shown: the failover turns back
    (EAST, "us-west-2", [ta.Detected(WEST, None)]),  # a new target: reported again
]


def test_detected_is_reported_once_per_target(config):
    rules = acgr.AcgrRules(config, EAST)
    for region, name, expected in DETECTED_TABLE:
        assert reports(run(rules, region, gr(acgr.FAILOVER_DETECTED, name))) == expected, (region, name)
        assert posts(run(rules, region, gr(acgr.FAILOVER_DETECTED, name))) == []  # never relayed


@pytest.mark.parametrize("contacts, expected", [
    ([("c-1", "voice", "connected")], ("c-1", "voice")),
    ([("t-1", "task", "connected"), ("ch-1", "chat", "connected")], ("ch-1", "chat")),
    ([("cb-1", "queue_callback", "ended")], ("cb-1", "queue_callback")),
    ([], (None, None)),
])
def test_pending_only_from_the_active_ccp_once_names_its_contact_and_is_relayed(config, contacts, expected):
    rules = acgr.AcgrRules(config, EAST)
    run(rules, EAST, agent_update(state_name="Busy", contacts=contacts))
    pending = gr(acgr.FAILOVER_PENDING, "us-west-2", contactIds=["x"])
    from_standby = run(rules, WEST, pending)
    assert reports(from_standby) == [] and posts(from_standby) == [(EAST, pending)]  # relayed all the same
    actions = run(rules, EAST, pending)
    assert reports(actions) == [ta.Pending(WEST, *expected)] and posts(actions) == [(WEST, pending)]
    assert rules.pending_target == WEST
    again = run(rules, EAST, pending)
    assert reports(again) == [] and posts(again) == [(WEST, pending)]


def test_initiated_switches_once_relays_after_and_completes_on_the_new_regions_first_snapshot(config):
    rules = acgr.AcgrRules(config, EAST)
    initiated = gr(acgr.FAILOVER_INITIATED, "us-west-2")
    actions = run(rules, EAST, initiated)
    assert actions == [ta.Show(WEST), ta.Post(WEST, FETCH), ta.Post(WEST, ccc("active")),
                       ta.Post(EAST, ccc("inactive")), ta.Initiated(WEST), ta.Post(WEST, initiated)]
    assert run(rules, WEST, initiated) == [ta.Post(EAST, initiated)]    # the same target: relayed, no switch
    assert run(rules, EAST, agent_update()) == []                      # the old region's snapshot completes nothing
    done = run(rules, WEST, agent_update())
    complete = acgr.failover_complete_message("us-west-2", WEST_ORIGIN)
    assert done == [ta.Complete(WEST, EAST, 0), ta.Post(WEST, complete), ta.Post(EAST, complete)]
    assert rules.epoch == 1  # a switch on the CCPs' word is counted (core.tab_epoch)
    assert complete["data"] == {"activeRegion": "us-west-2", "activeCcpUrl": WEST_ORIGIN}
    assert run(rules, WEST, agent_update()) == []                      # once


def test_initiated_without_a_region_switches_nothing_but_is_relayed(config):
    rules = acgr.AcgrRules(config, EAST)
    message = gr(acgr.FAILOVER_INITIATED)
    actions = run(rules, EAST, message)
    assert actions[0].level == "ERROR" and actions[1:] == [ta.Post(WEST, message)] and rules.shown == EAST


@pytest.mark.parametrize("event", [acgr.HEARTBEAT_SYN, acgr.HEARTBEAT_ACK, acgr.FAILOVER_COMPLETE])
@pytest.mark.parametrize("data", [None, {}, {"seq": 3, "at": "2026-01-01T00:00:00.000Z", "nested": {"a": [1]}}])
def test_heartbeats_and_a_ccps_complete_are_relayed_verbatim_to_the_other_ccp(config, event, data):
    rules = acgr.AcgrRules(config, EAST)
    message = {"event": event} if data is None else {"event": event, "data": data}
    assert run(rules, EAST, message) == [ta.Post(WEST, message)]
    assert run(rules, WEST, message) == [ta.Post(EAST, message)]


def test_sign_in_answers_go_to_the_conduit_naming_the_error_type(config):
    rules = acgr.AcgrRules(config, EAST)
    assert run(rules, WEST, gr(acgr.GLOBAL_SIGNIN_VALID)) == [ta.SignInChecked(WEST, True, None)]
    actions = run(rules, EAST, {"event": acgr.GLOBAL_SIGNIN_INVALID, "data": {
        "errorType": "LILY_AGENT_CONFIG_PARSE_ERROR", "error": {"message": "bad cookie"}}})
    assert actions[-1] == ta.SignInChecked(EAST, False,
                                           "global sign-in invalid (LILY_AGENT_CONFIG_PARSE_ERROR): bad cookie")
    assert run(rules, EAST, {"event": acgr.GLOBAL_SIGNIN_INVALID})[-1].detail == (
        "global sign-in invalid (no error type given)")


def test_the_backgrounds_word_of_a_failover_in_flight_is_kept_until_the_switch(config):
    rules = acgr.AcgrRules(config, EAST, 3, {"target": WEST, "pending": True})
    assert (rules.detected_target, rules.pending_target) == (WEST, WEST)
    assert run(rules, EAST, gr(acgr.FAILOVER_DETECTED, "us-west-2")) == []          # known: not reported again
    assert not [a for a in run(rules, WEST, init("us-west-2", "us-west-2")) if isinstance(a, ta.Show)]
    assert rules.pending_target == WEST
    assert rules.on_global_region(EAST, 3, {"target": EAST, "pending": False}) == []  # not a region to go to
    rules = acgr.AcgrRules(config, EAST, 3)
    assert rules.on_global_region(EAST, 3, {"target": WEST, "pending": True}) == [] and rules.pending_target == WEST
    assert rules.on_global_region(EAST, 3, None) == [] and rules.pending_target == WEST  # only a switch ends it
    assert rules.on_global_region(EAST, 2, {"target": WEST, "pending": False}) == []     # older word: nothing


def test_a_tab_that_switched_ahead_of_the_background_is_not_sent_back_by_its_word_of_the_same_failover(world):
    config, bg = world
    tab = Tab(config, bg)
    start(tab)
    tab.ccp(EAST, agent_update(state_name="Busy", contacts=[("c-1", "chat", "connected")]), 5)
    bg.hold_messages()                                   # the background's word of the pending failover is on its way
    old = failover([tab], "us-west-2", 10, contact=True)
    initiate([tab], old, "us-west-2", 20)                # the CCPs switched this tab (e.g. Switch now) before it came
    assert tab.shown == WEST and bg.in_flight
    bg.deliver(30)
    assert tab.shown == WEST and tab.shows == [WEST]
    tab.ccp(WEST, agent_update(), 40)
    assert bg.state.active == WEST and len(bg.state.timeline) == 1


def test_a_lagging_tab_follows_with_the_switchs_own_messages(config):
    rules = acgr.AcgrRules(config, EAST, epoch=3)
    assert rules.on_global_region(WEST, 4) == [ta.Show(WEST), ta.Post(WEST, FETCH), ta.Post(WEST, ccc("active")),
                                               ta.Post(EAST, ccc("inactive")), ta.Complete(WEST, EAST, 4)]
    assert rules.epoch == 4 and rules.on_global_region(WEST, 5) == [] and rules.on_global_region("eu-west-1") == []
    assert rules.on_global_region(EAST, 4) == [] and rules.shown == WEST  # older than what the tab knows


def test_switch_now_sends_force_failover_to_both_ccps(config):
    rules = acgr.AcgrRules(config, EAST)
    actions = rules.on_switch_now()
    assert posts(actions) == [(EAST, {"event": acgr.FORCE_FAILOVER}), (WEST, {"event": acgr.FORCE_FAILOVER})]


# ---------------------------------------------------------------------------------------------------------
# Whole failovers through the background


@pytest.fixture
def world(config):
    return config, Background(config)


def start(tab, region_active="us-east-1", at=1):
    tab.ccp(EAST, init("us-east-1", region_active), at)
    tab.ccp(WEST, init("us-west-2", region_active), at)


def failover(tabs, target_name, t0, contact=None):
    """The CCPs' four phases as every tab's CCPs say them (the worker tells every window of its origin)."""
    old = tabs[0].shown
    for tab in tabs:
        tab.ccp(old, gr(acgr.FAILOVER_DETECTED, target_name), t0)
    if contact is not None:
        for tab in tabs:
            tab.ccp(old, gr(acgr.FAILOVER_PENDING, target_name), t0 + 10)
    return old


def initiate(tabs, old, target_name, at):
    for tab in tabs:
        tab.ccp(old, gr(acgr.FAILOVER_INITIATED, target_name), at)


def test_hard_failover_in_two_tabs_and_a_tab_on_another_site(world):
    config, bg = world
    tabs = [Tab(config, bg), Tab(config, bg)]
    other_site = Tab(config, bg)          # its CCPs have another worker: it hears none of this
    for tab in tabs:
        start(tab)
    assert bg.state.announced == {EAST: "us-east-1", WEST: "us-west-2"} and bg.state.active == EAST
    old = failover(tabs, "us-west-2", 100)
    initiate(tabs, old, "us-west-2", 110)
    assert [tab.shown for tab in tabs] == [WEST, WEST] and bg.state.phase == gs.INITIATED
    assert other_site.shown == EAST                                   # until the switch is complete
    tabs[1].ccp(WEST, agent_update(), 130)
    tabs[0].ccp(WEST, agent_update(), 140)
    assert [tab.completes for tab in tabs] == [[WEST], [WEST]] and bg.broadcasts == [WEST]
    assert other_site.shown == WEST and other_site.completes == [WEST]
    [entry] = bg.state.timeline
    assert (entry["detectedMs"], entry["initiatedMs"], entry["completeMs"], entry["pendingMs"]) == (100, 110, 130,
                                                                                                    None)
    assert gs.latencies(entry)["initiatedToCompleteMs"] == 20 and bg.state.failover is None


@pytest.mark.parametrize("contact_type", ["voice", "chat"])
def test_soft_failover_waits_for_the_contact(world, contact_type):
    config, bg = world
    tab = Tab(config, bg)
    start(tab)
    tab.ccp(EAST, agent_update(state_name="Busy", contacts=[("c-1", contact_type, "connected")]), 50)
    old = failover([tab], "us-west-2", 100, contact=True)
    flight = bg.state.pending
    assert (flight["contactId"], flight["contactType"], flight["pendingMs"]) == ("c-1", contact_type, 110)
    assert tab.pendings == [(WEST, "c-1", contact_type)]
    assert [(to, m["event"]) for to, m in tab.posted[-1:]] == [(WEST, acgr.FAILOVER_PENDING)]  # relayed
    tab.ccp(EAST, agent_update(state_name="Available"), 5000)   # the contact is gone: the CCP initiates
    assert bg.state.pending is not None                          # (no stuck completion in ACGR)
    assert not bg.state.stuck_check_due(EAST) or not bg.traits.COMPLETES_STUCK_FAILOVER
    initiate([tab], old, "us-west-2", 5100)
    tab.ccp(WEST, agent_update(), 5200)
    [entry] = bg.state.timeline
    assert (entry["contactType"], entry["pendingMs"], entry["initiatedMs"], entry["completeMs"]) == (
        contact_type, 110, 5100, 5200)


def test_flapping_a_b_a_records_each_switch_once(world):
    config, bg = world
    tabs = [Tab(config, bg), Tab(config, bg)]
    for tab in tabs:
        start(tab)
    for at, (name, region) in enumerate([("us-west-2", WEST), ("us-east-1", EAST)]):
        t0 = 1000 * (at + 1)
        old = failover(tabs, name, t0)
        initiate(tabs, old, name, t0 + 10)
        for tab in tabs:
            tab.ccp(region, agent_update(), t0 + 20)
    assert [tab.shown for tab in tabs] == [EAST, EAST]
    assert [tab.completes for tab in tabs] == [[WEST, EAST], [WEST, EAST]]
    assert [(e["from"], e["to"]) for e in bg.state.timeline] == [(EAST, WEST), (WEST, EAST)]
    assert bg.broadcasts == [WEST, EAST] and bg.state.failover is None


def test_a_fast_flap_back_before_completion_ends_in_one_state(world):
    config, bg = world
    tab = Tab(config, bg)
    start(tab)
    initiate([tab], EAST, "us-west-2", 10)
    initiate([tab], WEST, "us-east-1", 20)      # back before WEST's first snapshot
    assert tab.shown == EAST and bg.state.failover is None and bg.state.active == EAST
    tab.ccp(WEST, agent_update(), 30)           # WEST's switch was undone: nothing completes it
    tab.ccp(EAST, agent_update(), 40)           # the switch back completes (as Streams'), and changes nothing
    assert tab.completes == [EAST] and bg.state.timeline == [] and bg.broadcasts == []


def test_a_switch_back_within_one_round_trip_ends_on_the_last_region(world):
    """A -> B complete, then B -> A complete, before the background's answer to the first reaches the tab: the
    background accepts both (the tab made the switch it is at), and its late word about B moves no tab."""
    config, bg = world
    tab = Tab(config, bg)
    start(tab)
    bg.hold_messages()
    for at, (name, region) in enumerate([("us-west-2", WEST), ("us-east-1", EAST)]):
        old = failover([tab], name, 100 * (at + 1))
        initiate([tab], old, name, 100 * (at + 1) + 10)
        tab.ccp(region, agent_update(), 100 * (at + 1) + 20)
    bg.deliver(300)
    assert tab.shown == EAST and tab.completes == [WEST, EAST] and bg.state.active == EAST
    assert [(e["from"], e["to"]) for e in bg.state.timeline] == [(EAST, WEST), (WEST, EAST)]
    assert tab.rules.epoch == bg.state.epoch


def test_the_backgrounds_answer_to_a_switch_the_tab_has_begun_to_undo_does_not_send_it_back(world):
    """A -> B complete, then the CCPs initiate B -> A (the emulated CCP made to take over by a page's forged
    failover_initiated hands back at its next poll) before the background's answer to "complete B" reaches the
    tab: that answer is older than the tab's switch back, which completes on A's first snapshot. One final state,
    the last one: A, both switches on the timeline."""
    config, bg = world
    tab = Tab(config, bg)
    start(tab)
    initiate([tab], EAST, "us-west-2", 100)
    bg.hold_messages()                          # the background's answer to "complete B" is on its way
    tab.ccp(WEST, agent_update(), 110)
    initiate([tab], WEST, "us-east-1", 200)     # the hand-back, before that answer came
    bg.deliver(210)
    assert tab.shown == EAST and tab.shows == [WEST, EAST]
    tab.ccp(EAST, agent_update(), 220)
    assert tab.completes == [WEST, EAST] and bg.state.active == EAST and bg.state.failover is None
    assert [(e["from"], e["to"]) for e in bg.state.timeline] == [(EAST, WEST), (WEST, EAST)]
    assert tab.rules.epoch == bg.state.epoch


def test_a_tab_one_count_ahead_of_the_background_still_follows_its_next_switch(world):
    """Two tabs of one site (one worker: their CCPs say the same) and a tab on another site. The slow tab hears
    the background's word of A -> B (counted from the fast tab's report) before its own CCPs complete the same
    switch, which it counts too: it ends one count ahead of the background. That drift is bounded and harmless:
    the background's next switch (here made by the other site's CCPs) carries the count the slow tab is at, which
    it hears and follows, and every tab ends on the last region."""
    config, bg = world
    fast, slow, other_site = Tab(config, bg), Tab(config, bg), Tab(config, bg)
    for tab in (fast, slow):
        start(tab)
    old = failover([fast, slow], "us-west-2", 100)
    initiate([fast, slow], old, "us-west-2", 110)
    fast.ccp(WEST, agent_update(), 120)            # the background counts the switch and tells every tab
    slow.ccp(WEST, agent_update(), 130)            # the same switch, completed by the slow tab's own CCPs
    assert [t.shown for t in (fast, slow, other_site)] == [WEST, WEST, WEST]
    assert slow.rules.epoch == bg.state.epoch + 1  # the drift
    failover([other_site], "us-east-1", 200)       # the other site's CCPs (its own worker) switch back
    initiate([other_site], WEST, "us-east-1", 210)
    other_site.ccp(EAST, agent_update(), 220)
    assert [t.shown for t in (fast, slow, other_site)] == [EAST, EAST, EAST]
    assert bg.state.active == EAST and bg.broadcasts == [WEST, EAST]
    assert [(e["from"], e["to"]) for e in bg.state.timeline] == [(EAST, WEST), (WEST, EAST)]
    assert slow.rules.epoch == bg.state.epoch      # heard, not ahead any more


def test_switch_now_forces_the_pending_failover_from_the_tabs_showing_the_active_region(world):
    config, bg = world
    tabs = [Tab(config, bg), Tab(config, bg)]
    for tab in tabs:
        start(tab)
    tabs[0].ccp(EAST, agent_update(state_name="Busy", contacts=[("ch-1", "chat", "connected")]), 5)
    assert not bg.switch_now(WEST, 6)                               # nothing pending yet
    old = failover(tabs, "us-west-2", 10, contact=True)
    assert not bg.switch_now(EAST, 20)                              # not the failover pending
    assert bg.switch_now(WEST, 30)
    for tab in tabs:
        assert tab.posted[-2:] == [(EAST, {"event": acgr.FORCE_FAILOVER}), (WEST, {"event": acgr.FORCE_FAILOVER})]
    assert not bg.switch_now(WEST, 31)                              # once
    initiate(tabs, old, "us-west-2", 40)
    tabs[0].ccp(WEST, agent_update(), 50)
    [entry] = bg.state.timeline
    assert (entry["forcedBy"], entry["forcedMs"], entry["contactId"], entry["contactType"]) == ("popup", 30, "ch-1",
                                                                                                 "chat")


def test_start_up_on_the_second_region_moves_the_background_without_a_failover(world):
    config, bg = world
    first, other_site = Tab(config, bg), Tab(config, bg)
    start(first, "us-west-2")
    assert first.shown == WEST and first.completes == [] and bg.state.active == WEST
    assert bg.state.timeline == [] and bg.broadcasts == [WEST] and other_site.shown == WEST
    late = Tab(config, bg)
    assert late.shown == WEST and late.rules.frame_created_messages(WEST) == [ccc("active")]


def test_a_late_report_from_before_the_last_switch_is_ignored(world):
    config, bg = world
    slow, fast = Tab(config, bg), Tab(config, bg)
    start(fast)
    old_epoch = slow.rules.epoch
    initiate([fast], EAST, "us-west-2", 10)
    fast.ccp(WEST, agent_update(), 20)                             # A -> B complete (epoch + 1)
    assert slow.shown == WEST and slow.rules.epoch == old_epoch + 1
    assert not bg.state.on_failover_initiated(EAST, 30, epoch=old_epoch)    # a report made before it
    assert not bg.state.on_region_announced(EAST, "us-east-1", EAST, epoch=old_epoch)
    assert bg.state.active == WEST and len(bg.state.timeline) == 1


@pytest.mark.parametrize("contact", [None, True])
def test_a_tab_whose_ccps_announce_another_region_during_a_failover_stays_with_the_background(world, contact):
    config, bg = world
    leader = Tab(config, bg)
    start(leader)
    leader.ccp(EAST, agent_update(state_name="Busy", contacts=[("c-1", "voice", "connected")]), 5)
    failover([leader], "us-west-2", 10, contact)
    joiner = Tab(config, bg)
    start(joiner, "us-west-2")                                      # its CCPs already say WEST
    if contact:
        joiner.ccp(EAST, gr(acgr.FAILOVER_PENDING, "us-west-2"), 12)  # the old region's worker tells a new window
    # the failover in flight decides: the joiner never shows WEST before it is initiated, nor wakes its CCP
    assert bg.state.active == EAST and joiner.shown == EAST and joiner.shows == []
    assert FETCH not in [message for region, message in joiner.posted if region == WEST]
    assert (WEST, ccc("active")) not in joiner.posted and (EAST, ccc("active")) in joiner.posted
    assert joiner.rules.pending_target == (WEST if contact else None) and joiner.pendings == []
    initiate([leader], EAST, "us-west-2", 20)
    leader.ccp(WEST, agent_update(), 30)
    assert joiner.shown == WEST and bg.state.active == WEST


def test_state_with_acgr_phases_round_trips_through_storage(world):
    config, bg = world
    tab = Tab(config, bg)
    start(tab)
    tab.ccp(EAST, agent_update(state_name="Busy", contacts=[("ch-1", "chat", "connected")]), 5)
    failover([tab], "us-west-2", 10, contact=True)
    bg.switch_now(WEST, 15)
    stored = gs.GlobalState.from_dict(bg.state.to_dict(), config.region_keys)
    assert stored.to_dict() == bg.state.to_dict() and stored.pending["forcedBy"] == "popup"


def test_the_summary_a_tab_reports_lists_chats_as_blocking(config):
    summary = parse_agent_update(snapshot_data(contacts=[("ch-1", "chat", "connected")])).to_summary(
        acgr.AcgrRules.BLOCKING_CONTACT_TYPES)
    assert summary["blockingContacts"][0]["type"] == "chat"
