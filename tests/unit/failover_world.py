"""A harness wired like the platform layer, for whole failovers of either protocol: CCP message ->
parse_ccp_message -> the protocol's host rules -> actions -> runtime messages (made and parsed as the real ones
are) -> GlobalState -> bg:region-changed / bg:switch-now to the tabs. (A distinct module name, so that it cannot
clash with other test directories' helpers.)"""
import json

from grccp.core import ccp_messages as cm
from grccp.core import global_state as gs
from grccp.core import protocols
from grccp.core import tab_actions as ta
from grccp.core.runtime_messages import make_message, parse_message


class Background:
    """The background's handling of the tabs' reports, as platform/background_engine does it."""

    def __init__(self, config, now=1000):
        self.config = config
        self.traits = protocols.rules_class(config)
        self.state = gs.GlobalState(config.region_keys, epoch=now)
        self.tabs = []
        self.broadcasts = []   # every active region the background told all tabs about
        self.in_flight = None  # None: what the background says reaches the tabs at once; else [(tab, message)]

    def hold_messages(self):
        """From now on what the background says to the tabs waits for deliver(): a round trip in progress."""
        self.in_flight = []

    def deliver(self, now):
        """Delivers what the background said meanwhile, in order, and says it at once again from then on."""
        held, self.in_flight = self.in_flight or [], None
        for tab, message in held:
            tab.from_background(message, now)

    def _tell(self, tab, message, now):
        if self.in_flight is None:
            tab.from_background(message, now)
        else:
            self.in_flight.append((tab, message))

    def receive(self, tab, message, now):
        kind, fields = parse_message(json.loads(json.dumps(message)))
        state, before = self.state, self.state.active
        if kind == "cs:switch-complete":
            if not state.on_switch_complete(fields["region"], now, fields["epoch"]):
                if state.on_tab_region(id(tab), fields["region"]):
                    self._tell(tab, self.region_changed(), now)
        elif kind == "cs:failover-initiated":
            state.on_failover_initiated(fields["region"], now, fields["epoch"])
        elif kind == "cs:failover-pending":
            if state.on_failover_pending(fields["region"], fields["contactId"], now, fields["epoch"],
                                         fields["contactType"]):
                self._tell_all(now)
        elif kind == "cs:failover-detected":
            state.on_failover_detected(fields["region"], fields["soft"], now, fields["epoch"])
        elif kind == "cs:agent-update":
            state.on_agent_update(fields["region"], fields["agent"], now)
        elif kind == "cs:region-announced":
            state.on_region_announced(fields["region"], fields["instanceRegion"], fields["activeRegion"],
                                      fields["epoch"])
            if state.active == before and state.on_tab_region(id(tab), fields["shown"]):
                self._tell(tab, self.region_changed(), now)
        if state.active != before:
            self.broadcasts.append(state.active)
            self._tell_all(now)

    def _tell_all(self, now):
        for tab in self.tabs:
            self._tell(tab, self.region_changed(), now)

    def region_changed(self):
        return make_message("bg:region-changed", **self.state.region_news)

    def switch_now(self, target, now):
        """The popup's confirmed Switch now: completed here and followed by every tab, or the tabs showing the
        active region are asked to end it."""
        source, completes = self.state.active, self.traits.COMPLETES_STUCK_FAILOVER
        if not self.state.on_switch_now(target, now, completes):
            return False
        if completes:
            self.broadcasts.append(self.state.active)
            for tab in self.tabs:
                self._tell(tab, self.region_changed(), now)
            return True
        for tab in self.tabs:
            if tab.shown == source:
                tab.from_background(make_message("bg:switch-now", region=target), now)
        return True


class Tab:
    """The content script's core wiring for one tab (without the conduits: see test_core_ccp_conduit)."""

    def __init__(self, config, background, shown=None):
        self.background = background
        state = background.state
        self.rules = protocols.host_rules_for(config, shown or state.active, state.epoch, state.flight)
        self.parsers = cm.parser_table(self.rules.CCP_EVENTS)
        self.posted = []       # (region, message) posted to CCP frames
        self.completes = []
        self.pendings = []     # (target, contact id, contact type)
        self.initiated = []
        self.shows = []
        self.checked = []      # SignInChecked actions, for the conduit
        background.tabs.append(self)

    @property
    def shown(self):
        return self.rules.shown

    def ccp(self, region, message, now):
        event, payload = cm.parse_ccp_message(json.loads(json.dumps(message)), self.parsers)
        rules = self.rules
        if event in rules.CCP_EVENTS:
            actions = rules.on_ccp_event(region, event, payload)
        elif event == cm.AGENT_UPDATE:
            actions = rules.on_agent_update(region, payload)
            self.report("cs:agent-update", now, region=region, agent=payload.to_summary(
                rules.BLOCKING_CONTACT_TYPES))
        else:
            actions = []
        self.perform(actions, now)

    def from_background(self, message, now):
        kind, fields = parse_message(message)
        if kind == "bg:region-changed":
            self.perform(self.rules.on_global_region(**fields), now)
        else:
            assert kind == "bg:switch-now"
            self.perform(self.rules.on_switch_now(), now)

    def report(self, kind, now, **fields):
        self.background.receive(self, make_message(kind, **fields), now)

    def perform(self, actions, now):
        epoch = self.rules.epoch
        for action in actions:
            kind = type(action)
            if kind is ta.Post:
                self.posted.append((action.region, action.message))
            elif kind is ta.Show:
                self.shows.append(action.region)
            elif kind is ta.Complete:
                self.completes.append(action.region)
                self.report("cs:switch-complete", now, region=action.region, fromRegion=action.from_region,
                            epoch=action.epoch)
            elif kind is ta.Pending:
                self.pendings.append((action.target, action.contact_id, action.contact_type))
                self.report("cs:failover-pending", now, region=action.target, contactId=action.contact_id,
                            contactType=action.contact_type, epoch=epoch)
            elif kind is ta.Detected:
                self.report("cs:failover-detected", now, region=action.target, soft=action.soft, epoch=epoch)
            elif kind is ta.Initiated:
                self.initiated.append(action.target)
                self.report("cs:failover-initiated", now, region=action.target, epoch=epoch)
            elif kind is ta.Announced:
                self.report("cs:region-announced", now, region=action.region, instanceRegion=action.instance_region,
                            activeRegion=action.active_region, shown=self.rules.shown, epoch=epoch)
            elif kind is ta.SignInChecked:
                self.checked.append(action)
            else:
                assert kind is ta.Log, action

    def events_posted(self, region=None):
        return [message["event"] for to, message in self.posted if region is None or to == region]
