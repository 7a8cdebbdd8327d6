"""One CCP frame's link to the host, as decisions: the handshake on the first acknowledge with an id, the
SYNCHRONIZE/ACKNOWLEDGE heartbeat (which the log lines the CCP relays from its worker answer too), and the load
deadline (ccp-protocol 1.3-1.5). Pure: time comes in as `now_ms`, and every method returns what to do
(core.tab_actions: Post, Health, SignInNeeded, Log) for the content script to perform. Protocol-agnostic: what
is posted on a new frame, at the handshake and as configure comes from the protocol's host rules
(core.host_rules.HostRules).

A protocol may check the sign-in between the first acknowledge and the handshake (ACGR's global sign-in
validation, ccp-protocol 7.4): the conduit posts its check and waits for the answer (on_sign_in_checked) or for
the check's timeout, after which it goes on as if the sign-in were valid (as Streams does); the heartbeat starts
only with the handshake. An invalid sign-in is a sign-in to ask for.

Every new CCP window gets the whole handshake: a refreshed frame, and a window that replaced the last one in the
same frame (the CCP reloaded itself, or was navigated to its own URL: its first acknowledge carries a new id).

A heartbeat is missed only if the page itself was not behind. The CCP's answer reaches the conduit as a message
event of the page, queued behind every message that came before it (in a log flood, thousands of relayed lines,
and when the CCP frames are of the page's site, the CCPs' own work on the same thread): an acknowledge deadline
passing says nothing while the page's thread is seconds behind. So at the deadline the conduit asks for a check
of the page's own message queue (CheckQueue: a message to itself through it, performed by the platform) and
decides when it comes back (on_queue_checked): an answer that came meanwhile ends it; a queue that took longer
than PAGE_BEHIND_MS means the page was behind, and the CCP gets a whole ccpAckTimeout more from then; so it does
when the CCPs' own relaying was behind: a log line (of either region: a site's CCP frames share a process, and the
CCPs are of one site) that reached the page in the last ccpAckTimeout was older than that by its own time (the
worker's acknowledge waits behind the lines it posted before, and the CCP's window behind the other region's
lines in their process). Only a prompt queue, fresh lines or none, and no answer is a miss."""
from . import ccp_messages as wire
from .health import LOADING, NOT_ANSWERING, READY, REFUSED_FRAMING, SIGNED_OUT
from .tab_actions import CheckQueue, Health, Log, Post, SignInNeeded

# A check of the page's message queue (a message to itself) that took longer than this: the page's thread was
# behind, and an answer may be waiting in its queue. Far above a prompt round trip (under 10 ms on a loaded machine
# with no flood); far below an acknowledge timeout (500 ms at least).
PAGE_BEHIND_MS = 100


