"""The conduits' deadlines (load, heartbeat, sign-in check: core.ccp_conduit) on one timer, set for the earliest
and left alone while that does not change (most messages change none)."""
from grccp.platform.shared import clock


class ConduitTimer:
    def __init__(self, conduits, tick_region, hear_waiting):
        """conduits: {region: CcpConduit}; tick_region(region, now_ms) performs what that conduit's tick decides;
        hear_waiting() hands the conduits, before any deadline acts, what came from the CCPs and waits in a batch
        (relayed log lines answer the heartbeat: a tab in the background runs the batch's 50 ms timer and this one
        in the same wake-up, at most once a second)."""
        self._conduits = conduits
        self._tick_region = tick_region
        self._hear_waiting = hear_waiting
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
        self._hear_waiting()
        now = clock.now_ms()
        for region in list(self._conduits):
            self._tick_region(region, now)
        self.reschedule()
