"""The background: the single source of truth. It loads the configuration (local, with the enterprise policy
over it), registers the content script for the allowlisted pages, keeps the GlobalState (persisted in session
storage, so a service-worker restart or an event-page unload loses nothing), tells lagging tabs which region is
active, owns the single sign-in window, the badge, and the per-region logs.

Messages are validated (runtime_messages.parse_message) before anything acts on them; those that arrive while
the stored state is still being read wait for it, so none is lost to a restart."""
from grccp.core import protocols, status
from grccp.core.config import content_script_matches, page_is_allowlisted
from grccp.core.effective_config import effective_config
from grccp.core.errors import MessageError, StateError
from grccp.core.global_state import STUCK_PENDING_GRACE_MS, GlobalState
from grccp.core.health import READY
from grccp.core.runtime_messages import make_message, parse_message

from . import clock, content_scripts, runtime_channel, storage, webext
from .log_store import LogStore

STATE_KEY = "state"
LOGIN_WINDOW_KEY = "loginWindow"
MANAGED_WAIT_MS = 300
OPENING = -1  # login_window_id while windows.create has not answered yet


class BackgroundEngine:
    def __init__(self):
        self._stored_local = None  # the local configuration as storage holds it
        self._policy = None        # the enterprise policy (storage.managed), or None
        self._settings = effective_config(None, None, allow_empty=True)
        self.state = None
        self.logs = None
        self.login_window_id = None
        self._ready = False
        self._waiting = []       # (message, sender, respond) received before the state was loaded
        self._handlers = {}
        for kind, handler in (("cs:hello", self._on_hello), ("cs:region-state", self._on_region_state),
                              ("cs:ccp-health", self._on_health), ("cs:agent-update", self._on_agent_update),
                              ("cs:failover-detected", self._on_detected),
                              ("cs:failover-pending", self._on_pending),
                              ("cs:switch-complete", self._on_switch_complete),
                              ("cs:log-batch", self._on_log_batch), ("cs:need-login", self._on_need_login),
                              ("popup:get-status", self._on_get_status)):
            self.handle(kind, handler)

    def handle(self, kind, handler):
        """handler(fields, sender, respond) -> True if it responds later. One per message type."""
        self._handlers[kind] = handler

    # start-up: listeners first (synchronously, so the browser can wake us for them), then the stored state
    def start(self):
        runtime_channel.listen(self._on_message)
        storage.on_changed(self._on_storage_changed)
        webext.api.tabs.onRemoved.addListener(lambda tab_id, *_: self._on_tab_removed(int(tab_id)))
        webext.api.windows.onRemoved.addListener(lambda window_id, *_: self._on_window_removed(int(window_id)))
        self._load()

    def _load(self):
        """Managed storage can take seconds to answer (Chromium loads policies late): start with what is known
        after MANAGED_WAIT_MS and apply the policy whenever it arrives."""
        started = [False]

        def proceed():
            if not started[0]:
                started[0] = True
                storage.get("local", ["config"], got_local)

        def got_managed(managed, error):
            managed = None if error else (managed or None)
            if started[0]:
                if managed != self._policy:
                    self._config_changed(managed)
                return
            self._policy = managed
            proceed()

        def got_local(items, error):
            self._stored_local = items.get("config")
            self._apply_config()
            storage.get("session", [STATE_KEY, LOGIN_WINDOW_KEY], got_session)

        def got_session(items, error):
            self.login_window_id = items.get(LOGIN_WINDOW_KEY)
            self._restore_state(items.get(STATE_KEY))
            self.logs = LogStore(self.config)
            self.logs.load(self._become_ready)

        storage.get_all("managed", got_managed)
        clock.call_later(MANAGED_WAIT_MS, proceed)

    def _become_ready(self):
        self._ready = True
        self._update_badge()
        waiting, self._waiting = self._waiting, []
        for message, sender, respond in waiting:
            self._dispatch(message, sender, respond)

    @property
    def config(self):
        """The configuration in force (config.Config), or None."""
        return self._settings.config

    def configuration(self):
        """Every configuration question's answer (core.effective_config.ConfigState): what is stored, the policy,
        what is in force, and why a stored configuration is refused."""
        return self._settings

    def _apply_config(self):
        """Local + managed configuration in force; registers the content script for it (or for nothing)."""
        self._settings = effective_config(self._stored_local, self._policy, allow_empty=True)
        if self._settings.errors:
            print("configuration refused:", "; ".join(str(error) for error in self._settings.errors))
        matches = content_script_matches(self.config) if self.config else []

        def registered(error):
            if error:
                print("content script registration failed:", error)
        content_scripts.register(matches, registered)

    def _restore_state(self, stored):
        if self.config is None:
            self.state = None
            return
        if stored is not None:
            try:
                self.state = GlobalState.from_dict(stored, self.config.region_keys)
                return
            except StateError as problem:
                print("starting with a fresh state:", str(problem))
        self.state = GlobalState(self.config.region_keys, epoch=clock.now_ms())

    def _on_storage_changed(self, area, changes):
        if area == "local" and "config" in changes:
            self._stored_local = changes["config"]
            self._config_changed(self._policy)
        elif area == "managed":
            storage.get_all("managed", lambda managed, error: self._config_changed(managed))

    def _config_changed(self, managed):
        self._policy = managed or None
        previous = self.config.region_keys if self.config else None
        self._apply_config()
        if self.config is None or self.config.region_keys != previous:
            self._restore_state(None)
            self._persist()
        if self.logs is not None:
            self.logs.configure(self.config)
        self._update_badge()

    # messages -----------------------------------------------------------------------------------------
    def _on_message(self, message, sender, respond):
        if not self._ready:
            self._waiting.append((message, sender, respond))
            return True
        return self._dispatch(message, sender, respond)

    def _dispatch(self, message, sender, respond):
        try:
            kind, fields = parse_message(message)
        except MessageError as problem:
            print("dropped a runtime message:", str(problem))
            respond(make_message("bg:error", error=str(problem)))
            return False
        handler = self._handlers.get(kind)
        if handler is None:
            respond(make_message("bg:error", error=f"{kind} is not for the background"))
            return False
        return bool(handler(fields, sender, respond))

    def _configured(self, sender, respond):
        """Content-script messages mean nothing without a configuration (or from outside a tab)."""
        if self.config is None or self.state is None or sender["tab_id"] is None:
            respond(make_message("bg:error", error="not configured"))
            return False
        return True

    def _on_hello(self, fields, sender, respond):
        # the sender's URL is the browser's word; the message's own `url` is only the page's claim
        allowed = bool(self.config and sender["tab_id"] is not None and sender["url"]
                       and page_is_allowlisted(sender["url"], self.config))
        respond(make_message("bg:welcome", allowed=allowed, config=self.config.to_dict() if allowed else None,
                             activeRegion=self.state.active if allowed else None,
                             epoch=self.state.epoch if allowed else 0))
        return False

    def _on_region_state(self, fields, sender, respond):
        if self._configured(sender, respond):
            if self.state.on_tab_region(sender["tab_id"], fields["region"]):
                self._tell_tab(sender["tab_id"])
            self._changed()
        return False

    def _on_health(self, fields, sender, respond):
        if self._configured(sender, respond):
            if self.state.on_ccp_health(sender["tab_id"], fields["region"], fields["health"], clock.now_ms(),
                                        fields.get("detail")):
                self._log(fields["region"], "INFO" if fields["health"] == READY else "WARN",
                          f"tab {sender['tab_id']}: CCP {fields['health']}"
                          + (f" ({fields['detail']})" if fields.get("detail") else ""))
                if fields["health"] == READY:
                    self._signed_in()
                self._changed()
        return False

    def _on_agent_update(self, fields, sender, respond):
        if self._configured(sender, respond):
            if self.state.on_agent_update(fields["region"], fields["agent"], clock.now_ms()):
                self._changed()
                if (protocols.rules_class(self.config).COMPLETES_STUCK_FAILOVER
                        and self.state.stuck_check_due(fields["region"])):
                    clock.call_later(STUCK_PENDING_GRACE_MS, self._complete_stuck_failover)
        return False

    def _complete_stuck_failover(self):
        """A pending failover whose contact is gone and that no tab completed (core.global_state): every tab
        follows the background with the manual-failover messages."""
        target = self.state.complete_stuck_failover(clock.now_ms())
        if target is not None:
            self._log(target, "WARN", f"failover to {target}: the contact ended but no CCP completed the switch "
                                      f"within {STUCK_PENDING_GRACE_MS} ms; completed by the extension")
            for tab_id in self._tab_ids():
                self._tell_tab(tab_id)
            self._changed()

    def _on_detected(self, fields, sender, respond):
        if self._configured(sender, respond):
            if self.state.on_failover_detected(fields["region"], fields["soft"], clock.now_ms(), fields["epoch"]):
                self._log(self.state.active, "INFO", f"failover to {fields['region']} detected")
                self._changed()
        return False

    def _on_pending(self, fields, sender, respond):
        if self._configured(sender, respond):
            if self.state.on_failover_pending(fields["region"], fields["contactId"], clock.now_ms(),
                                              fields["epoch"], fields["contactType"]):
                self._log(self.state.active, "INFO", f"failover to {fields['region']} pending on "
                                                     f"{fields['contactType']} contact {fields['contactId']}")
                self._changed()
        return False

    def _on_switch_complete(self, fields, sender, respond):
        if self._configured(sender, respond):
            region = fields["region"]
            if self.state.on_switch_complete(region, clock.now_ms(), fields["epoch"]):
                self._log(region, "INFO", f"failover from {fields['fromRegion']} to {region} complete "
                                          f"(tab {sender['tab_id']})")
                self.state.on_tab_region(sender["tab_id"], region)
                # every tab, the sender included: it learns the new epoch for its next report
                for tab_id in self._tab_ids():
                    self._tell_tab(tab_id)
            elif self.state.on_tab_region(sender["tab_id"], region):
                self._tell_tab(sender["tab_id"])  # a stale switch: the tab follows the latest one
            self._changed()
        return False

    def _on_log_batch(self, fields, sender, respond):
        if self._configured(sender, respond) and self.logs is not None:
            self.logs.add(fields["region"], fields["entries"])
        return False

    def _on_get_status(self, fields, sender, respond):
        respond(make_message("bg:status", status=self.status()))
        return False

    def status(self):
        if self.config is None or self.state is None:
            return status.not_configured_status(self._settings.errors, self._settings.managed_fields)
        return status.build_status(self.config, self.state, clock.now_ms(), protocols.rules_class(self.config),
                                   self._settings.managed_fields)

    # tabs ------------------------------------------------------------------------------------------------
    def _tab_ids(self):
        return [int(key) for key in self.state.tabs]

    def _tell_tab(self, tab_id):
        message = make_message("bg:region-changed", region=self.state.active, epoch=self.state.epoch)

        def replied(reply, error):
            if error:  # the tab is gone (or never had our script)
                if self.state.on_tab_closed(tab_id):
                    self._changed()
        runtime_channel.send_to_tab(tab_id, message, replied)

    def _on_tab_removed(self, tab_id):
        if self._ready and self.state is not None and self.state.on_tab_closed(tab_id):
            self._changed()

    # sign-in: one window for every tab and region ---------------------------------------------------
    def _on_need_login(self, fields, sender, respond):
        if not self._configured(sender, respond):
            return False
        self._log(fields["region"], "INFO", f"tab {sender['tab_id']}: sign-in needed")
        if not self.config.login_popup:
            return False
        if self.login_window_id == OPENING:
            return False  # another request is opening it right now
        if self.login_window_id is not None:
            webext.api.windows.update(self.login_window_id, webext.to_js({"focused": True}),
                                      lambda *_: self._login_window_checked())
            return False
        self._open_login_window()
        return False

    def _login_window_checked(self):
        if webext.last_error():  # the remembered window is gone: open a new one
            self.login_window_id = None
            self._open_login_window()

    def _open_login_window(self):
        self.login_window_id = OPENING

        def opened(created=None, *_):
            error = webext.last_error()
            self.login_window_id = None if error or created is None else int(created.id)
            storage.set_items("session", {LOGIN_WINDOW_KEY: self.login_window_id})
        webext.api.windows.create(webext.to_js({"url": self.config.login_url, "type": "popup",
                                                "width": 480, "height": 640}), opened)

    def _signed_in(self):
        if self.login_window_id not in (None, OPENING) and self.config.login_popup_auto_close:
            webext.api.windows.remove(self.login_window_id, lambda *_: webext.last_error())
            self._forget_login_window()

    def _on_window_removed(self, window_id):
        if window_id == self.login_window_id:
            self._forget_login_window()

    def _forget_login_window(self):
        self.login_window_id = None
        storage.set_items("session", {LOGIN_WINDOW_KEY: None})

    # state, badge, logs ----------------------------------------------------------------------------------
    def _changed(self):
        self._persist()
        self._update_badge()

    def _persist(self):
        storage.set_items("session", {STATE_KEY: None if self.state is None else self.state.to_dict()})

    def _update_badge(self):
        shown = self.status()["badge"]
        action = webext.api.action
        action.setBadgeText(webext.to_js({"text": shown["text"]}))
        action.setBadgeBackgroundColor(webext.to_js({"color": shown["color"]}))

    def _log(self, region, level, text):
        if self.logs is not None:
            self.logs.log(region, level, text)
