"""The background's runtime messages: each one parsed (core.runtime_messages; a malformed one is answered with
bg:error and dropped), its sender checked (a refused one is answered with bg:error and dropped), routed to the one
handler of its type, and held while the background is still reading its state, so that none is lost to a
restart; so is the work of other events (when_ready)."""
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_message
from grccp.platform.shared import runtime_channel


class MessageRouter:
    def __init__(self, refusal):
        """refusal(kind, sender) -> why a parsed message of `kind` from `sender` is not heard, or None."""
        self._refusal = refusal
        self.ready = False
        self._waiting = []  # (message, sender, respond) received before ready
        self._work = []     # other events' work held until ready (when_ready)
        self._handlers = {}

    def handle(self, kind, handler):
        """handler(fields, sender, respond) -> True if it responds later. One per message type."""
        self._handlers[kind] = handler

    def listen(self):
        """Registered at start-up, so that the browser can wake the background for a message."""
        runtime_channel.listen(self._on_message)

    def become_ready(self):
        """Handles the messages and does the work held so far, then every message and work as it comes."""
        self.ready = True
        waiting, self._waiting = self._waiting, []
        for message, sender, respond in waiting:
            self._dispatch(message, sender, respond)
        work, self._work = self._work, []
        for done in work:
            done()

    def when_ready(self, work):
        """work() now, or once the background has read its state: an event other than a message (a tab closed)
        that woke the background is not lost either."""
        if self.ready:
            work()
        else:
            self._work.append(work)

    def _on_message(self, message, sender, respond):
        if not self.ready:
            self._waiting.append((message, sender, respond))
            return True
        return self._dispatch(message, sender, respond)

    def _dispatch(self, message, sender, respond):
        try:
            kind, fields = parse_message(message)
        except MessageError as problem:
            print("dropped a runtime message:", str(problem))
            respond(make_message("bg:error", error=str(problem)))
            return False
        problem = self._refusal(kind, sender)
        if problem is not None:
            respond(make_message("bg:error", error=problem))
            return False
        handler = self._handlers.get(kind)
        if handler is None:
            respond(make_message("bg:error", error=f"{kind} is not for the background"))
            return False
        return bool(handler(fields, sender, respond))
