"""The tabs' failover reports, handled for the BackgroundEngine (registered with install(engine) before
engine.start()): each goes to the GlobalState, which accepts what is news and ignores what is stale or repeated;
an accepted switch is told to every tab.

  cs:agent-update          a region's agent summary (and, in a protocol whose trait says so, the check for a
                           pending failover whose contact is gone but that no CCP completes)
  cs:failover-detected     the first sign of a failover (or, naming the active region, that it turned back)
  cs:failover-pending      it waits for a contact (id and type)
  cs:failover-initiated    the CCPs started the switch, the tab shows the new region (ACGR)
  cs:switch-complete       a tab switched
  cs:region-announced      a CCP said which region it is in and which is active (ACGR)"""
from grccp.platform.shared import clock

from .stuck_failover import StuckFailover


def install(engine):
    reports = _Reports(engine)
    for kind, handler in (("cs:agent-update", reports.agent_update), ("cs:failover-detected", reports.detected),
                          ("cs:failover-pending", reports.pending), ("cs:failover-initiated", reports.initiated),
                          ("cs:switch-complete", reports.switch_complete),
                          ("cs:region-announced", reports.region_announced)):
        engine.handle(kind, handler)
    return reports


class _Reports:
    def __init__(self, engine):
        self.engine = engine
        self.stuck = StuckFailover(lambda: engine.state, engine.log, self._follow_background)

    def agent_update(self, fields, sender, respond):
        engine = self.engine
        if engine.state.on_agent_update(fields["region"], fields["agent"], clock.now_ms()):
            engine.changed()
            if engine.traits().COMPLETES_STUCK_FAILOVER:
                self.stuck.agent_updated(fields["region"])
        return False

    def _follow_background(self):
        """The background completed a stuck failover (stuck_failover): every tab follows it with the
        manual-failover messages."""
        self.engine.tabs.tell_region_to_all()
        self.engine.changed()

    def detected(self, fields, sender, respond):
        engine = self.engine
        flight = engine.state.failover
        if engine.state.on_failover_detected(fields["region"], fields["soft"], clock.now_ms(), fields["epoch"]):
            self._log_flight(flight, fields["region"], "detected")
            engine.changed()
        return False

    def _log_flight(self, before, target, phase):
        """The log line of a phase accepted for `target`, or of the failover in flight turning back."""
        active = self.engine.state.active
        if before is not None and target == active:
            self.engine.log(active, "INFO", f"failover to {before['target']} turned back: the CCPs say {active} "
                                            f"stays active ({phase}); no switch")
        else:
            self.engine.log(active, "INFO", f"failover to {target} {phase}")

    def pending(self, fields, sender, respond):
        engine = self.engine
        if engine.state.on_failover_pending(fields["region"], fields["contactId"], clock.now_ms(),
                                            fields["epoch"], fields["contactType"]):
            engine.log(engine.state.active, "INFO", f"failover to {fields['region']} pending on "
                                                    f"{fields['contactType']} contact {fields['contactId']}")
            engine.tabs.tell_region_to_all()  # only the tab of the CCP that waits for the contact heard it
            engine.changed()
        return False

    def initiated(self, fields, sender, respond):
        engine = self.engine
        flight = engine.state.failover
        if engine.state.on_failover_initiated(fields["region"], clock.now_ms(), fields["epoch"]):
            self._log_flight(flight, fields["region"], f"initiated (tab {sender['tab_id']} shows it)")
            engine.changed()
        return False

    def switch_complete(self, fields, sender, respond):
        engine = self.engine
        region = fields["region"]
        if engine.state.on_switch_complete(region, clock.now_ms(), fields["epoch"]):
            engine.log(region, "INFO", f"failover from {fields['fromRegion']} to {region} complete "
                                       f"(tab {sender['tab_id']})")
            engine.state.on_tab_region(sender["tab_id"], region)
            # every tab, the sender included: it learns the new epoch for its next report
            engine.tabs.tell_region_to_all()
        elif engine.state.on_tab_region(sender["tab_id"], region):
            engine.tabs.tell_region(sender["tab_id"])  # a stale switch: the tab follows the latest one
        engine.changed()
        return False

    def region_announced(self, fields, sender, respond):
        """A CCP's region and the active one; a CCP naming another active region than the background's (and no
        failover in flight) moves every tab to it."""
        engine = self.engine
        region, before = fields["region"], engine.state.active
        if engine.state.on_region_announced(region, fields["instanceRegion"], fields["activeRegion"],
                                            fields["epoch"]):
            engine.log(region, "INFO", f"tab {sender['tab_id']}: the {region} CCP announced region "
                                       f"{fields['instanceRegion']}, active region {fields['activeRegion']}")
        if engine.state.active != before:
            engine.log(engine.state.active, "INFO", f"the CCPs say {engine.state.active} is active (was "
                                                    f"{before}): every tab shows it")
            engine.state.on_tab_region(sender["tab_id"], fields["shown"])
            engine.tabs.tell_region_to_all()
        elif engine.state.on_tab_region(sender["tab_id"], fields["shown"]):
            engine.tabs.tell_region(sender["tab_id"])  # a failover in flight decides: the tab follows the background
        engine.changed()
        return False
