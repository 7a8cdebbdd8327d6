"""core.agent_state_keeper: what the background keeps across a failover (the state the agent chose in the old
region, not an Offline the failover caused), which tab sets it, the records the timeline shows; and
core.agent_state_plan: what the tab decides from the new region's CCP (never overriding the agent's own choice)."""
import pytest

from grccp.core import agent_state_keeper as keeper
from grccp.core.agent_state_keeper import (AGENT, ALREADY, DEADLINE_MS, FAILED, NOTHING, OFFLINE_GRACE_MS, SET,
                                           WAITING, AgentStateKeeper, describe, record_problem)
from grccp.core.agent_state_plan import plan, states_page
from grccp.core.config import parse_config
from grccp.core.global_state import GlobalState
from grccp.core.runtime_messages import make_message
from grccp.core.snapshot import AgentSnapshot

from core_testdata import EAST, WEST, example

AVAILABLE = {"name": "Available", "type": "routable"}
BREAK = {"name": "Break", "type": "not_routable"}


def summary(name, state_type, since=None):
    return {"stateName": name, "stateType": state_type, "stateSinceMs": since}


def entry(detected=10_000, complete=11_000, source=EAST, target=WEST):
    return {"from": source, "to": target, "detectedMs": detected, "completeMs": complete}


# ---- what is kept ------------------------------------------------------------------------------------------
# (agent updates of the old region as (background ms, name, type), the failover's first sign at 10,000 ms)
@pytest.mark.parametrize("updates, outcome, kept", [
    ([(1000, "Available", "routable")], WAITING, "Available"),
    ([(1000, "Break", "not_routable")], WAITING, "Break"),                      # a named non-routable state
    ([(1000, "Available", "routable"), (5000, "Busy", "system"), (6000, "AfterCallWork", "system")],
     WAITING, "Available"),                                                      # a call changes nothing
    ([(1000, "Available", "routable"), (9500, "Offline", "offline")], WAITING, "Available"),  # the failover's
    ([(1000, "Available", "routable"), (12_000, "Offline", "offline")], WAITING, "Available"),
    ([(1000, "Available", "routable"), (10_000 - OFFLINE_GRACE_MS, "Offline", "offline")], NOTHING, "Offline"),
    ([(1000, "Offline", "offline")], NOTHING, "Offline"),                        # the agent's own Offline
    ([(1000, "Available", "routable"), (2000, "Offline", "offline"), (3000, "Break", "not_routable")],
     WAITING, "Break"),                                                          # back from Offline
    ([(1000, "Busy", "system")], NOTHING, None),                                 # nothing the agent chose seen
    ([], NOTHING, None),
])
def test_the_state_kept_is_the_last_one_the_agent_chose_before_the_failover(updates, outcome, kept):
    states = AgentStateKeeper([EAST, WEST])
    for at, name, state_type in updates:
        states.on_agent_update(EAST, summary(name, state_type), at)
    noted = states.on_switch(entry(), summary("Offline", "offline", 500), True)
    assert (noted["outcome"], noted["stateName"]) == (outcome, kept)
    assert record_problem(noted) is None
    assert (states.due is not None) is (outcome == WAITING)


def test_nothing_is_kept_when_the_option_is_off_and_a_switch_is_considered_once():
    states = AgentStateKeeper([EAST, WEST])
    states.on_agent_update(EAST, summary("Available", "routable"), 1000)
    assert states.on_switch(entry(), None, False) is None and states.due is None
    assert states.on_switch(entry(), None, True) is None  # the same switch, now on: still nothing
    assert states.on_switch(entry(complete=12_000), None, True)["outcome"] == WAITING


def test_a_fresh_keeper_does_not_consider_the_switch_before_it():
    states = AgentStateKeeper([EAST, WEST], last_switch_ms=11_000)
    states.on_agent_update(EAST, summary("Available", "routable"), 1000)
    assert states.on_switch(entry(), None, True) is None


def test_the_other_region_s_updates_do_not_change_what_is_kept():
    states = AgentStateKeeper([EAST, WEST])
    states.on_agent_update(EAST, summary("Break", "not_routable"), 1000)
    states.on_agent_update(WEST, summary("Available", "routable"), 2000)
    states.on_agent_update(WEST, summary("Offline", "offline"), 3000)
    assert states.on_switch(entry(), None, True)["stateName"] == "Break"
    assert not states.on_agent_update("eu-west-2", summary("Available", "routable"), 4000)


# ---- who sets it, and the records -------------------------------------------------------------------------
def due_keeper(baseline=None):
    states = AgentStateKeeper([EAST, WEST])
    states.on_agent_update(EAST, summary("Available", "routable"), 1000)
    states.on_switch(entry(), baseline, True)
    return states


