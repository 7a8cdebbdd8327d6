"""The background's stuck-failover check (bg:check-contacts): the tab asks the region's CCP for the agent's
snapshot with an api_request of its own (getAgentSnapshot, ccp-protocol 2) and answers with its summary
(cs:contacts). The worker answers an api_request to the requesting window only, under the request's id, and page
script never sees that id (boot/page_guard.js keeps the frames' messages from it): unlike an agent::update, which
the worker broadcasts and page script can have it broadcast, this answer cannot be forged."""
from grccp.core import ccp_messages as wire
from grccp.core.errors import ProtocolError
from grccp.core.runtime_messages import make_message
from grccp.core.snapshot import parse_agent_update
from grccp.platform.shared import clock, webext

ANSWER_TIMEOUT_MS = 5000


class ContactCheck:
    def __init__(self, post, conduits, blocking_types):
        """post(region, message) to a CCP frame; conduits: the tab's CcpConduit by region (is its CCP connected)."""
        self._post = post
        self._conduits = conduits
        self._blocking_types = blocking_types
        self._waiting = {}  # request id -> (region, answer(data, error), timer)

    def check(self, region, respond):
        """Asks `region`'s CCP; respond(cs:contacts) once it answered, or failed to. Returns True (answers later)."""
        def answer(data, error):
            summary = None
            if error is None:
                try:
                    summary = parse_agent_update(data).to_summary(self._blocking_types)
                except ProtocolError as problem:
                    error = f"the CCP's snapshot is malformed: {problem}"
            respond(make_message("cs:contacts", region=region, agent=summary, error=error))
        if not self._conduits[region].ready:
            answer(None, "the CCP is not connected")
            return True
        request_id = str(webext.global_scope.crypto.randomUUID())
        timer = clock.call_later(ANSWER_TIMEOUT_MS, lambda: self._answer(request_id, None, "the CCP did not answer"))
        self._waiting[request_id] = (region, answer, timer)
        self._post(region, wire.api_request_message(request_id, "getAgentSnapshot", {"nextToken": None}))
        return True

    def on_response(self, region, payload):
        """An api_response from `region`'s CCP: answers the check it belongs to (any other is not ours)."""
        waiting = self._waiting.get(payload["requestId"])
        if waiting is not None and waiting[0] == region:
            error = payload["err"] and f"the CCP's answer: {payload['err']}"
            self._answer(payload["requestId"], payload["data"], error)

    def _answer(self, request_id, data, error):
        waiting = self._waiting.pop(request_id, None)
        if waiting is not None:
            clock.cancel(waiting[2])
            waiting[1](data, error)
