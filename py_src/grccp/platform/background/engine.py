"""The background: the single source of truth. It follows the configuration (config_source), registers the
content script for the allowlisted pages, keeps the GlobalState (persisted in session storage, so a
service-worker restart or an event-page unload loses nothing), tells the open tabs which region is active and
which configuration is in force (open_tabs), and owns the single sign-in window (sign_in_window), the badge and
the per-region logs (log_store). The tabs' failover reports are failover_reports', the pages' requests
page_requests'; both are installed on the engine. The agent's state kept across a failover is
agent_state_keeping's (after every change of the state).

Messages are validated before anything acts on them, and those that arrive while the stored state is still being
read wait for it (message_router)."""
from grccp.core import protocols, status
from grccp.core.config import page_is_allowlisted
from grccp.core.errors import StateError
from grccp.core.global_state import GlobalState
from grccp.core.health import NOT_ANSWERING, READY
from grccp.core.runtime_messages import FROM_PAGE_FRAMES, make_message
from grccp.platform.shared import badge, browser_start, clock, storage, webext

from . import agent_state_keeping, content_scripts, early_start_record, log_intake, notifier, sign_in_window
from .config_source import ConfigSource
from .framing_watch import FramingWatch
from .log_store import LogStore
from .message_router import MessageRouter
from .open_tabs import OpenTabs
from .sign_in_window import SignInWindow

STATE_KEY = "state"