def test_one_tab_is_asked_once_when_one_shows_the_new_region_ready():
    states = due_keeper(summary("Offline", "offline", 500))
    assert states.tab_to_ask(lambda region: None) is None  # no tab ready yet: asked later
    asked = []
    assert states.tab_to_ask(lambda region: asked.append(region) or 7) == (
        7, {"region": WEST, "state": AVAILABLE, "baseline": {"stateName": "Offline", "stateSinceMs": 500}})
    assert asked == [WEST]
    assert states.tab_to_ask(lambda region: 8) is None
    make_message("bg:keep-agent-state", region=WEST, state=AVAILABLE, baseline=None)  # the message's shape


@pytest.mark.parametrize("outcome, state_name, error, short, words, tone", [
    (SET, None, None, "Available kept", "Agent state Available kept: set in us-west-2 (0.8 s after the switch)",
     "ok"),
    (ALREADY, None, None, "Available kept",
     "Agent state Available kept: us-west-2 had it already (0.8 s after the switch)", "ok"),
    (AGENT, "Break", None, "state not kept",
     "Agent state not kept: the agent chose Break in us-west-2 after the switch", "ok"),
    (FAILED, None, "putAgentState: refused", "Available not kept",
     "Agent state Available not kept: not set in us-west-2: putAgentState: refused (0.8 s after the switch)",
     "trouble"),
])
def test_the_tab_s_answer_is_the_switch_s_record(outcome, state_name, error, short, words, tone):
    states = due_keeper()
    assert states.on_answer(10_000, outcome, state_name, error, 11_800) is None  # another switch's answer
    noted = states.on_answer(11_000, outcome, state_name, error, 11_800)
    assert record_problem(noted) is None and noted["afterMs"] == 800
    assert describe(noted, WEST) == (short, words, tone)
    assert states.due is None and states.on_answer(11_000, outcome, state_name, error, 11_900) is None
    make_message("cs:agent-state", region=WEST, outcome=outcome, stateName=state_name, error=error)


def test_no_answer_within_the_deadline_is_a_failure():
    states = due_keeper()
    assert states.expired(11_000 + DEADLINE_MS - 1) is None
    noted = states.expired(11_000 + DEADLINE_MS)
    assert noted["outcome"] == FAILED and "no tab showed us-west-2 with its CCP ready within 5 s" in noted["detail"]
    states = due_keeper()
    states.tab_to_ask(lambda region: 3)
    assert "tab 3 did not answer within 5 s" in states.expired(20_000)["detail"]


def test_a_new_switch_ends_the_one_being_kept():
    states = due_keeper()
    assert states.on_switch(entry(detected=12_000, complete=12_500, source=WEST, target=EAST), None, True) \
        ["outcome"] == NOTHING  # us-west-2: nothing the agent chose was seen there
    assert states.due is None and states.on_answer(11_000, SET, None, None, 13_000) is None


def test_the_keeper_survives_a_restart_and_refuses_what_is_not_its_own():
    states = due_keeper()
    states.tab_to_ask(lambda region: 4)
    again = AgentStateKeeper.from_dict(states.to_dict(), [EAST, WEST], None)
    assert again.to_dict() == states.to_dict()
    for stored in (None, {"seen": {}, "lastSwitchMs": None, "due": None}, {"due": 5}, "text",
                   dict(states.to_dict(), seen={EAST: {"chosen": "Available", "offlineMs": None},
                                                WEST: {"chosen": None, "offlineMs": None}})):
        fresh = AgentStateKeeper.from_dict(stored, [EAST, WEST], 11_000)
        assert fresh.due is None and fresh.last_switch_ms == 11_000


def test_the_record_is_noted_on_the_switch_s_timeline_entry_and_stored_with_it():
    state = GlobalState([EAST, WEST], epoch=1)
    state.on_failover_detected(WEST, False, 10_000)
    state.on_switch_complete(WEST, 11_000)
    assert state.note_agent_state(11_000, keeper.record(WAITING, "Available"))
    assert not state.note_agent_state(99, keeper.record(WAITING, "Available"))
    restored = GlobalState.from_dict(state.to_dict(), [EAST, WEST])
    assert restored.timeline[0]["agentState"]["stateName"] == "Available"
    without_keeper = state.to_dict()
    del without_keeper["agentStateKeeper"]  # stored before the keeper existed: its past switches are not kept again
    assert GlobalState.from_dict(without_keeper, [EAST, WEST]).keeper.last_switch_ms == 11_000
    broken = state.to_dict()
    broken["timeline"][0]["agentState"] = {"outcome": "maybe"}
    with pytest.raises(Exception):
        GlobalState.from_dict(broken, [EAST, WEST])


