"""One allowlisted tab: the panel with both CCP frames, one conduit per region, the DR host rules, and the link
to the background (the single source of truth for the active region). The decisions live in the core
(CcpConduit, TabSwitchRules, parse_ccp_message); this class performs them."""
from browser import window

from grccp.core import ccp_conduit, ccp_messages as wire, failover, logs
from grccp.core.config import ConfigError, page_is_allowlisted, parse_config
from grccp.core.errors import MessageError, ProtocolError
from grccp.core.runtime_messages import MAX_LOG_BATCH, make_message, parse_message, parse_reply

from . import clock, frame_messages, runtime_channel
from .ccp_panel import CcpPanel

LOG_FLUSH_MS = 1000
LOG_SEND_SIZE = MAX_LOG_BATCH // 4  # entries per cs:log-batch, each batch checked and converted in a task of its own
SIGN_IN_REFRESHES = 10  # as the reference: at most 10 frame refreshes while waiting for a sign-in
REFRESH_BACKOFF_LIMIT = 8  # refresh delays grow ccpLoadTimeout × 1, 2, 4, 8, 8, … (a region in an outage)
# How long a failover-detected report may wait for the switch that follows it within milliseconds (see _hold).
DETECTED_HOLD_MS = 100


class TabSession:
    def __init__(self):
        self.config = None
        self.panel = None
        self.rules = None
        self.conduits = {}
        self.frames = None
        self.logger_id = f"{clock.now_ms()}-tab{int(window.Math.random() * 1e9)}"
        self._pending_logs = {}
        self._dropped = {}
        self._tick_handle = None
        self._tick_at = None  # the deadline the tick timer is set for
        self._flush_handle = None
        self._log_batches = []  # (region, entries) waiting to be sent, one per task
        self._refreshes = {}
        self._agent_resource_id = {}
        self._last_agent_summary = {}
        self._deferred = []  # work queued behind a switch (see _later)
        self._draining = False
        self._drain_token = 0
        self._held = None  # (message, timer) of a report waiting for the switch (see _hold)

    # start-up -------------------------------------------------------------------------------------------
    def start(self):
        runtime_channel.send(make_message("cs:hello", url=str(window.location.href)), self._on_welcome)

    def _on_welcome(self, reply, error):
        try:
            welcome = parse_reply(reply, error, "bg:welcome")
            if not welcome["allowed"] or welcome["config"] is None:
                return
            config = parse_config(welcome["config"])
        except (MessageError, ConfigError) as problem:
            window.console.warn("Global Resiliency CCP: refused the background's answer:", str(problem))
            return
        if not page_is_allowlisted(str(window.location.href), config):
            return  # the registered pattern cannot carry a port (Firefox): the port is checked here
        self._begin(config, welcome["activeRegion"], welcome["epoch"])

    def _begin(self, config, active_region, epoch):
        self.config = config
        shown = active_region if active_region in config.region_keys else config.first_region.key
        self.panel = CcpPanel(config.placement, [(r.key, r.ccp_url) for r in config.regions])
        problem = self.panel.mount()
        if problem:
            window.console.warn("Global Resiliency CCP:", problem)
            return
        self.rules = failover.TabSwitchRules(config, shown, epoch)
        self.panel.show(shown)
        self.panel.mark_shown(shown)
        self.frames = frame_messages.FrameMessages(self._on_frame_message, self._on_frame_logs, self._on_drop,
                                                   wire.HANDLED_CCP_EVENTS)
        now = clock.now_ms()
        for region in config.regions:
            key = region.key
            self.conduits[key] = ccp_conduit.CcpConduit(config, key, displayed_first=(key == shown))
            self.frames.route(key, self.panel.frame(key), region.ccp_origin)
            self._log(key, "INFO", f"CCP frame created for {key} ({region.ccp_url})")
            self._apply(key, self.conduits[key].start(now))
        runtime_channel.listen(self._on_background_message)
        self._send("cs:region-state", region=shown, epoch=self.rules.epoch)
        self._status()
        self._schedule_tick()
        self._flush_handle = clock.call_later(LOG_FLUSH_MS, self._flush_logs)
        window.addEventListener("pagehide", self._on_page_hide)

    # messages from the CCP frames -----------------------------------------------------------------------
    def _on_frame_message(self, region, data):
        try:
            event, payload = wire.parse_ccp_message(data)
        except ProtocolError as problem:
            self._log(region, "WARN", f"dropped a malformed message from the {region} CCP: {problem}")
            return
        if event == wire.FAILOVER:  # first: the one message whose handling an agent waits for
            self._perform(self.rules.on_failover(region, payload),
                          lambda: self._log(region, "INFO", f"failover signal: {payload}"))
        elif event == wire.FORCE_OFFLINE:
            self._perform(self.rules.on_force_offline(region, payload))
        elif event == wire.FAILOVER_PENDING:
            self._perform(self.rules.on_failover_pending(region, payload))
        elif event == wire.AGENT_UPDATE:
            self._agent_resource_id[region] = payload.agent_resource_id
            self._perform(self.rules.on_agent_update(region, payload))
            summary = payload.to_summary()
            if summary != self._last_agent_summary.get(region):
                self._last_agent_summary[region] = summary
                self._send("cs:agent-update", region=region, agent=summary)
        elif event in (wire.ACKNOWLEDGE, wire.REQUEST_CONFIGURE, wire.AUTH_FAIL, wire.TERMINATED):
            self._on_conduit_event(region, event, payload)

    def _on_conduit_event(self, region, event, payload):
        """The handshake, keep-alives and sign-in: the only messages that move the region's conduit deadlines."""
        conduit = self.conduits[region]
        if event == wire.ACKNOWLEDGE:
            first = not conduit.ready and payload is not None
            self._apply(region, conduit.on_acknowledge(payload, clock.now_ms()))
            if first:
                window.performance.mark(f"grccp-ready-{region}")  # benchmark: first ACK processed (tests/bench)
                self._refreshes.pop(region, None)
                self._log(region, "INFO", f"CCP acknowledged (handshake {conduit.handshakes}); configured")
        elif event == wire.REQUEST_CONFIGURE:
            self._apply(region, conduit.on_request_configure())
        else:
            self._log(region, "WARN", f"CCP reported {event}: sign-in needed")
            self._apply(region, conduit.on_auth_fail())
            self._sign_in_needed(region)
        self._schedule_tick()

    def _on_frame_logs(self, messages):
        """A batch of `log` messages (by far the most frequent), [(region, data)] in arrival order."""
        now = clock.now_ms()
        for region, data in messages:
            try:
                event, payload = wire.parse_ccp_message(data)
            except ProtocolError as problem:
                self._log(region, "WARN", f"dropped a malformed message from the {region} CCP: {problem}")
                continue
            if event == wire.LOG:
                self._take_log(region, payload, now)

    def _take_log(self, region, relayed, now):
        entry = logs.intake_relayed(relayed, self.logger_id, self._agent_resource_id.get(region), now)
        if entry is not None:
            self._pending_logs.setdefault(region, []).append(entry)

    def _on_drop(self, reason):
        self._dropped[reason] = self._dropped.get(reason, 0) + 1

    # messages from the background -----------------------------------------------------------------------
    def _on_background_message(self, message, sender, respond):
        try:
            kind, fields = parse_message(message)
        except MessageError as problem:
            window.console.warn("Global Resiliency CCP: dropped a runtime message:", str(problem))
            return False
        if kind == "bg:region-changed":
            self._perform(self.rules.on_global_region(fields["region"], fields["epoch"]))
        return False

    # performing decisions -------------------------------------------------------------------------------
    def _apply(self, region, actions):
        """Conduit outputs for `region`."""
        for action in actions:
            if action[0] == ccp_conduit.POST:
                self._post(region, action[1])
            elif action[0] == ccp_conduit.HEALTH:
                self._log(region, "INFO" if action[1] == failover.READY else "WARN",
                          f"CCP health: {action[1]}" + (f" ({action[2]})" if action[2] else ""))
                self._send("cs:ccp-health", region=region, health=action[1], detail=action[2])
                self._status()
            elif action[0] == ccp_conduit.LOGIN:
                self._sign_in_needed(region)

    def _perform(self, actions, prelude=None):
        """TabSwitchRules outputs in order, after prelude() if given. A switch (SHOW) goes first: the new region's
        CCP is shown at once, and the rest runs once the browser has rendered it, so that the bookkeeping (posts,
        reports, logs) never delays what the agent sees."""
        shows = [action[1] for action in actions if action[0] == failover.SHOW]
        if not shows:
            if prelude is not None:
                prelude()
            self._perform_in_order(actions)
            return
        previous, shown = self.rules.hidden, shows[-1]  # the rules have switched already
        self.panel.show(shown)
        window.performance.mark("grccp-shown-" + shown)
        held = self._take_held()

        def after_render():
            if held is not None:
                runtime_channel.send(held)  # before this switch's own reports
            self.panel.mark_shown(shown)
            if prelude is not None:
                prelude()
            self._log(shown, "INFO", f"switched the visible CCP from {previous} to {shown}")
            self._perform_in_order([action for action in actions if action[0] != failover.SHOW])
        self._later(after_render, switched=True)

    def _perform_in_order(self, actions):
        for action in actions:
            kind = action[0]
            if kind == failover.DETECTED:
                self._log(action[1], "INFO", f"failover to {action[1]} detected (soft: {action[2]})")
                self._hold(make_message("cs:failover-detected", region=action[1], soft=action[2],
                                        epoch=self.rules.epoch))
            elif kind == failover.PENDING:
                self._log(action[1], "INFO", f"failover to {action[1]} pending on voice contact {action[2]}")
                self._send("cs:failover-pending", region=action[1], contactId=action[2], epoch=self.rules.epoch)
                self._status()
            elif kind == failover.DEACTIVATE:
                self._post(action[1], wire.suppress_message(True))
                self._post(action[1], wire.set_offline_message(True))
            elif kind == failover.ACTIVATE:
                self._post(action[1], wire.suppress_message(False))
            elif kind == failover.COMPLETE:
                self._send("cs:switch-complete", region=action[1], fromRegion=self.rules.hidden,
                           epoch=self.rules.epoch)
                self._status()

    def _post(self, region, message):
        self._in_order(lambda: self.frames.post(region, message))

    def _send(self, kind, **fields):
        self._release_held()  # nothing overtakes a held report
        self._send_in_order(make_message(kind, **fields))

    def _send_in_order(self, message):
        self._in_order(lambda: runtime_channel.send(message))

    def _hold(self, message):
        """Holds a report for up to DETECTED_HOLD_MS. A failover's force_offline (reported as detected) comes
        milliseconds before the failover message that switches the CCPs, and the background's handling of the
        report (state, storage, badge) would then compete for the CPU with the rendering of the switch. The
        switch sends the held report first, once rendered; any other send sends it first; a hidden tab, which
        renders nothing, sends it at once."""
        self._release_held()
        if window.document.hidden:
            self._send_in_order(message)
        else:
            self._held = (message, clock.call_later(DETECTED_HOLD_MS, self._release_held))

    def _take_held(self):
        """The held report (its timer cancelled), or None."""
        if self._held is None:
            return None
        message, timer = self._held
        self._held = None
        clock.cancel(timer)
        return message

    def _release_held(self):
        message = self._take_held()
        if message is not None:
            self._send_in_order(message)

    def _in_order(self, work):
        """Runs work() now, or behind the work a switch has queued (see _later)."""
        if self._deferred and not self._draining:
            self._later(work)
        else:
            work()

    def _later(self, work, switched=False):
        """Queues work to run once the browser has rendered (after a switch: the frames that show the new CCP),
        in the order queued; while anything is queued, posts and sends queue behind it, so the CCPs and the
        background see everything in order. A hidden tab renders nothing: its work runs at once (its timers are
        throttled)."""
        self._deferred.append(work)
        if self._draining:
            return  # the running drain takes it
        if window.document.hidden:
            self._run_deferred()
        elif switched or len(self._deferred) == 1:
            self._schedule_drain()

    def _schedule_drain(self):
        """The queued work runs once the next two frames are rendered; a later call supersedes an earlier one."""
        self._drain_token += 1
        token = self._drain_token
        frame_messages.after_render(lambda *_: self._run_deferred() if token == self._drain_token else None)

    def _run_deferred(self):
        self._draining = True
        try:
            while self._deferred:
                self._deferred.pop(0)()
        finally:
            self._draining = False
            if self._deferred:  # an item raised: the rest still runs
                self._schedule_drain()

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
        clock.call_later(delay, lambda: self._refresh_frame(region))

    def _refresh_frame(self, region):
        if region not in self._refreshes or self.conduits[region].ready:
            self._refreshes.pop(region, None)
            return
        if self._refreshes[region] >= SIGN_IN_REFRESHES:
            self._refreshes.pop(region, None)
            self._apply(region, self.conduits[region].give_up(
                f"no answer after {SIGN_IN_REFRESHES} reloads: sign in again, or the region is unavailable"))
            return
        self._refreshes[region] += 1
        self._log(region, "INFO", f"reloading the {region} CCP frame, attempt {self._refreshes[region]} of "
                                  f"{SIGN_IN_REFRESHES} (waiting for a sign-in, or for the region to answer)")
        fresh = self.panel.refresh(region, self.config.region(region).ccp_url)
        self.frames.route(region, fresh, self.config.region(region).ccp_origin)
        self._apply(region, self.conduits[region].start(clock.now_ms(), sign_in_requested=True))
        self._schedule_refresh(region)

    # timers -------------------------------------------------------------------------------------------------
    def _schedule_tick(self):
        """The tick timer set for the earliest conduit deadline (left alone when that did not change: most
        messages change none)."""
        deadlines = [d for d in (c.next_deadline() for c in self.conduits.values()) if d is not None]
        earliest = min(deadlines) if deadlines else None
        if earliest == self._tick_at and self._tick_handle is not None:
            return
        clock.cancel(self._tick_handle)
        self._tick_handle = None
        self._tick_at = earliest
        if earliest is not None:
            self._tick_handle = clock.call_later(earliest - clock.now_ms(), self._tick)

    def _tick(self):
        self._tick_handle = None
        now = clock.now_ms()
        for region, conduit in self.conduits.items():
            self._apply(region, conduit.tick(now))
        self._schedule_tick()

    # logs and status ------------------------------------------------------------------------------------
    def _log(self, region, level, text):
        entry = logs.make_entry(level, text, clock.now_ms(), self.logger_id, self._agent_resource_id.get(region))
        self._pending_logs.setdefault(region, []).append(entry)

    def _flush_logs(self):
        self._flush_handle = clock.call_later(LOG_FLUSH_MS, self._flush_logs)  # first: whatever happens below
        sending = bool(self._log_batches)
        self._queue_log_batches()
        if not sending:
            self._send_log_batches()

    def _on_page_hide(self, _event):
        """The tab closes or navigates away (it is hidden by now): a held report and every log line it holds
        go at once."""
        self._release_held()
        self.frames.deliver_waiting_logs()
        self._queue_log_batches()
        self._send_log_batches()

    def _queue_log_batches(self):
        if self._dropped:
            summary = ", ".join(f"{count}× {reason}" for reason, count in self._dropped.items())
            self._dropped = {}
            for region in self.conduits:
                self._log(region, "WARN", f"dropped messages: {summary}")
        for region, entries in self._pending_logs.items():
            for start in range(0, len(entries), LOG_SEND_SIZE):
                self._log_batches.append((region, entries[start:start + LOG_SEND_SIZE]))
        self._pending_logs = {}

    def _send_log_batches(self):
        """The waiting cs:log-batch messages in order, one per task, so that a flood of log lines never holds a
        visible page (and a switch) for long. A hidden tab sends them all at once: the browser may run its timers
        only once a minute, and the batches would pile up."""
        while self._log_batches:
            region, entries = self._log_batches.pop(0)
            self._send("cs:log-batch", region=region, entries=entries)
            if self._log_batches and not window.document.hidden:
                clock.call_later(0, self._send_log_batches)
                return

    def _status(self):
        shown = self.rules.shown
        health = self.conduits[shown].health
        if self.rules.pending_target is not None:
            self.panel.set_status(f"{shown} — failover to {self.rules.pending_target} pending: finish the call",
                                  "warn", "pending")
        elif health == failover.READY:
            self.panel.set_status(f"{shown} — connected", "ok", "ready")
        elif health == failover.SIGNED_OUT:
            self.panel.set_status(f"{shown} — sign-in needed", "bad", "signed-out")
        elif health == failover.NOT_ANSWERING:
            self.panel.set_status(f"{shown} — CCP not answering", "bad", "not-answering")
        else:
            self.panel.set_status(f"{shown} — loading…", "warn", "loading")
