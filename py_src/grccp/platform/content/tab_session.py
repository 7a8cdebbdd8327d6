"""One allowlisted tab's panel (started, rebuilt and stopped by tab_host.TabHost): both CCP frames, one conduit per
region, the protocol's host rules, and the link to the background (the single source of truth for the active
region). The decisions live in the core (CcpConduit, the protocol's HostRules, parse_ccp_message); this class
dispatches what arrives, performs the decisions (through core.outbox.Outbox, in order around a switch, and
core.log_shipping.LogShipper); the sign-in refreshes are frame_refresh's, the conduits' deadlines on one timer
conduit_timer's, the panel's watch panel_keeper's, the background's requests to the CCPs ccp_requests' (the
stuck-failover check, the agent's state kept). What a CCP waits for is posted at once; the bookkeeping that follows
a message (reports to the background, its log lines, the status line) in a task right after
(core.report_queue.ReportQueue), and at the start held until every CCP's start is done (start_step_done: its
handshake, and its announcement where the protocol has one) or START_HOLD_MS passed: the CCPs' start then has the
cores to itself. Its timers run only while it does (_later, ConduitTimer.stop)."""
from browser import window

from grccp.core import ccp_conduit, ccp_messages as wire, health, leave_prompt, protocols
from grccp.core.errors import ProtocolError
from grccp.core.tab_actions import CheckQueue, Health, Log, Post, Show, SignInChecked, SignInNeeded
from grccp.core.log_shipping import LogShipper
from grccp.core.outbox import Outbox
from grccp.core.report_queue import ReportQueue
from grccp.core.runtime_messages import make_message

from grccp.platform.shared import clock, runtime_channel

from . import ccp_requests, frame_messages, log_sender, page_api, tab_reports
from .ccp_panel import CcpPanel
from .conduit_timer import ConduitTimer
from .frame_refresh import FrameRefresh
from .leave_prompt import LeavePrompt
from .panel_keeper import PanelKeeper

CONDUIT_EVENTS = (wire.ACKNOWLEDGE, wire.REQUEST_CONFIGURE, wire.AUTH_FAIL, wire.TERMINATED)
# The longest the bookkeeping waits for the CCPs' first handshakes at the start (a CCP that does not answer is
# said by its load deadline, later than this).
START_HOLD_MS = 1000


def _is_hidden():
    return bool(window.document.hidden)


