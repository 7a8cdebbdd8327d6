"""The bookkeeping that follows a CCP message — reports to the background, log lines, the status line — runs in a
task of its own right after the messages already queued, in the order it was decided. What a CCP waits for (posts
to it) goes at once, so a handshake's next step is not held up by the bookkeeping of the step before: under
Brython each report costs milliseconds, and a CCP's messages come close together (ccp-protocol 7.4).

While the CCPs start, the bookkeeping may be held until the steps of their start are done (each CCP's handshake, and
its announcement where the protocol has one) or until release: at a page's start the CCP frames load, their workers
start and the handshakes run on the same few cores as the tab's and the background's own start, every report costs
the background milliseconds of its own (state, storage, badge) that the CCPs would wait for, and the held work,
~15-30 ms in one task, delayed a CCP message that came meanwhile (an ACGR CCP's init) by as much.

Pure: `schedule(callback)` calls callback() in a task after every message queued before it (the page's message
queue, so the queue is not throttled in a hidden tab: platform/content/frame_messages.after_queued_messages)."""


class ReportQueue:
    __slots__ = ("_schedule", "_work", "_scheduled", "_awaited")

    def __init__(self, schedule, held_until=()):
        """held_until: steps (any hashable names) the work added waits for, each until done(step), all until
        release() (or a flush); none: the work is not held."""
        self._schedule = schedule
        self._work = []
        self._scheduled = False
        self._awaited = set(held_until)  # held while any is left

    def add(self, work):
        """work() soon, after the work added before it (once released, if held)."""
        self._work.append(work)
        self._run_soon()

    def done(self, step):
        """A step the work is held for is done: the last one releases it. A step done again changes nothing."""
        self._awaited.discard(step)
        self._run_soon()

    def release(self):
        """The held work runs soon, in order; later work as usual. Releasing again changes nothing."""
        self._awaited.clear()
        self._run_soon()

    def _run_soon(self):
        if self._work and not self._scheduled and not self._awaited:
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
