"""The agent's state kept across a failover (outage.keepAgentState; the decisions are core.agent_state_keeper's,
its memory the GlobalState's keeper, persisted with it): after every change of the state (step, from
engine.changed), a switch the keeper has not considered yet is, and the first tab that shows the new region with
its CCP ready is asked, once, to set the state there (bg:keep-agent-state: the CCP worker, and so the agent's
state, is shared by every tab of a region, so one tab does it for all); what became of it goes on the switch's
timeline entry and into the new region's log. A background restart keeps what the agent chose and a switch whose
state is being set (a tab's answer lost with the background, the deadline says so: _DEADLINES)."""
from grccp.core import agent_state_keeper as keeper
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_reply
from grccp.platform.shared import clock, runtime_channel

_DEADLINES = set()  # the switches (completeMs) whose deadline timer runs in this background


def step(engine):
    """Before the engine persists a change of its state (engine.changed)."""
    state, config = engine.state, engine.config
    if state is None or config is None:
        return
    if state.timeline:
        entry = state.timeline[-1]
        noted = state.keeper.on_switch(entry, state.agent(entry["to"])[0], config.outage["keepAgentState"])
        if noted is not None:
            _note(engine, entry, noted)
    due = state.keeper.due
    if due is not None and due["switchMs"] not in _DEADLINES:
        _DEADLINES.add(due["switchMs"])
        clock.call_later(max(0, due["switchMs"] + keeper.DEADLINE_MS - clock.now_ms()) + 50, lambda: _finish(
            engine, due["switchMs"], lambda: engine.state.keeper.expired(clock.now_ms())))
    ask = state.keeper.tab_to_ask(state.ready_tab)
    if ask is not None:
        _ask(engine, due["switchMs"], *ask)


def _ask(engine, switch_ms, tab_id, fields):
    def replied(reply, error):
        answer = {"outcome": keeper.FAILED, "stateName": None,
                  "error": f"tab {tab_id} did not answer ({error or 'no reply'})"}
        if not error and reply is not None:
            try:
                answer = parse_reply(reply, None, "cs:agent-state")
            except MessageError as problem:
                answer["error"] = f"tab {tab_id} answered wrongly: {problem}"
        _finish(engine, switch_ms, lambda: engine.state.keeper.on_answer(
            switch_ms, answer["outcome"], answer["stateName"], answer["error"], clock.now_ms()))
    engine.log(fields["region"], "INFO", f"tab {tab_id}: set the agent's state {fields['state']['name']} (kept "
                                         f"across the failover) unless the agent chose another")
    runtime_channel.send_to_tab(tab_id, make_message("bg:keep-agent-state", **fields), replied)


def _finish(engine, switch_ms, decide):
    """decide() -> the final record of the switch at switch_ms, or None (nothing to say any more)."""
    if engine.state is None:
        return
    noted = decide()
    entry = next((entry for entry in engine.state.timeline if entry["completeMs"] == switch_ms), None)
    if noted is not None and entry is not None:
        _note(engine, entry, noted)
    if noted is not None:
        engine.changed()


def _note(engine, entry, noted):
    engine.state.note_agent_state(entry["completeMs"], noted)
    _, words, tone = keeper.describe(noted, entry["to"])
    engine.log(entry["to"], "WARN" if tone == "trouble" else "INFO", f"failover from {entry['from']}: " + words)