def test_the_global_state_feeds_its_keeper_and_stores_it():
    state = GlobalState([EAST, WEST], epoch=1)
    state.on_agent_update(EAST, dict(summary("Break", "not_routable"), nextStateName=None, blockingContacts=[],
                                     otherContactCount=0, afterCallWork=False), 1000)
    stored = state.to_dict()
    assert stored["agentStateKeeper"]["seen"][EAST]["chosen"] == BREAK
    assert GlobalState.from_dict(stored, [EAST, WEST]).keeper.to_dict() == state.keeper.to_dict()
    del stored["agentStateKeeper"]  # a state stored before the keeper existed
    assert GlobalState.from_dict(stored, [EAST, WEST]).keeper.seen[EAST]["chosen"] is None


def test_the_option_is_off_by_default():
    assert parse_config(example("minimal")).outage["keepAgentState"] is False
    on = parse_config(dict(example("minimal"), outage={"keepAgentState": True}))
    assert parse_config(on.to_dict()).outage["keepAgentState"] is True


# ---- what the tab decides ------------------------------------------------------------------------------------
EAST_STATES = [{"agentStateARN": "arn:west/available", "type": "routable", "name": "Available"},
               {"agentStateARN": "arn:west/break", "type": "not_routable", "name": "Break"},
               {"agentStateARN": "arn:west/offline", "type": "offline", "name": "Offline"}]
BASELINE = {"stateName": "Offline", "stateSinceMs": 500}


def snapshot(name, state_type, since):
    return AgentSnapshot(name, state_type, since, None, (), None)


@pytest.mark.parametrize("wanted, baseline, now, result", [
    (AVAILABLE, BASELINE, ("Offline", "offline", 500), (SET, EAST_STATES[0])),
    (BREAK, BASELINE, ("Offline", "offline", 500), (SET, EAST_STATES[1])),
    (AVAILABLE, BASELINE, ("Offline", "offline", 900), (SET, EAST_STATES[0])),    # Offline again: not a choice
    (AVAILABLE, BASELINE, ("Available", "routable", 900), (ALREADY, None)),
    (AVAILABLE, BASELINE, ("Break", "not_routable", 900), (AGENT, "Break")),      # the agent chose: never overridden
    (AVAILABLE, BASELINE, ("Busy", "system", 900), (AGENT, "Busy")),              # a contact there: the agent works
    (BREAK, {"stateName": "Available", "stateSinceMs": 400}, ("Available", "routable", 400),
     (SET, EAST_STATES[1])),                                                      # unchanged since the switch
    (BREAK, {"stateName": "Available", "stateSinceMs": 400}, ("Available", "routable", 950), (AGENT, "Available")),
    (BREAK, None, ("Available", "routable", 400), (AGENT, "Available")),         # unknown baseline: hands off
    (BREAK, None, ("Offline", "offline", 400), (SET, EAST_STATES[1])),
    ({"name": "Lunch", "type": "not_routable"}, BASELINE, ("Offline", "offline", 500),
     (FAILED, "us-west-2 has no agent state named Lunch")),
])
def test_the_tab_sets_the_state_unless_the_agent_chose_one_in_the_new_region(wanted, baseline, now, result):
    assert plan(wanted, baseline, snapshot(*now), EAST_STATES, WEST) == result


def test_a_name_of_two_types_is_matched_by_its_type_too():
    states = [{"name": "Training", "type": "routable"}, {"name": "Training", "type": "not_routable"}]
    assert plan({"name": "Training", "type": "not_routable"}, BASELINE, snapshot("Offline", "offline", 500),
                states, WEST) == (SET, states[1])


@pytest.mark.parametrize("data, result", [
    ({"states": EAST_STATES, "nextToken": None}, (EAST_STATES, None)),
    ({"states": EAST_STATES[:1], "nextToken": "1"}, (EAST_STATES[:1], "1")),
    ({"states": [{"name": "Available", "type": "routable", "agentStateARN": "a", "extra": 1}]},
     ([{"name": "Available", "type": "routable", "agentStateARN": "a", "extra": 1}], None)),
])
def test_a_page_of_agent_states(data, result):
    assert states_page(data) == result


@pytest.mark.parametrize("data", [None, {}, {"states": [{"name": 5, "type": "routable"}]},
                                  {"states": "Available"}, {"states": [], "nextToken": 3}])
def test_a_malformed_page_of_agent_states_says_why(data):
    states, why = states_page(data)
    assert states is None and why.startswith("its agent states are malformed")
