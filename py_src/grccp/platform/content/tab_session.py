"""One allowlisted tab's panel (started, rebuilt and stopped by tab_host.TabHost): both CCP frames, one conduit per
region, the protocol's host rules, and the link to the background (the single source of truth for the active
region). The decisions live in the core (CcpConduit, the protocol's HostRules, parse_ccp_message); this class
dispatches what arrives, performs the decisions (through core.outbox.Outbox, in order around a switch, and
core.log_shipping.LogShipper), runs the sign-in refreshes; the conduits' deadlines are on one timer
(conduit_timer). Its timers run only while it does (_later, ConduitTimer.stop)."""
from browser import window

from grccp.core import ccp_conduit, ccp_messages as wire, health, protocols
from grccp.core.errors import ProtocolError
from grccp.core.tab_actions import Complete, Detected, Health, Log, Pending, Post, Show, SignInNeeded
from grccp.core.log_shipping import LogShipper
from grccp.core.outbox import Outbox
from grccp.core.runtime_messages import make_message

from grccp.platform.shared import clock, runtime_channel

from . import frame_messages
from .ccp_panel import CcpPanel
from .conduit_timer import ConduitTimer

SIGN_IN_REFRESHES = 10  # as the reference: at most 10 frame refreshes while waiting for a sign-in
REFRESH_BACKOFF_LIMIT = 8  # refresh delays grow ccpLoadTimeout × 1, 2, 4, 8, 8, … (a region in an outage)
CONDUIT_EVENTS = (wire.ACKNOWLEDGE, wire.REQUEST_CONFIGURE, wire.AUTH_FAIL, wire.TERMINATED)
# The panel's status line per health of the shown region: (text after the region, level, state)
_STATUS = {health.READY: ("connected", "ok", "ready"), health.SIGNED_OUT: ("sign-in needed", "bad", "signed-out"),
           health.NOT_ANSWERING: ("CCP not answering", "bad", "not-answering"),
           health.LOADING: ("loading…", "warn", "loading")}


def _is_hidden():
    return bool(window.document.hidden)


