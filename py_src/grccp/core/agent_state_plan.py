"""The tab's half of the agent's state kept across a failover (the background's half: core.agent_state_keeper):
what the tab the background asks decides from the new region's CCP's own answers (its agent states and snapshot,
through api_requests the page script never sees), and the words both halves share (the state to keep, the new
region's state at the switch, the tab's outcomes).

The agent's choice in the new region: its state at the switch, as the background last heard it (the baseline),
against the new region's CCP's snapshot when the tab sets it: a state other than Offline that is not the baseline
(another name, or the same name since another time) is the agent's, and is never overridden."""
from .shapes import conforms, field_problem, is_int, is_str, is_text, list_of, may, optional, required, str_enum

KEPT_TYPES = ("routable", "not_routable")  # the states an agent chooses (Offline is not kept)
OFFLINE = "offline"
TAB_DEADLINE_MS = 4000  # the tab's own limit for its requests, so that its answer comes within the keeper's DEADLINE_MS
MAX_STATE_PAGES = 10    # getAgentStates pages followed (Streams follows every nextToken; 100 states a page)

SET, ALREADY, AGENT, FAILED = "set", "already", "agent", "failed"
TAB_OUTCOMES = (SET, ALREADY, AGENT, FAILED)  # what a tab answers (cs:agent-state)

# The state to keep (bg:keep-agent-state) and the new region's state at the switch, as the background heard it
WANTED_FIELDS = {"name": required(is_text), "type": required(str_enum(KEPT_TYPES))}
BASELINE_FIELDS = {"stateName": required(is_str), "stateSinceMs": required(optional(is_int))}

# a getAgentStates answer's data
_STATE_ENTRY_FIELDS = {"name": required(is_str), "type": required(is_str), "agentStateARN": may(optional(is_str))}
_STATES_PAGE_FIELDS = {"states": required(list_of(conforms(_STATE_ENTRY_FIELDS, allow_extra=True), 1000)),
                       "nextToken": may(optional(is_text))}


def states_page(data):
    """(states, next token or None) of a getAgentStates answer's data; (None, why) if it is not one."""
    problem = field_problem(data, _STATES_PAGE_FIELDS, allow_extra=True)
    if problem is not None:
        return None, f"its agent states are malformed: {problem}"
    return list(data["states"]), data.get("nextToken")


def _changed_by_agent(baseline, state_name, state_type, since_ms):
    if state_type == OFFLINE:
        return False
    return baseline is None or (baseline["stateName"], baseline["stateSinceMs"]) != (state_name, since_ms)


def plan(wanted, baseline, snapshot, states, region):
    """What the tab does, from the new region's CCP's answers: (SET, the entry of `states` to put), (ALREADY,
    None), (AGENT, the state the agent is in there) or (FAILED, why). wanted: {name, type}; baseline: {stateName,
    stateSinceMs} or None; snapshot: its snapshot.AgentSnapshot."""
    if snapshot.state_name == wanted["name"]:
        return ALREADY, None
    if _changed_by_agent(baseline, snapshot.state_name, snapshot.state_type, snapshot.state_since_ms):
        return AGENT, snapshot.state_name
    named = [state for state in states if state["name"] == wanted["name"]]
    match = [state for state in named if state["type"] == wanted["type"]] or named
    if not match:
        return FAILED, f"{region} has no agent state named {wanted['name']}"
    return SET, match[0]
