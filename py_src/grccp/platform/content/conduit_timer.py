"""The conduits' deadlines (load, heartbeat, sign-in check: core.ccp_conduit) on one timer, set for the earliest
and left alone while that does not change (most messages change none); and the checks of the page's own message
queue that a heartbeat deadline asks for before it counts as missed (core.tab_actions.CheckQueue)."""
from grccp.platform.shared import clock


class ConduitTimer:
    def __init__(self, conduits, step, frames):
        """conduits: {region: CcpConduit}; step(region, decide) performs decide(conduit)'s actions; frames(): the
        session's frame_messages.FrameMessages: which regions' CCPs relayed log lines that wait in the frame
        bridge's queue (lines are handed over in tasks that come after the messages queued before them, such as a
        flood's, and a CCP still relaying lines is answering the heartbeat: core.ccp_conduit.CcpConduit
        .on_relayed_lines), and the way through the page's message queue."""
        self._conduits = conduits
        self._step = step
        self._frames = frames
        self._handle = None
        self._at = None  # the deadline the timer is set for

    def reschedule(self):
        """After anything that may have moved a deadline."""
        deadlines = [d for d in (c.next_deadline() for c in self._conduits.values()) if d is not None]
        earliest = min(deadlines) if deadlines else None
        if earliest == self._at and self._handle is not None:
            return
        clock.cancel(self._handle)
        self._handle = None
        self._at = earliest
        if earliest is not None:
            self._handle = clock.call_later(earliest - clock.now_ms(), self._tick)

    def check_queue(self, action):
        """Performs a CheckQueue: a message through the page's message queue; when it is back (after every message
        queued before it, the CCP's answer among them if it came), the region's conduit decides."""
        def back():
            if action.region not in self._conduits:
                return  # the panel was taken off the page meanwhile
            now = clock.now_ms()
            self._hear_queued_lines(now)
            newest = self._frames().newest_relayed_line()
            self._step(action.region, lambda conduit: conduit.on_queue_checked(action.asked_ms, now, newest))
            self.reschedule()
        self._frames().after_queued_messages(back)

    def stop(self):
        """No deadline acts any more (the panel was taken off the page)."""
        clock.cancel(self._handle)
        self._handle = None
        self._conduits = {}

    def _hear_queued_lines(self, now):
        for region in self._frames().regions_with_waiting_logs():
            self._step(region, lambda conduit: conduit.on_relayed_lines(now))

    def _tick(self):
        self._handle = None
        now = clock.now_ms()
        self._hear_queued_lines(now)
        for region in list(self._conduits):
            self._step(region, lambda conduit: conduit.tick(now))
        self.reschedule()
