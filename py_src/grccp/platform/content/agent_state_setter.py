"""The agent's state kept across a failover, set by this tab when the background asks (bg:keep-agent-state): the
new region's CCP is asked for its agent states (getAgentStates, every page) and its agent's snapshot
(getAgentSnapshot), core.agent_state_plan.plan decides, and putAgentState sets the state as Streams'
agent.setState does; the answer (cs:agent-state) says what was done, or why not. Every call goes through
ccp_requests, within agent_state_plan.TAB_DEADLINE_MS in all."""
from grccp.core import agent_state_plan
from grccp.core.errors import ProtocolError
from grccp.core.runtime_messages import make_message
from grccp.core.snapshot import parse_agent_update
from grccp.platform.shared import clock


def keep(requests, fields, respond):
    region, wanted, baseline = fields["region"], fields["state"], fields["baseline"]
    deadline = clock.now_ms() + agent_state_plan.TAB_DEADLINE_MS
    states = []

    def done(outcome, state_name=None, error=None):
        respond(make_message("cs:agent-state", region=region, outcome=outcome, stateName=state_name, error=error))

    def call(method, params, answer):
        def answered(data, error):
            if error is None:
                answer(data)
            else:
                done(agent_state_plan.FAILED, None, f"{method}: {error}")
        requests.call(region, method, params, answered, max(1, deadline - clock.now_ms()))

    def got_states(data, pages=1):
        page, next_token = agent_state_plan.states_page(data)
        if page is None:
            done(agent_state_plan.FAILED, None, f"the {region} CCP's answer to getAgentStates: {next_token}")
            return
        states.extend(page)
        if next_token and pages < agent_state_plan.MAX_STATE_PAGES:
            call("getAgentStates", {"nextToken": next_token, "maxResults": 100},
                 lambda more: got_states(more, pages + 1))
        else:
            call("getAgentSnapshot", {"nextToken": None}, got_snapshot)

    def got_snapshot(data):
        try:
            snapshot = parse_agent_update(data)
        except ProtocolError as problem:
            done(agent_state_plan.FAILED, None, f"the {region} CCP's snapshot is malformed: {problem}")
            return
        outcome, detail = agent_state_plan.plan(wanted, baseline, snapshot, states, region)
        if outcome == agent_state_plan.SET:
            call("putAgentState", {"state": detail, "enqueueNextState": False},
                 lambda _data: done(agent_state_plan.SET))
        elif outcome == agent_state_plan.FAILED:
            done(outcome, None, detail)
        else:
            done(outcome, detail)
    call("getAgentStates", {"nextToken": None, "maxResults": 100}, got_states)