class TabSession:
    def __init__(self, on_agent_change):
        """on_agent_change(): after an agent summary (agent_summaries) changed."""
        self.config = self.panel = self.rules = self.frames = self.outbox = self.logs = None  # set by begin()
        self.conduits = {}
        self.requests = None  # the tab's own api_requests to its CCPs (ccp_requests)
        self._parsers = None
        self._reports = None  # core.report_queue.ReportQueue: the bookkeeping after a message
        self._status_queued = False
        self._timer = ConduitTimer(self.conduits, self._conduit_step, lambda: self.frames)
        self.refresh = FrameRefresh(self, self._later)
        self.leave_prompt = LeavePrompt()
        self._health_detail = {}  # region -> why its CCP is not ready, as its conduit said
        self.agent_summaries = {}  # {region: the last agent::update's summary}
        self.notice = None  # shown after the status, for the agent (tab_host: a configuration that waits)
        self._on_agent_change = on_agent_change
        self._stopped = False
        self.page_api = None  # platform/content/page_api.PageApi on a page opted in to the page API
        self._performers = {Post: lambda action: self.outbox.post(action.region, action.message),
                            Log: lambda action: self.log(action.region, action.level, action.text),
                            Health: self._do_health, SignInChecked: self._do_sign_in_checked,
                            CheckQueue: self._timer.check_queue,
                            SignInNeeded: lambda action: self.refresh.needed(action.region),
                            **tab_reports.performers(self)}

    # start and stop -------------------------------------------------------------------------------------
    def begin(self, config, active_region, epoch, failover):
        """Puts the panel on the page and starts its CCPs; False if it could not be placed (said in the console)."""
        self.config = config
        shown = active_region if active_region in config.region_keys else config.first_region.key
        self.panel = CcpPanel(config.placement, [(r.key, r.ccp_url, r.ccp_origin) for r in config.regions])
        problem = self.panel.mount()
        if problem:
            window.console.warn("Global Resiliency CCP:", problem)
            return False
        self.rules = protocols.host_rules_for(config, shown, epoch, failover)
        self.panel.show(shown)
        self.panel.mark_shown(shown)
        self._parsers = wire.parser_table(self.rules.CCP_EVENTS)
        send_batch = log_sender.batch_sender(lambda message, on_reply: self.outbox.send_logs(message, on_reply),
                                             lambda: self.panel.mark_log_refusals(self.logs.refused_batches))
        self.logs = LogShipper(config.region_keys, f"{clock.now_ms()}-tab{int(window.Math.random() * 1e9)}",
                               send_batch, clock.now_ms, self._later, config.logs["maxEntriesPerRegion"])
        self.frames = frame_messages.FrameMessages(self._on_frame_message, self._on_relayed_lines,
                                                   self.logs.count_drop, list(self._parsers))
        steps = ("handshake", "announcement") if self.rules.ANNOUNCES_REGIONS else ("handshake",)  # a CCP's start
        start = [(key, step) for key in config.region_keys for step in steps]
        self._reports = ReportQueue(self.frames.after_queued_messages, held_until=start)
        self._later(START_HOLD_MS, self._reports.release)
        self.outbox = Outbox(self.frames.post, runtime_channel.send, frame_messages.after_render, self._later,
                             clock.cancel, _is_hidden)
        self.requests = ccp_requests.CcpRequests(self.outbox.post, self.conduits, self.rules.BLOCKING_CONTACT_TYPES)
        for region in config.regions:
            self.conduits[region.key] = ccp_conduit.CcpConduit(config, region.key, self.rules)
            self.log(region.key, "INFO", f"CCP frame created for {region.key} ({region.ccp_url})")
        self._start_conduits()
        PanelKeeper(self.panel, self._start_conduits, self.log, config.region_keys, self.send)  # kept by its watch
        self.send("cs:region-state", region=shown, epoch=self.rules.epoch)
        self.show_status()
        self.logs.start()
        self.page_api = page_api.start(self)
        self.frames.open()  # what the frames sent before (an adopted early panel's) is handled now, in order
        return True

    def _start_conduits(self):
        """The frames have new windows (created, or the panel came back into the page): both conduits start."""
        for region in self.config.regions:
            self.frames.route(region.key, self.panel.frame(region.key), region.ccp_origin)
            self.perform(self.conduits[region.key].start(clock.now_ms()))
        self._timer.reschedule()

    def stop(self, goodbye):
        """The panel leaves the page (the configuration changed, or the page is no longer allowlisted): what it
        holds is sent, its frames go, none of its timers acts any more; goodbye: no panel follows it."""
        self.leave(goodbye)
        self._stopped = True
        self.leave_prompt.hold(False)
        self._timer.stop()
        self.frames.stop()
        self.panel.unmount()

    def _later(self, ms, callback):  # clock.call_later for this session's work
        return clock.call_later(ms, lambda: None if self._stopped else callback())

    def leave(self, goodbye=True):
        """The page is left (closed, navigated away or put in the back-forward cache; it is hidden by now), or the
        panel stops: the bookkeeping queued, a held report and every log line it holds go at once, and the
        background forgets the tab."""
        self._reports.flush()
        self.outbox.release_held()
        self.frames.deliver_waiting_logs()
        self.logs.leave()
        if goodbye:  # behind every report still queued, which would register the tab again
            self.send("cs:goodbye")
            self._reports.flush()

    def rejoin(self):
        """Back from the back-forward cache (the background forgot the tab): its panel, region and CCPs' health."""
        self.send("cs:region-state", region=self.rules.shown, epoch=self.rules.epoch)
        for key, conduit in self.conduits.items():
            self.send("cs:ccp-health", region=key, health=conduit.health, detail=None)

    # messages from the CCP frames -----------------------------------------------------------------------
    def _on_frame_message(self, region, data):
        try:
            event, payload = wire.parse_ccp_message(data, self._parsers)
        except ProtocolError as problem:
            self.log(region, "WARN", f"dropped a malformed message from the {region} CCP: {problem}")
            return
        if event in self.rules.CCP_EVENTS:  # first: the protocol's, whose handling an agent may wait for
            self.perform(self.rules.on_ccp_event(region, event, payload))
        elif event == wire.AGENT_UPDATE:
            self.logs.agent_resource_id[region] = payload.agent_resource_id
            self.perform(self.rules.on_agent_update(region, payload))
            summary = payload.to_summary(self.rules.BLOCKING_CONTACT_TYPES)
            if summary != self.agent_summaries.get(region):
                self.agent_summaries[region] = summary
                self.send("cs:agent-update", region=region, agent=summary)
                self.show_status()
                self._on_agent_change()
        elif event in CONDUIT_EVENTS:
            self._on_conduit_event(region, event, payload)
        elif event == wire.API_RESPONSE:
            self.requests.on_response(region, payload)

    def _on_relayed_lines(self, region, text, count):  # shipped unread, and an answer to the heartbeat
        self.logs.take_relayed(region, text, count)
        self._conduit_step(region, lambda conduit: conduit.on_relayed_lines(clock.now_ms()))
        self._timer.reschedule()

    def _on_conduit_event(self, region, event, payload):
        """The handshake, keep-alives and sign-in: the only messages that move the region's conduit deadlines."""
        if event == wire.ACKNOWLEDGE:
            self._conduit_step(region, lambda conduit: conduit.on_acknowledge(payload, clock.now_ms()))
        elif event == wire.REQUEST_CONFIGURE:
            self.perform(self.conduits[region].on_request_configure())
        else:
            self.log(region, "WARN", f"CCP reported {event}: sign-in needed")
            self.perform(self.conduits[region].on_auth_fail())
            self.refresh.needed(region)
        self._timer.reschedule()

    def _conduit_step(self, region, decide):
        """Performs decide(conduit)'s actions; a handshake they completed is marked and logged."""
        conduit = self.conduits[region]
        before = conduit.handshakes
        self.perform(decide(conduit))
        if conduit.handshakes != before:
            if conduit.handshakes == 1:
                window.performance.mark(f"grccp-ready-{region}")  # benchmark: first handshake (tests/bench)
                self.start_step_done(region, "handshake")
            self.refresh.answered(region)
            window_text = "" if conduit.handshakes == 1 else "a new CCP window; "
            self.log(region, "INFO", f"CCP acknowledged ({window_text}handshake {conduit.handshakes}); configured")

    def start_step_done(self, region, step):
        """The region's CCP did a step of its start (handshake, announcement): the start's bookkeeping may go."""
        self._reports.done((region, step))

    # messages from the background -----------------------------------------------------------------------
    def on_background(self, kind, fields, respond):
        """A parsed runtime message from the background (tab_host.TabHost gives them); True if it answers later."""
        if kind == "bg:region-changed":
            self.perform(self.rules.on_global_region(**fields))  # the message's fields are the rules' arguments
            self.show_status()  # a failover the background said is pending
        elif kind == "bg:switch-now":
            self.log(self.rules.shown, "WARN", f"Switch now from the popup: failover to {fields['region']}")
            self.perform(self.rules.on_switch_now())
        elif kind == "bg:framing-refused":
            self._conduit_step(fields["region"], lambda conduit: conduit.on_framing_refused(fields["detail"]))
        elif kind in ccp_requests.ANSWERED:
            return self.requests.answer(kind, fields, respond)
        return False

    # performing decisions -------------------------------------------------------------------------------
    def perform(self, actions):
        """Core actions in order. A switch (Show) goes first: the new region's CCP is shown at once, and the rest
        runs once the browser has rendered it, in order, so that the bookkeeping (posts, reports, logs) never
        delays what the agent sees; so does what the page API tells the page meanwhile."""
        shows = [action.region for action in actions if type(action) is Show]
        if self.page_api is not None:  # told first: it posts nothing to the CCPs
            if shows:
                self.page_api.hold_for_switch()
            self.page_api.follow(self.rules)
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
                    self.log(shown, "INFO", f"switched the visible CCP from {previous} to {shown}")
                else:
                    self._performers[type(action)](action)
            self._reports.flush()  # the switch is rendered: its reports need not wait for another task
            if self.page_api is not None:
                self.page_api.release()
        self.outbox.after_switch(rendered)

    def _do_sign_in_checked(self, action):
        self._conduit_step(action.region, lambda conduit: conduit.on_sign_in_checked(
            action.valid, action.detail, clock.now_ms()))
        self._timer.reschedule()

    def _do_health(self, action):
        detail = f" ({action.detail})" if action.detail else ""
        self.log(action.region, "INFO" if action.status == health.READY else "WARN",
                 f"CCP health: {action.status}{detail}")
        self._health_detail[action.region] = action.detail
        self.send("cs:ccp-health", region=action.region, health=action.status, detail=action.detail)
        self.show_status()

    # bookkeeping, after the message (core.report_queue) ----------------------------------------------------
    def with_bookkeeping(self, work):
        """work() in order with the reports (once the CCPs have started)."""
        self._reports.add(work)

    def send(self, kind, **fields):
        """A report to the background, in order with the others (its fields are as they are now)."""
        self._reports.add(lambda: self.outbox.send(make_message(kind, **fields)))

    def hold(self, kind, **fields):
        """A report the switch that may follow at once sends first (core.outbox.Outbox.hold), in order."""
        self._reports.add(lambda: self.outbox.hold(make_message(kind, **fields)))

    def log(self, region, level, text):
        """A line of the tab's own in the region's log, stamped now, in order with the reports."""
        at_ms = clock.now_ms()
        self._reports.add(lambda: self.logs.log(region, level, text, at_ms))

    def show_status(self):
        """The panel's status line, and whether leaving the page asks first, once the messages queued now are
        handled (as they are then)."""
        if not self._status_queued:
            self._status_queued = True
            self._reports.add(self._show_status_now)

    def _show_status_now(self):
        self._status_queued = False
        shown, hidden = self.rules.shown, self.rules.hidden
        self.panel.show_state(shown, self.conduits[shown].health, self._health_detail.get(shown),
                              self.rules.pending_target,
                              hidden if self.conduits[hidden].health == health.SIGNED_OUT else None, self.notice)
        self.leave_prompt.hold(leave_prompt.asks_before_leaving(self.config.outage, self.agent_summaries.values(),
                                                                self.rules.pending_target))
