"""The agent's state kept across a failover (outage.keepAgentState, off by default): the state the agent chose in
the region that was active — routable (Available) or a named non-routable one (Lunch) — is set in the new region
once the switch completes, through the CCP API as Streams' agent.setState does (putAgentState with an entry of the
new region's own agent states, matched by name), unless the agent changed the new region's state meanwhile.

Two halves, both pure:
* the background's AgentStateKeeper (here) remembers, from the agent updates, the state the agent last chose in
  each region and when that region's agent went Offline; on a switch it decides what to keep and which tab sets it
  (the CCP worker is shared by every tab of a region, so once is right), and records the outcome for the timeline;
* core.agent_state_plan is what the tab that sets it decides from the new region's CCP's own answers (its own
  module: the content script ships it without the keeper).

Offline: the failover itself takes the old region's agent Offline (legacy DR's force_offline; ACGR's hand-over),
around its first sign. An Offline seen OFFLINE_GRACE_MS or more before the failover's first sign was the agent's:
nothing is kept then. Later ones are taken as the failover's (an agent who goes Offline while the failover is
pending is taken as set Offline by it)."""
from .agent_state_plan import (AGENT, ALREADY, BASELINE_FIELDS, FAILED, KEPT_TYPES, OFFLINE, SET, TAB_OUTCOMES,
                               WANTED_FIELDS)
from .shapes import conforms, field_problem, is_count, is_str, is_text, optional, required, str_enum

OFFLINE_GRACE_MS = 2000
DEADLINE_MS = 5000      # the switch -> the state set (or the failure known), at the background

WAITING, NOTHING = "waiting", "nothing"
OUTCOMES = (WAITING, NOTHING) + TAB_OUTCOMES

# A timeline entry's agentState: what happened to the agent's state after that switch
RECORD_FIELDS = {"outcome": required(str_enum(OUTCOMES)), "stateName": required(optional(is_str)),
                 "detail": required(optional(is_str)), "afterMs": required(optional(is_count))}
_SEEN_FIELDS = {"chosen": required(optional(conforms(WANTED_FIELDS))), "offlineMs": required(optional(is_count))}
_DUE_FIELDS = {"from": required(is_text), "to": required(is_text), "switchMs": required(is_count),
               "want": required(conforms(WANTED_FIELDS)), "baseline": required(optional(conforms(BASELINE_FIELDS))),
               "tab": required(optional(is_count))}
_STORED_FIELDS = {"seen": required(lambda value: isinstance(value, dict)), "lastSwitchMs": required(optional(is_count)),
                  "due": required(optional(conforms(_DUE_FIELDS)))}


def record(outcome, state_name=None, detail=None, after_ms=None):
    return {"outcome": outcome, "stateName": state_name, "detail": detail, "afterMs": after_ms}


def record_problem(value):
    return field_problem(value, RECORD_FIELDS)


