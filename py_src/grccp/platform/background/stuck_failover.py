"""A pending failover that no tab completes (legacy DR: the failover-master CCP window that was to finish it went
away with its tab) is completed by the background once its contact is gone (core.global_state). That the contact
is gone is what the CCPs' agent updates say, and page script can have a CCP's worker broadcast any agent update
(and the pending failover itself) to every CCP window: so a tab asks the active region's CCP with a request of
its own (bg:check-contacts, answered from an api_request page script never sees), and only that answer completes
the failover."""
from grccp.core.errors import MessageError
from grccp.core.global_state import STUCK_PENDING_GRACE_MS
from grccp.core.runtime_messages import make_message, parse_reply
from grccp.platform.shared import clock, runtime_channel


class StuckFailover:
    def __init__(self, get_state, log, on_completed):
        """get_state() -> the GlobalState; log(region, level, text); on_completed() after the switch."""
        self._get_state = get_state
        self._log = log
        self._on_completed = on_completed
        self._asking = False  # a tab has been asked and has not answered yet

    def agent_updated(self, region):
        """After `region`'s agent update: check again after the grace if the failover now looks stuck."""
        if self._get_state().stuck_check_due(region):
            clock.call_later(STUCK_PENDING_GRACE_MS, self._check)

    def _check(self):
        state = self._get_state()
        tab_id = state.stuck_check_tab()
        if tab_id is None or self._asking:
            return
        self._asking = True
        region, target = state.active, state.pending["target"]

        def replied(reply, error):
            self._asking = False
            try:
                fields = parse_reply(reply, error, "cs:contacts")
            except MessageError as problem:
                fields = {"agent": None, "error": str(problem)}
            state = self._get_state()
            if state.complete_stuck_failover(clock.now_ms(), fields["agent"]) is not None:
                self._log(target, "WARN", f"failover to {target}: the contact ended but no CCP completed the switch "
                                          f"within {STUCK_PENDING_GRACE_MS} ms; completed by the extension")
                self._on_completed()
            elif state.pending is not None:
                self._log(region, "WARN", f"failover to {target} not completed: " + (
                    f"the {region} CCP could not be asked ({fields['error']})" if fields["agent"] is None else
                    f"the {region} CCP says a contact it waits for is still there"))
        runtime_channel.send_to_tab(tab_id, make_message("bg:check-contacts", region=region), replied)
