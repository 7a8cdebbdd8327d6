"""What a tab's host rules know of the background's switch count (core.global_state's `epoch`), shared by every
protocol's rules (a base class: core.legacy_dr.LegacyDrRules, core.acgr.AcgrRules).

A tab takes the background's count when the background speaks (bg:welcome, bg:region-changed), and counts the
switches it makes on its own CCPs' word on top of it, until the background's answer comes back. So a tab that
switches A -> B -> A within one round trip reports "complete A" counting its own B (the background, which took
"complete B" as its latest switch, takes this one as news rather than as a stale report, and does not send the
tab back to B); and the background's word that is older than what the tab knows (its answer to "complete B",
arriving after the tab switched back to A) changes nothing in the tab. Nor does that answer when the tab has only begun
the switch back (ACGR: its CCPs initiated it, the new region's first snapshot completes it): at the count the tab
knows, the background's word cannot know of a switch the tab began since."""
from .tab_actions import Complete


class TabEpoch:
    """Methods for a HostRules class whose instances have `epoch`, `hidden`, `detected_target` and
    `pending_target` attributes and a `_follow(region, forced)` method (the switch that follows the background;
    `forced`: the agent's Switch now, which ends the old region's contacts); a protocol whose switch shows the new
    region before it completes overrides `_switching`."""
    __slots__ = ()

    def on_global_region(self, region, epoch=None, failover=None, forced=False):
        """HostRules.on_global_region: a tab still showing the other region follows the background, unless it
        shows the target of the failover the background says is in flight, or of a switch its CCPs began that the
        background's word is no newer than (its CCPs switched it ahead of the background's word); a failover in
        flight is taken as this tab's own."""
        began_since = self._switching() and epoch is not None and epoch <= self.epoch
        if not self._hears(epoch):
            return []
        ahead = began_since or (failover is not None and failover["target"] == self.shown)
        actions = self._follow(region, forced) if region == self.hidden and not ahead else []
        self._hears_failover(failover)
        return actions

    def _switching(self):
        """Whether this tab shows a region its CCPs switched it to, and the switch is not complete yet."""
        return False

    def _hears_failover(self, failover):
        """The background's failover in flight ({"target", "pending"}, or None) to the region hidden here: taken as
        detected (and pending) in this tab too, so that the tab shows it and its CCPs' word of it (which a tab
        opened late, or on another site, may never get) is no news. Only a switch, or the CCPs turning it back,
        ends it here: the background's word that none is in flight may be older than this tab's own CCPs'."""
        if failover is not None and failover["target"] == self.hidden:
            self.detected_target = failover["target"]
            if failover["pending"]:
                self.pending_target = failover["target"]

    def _hears(self, epoch):
        """Whether the background's word at `epoch` (None: it did not say) is as new as what this tab knows; the
        tab then knows that epoch."""
        if epoch is None:
            return True
        if epoch < self.epoch:
            return False
        self.epoch = epoch
        return True

    def _switched(self, region, from_region, followed):
        """The report of a switch from `from_region` to `region`, made with the count this tab knows. A switch on
        the CCPs' word is counted (the background will count it too, or has counted another tab's report of
        it); a switch that follows the background is already in the count the background told."""
        report = Complete(region, from_region, self.epoch)
        if not followed:
            self.epoch += 1
        return report
