"""The tab's own api_requests to its CCPs (ccp-protocol 2), and the background's requests answered with them:
bg:check-contacts (contact_check) and bg:keep-agent-state (agent_state_setter). The worker answers an api_request
to the requesting window only, under the request's id, and page script never sees that id (boot/page_guard.js
keeps the frames' messages from it): unlike an agent::update, which the worker broadcasts and page script can have
it broadcast, such an answer cannot be forged."""
from grccp.core import ccp_messages as wire
from grccp.platform.shared import clock, webext

from . import agent_state_setter, contact_check

ANSWER_TIMEOUT_MS = 5000
ANSWERED = {"bg:check-contacts": contact_check.check, "bg:keep-agent-state": agent_state_setter.keep}


class CcpRequests:
    def __init__(self, post, conduits, blocking_types):
        """post(region, message) to a CCP frame; conduits: the tab's CcpConduit by region (is its CCP connected);
        blocking_types: the contact types a failover waits for in the protocol spoken."""
        self._post = post
        self._conduits = conduits
        self.blocking_types = blocking_types
        self._waiting = {}  # request id -> (region, answer(data, error), timer)

    def answer(self, kind, fields, respond):
        """A background request of ANSWERED's kinds: respond(its answer) once known. Returns True (later)."""
        ANSWERED[kind](self, fields, respond)
        return True

    def call(self, region, method, params, answer, timeout_ms=ANSWER_TIMEOUT_MS):
        """api_request `method` to `region`'s CCP: answer(data, None), or answer(None, why) if it failed, was
        refused or was not answered within timeout_ms."""
        if not self._conduits[region].ready:
            answer(None, f"the {region} CCP is not connected")
            return
        request_id = str(webext.global_scope.crypto.randomUUID())
        timer = clock.call_later(timeout_ms, lambda: self._answer(
            request_id, None, f"the {region} CCP did not answer {method} within {timeout_ms} ms"))
        self._waiting[request_id] = (region, answer, timer)
        self._post(region, wire.api_request_message(request_id, method, params))

    def on_response(self, region, payload):
        """An api_response from `region`'s CCP: answers the call it belongs to (any other is not ours)."""
        waiting = self._waiting.get(payload["requestId"])
        if waiting is not None and waiting[0] == region:
            error = payload["err"] and f"the {region} CCP's answer: {payload['err']}"
            self._answer(payload["requestId"], payload["data"], error)

    def _answer(self, request_id, data, error):
        waiting = self._waiting.pop(request_id, None)
        if waiting is not None:
            clock.cancel(waiting[2])
            waiting[1](data, error)