class AgentStateKeeper:
    """See the module docstring. Methods that change it return what changed (persist it then: to_dict)."""

    __slots__ = ("seen", "last_switch_ms", "due")

    def __init__(self, region_keys, last_switch_ms=None):
        """last_switch_ms: the latest switch already past (a fresh keeper keeps nothing for it)."""
        self.seen = {key: {"chosen": None, "offlineMs": None} for key in region_keys}
        self.last_switch_ms = last_switch_ms
        self.due = None  # the switch whose state is being kept: _DUE_FIELDS ("tab": the tab asked, or None)

    def on_agent_update(self, region, summary, now_ms):
        """A region's agent summary (snapshot.AgentSnapshot.to_summary()): a state the agent chose is remembered,
        the first Offline after it timed; other states (Busy, after-call work) change nothing."""
        seen = self.seen.get(region)
        if seen is None:
            return False
        before = dict(seen)
        if summary["stateType"] in KEPT_TYPES:
            seen["chosen"] = {"name": summary["stateName"], "type": summary["stateType"]}
            seen["offlineMs"] = None
        elif summary["stateType"] == OFFLINE and seen["offlineMs"] is None:
            seen["offlineMs"] = now_ms
        return seen != before

    def on_switch(self, entry, baseline, enabled):
        """The timeline entry of a switch the background accepted, and the new region's agent summary then (or
        None): the record to note on it (WAITING: a tab is to set it; NOTHING: why not), or None when this switch
        was considered already or keeping is off. A switch while another is kept ends that one (never set late
        in a region the agent has left)."""
        if entry["completeMs"] == self.last_switch_ms:
            return None
        self.last_switch_ms = entry["completeMs"]
        self.due = None
        if not enabled:
            return None
        source = entry["from"]
        seen = self.seen.get(source) or {"chosen": None, "offlineMs": None}
        if seen["offlineMs"] is not None and seen["offlineMs"] + OFFLINE_GRACE_MS <= entry["detectedMs"]:
            return record(NOTHING, "Offline", f"the agent was Offline in {source} before the failover")
        if seen["chosen"] is None:
            return record(NOTHING, None, f"no state the agent chose in {source} was seen")
        self.due = {"from": source, "to": entry["to"], "switchMs": entry["completeMs"], "want": dict(seen["chosen"]),
                    "baseline": None if baseline is None else {"stateName": baseline["stateName"],
                                                               "stateSinceMs": baseline["stateSinceMs"]},
                    "tab": None}
        return record(WAITING, seen["chosen"]["name"])

    def tab_to_ask(self, ready_tab):
        """The due switch's request (region, wanted state, baseline) for the tab ready_tab(region) names (the
        tab id, or None: none shows the region with its CCP ready yet): (tab id, fields) once, else None."""
        if self.due is None or self.due["tab"] is not None:
            return None
        tab_id = ready_tab(self.due["to"])
        if tab_id is None:
            return None
        self.due["tab"] = tab_id
        return tab_id, {"region": self.due["to"], "state": dict(self.due["want"]), "baseline": self.due["baseline"]}

    def on_answer(self, switch_ms, outcome, state_name, error, now_ms):
        """The asked tab's answer (cs:agent-state's fields) for the switch at switch_ms: the final record, or None
        when that switch is no longer the due one."""
        due = self.due
        if due is None or due["switchMs"] != switch_ms:
            return None
        self.due = None
        after = max(0, now_ms - switch_ms)
        region, wanted = due["to"], due["want"]["name"]
        if outcome == SET:
            return record(SET, wanted, f"set in {region}", after)
        if outcome == ALREADY:
            return record(ALREADY, wanted, f"{region} had it already", after)
        if outcome == AGENT:
            return record(AGENT, wanted, f"the agent chose {state_name} in {region} after the switch", after)
        return record(FAILED, wanted, f"not set in {region}: {error or 'no reason given'}", after)

    def expired(self, now_ms):
        """The due switch's record once DEADLINE_MS passed with no answer (FAILED), else None."""
        due = self.due
        if due is None or now_ms - due["switchMs"] < DEADLINE_MS:
            return None
        self.due = None
        why = (f"no tab showed {due['to']} with its CCP ready" if due["tab"] is None else
               f"tab {due['tab']} did not answer")
        return record(FAILED, due["want"]["name"], f"not set in {due['to']}: {why} within {DEADLINE_MS // 1000} s",
                      max(0, now_ms - due["switchMs"]))

    def to_dict(self):
        return {"seen": {key: dict(seen) for key, seen in self.seen.items()}, "lastSwitchMs": self.last_switch_ms,
                "due": None if self.due is None else dict(self.due)}

    @classmethod
    def from_dict(cls, data, region_keys, last_switch_ms):
        """The keeper stored by to_dict() for these regions, or a fresh one (past last_switch_ms) if it is not
        one (absent, corrupt, or of other regions)."""
        keeper = cls(region_keys, last_switch_ms)
        if (field_problem(data, _STORED_FIELDS) is None and set(data["seen"]) == set(region_keys)
                and all(field_problem(seen, _SEEN_FIELDS) is None for seen in data["seen"].values())):
            keeper.seen = {key: dict(seen) for key, seen in data["seen"].items()}
            keeper.last_switch_ms = data["lastSwitchMs"]
            keeper.due = None if data["due"] is None else dict(data["due"])
        return keeper


def describe(agent_state, to_region):
    """(short words, words, tone) of a timeline entry's agentState: the popup's timeline row shows the short words
    beside the route, the words as their tooltip (and in the region's log); tone "ok", "pending" or "trouble"."""
    outcome, name = agent_state["outcome"], agent_state["stateName"]
    after = agent_state["afterMs"]
    timing = "" if after is None else f" ({after / 1000:.1f} s after the switch)"
    if outcome == WAITING:
        return f"setting {name}…", f"Agent state {name}: being set in {to_region}", "pending"
    if outcome in (SET, ALREADY):
        return f"{name} kept", f"Agent state {name} kept: {agent_state['detail']}{timing}", "ok"
    if outcome == FAILED:
        return f"{name} not kept", f"Agent state {name} not kept: {agent_state['detail']}{timing}", "trouble"
    return "state not kept", f"Agent state not kept: {agent_state['detail']}", "ok"
