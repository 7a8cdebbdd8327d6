"""The conduits' deadlines (load, heartbeat, sign-in check: core.ccp_conduit) on one timer, set for the earliest
and left alone while that does not change (most messages change none)."""
from grccp.platform.shared import clock


class ConduitTimer:
    def __init__(self, conduits, step, regions_relaying):
        """conduits: {region: CcpConduit}; step(region, decide) performs decide(conduit)'s actions;
        regions_relaying(): the regions whose CCP relayed log lines that wait in the frame bridge's queue (lines are
        handed over in tasks that come after the messages queued before them, such as a flood's, and a CCP still
        relaying lines is answering the heartbeat: core.ccp_conduit.CcpConduit.on_relayed_lines)."""
        self._conduits = conduits
        self._step = step
        self._regions_relaying = regions_relaying
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

    def stop(self):
        """No deadline acts any more (the panel was taken off the page)."""
        clock.cancel(self._handle)
        self._handle = None
        self._conduits = {}

    def _tick(self):
        self._handle = None
        now = clock.now_ms()
        for region in self._regions_relaying():
            self._step(region, lambda conduit: conduit.on_relayed_lines(now))
        for region in list(self._conduits):
            self._step(region, lambda conduit: conduit.tick(now))
        self.reschedule()
