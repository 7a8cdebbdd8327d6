"""The bookkeeping that follows a CCP message — reports to the background, log lines, the status line — runs in a
task of its own right after the messages already queued, in the order it was decided. What a CCP waits for (posts
to it) goes at once, so a handshake's next step is not held up by the bookkeeping of the step before: under
Brython each report costs milliseconds, and a CCP's messages come close together (ccp-protocol 7.4).

Pure: `schedule(callback)` calls callback() in a task after every message queued before it (the page's message
queue, so the queue is not throttled in a hidden tab: platform/content/frame_messages.after_queued_messages)."""


class ReportQueue:
    __slots__ = ("_schedule", "_work", "_scheduled")

    def __init__(self, schedule):
        self._schedule = schedule
        self._work = []
        self._scheduled = False

    def add(self, work):
        """work() soon, after the work added before it."""
        self._work.append(work)
        if not self._scheduled:
            self._scheduled = True
            self._schedule(self._on_task)

    def _on_task(self):
        self._scheduled = False
        self.flush()

    def flush(self):
        """Runs the queued work now, in order (the page is being left); work added meanwhile runs in the same
        loop. One that raises leaves the rest for a task of their own."""
        scheduled, self._scheduled = self._scheduled, True
        try:
            while self._work:
                self._work.pop(0)()
        finally:
            self._scheduled = scheduled
            if self._work and not scheduled:
                self._scheduled = True
                self._schedule(self._on_task)