class TabSession:
    def __init__(self, on_agent_change):
        """on_agent_change(): after an agent summary (agent_summaries) changed."""
        self.config = None
        self.panel = None
        self.rules = None
        self.conduits = {}
        self.frames = None
        self.outbox = None
        self.logs = None
        self._parsers = None
        self._timer = ConduitTimer(self.conduits, self._perform)
        self._refreshes = {}
        self.agent_summaries = {}  # {region: the last agent::update's summary}
        self.notice = None  # shown after the status, for the agent (tab_host: a configuration that waits)
        self._on_agent_change = on_agent_change
        self._stopped = False
        self._performers = {Post: lambda action: self.outbox.post(action.region, action.message),
                            Log: lambda action: self.logs.log(action.region, action.level, action.text),
                            Detected: self._do_detected,
                            Pending: self._do_pending, Complete: self._do_complete, Health: self._do_health,
                            SignInNeeded: lambda action: self._sign_in_needed(action.region)}

    # start and stop -------------------------------------------------------------------------------------
    def begin(self, config, active_region, epoch):
        """Puts the panel on the page and starts its CCPs; False if it could not be placed (said in the console)."""
        self.config = config
        shown = active_region if active_region in config.region_keys else config.first_region.key
        self.panel = CcpPanel(config.placement, [(r.key, r.ccp_url) for r in config.regions])
        problem = self.panel.mount()
        if problem:
            window.console.warn("Global Resiliency CCP:", problem)
            return False
        self.rules = protocols.host_rules_for(config, shown, epoch)
        self.panel.show(shown)
        self.panel.mark_shown(shown)
        self._parsers = wire.parser_table(self.rules.CCP_EVENTS)
        self.logs = LogShipper(config.region_keys, f"{clock.now_ms()}-tab{int(window.Math.random() * 1e9)}",
                               lambda region, entries: self._send("cs:log-batch", region=region, entries=entries),
                               clock.now_ms, self._later, _is_hidden)
        self.frames = frame_messages.FrameMessages(self._on_frame_message, self._on_frame_logs,
                                                   self.logs.count_drop, list(self._parsers))
        self.outbox = Outbox(self.frames.post, runtime_channel.send, frame_messages.after_render, self._later,
                             clock.cancel, _is_hidden)
        now = clock.now_ms()
        for region in config.regions:
            key = region.key
            self.conduits[key] = ccp_conduit.CcpConduit(config, key, self.rules)
            self.frames.route(key, self.panel.frame(key), region.ccp_origin)
            self.logs.log(key, "INFO", f"CCP frame created for {key} ({region.ccp_url})")
            self._perform(self.conduits[key].start(now))
        self._send("cs:region-state", region=shown, epoch=self.rules.epoch)
        self.show_status()
        self._timer.reschedule()
        self.logs.start()
        return True

    def stop(self, goodbye):
        """The panel leaves the page (the configuration changed, or the page is no longer allowlisted): what it
        holds is sent, its frames go, none of its timers acts any more; goodbye: no panel follows it."""
        self.leave(goodbye)
        self._stopped = True
        self._timer.stop()
        self.frames.stop()
        self.panel.unmount()

    def _later(self, ms, callback):  # clock.call_later for this session's work
        return clock.call_later(ms, lambda: None if self._stopped else callback())

    def leave(self, goodbye=True):
        """The page is left (closed, navigated away or put in the back-forward cache; it is hidden by now), or the
        panel stops: a held report and every log line it holds go at once, and the background forgets the tab."""
        self.outbox.release_held()
        self.frames.deliver_waiting_logs()
        self.logs.leave()
        if goodbye:  # behind every report still queued, which would register the tab again
            self._send("cs:goodbye")

    def rejoin(self):
        """Back from the back-forward cache (the background forgot the tab): its panel, region and CCPs' health."""
        self._send("cs:region-state", region=self.rules.shown, epoch=self.rules.epoch)
        for key, conduit in self.conduits.items():
            self._send("cs:ccp-health", region=key, health=conduit.health, detail=None)

    # messages from the CCP frames -----------------------------------------------------------------------
    def _on_frame_message(self, region, data):
        try:
            event, payload = wire.parse_ccp_message(data, self._parsers)
        except ProtocolError as problem:
            self.logs.log(region, "WARN", f"dropped a malformed message from the {region} CCP: {problem}")
            return
        if event in self.rules.CCP_EVENTS:  # first: the protocol's, whose handling an agent may wait for
            self._perform(self.rules.on_ccp_event(region, event, payload))
        elif event == wire.AGENT_UPDATE:
            self.logs.agent_resource_id[region] = payload.agent_resource_id
            self._perform(self.rules.on_agent_update(region, payload))
            summary = payload.to_summary(self.rules.BLOCKING_CONTACT_TYPES)
            if summary != self.agent_summaries.get(region):
                self.agent_summaries[region] = summary
                self._send("cs:agent-update", region=region, agent=summary)
                self._on_agent_change()
        elif event in CONDUIT_EVENTS:
            self._on_conduit_event(region, event, payload)

    def _on_conduit_event(self, region, event, payload):
        """The handshake, keep-alives and sign-in: the only messages that move the region's conduit deadlines."""
        conduit = self.conduits[region]
        if event == wire.ACKNOWLEDGE:
            first = not conduit.ready and payload is not None
            new_window = payload is not None and payload["id"] != conduit.port_id
            self._perform(conduit.on_acknowledge(payload, clock.now_ms()))
            if first:
                window.performance.mark(f"grccp-ready-{region}")  # benchmark: first ACK processed (tests/bench)
                self._refreshes.pop(region, None)
            if new_window:
                self.logs.log(region, "INFO", f"CCP acknowledged: a new CCP window (handshake {conduit.handshakes}); "
                                              f"configured")
        elif event == wire.REQUEST_CONFIGURE:
            self._perform(conduit.on_request_configure())
        else:
            self.logs.log(region, "WARN", f"CCP reported {event}: sign-in needed")
            self._perform(conduit.on_auth_fail())
            self._sign_in_needed(region)
        self._timer.reschedule()

    def _on_frame_logs(self, messages):
        """A batch of `log` messages (by far the most frequent), [(region, data)] in arrival order."""
        now = clock.now_ms()
        for region, data in messages:
            try:
                event, payload = wire.parse_ccp_message(data, self._parsers)
            except ProtocolError as problem:
                self.logs.log(region, "WARN", f"dropped a malformed message from the {region} CCP: {problem}")
                continue
            if event == wire.LOG:
                self.logs.take_relayed(region, payload, now)

    # messages from the background -----------------------------------------------------------------------
    def on_background(self, kind, fields):
        """A parsed runtime message from the background (tab_host.TabHost gives them)."""
        if kind == "bg:region-changed":
            self._perform(self.rules.on_global_region(fields["region"], fields["epoch"]))

    # performing decisions -------------------------------------------------------------------------------
    def _perform(self, actions):
        """Core actions in order. A switch (Show) goes first: the new region's CCP is shown at once, and the rest
        runs once the browser has rendered it, in order, so that the bookkeeping (posts, reports, logs) never
        delays what the agent sees."""
        shows = [action.region for action in actions if type(action) is Show]
        if not shows:
            for action in actions:
                self._performers[type(action)](action)
            return
        previous, shown = self.rules.hidden, shows[-1]  # the rules have switched already
        self.panel.show(shown)
        window.performance.mark("grccp-shown-" + shown)

        def rendered():
            self.panel.mark_shown(shown)
            for action in actions:
                if type(action) is Show:
                    self.logs.log(shown, "INFO", f"switched the visible CCP from {previous} to {shown}")
                else:
                    self._performers[type(action)](action)
        self.outbox.after_switch(rendered)

    def _do_detected(self, action):
        self.logs.log(action.target, "INFO", f"failover to {action.target} detected (soft: {action.soft})")
        self.outbox.hold(make_message("cs:failover-detected", region=action.target, soft=action.soft,
                                      epoch=self.rules.epoch))

    def _do_pending(self, action):
        self.logs.log(action.target, "INFO",
                      f"failover to {action.target} pending on {action.contact_type} contact {action.contact_id}")
        self._send("cs:failover-pending", region=action.target, contactId=action.contact_id,
                   contactType=action.contact_type, epoch=self.rules.epoch)
        self.show_status()

    def _do_complete(self, action):
        self._send("cs:switch-complete", region=action.region, fromRegion=action.from_region, epoch=action.epoch)
        self.show_status()

    def _do_health(self, action):
        detail = f" ({action.detail})" if action.detail else ""
        self.logs.log(action.region, "INFO" if action.status == health.READY else "WARN",
                      f"CCP health: {action.status}{detail}")
        self._send("cs:ccp-health", region=action.region, health=action.status, detail=action.detail)
        self.show_status()

    def _send(self, kind, **fields):
        self.outbox.send(make_message(kind, **fields))

    def show_status(self):
        if self.rules.pending_target is not None:
            text, level, state = f"failover to {self.rules.pending_target} pending: finish the call", "warn", "pending"
        else:
            text, level, state = _STATUS[self.conduits[self.rules.shown].health]
        self.panel.set_status(f"{self.rules.shown} — {text}", level, state, self.notice)

    # sign-in ----------------------------------------------------------------------------------------------
    def _sign_in_needed(self, region):
        """Ask the background for the (single) sign-in window, then refresh this frame until it acknowledges."""
        if region in self._refreshes:
            return
        self._refreshes[region] = 0
        self._send("cs:need-login", region=region)
        self._schedule_refresh(region)

    def _schedule_refresh(self, region):
        delay = self.config.timeouts["ccpLoadTimeout"] * min(2 ** self._refreshes[region], REFRESH_BACKOFF_LIMIT)
        self._later(delay, lambda: self._refresh_frame(region))

    def _refresh_frame(self, region):
        if region not in self._refreshes or self.conduits[region].ready:
            self._refreshes.pop(region, None)
            return
        if self._refreshes[region] >= SIGN_IN_REFRESHES:
            self._refreshes.pop(region, None)
            self._perform(self.conduits[region].give_up(
                f"no answer after {SIGN_IN_REFRESHES} reloads: sign in again, or the region is unavailable"))
            return
        self._refreshes[region] += 1
        self.logs.log(region, "INFO", f"reloading the {region} CCP frame, attempt {self._refreshes[region]} of "
                                      f"{SIGN_IN_REFRESHES} (waiting for a sign-in, or for the region to answer)")
        fresh = self.panel.refresh(region, self.config.region(region).ccp_url)
        self.frames.route(region, fresh, self.config.region(region).ccp_origin)
        self._perform(self.conduits[region].start(clock.now_ms(), sign_in_requested=True))
        self._schedule_refresh(region)