class CcpConduit:
    __slots__ = ("config", "region", "protocol", "health", "port_id", "handshakes", "_load_deadline",
                 "_ack_deadline_ms", "_queue_check_ms", "_next_syn_ms", "_login_asked", "_checked_port",
                 "_check_deadline", "_unanswered_port", "_framing_refusal")

    def __init__(self, config, region, protocol):
        self.config = config
        self.region = region
        self.protocol = protocol
        self.health = LOADING
        self.port_id = None
        self.handshakes = 0
        self._load_deadline = None
        self._ack_deadline_ms = None  # when the answer to the last SYN is due, while none came
        self._queue_check_ms = None   # when the check of the page's queue was asked for, until it comes back
        self._next_syn_ms = None
        self._login_asked = False
        self._checked_port = None   # the port id of the acknowledge whose sign-in is being checked
        self._check_deadline = None
        self._unanswered_port = None  # the window whose check timed out, until its late answer
        self._framing_refusal = None  # why the browser does not show this CCP in the page, until a window answers

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
        self.port_id = self._checked_port = self._check_deadline = self._unanswered_port = None
        self._ack_deadline_ms = self._queue_check_ms = self._next_syn_ms = None
        self._load_deadline = now_ms + self._timeout("ccpLoadTimeout")
        loading = [] if self._framing_refusal else self._set_health(LOADING)  # a refreshed frame is refused too
        return self._posts(self.protocol.frame_created_messages(self.region)) + loading

    def on_acknowledge(self, payload, now_ms):
        """Any acknowledge answers the heartbeat (the worker broadcasts keep-alive ACKs to every host of the
        region); one with an id the conduit has not seen is a new CCP window's first (the worker sends it to that
        window only), and starts the conduit for it: its sign-in check first, if the protocol has one."""
        if self._check_deadline is not None:
            return []  # keep-alives for other tabs while the sign-in is checked
        if payload is not None and payload["id"] != self.port_id:
            return self._new_window(payload["id"], now_ms)
        if not self.ready:
            return []  # a keep-alive ACK for another tab reached us before our own handshake
        self._ack_deadline_ms = self._queue_check_ms = None
        if self._next_syn_ms is None:
            self._next_syn_ms = now_ms + self._timeout("ccpSynTimeout")
        return self._set_health(READY)

    def on_relayed_lines(self, now_ms):
        """The CCP relayed log lines. They come from its worker, as acknowledges do (ccp-protocol 4.2: the CCP app's
        own log is not forwarded), on the same port and through the same relay, in order: in a flood the
        acknowledge waits behind the lines the worker flushed before it, so a CCP still relaying them is answering.
        Only silence is not answering. They are a keep-alive once the handshake is done, never a new window's
        first acknowledge nor an answer to the sign-in check."""
        return self.on_acknowledge(None, now_ms)

    def _new_window(self, port_id, now_ms):
        """The first acknowledge of a CCP window: the frame's first, or one that replaced it (the heartbeat of the
        window that went away ends; the new one's starts with its handshake)."""
        self._load_deadline = None
        self.port_id = self._ack_deadline_ms = self._queue_check_ms = self._next_syn_ms = None
        self._unanswered_port = None
        check = self.protocol.sign_in_check(self.region)
        if check is None:
            return self._handshake(port_id, now_ms)
        message, timeout_ms = check
        self._checked_port = port_id
        self._check_deadline = now_ms + timeout_ms
        return self._posts([message])

    def on_sign_in_checked(self, valid, detail, now_ms):
        """The CCP's answer to the sign-in check. A repeated or unasked answer changes nothing, nor does a late
        valid one; unlike Streams, which ignores every answer after its timeout, a late invalid one (for the window
        whose check timed out) still counts: that CCP will not take part (it announces nothing), so the agent is
        asked to sign in."""
        if self._check_deadline is None:
            late = self.ready and self._unanswered_port == self.port_id
            self._unanswered_port = None
            if valid or not late:
                return []
            self.port_id = None
            self._checked_port = None
        port = self._checked_port
        self._checked_port = self._check_deadline = None
        if valid:
            return self._handshake(port, now_ms)
        actions = self._set_health(SIGNED_OUT, detail)
        if not self._login_asked:
            self._login_asked = True
            actions.append(SignInNeeded(self.region))
        return actions

    def on_framing_refused(self, detail):
        """The background read the CCP's response headers: the browser refuses to show it in this page (`detail`
        names the fix). Said as that, not as "not answering", until a CCP window answers after all."""
        if self.ready:
            return []
        self._framing_refusal = detail
        return self._set_health(REFUSED_FRAMING, detail)

    def _handshake(self, port_id, now_ms):
        self.port_id = port_id
        self.handshakes += 1
        self._login_asked = False
        self._framing_refusal = None
        return (self._posts(self.protocol.handshake_messages(self.region)) + self._send_syn(now_ms)
                + self._set_health(READY))

    def on_request_configure(self):
        """A CCP that reloaded on its own asks for its configuration again (only after the handshake)."""
        return self._posts([self.protocol.configure_message(self.region)]) if self.ready else []

    def on_auth_fail(self):
        """The CCP's session ended: it will not acknowledge until the agent signs in again."""
        self.port_id = self._checked_port = self._check_deadline = None
        return self._set_health(SIGNED_OUT, "the CCP reported that the sign-in expired")

    def give_up(self, detail):
        """The frame was refreshed as often as allowed and never acknowledged (a refused one stays said so)."""
        self._load_deadline = None
        return [] if self._framing_refusal else self._set_health(SIGNED_OUT, detail)

    def _send_syn(self, now_ms):
        self._ack_deadline_ms = now_ms + self._timeout("ccpAckTimeout")
        self._next_syn_ms = None
        return self._posts([wire.synchronize_message()])

    def tick(self, now_ms):
        """Whatever is due at now_ms."""
        if self._check_deadline is not None and now_ms >= self._check_deadline:
            port = self._unanswered_port = self._checked_port
            self._checked_port = self._check_deadline = None
            return [Log(self.region, "WARN", "the CCP did not answer the sign-in check in time: assumed valid, "
                                             "as Streams does")] + self._handshake(port, now_ms)
        if self._load_deadline is not None and now_ms >= self._load_deadline:
            self._load_deadline = None
            actions = [] if self._framing_refusal else self._set_health(NOT_ANSWERING,
                                                                        "the CCP did not answer after loading")
            if not self._login_asked:
                self._login_asked = True
                actions.append(SignInNeeded(self.region))
            return actions
        if not self.ready:
            return []
        if self._ack_deadline_ms is not None and now_ms >= self._ack_deadline_ms:
            # nothing from the CCP in time (no ACK, no relayed line) as far as the page has heard: is it behind?
            self._ack_deadline_ms = None
            self._queue_check_ms = now_ms
            return [CheckQueue(self.region, now_ms)]
        if self._next_syn_ms is not None and now_ms >= self._next_syn_ms:
            return self._send_syn(now_ms)
        return []

    def on_queue_checked(self, asked_ms, now_ms, newest_line=None):
        """The check of the page's message queue asked for at `asked_ms` came back at `now_ms`: every message queued
        before it has been handled, the CCP's answer too if it had come. No answer meanwhile: if the queue took
        longer than PAGE_BEHIND_MS, the page was behind and the CCP gets a whole ccpAckTimeout more (its answer may
        still be on its way behind the messages that came since); so it does if the CCPs' relaying was behind:
        `newest_line`, (when it reached the page, how old it was then by its own time) of the last log line any CCP
        relayed, or None, was older than ccpAckTimeout and came in the last ccpAckTimeout. Otherwise the heartbeat
        was missed (the next SYN still goes out after ccpSynTimeout, as the reference does)."""
        if asked_ms != self._queue_check_ms or not self.ready:
            return []  # an answer came meanwhile, or the frame has a new window since, or the session ended
        self._queue_check_ms = None
        waited, timeout = now_ms - asked_ms, self._timeout("ccpAckTimeout")
        relayed_late = (newest_line is not None and newest_line[0] >= asked_ms - timeout
                        and newest_line[1] > timeout)
        if waited > PAGE_BEHIND_MS or relayed_late:
            self._ack_deadline_ms = now_ms + timeout
            why = (f"the page was {waited} ms behind on its messages" if waited > PAGE_BEHIND_MS else
                   f"the CCPs relay log lines {newest_line[1]} ms late")
            return [Log(self.region, "INFO", f"no heartbeat answer yet, but {why}: waiting {timeout} ms more")]
        self._next_syn_ms = now_ms + self._timeout("ccpSynTimeout")
        return self._set_health(NOT_ANSWERING, "the CCP stopped answering the heartbeat")

    def next_deadline(self):
        """When tick() next has something to do (ms), or None (a check of the page's queue is not a deadline: it
        comes back)."""
        deadlines = [d for d in (self._load_deadline, self._check_deadline, self._next_syn_ms, self._ack_deadline_ms)
                     if d is not None]
        return min(deadlines) if deadlines else None
