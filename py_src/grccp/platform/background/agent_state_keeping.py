"""The agent's state kept across a failover (outage.keepAgentState; the decisions are core.agent_state_keeper's):
the agent updates teach the keeper what the agent chose in each region; after every switch the engine accepts,
the first tab that shows the new region with its CCP ready is asked, once, to set the state there
(bg:keep-agent-state: the CCP worker is shared by every tab of a region, so one tab does it for all); what became
of it goes on the switch's timeline entry and into the new region's log. The keeper is kept in session storage: a
background restart forgets neither what the agent chose nor a switch whose state is being set (a tab's answer
lost with the background, the deadline says so)."""
from grccp.core import agent_state_keeper as keeper
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_reply
from grccp.platform.shared import clock, runtime_channel, storage

STORAGE_KEY = "agentStateKeeper"


class AgentStateKeeping:
    def __init__(self, engine):
        self._engine = engine
        self._keeper = None  # core.agent_state_keeper.AgentStateKeeper, once the engine has a state

    def restore(self, stored):
        """After the engine's state was restored or made afresh: the stored keeper (or None) for its regions."""
        state = self._engine.state
        self._keeper = None if state is None else keeper.AgentStateKeeper.from_dict(
            stored, state.region_keys, state.timeline[-1]["completeMs"] if state.timeline else None)
        self._watch_deadline()

    def agent_updated(self, region, summary):
        if self._keeper is not None and self._keeper.on_agent_update(region, summary, clock.now_ms()):
            self._persist()

    def step(self):
        """After every change of the engine's state (engine.changed, before it persists the state): a switch the
        keeper has not considered yet, and a tab to ask."""
        state, config = self._engine.state, self._engine.config
        if self._keeper is None or state is None or config is None:
            return
        before = self._keeper.to_dict()
        if state.timeline:
            entry = state.timeline[-1]
            noted = self._keeper.on_switch(entry, state.agent(entry["to"])[0], config.outage["keepAgentState"])
            if noted is not None:
                self._note(entry, noted)
                self._watch_deadline()
        ask = self._keeper.tab_to_ask(state.ready_tab)
        if ask is not None:
            self._ask(*ask)
        if self._keeper.to_dict() != before:
            self._persist()

    def _ask(self, tab_id, fields):
        switch_ms = self._keeper.due["switchMs"]

        def replied(reply, error):
            answer = {"outcome": keeper.FAILED, "stateName": None,
                      "error": f"tab {tab_id} did not answer ({error or 'no reply'})"}
            if not error and reply is not None:
                try:
                    answer = parse_reply(reply, None, "cs:agent-state")
                except MessageError as problem:
                    answer["error"] = f"tab {tab_id} answered wrongly: {problem}"
            self._finish(self._keeper.on_answer(switch_ms, answer["outcome"], answer["stateName"], answer["error"],
                                                clock.now_ms()), switch_ms)
        self._engine.log(fields["region"], "INFO", f"tab {tab_id}: set the agent's state {fields['state']['name']} "
                                                   f"(kept across the failover) unless the agent chose another")
        runtime_channel.send_to_tab(tab_id, make_message("bg:keep-agent-state", **fields), replied)

    def _watch_deadline(self):
        due = None if self._keeper is None else self._keeper.due
        if due is not None:
            switch_ms = due["switchMs"]
            clock.call_later(max(0, switch_ms + keeper.DEADLINE_MS - clock.now_ms()) + 50, lambda: self._finish(
                self._keeper.expired(clock.now_ms()) if self._keeper is not None else None, switch_ms))

    def _finish(self, noted, switch_ms):
        """The final record of the switch at switch_ms (or None: nothing to say any more)."""
        state = self._engine.state
        if noted is None or state is None:
            return
        entry = next((entry for entry in state.timeline if entry["completeMs"] == switch_ms), None)
        if entry is not None:
            self._note(entry, noted)
        self._persist()
        self._engine.changed()

    def _note(self, entry, noted):
        self._engine.state.note_agent_state(entry["completeMs"], noted)
        _, words, tone = keeper.describe(noted, entry["to"])
        self._engine.log(entry["to"], "WARN" if tone == "trouble" else "INFO", f"failover from {entry['from']}: "
                         + words)

    def _persist(self):
        storage.set_items("session", {STORAGE_KEY: self._keeper.to_dict()})
