"""A tab's sign-in refreshes: once a region's CCP needs a sign-in (it did not answer after loading, its session
ended, or its sign-in check failed), the background is asked for the single sign-in window and the region's frame
is reloaded, with growing delays, until its CCP answers, at most SIGN_IN_REFRESHES times."""
from grccp.platform.shared import clock

SIGN_IN_REFRESHES = 10  # as the reference: at most 10 frame refreshes while waiting for a sign-in
REFRESH_BACKOFF_LIMIT = 8  # refresh delays grow ccpLoadTimeout × 1, 2, 4, 8, 8, … (a region in an outage)


class FrameRefresh:
    def __init__(self, session, later):
        """later(ms, callback): the session's timer (it does nothing once the session stopped)."""
        self.session = session  # the TabSession: config, panel, frames, conduits, logs, perform, send
        self._later = later
        self._attempts = {}     # region -> refreshes so far, while the region waits for a sign-in

    def needed(self, region):
        """Asks the background for the (single) sign-in window, then refreshes the frame until it answers."""
        if region in self._attempts:
            return
        self._attempts[region] = 0
        self.session.send("cs:need-login", region=region)
        self._schedule(region)

    def answered(self, region):
        """The region's CCP answered (its handshake is done): no more refreshes."""
        self._attempts.pop(region, None)

    def _schedule(self, region):
        delay = self.session.config.timeouts["ccpLoadTimeout"] * min(2 ** self._attempts[region],
                                                                     REFRESH_BACKOFF_LIMIT)
        self._later(delay, lambda: self._refresh(region))

    def _refresh(self, region):
        session = self.session
        conduit = session.conduits[region]
        if region not in self._attempts or conduit.ready:
            self._attempts.pop(region, None)
            return
        if self._attempts[region] >= SIGN_IN_REFRESHES:
            self._attempts.pop(region, None)
            session.perform(conduit.give_up(
                f"no answer after {SIGN_IN_REFRESHES} reloads: sign in again, or the region is unavailable"))
            return
        self._attempts[region] += 1
        session.log(region, "INFO", f"reloading the {region} CCP frame, attempt {self._attempts[region]} of "
                                    f"{SIGN_IN_REFRESHES} (waiting for a sign-in, or for the region to answer)")
        fresh = session.panel.refresh(region, session.config.region(region).ccp_url)
        session.frames.route(region, fresh, session.config.region(region).ccp_origin)
        session.perform(conduit.start(clock.now_ms(), sign_in_requested=True))
        self._schedule(region)
