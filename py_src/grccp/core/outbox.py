"""What a tab sends, in order, around a switch: the new CCP is shown at once (by the caller), and everything the
switch causes — posts to the CCPs, reports to the background, log lines — runs once the browser has rendered it,
so that the bookkeeping never delays what the agent sees. While such work waits, later posts and sends queue
behind it, so the CCPs and the background see everything in the order it was decided.

One report may be held: a failover's force_offline (reported as "detected") comes milliseconds before the
failover message that switches the CCPs, and the background's handling of the report (state, storage, badge)
would then compete for the CPU with the rendering of the switch. The switch sends the held report first, once
rendered; any other send sends it first; the hold ends after HOLD_MS; a hidden tab, which renders nothing, holds
nothing.

Log batches go in order too, but release no held report: log lines are no state, and a flood of them would end
every hold at once.

Pure: the effects come in as functions — post(region, message), send(message, on_reply=None) (on_reply(reply,
error) once answered), after_render(callback) (callback once the next frames are rendered), call_later(ms,
callback) -> handle, cancel(handle), is_hidden()."""

# How long a failover-detected report may wait for the switch that follows it within milliseconds.
HOLD_MS = 100


class Outbox:
    __slots__ = ("_post", "_send", "_after_render", "_call_later", "_cancel", "_is_hidden", "_deferred",
                 "_draining", "_drain_token", "_held")

    def __init__(self, post, send, after_render, call_later, cancel, is_hidden):
        self._post = post
        self._send = send
        self._after_render = after_render
        self._call_later = call_later
        self._cancel = cancel
        self._is_hidden = is_hidden
        self._deferred = []  # work queued behind a switch (see later)
        self._draining = False
        self._drain_token = 0
        self._held = None  # (message, timer) of a report waiting for the switch (see hold)

    def post(self, region, message):
        """Posts to the region's CCP, in order."""
        self._in_order(lambda: self._post(region, message))

    def send(self, message):
        """Sends to the background, in order; a held report goes first."""
        self.release_held()
        self._send_in_order(message)

    def send_logs(self, message, on_reply):
        """Sends a log batch to the background, in order (a held report stays held); on_reply(reply, error)."""
        self._in_order(lambda: self._send(message, on_reply))

    def hold(self, message):
        """Holds a report for up to HOLD_MS (see the module docstring)."""
        self.release_held()
        if self._is_hidden():
            self._send_in_order(message)
        else:
            self._held = (message, self._call_later(HOLD_MS, self.release_held))

    def release_held(self):
        """Sends the held report now, in order (the page is being left, or its time is up)."""
        message = self._take_held()
        if message is not None:
            self._send_in_order(message)

    def after_switch(self, work):
        """work() once the switch the caller has just shown is rendered, right after the held report: the
        background hears of the failover before it hears of the switch."""
        held = self._take_held()

        def rendered():
            if held is not None:
                self._send(held)
            work()
        self._later(rendered, switched=True)

    def _take_held(self):
        if self._held is None:
            return None
        message, timer = self._held
        self._held = None
        self._cancel(timer)
        return message

    def _send_in_order(self, message):
        self._in_order(lambda: self._send(message))

    def _in_order(self, work):
        """Runs work() now, or behind the work a switch has queued."""
        if self._deferred and not self._draining:
            self._later(work)
        else:
            work()

    def _later(self, work, switched=False):
        """Queues work to run once the browser has rendered (after a switch: the frames that show the new CCP),
        in the order queued. A hidden tab renders nothing: its work runs at once (its timers are throttled)."""
        self._deferred.append(work)
        if self._draining:
            return  # the running drain takes it
        if self._is_hidden():
            self._run_deferred()
        elif switched or len(self._deferred) == 1:
            self._schedule_drain()

    def _schedule_drain(self):
        """The queued work runs once the next frames are rendered; a later call supersedes an earlier one."""
        self._drain_token += 1
        token = self._drain_token
        self._after_render(lambda *_: self._run_deferred() if token == self._drain_token else None)

    def _run_deferred(self):
        self._draining = True
        try:
            while self._deferred:
                self._deferred.pop(0)()
        finally:
            self._draining = False
            if self._deferred:  # an item raised: the rest still runs
                self._schedule_drain()