class BackgroundEngine:
    def __init__(self):
        self._config_source = ConfigSource(self._register_content_script, self._config_changed)
        self.state = None
        self.logs = None
        self.sign_in = SignInWindow()
        self.notifier = notifier.Notifier()
        self.framing = FramingWatch()
        self._active_seen = None  # the active region when the state last changed
        self.messages = MessageRouter(self._refusal)
        self._refused = set()      # (tab, kind) of the refusals logged
        self.tabs = OpenTabs(self, self.changed)
        for kind, handler in (("cs:hello", self._on_hello), ("cs:region-state", self._on_region_state),
                              ("cs:ccp-health", self._on_health), ("cs:log-batch", self._on_log_batch),
                              ("cs:relayed-logs", self._on_relayed_logs), ("cs:need-login", self._on_need_login),
                              ("cs:goodbye", self._on_goodbye), ("cs:panel-returned", self._on_panel_returned),
                              ("popup:get-status", self._on_get_status)):
            self.handle(kind, handler)

    def handle(self, kind, handler):
        """handler(fields, sender, respond) -> True if it responds later. One per message type."""
        self.messages.handle(kind, handler)

    # start-up: listeners first (synchronously, so the browser can wake us for them), then the stored state
    def start(self):
        self.messages.listen()
        self._config_source.listen()
        self.tabs.listen()
        # a page restored, or open before the registration or this session, is given the content script
        browser_start.on_new_session(lambda: self.messages.when_ready(self.tabs.tell_config))
        self.sign_in.listen()
        self._load()

    def _load(self):
        """The configuration, then the stored state and sign-in window, then the logs."""
        def got_config():
            storage.get("session", [STATE_KEY, sign_in_window.STORAGE_KEY, notifier.STORAGE_KEY], got_session)

        def got_session(items, error):
            self.sign_in.restore(items.get(sign_in_window.STORAGE_KEY))
            self.notifier.restore(items.get(notifier.STORAGE_KEY))
            self._restore_state(items.get(STATE_KEY))
            self.logs = LogStore(self.config)
            self.logs.load(self._become_ready)
        self._config_source.load(got_config)

    def _become_ready(self):
        self._show_state()
        self.tabs.check_still_open()
        self.messages.become_ready()

    @property
    def config(self):
        """The configuration in force (config.Config), or None."""
        return self._config_source.settings.config

    def configuration(self):
        """The core.effective_config.ConfigState: what is stored, the policy, what is in force, why it is refused."""
        return self._config_source.settings

    def _register_content_script(self):
        """For the allowlisted pages of the configuration in force (or for nothing)."""
        def registered(error):
            if error:
                print("content script registration failed:", error)
        content_scripts.register(self.config, registered)

    def _restore_state(self, stored):
        self.state = None
        if self.config is not None and stored is not None:
            try:
                self.state = GlobalState.from_dict(stored, self.config.region_keys)
            except StateError as problem:
                print("starting with a fresh state:", str(problem))
        if self.config is not None and self.state is None:
            self.state = GlobalState(self.config.region_keys, epoch=clock.now_ms())
        self._active_seen = self.state.active if self.state is not None else None

    def _config_changed(self, previous):
        """A new configuration (previous: the Config before it, or None): a fresh state for other regions, and
        every open tab follows it."""
        if self.config is None or previous is None or self.config.region_keys != previous.region_keys:
            self._restore_state(None)
            self._persist()
        if self.logs is not None:
            self.logs.configure(self.config)
        self._show_state()
        self.messages.when_ready(self.tabs.tell_config)  # with the state the tabs are to be told

    # messages from the content scripts ---------------------------------------------------------------------
    def _sender_problem(self, sender, kind):
        """Why a content script's sender is not heard, or None: its URL (the browser's word) is checked for every
        message, not only the first, as the allowlist can change while a tab stays open."""
        if self.config is None or self.state is None:
            return "not configured"
        if kind in FROM_PAGE_FRAMES and sender["frame_id"]:  # a frame of the tab's page: the tab's URL is checked
            sender = dict(sender, frame_id=0, url=sender["tab_url"])
        if sender["tab_id"] is None or sender["frame_id"] != 0:
            return "not from a tab's top frame"
        allowlisted = bool(sender["url"]) and page_is_allowlisted(sender["url"], self.config)
        return None if allowlisted else "not an allowlisted page"

    def _refusal(self, kind, sender):
        """message_router's check of every message: the problem with a content script's sender (logged once per
        tab and type), or None. A hello is answered anyway (allowed: false); a goodbye only removes the tab. The
        extension's own pages are its code, not a content script (the log tests seed the intake from one)."""
        own_page = (sender["url"] or "").startswith(webext.extension_url(""))
        problem = self._sender_problem(sender, kind) if kind.startswith("cs:") and not own_page else None
        if problem is not None and self.config is not None and (sender["tab_id"], kind) not in self._refused:
            self._refused.add((sender["tab_id"], kind))
            for region in self.config.region_keys:
                self.log(region, "WARN", f"refused {kind} from {sender['url']} (tab {sender['tab_id']}): {problem}")
        return None if kind in ("cs:hello", "cs:goodbye") else problem

    def _on_hello(self, fields, sender, respond):
        # the sender's URL is the browser's word; the message's own `url` is only the page's claim
        url = sender["url"] if sender["tab_id"] is not None else None
        respond(make_message("bg:welcome", **self.tab_configuration(url)))
        return False

    def tab_configuration(self, url):
        """What a tab at `url` (the browser's word, or None) runs with: bg:welcome's and bg:config's fields."""
        allowed = bool(self.config and self.state and url and page_is_allowlisted(url, self.config))
        return {"allowed": allowed, "config": self.config.to_dict() if allowed else None,
                "activeRegion": self.state.active if allowed else None, "epoch": self.state.epoch if allowed else 0,
                "failover": self.state.flight if allowed else None}

    def _on_goodbye(self, fields, sender, respond):
        if sender["tab_id"] is not None:
            self.tabs.forget(sender["tab_id"])
        return False

    def _on_region_state(self, fields, sender, respond):
        if self.state.on_tab_region(sender["tab_id"], fields["region"]):
            self.tabs.tell_region(sender["tab_id"])
        self.changed()
        return False

    def _on_health(self, fields, sender, respond):
        if fields["health"] == NOT_ANSWERING:
            self.framing.check(self.config, sender["tab_id"], sender["url"], fields["region"])
        if self.state.on_ccp_health(sender["tab_id"], fields["region"], fields["health"], clock.now_ms(),
                                    fields.get("detail")):
            self.log(fields["region"], "INFO" if fields["health"] == READY else "WARN",
                     f"tab {sender['tab_id']}: CCP {fields['health']}"
                     + (f" ({fields['detail']})" if fields.get("detail") else ""))
            if fields["health"] == READY and self.config.login_popup_auto_close:
                self.sign_in.close_for(fields["region"])
            self.changed()
        return False

    def _on_log_batch(self, fields, sender, respond):
        if self.logs is not None:
            log_intake.take_batch(self.logs, fields)
        return False

    def _on_relayed_logs(self, fields, sender, respond):
        if self.logs is not None:
            log_intake.take_relayed(self.logs, fields)
        return False

    def _on_panel_returned(self, fields, sender, respond):
        if self.state.on_panel_returned(sender["tab_id"], fields["returns"], fields["gaveUp"]):
            self.changed()
        return False

    def _on_get_status(self, fields, sender, respond):
        respond(make_message("bg:status", status=self.status()))
        return False

    def status(self):
        settings = self.configuration()
        if settings.config is None or self.state is None:
            return status.not_configured_status(settings.errors, settings.managed_fields)
        return status.build_status(settings.config, self.state, clock.now_ms(),
                                   protocols.rules_class(settings.config), settings.managed_fields)

    def traits(self):
        """The configured protocol's traits (core.host_rules.HostRules class attributes)."""
        return protocols.rules_class(self.config)

    def switch_now(self, target, forced_by="popup"):
        """The agent's Switch now for the pending failover to `target` (`forced_by`: the popup or the page API, as
        core.global_state.FORCED_BY): an error message, or None once the background completed it and told every
        tab, or asked the tabs showing the active region to end it (core.host_rules: COMPLETES_STUCK_FAILOVER)."""
        if self.config is None or self.state is None:
            return "not configured"
        if not self.traits().SWITCH_NOW:
            return f"{self.config.protocol} has no Switch now"
        completes = self.traits().COMPLETES_STUCK_FAILOVER
        source = self.state.active
        if not self.state.on_switch_now(target, clock.now_ms(), completes, forced_by):
            return f"no failover to {target} is pending (or it was already forced)"
        self.log(source, "WARN", f"Switch now ({forced_by}): the pending failover to {target} is ended now, cutting "
                                 f"off the contact it waits for")
        if completes:
            self.tabs.tell_region_to_all()
        else:
            self.tabs.tell_showing(source, make_message("bg:switch-now", region=target))
        self.changed()
        return None

    # sign-in: one window for every tab and region, driven by the active region ---------------------------
    def _on_need_login(self, fields, sender, respond):
        region, tab_id = fields["region"], sender["tab_id"]

        def needed():  # unless the browser refuses to show the CCP in that tab (then the tab says so)
            self.log(region, "INFO", f"tab {tab_id}: sign-in needed")
            if self.state.on_sign_in_needed(tab_id, region):
                self.changed()
            if self.config is not None and self.config.login_popup and self.state.sign_in_opens_window(region):
                self.sign_in.show(self.config.login_url, region)
        self.framing.check(self.config, tab_id, sender["url"], region, needed)
        return False

    def open_sign_in(self, region):
        """The agent asks for `region`'s sign-in (the popup's "Sign in to <region>"): the one window, for it."""
        if self.config is not None and region in self.config.region_keys:
            self.sign_in.show(self.config.login_url, region)
            return True
        return False

    # state, badge, logs ----------------------------------------------------------------------------------
    def changed(self):
        """After every change of the state: persisted, the badge, the notifications; a region that became active
        while it waits for a sign-in gets the sign-in window (a stand-by's need opens none)."""
        agent_state_keeping.step(self)  # before persisting: what it notes on the timeline is persisted with it
        self._persist()
        model = self.status()
        self._show_state(model)
        if self.config is not None:
            self.notifier.update(model, self.config.outage["notifications"])
        active = self.state.active if self.state is not None else None
        if active != self._active_seen:
            self._active_seen = active
            if self.config.login_popup and self.state.sign_in_opens_window(active):
                self.sign_in.show(self.config.login_url, active)

    def _persist(self):
        storage.set_items("session", {STATE_KEY: None if self.state is None else self.state.to_dict()})

    def _show_state(self, model=None):
        """The badge of the status model (the current one if none is given), and the early start's record."""
        shown = (model or self.status())["badge"]
        badge.show(shown["text"], shown["color"])
        early_start_record.publish(self.configuration(), self.state)

    def log(self, region, level, text):
        if self.logs is not None:
            self.logs.log(region, level, text)
