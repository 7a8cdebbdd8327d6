"""One CCP frame's link to the host, as decisions: the handshake on the first acknowledge with an id, the
SYNCHRONIZE/ACKNOWLEDGE heartbeat, and the load deadline (ccp-protocol 1.3-1.5). Pure: time comes in as
`now_ms`, and every method returns what to do (core.tab_actions: Post, Health, SignInNeeded) for the content
script to perform. Protocol-agnostic: what is posted on a new frame, at the handshake and as configure
comes from the protocol's host rules (core.host_rules.HostRules).

A refreshed frame (a new CCP window) gets the whole handshake again."""
from . import ccp_messages as wire
from .health import LOADING, NOT_ANSWERING, READY, SIGNED_OUT
from .tab_actions import Health, Post, SignInNeeded


class CcpConduit:
    __slots__ = ("config", "region", "protocol", "health", "port_id", "handshakes", "_load_deadline",
                 "_syn_sent_ms", "_next_syn_ms", "_login_asked")

    def __init__(self, config, region, protocol):
        self.config = config
        self.region = region
        self.protocol = protocol
        self.health = LOADING
        self.port_id = None
        self.handshakes = 0
        self._load_deadline = None
        self._syn_sent_ms = None
        self._next_syn_ms = None
        self._login_asked = False

    @property
    def ready(self):
        return self.port_id is not None

    def _timeout(self, name):
        return self.config.timeouts[name]

    def _set_health(self, status, detail=None):
        if status == self.health:
            return []
        self.health = status
        return [Health(self.region, status, detail)]

    def _posts(self, messages):
        return [Post(self.region, message) for message in messages]

    def start(self, now_ms, sign_in_requested=False):
        """A (new) frame was created: the protocol's first messages, then wait for its first acknowledge. After a
        refresh for a sign-in already requested, a missed deadline does not ask for sign-in again (one sign-in
        window, never a loop)."""
        self._login_asked = sign_in_requested
        self.port_id = None
        self._syn_sent_ms = self._next_syn_ms = None
        self._load_deadline = now_ms + self._timeout("ccpLoadTimeout")
        return self._posts(self.protocol.frame_created_messages(self.region)) + self._set_health(LOADING)

    def on_acknowledge(self, payload, now_ms):
        """Any acknowledge answers the heartbeat (the worker broadcasts keep-alive ACKs to every host of the
        region); the first one with an id starts the conduit."""
        actions = []
        if not self.ready:
            if payload is None:
                return []  # a keep-alive ACK for another tab reached us before our own handshake
            self.port_id = payload["id"]
            self.handshakes += 1
            self._load_deadline = None
            self._login_asked = False
            actions += self._posts(self.protocol.handshake_messages(self.region))
            actions += self._send_syn(now_ms)
        else:
            self._syn_sent_ms = None
            if self._next_syn_ms is None:
                self._next_syn_ms = now_ms + self._timeout("ccpSynTimeout")
        return actions + self._set_health(READY)

    def on_request_configure(self):
        """A CCP that reloaded on its own asks for its configuration again (only after the handshake)."""
        return self._posts([self.protocol.configure_message(self.region)]) if self.ready else []

    def on_auth_fail(self):
        """The CCP's session ended: it will not acknowledge until the agent signs in again."""
        self.port_id = None
        return self._set_health(SIGNED_OUT, "the CCP reported that the sign-in expired")

    def give_up(self, detail):
        """The frame was refreshed as often as allowed and never acknowledged."""
        self._load_deadline = None
        return self._set_health(SIGNED_OUT, detail)

    def _send_syn(self, now_ms):
        self._syn_sent_ms = now_ms
        self._next_syn_ms = None
        return self._posts([wire.synchronize_message()])

    def tick(self, now_ms):
        """Whatever is due at now_ms."""
        if self._load_deadline is not None and now_ms >= self._load_deadline:
            self._load_deadline = None
            actions = self._set_health(NOT_ANSWERING, "the CCP did not answer after loading")
            if not self._login_asked:
                self._login_asked = True
                actions.append(SignInNeeded(self.region))
            return actions
        if not self.ready:
            return []
        if self._syn_sent_ms is not None and now_ms >= self._syn_sent_ms + self._timeout("ccpAckTimeout"):
            # no ACK in time: the next SYN still goes out after ccpSynTimeout, as the reference does
            self._syn_sent_ms = None
            self._next_syn_ms = now_ms + self._timeout("ccpSynTimeout")
            return self._set_health(NOT_ANSWERING, "the CCP stopped answering the heartbeat")
        if self._next_syn_ms is not None and now_ms >= self._next_syn_ms:
            return self._send_syn(now_ms)
        return []

    def next_deadline(self):
        """When tick() next has something to do (ms), or None."""
        deadlines = [d for d in (self._load_deadline, self._next_syn_ms,
                                 None if self._syn_sent_ms is None else self._syn_sent_ms + self._timeout("ccpAckTimeout"))
                     if d is not None]
        return min(deadlines) if deadlines else None
