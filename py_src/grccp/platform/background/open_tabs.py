"""The tabs that run the panel, as the background knows them (GlobalState.tabs), and the background's word to
them: the active region (bg:region-changed) and a new configuration in force (bg:config; a page already open when
it became allowlisted is given the content script first). A tab leaves the registry when it closes (also when its
closing is what woke the background: the event waits until the state is loaded), when its page is left (the
content script says goodbye), when a message to it finds no page, and when the background starts and finds it
gone (a browser need not wake a stopped background for a closed tab)."""
from grccp.core.config import page_is_allowlisted
from grccp.core.runtime_messages import make_message
from grccp.platform.shared import runtime_channel, scripting, windows

from .content_scripts import CONTENT_FILES

PROBE_FILE = "boot/content_probe.js"  # says whether the content script already runs in a page


class OpenTabs:
    def __init__(self, engine, on_changed):
        """engine: the BackgroundEngine (its state, configuration and message router); on_changed() after the
        registry changed."""
        self._engine = engine
        self._on_changed = on_changed

    def listen(self):
        """Registered at start-up, so that the browser wakes the background for a closed tab."""
        windows.on_tab_removed(lambda tab_id: self._engine.messages.when_ready(lambda: self.forget(tab_id)))

    def ids(self):
        state = self._engine.state
        return [] if state is None else [int(key) for key in state.tabs]

    def forget(self, tab_id):
        state = self._engine.state
        if state is not None and state.on_tab_closed(tab_id):
            self._on_changed()

    def check_still_open(self):
        """At start-up: a tab that closed while the background was stopped leaves the registry."""
        for tab_id in self.ids():
            windows.tab_exists(tab_id, self._forget_unless(tab_id))

    def _forget_unless(self, tab_id):
        return lambda is_open: None if is_open else self.forget(tab_id)

    def tell_region(self, tab_id):
        """bg:region-changed (core.global_state.GlobalState.region_news)."""
        message = make_message("bg:region-changed", **self._engine.state.region_news)
        runtime_channel.send_to_tab(tab_id, message, self._forget_if_gone(tab_id))

    def tell_region_to_all(self):
        for tab_id in self.ids():
            self.tell_region(tab_id)

    def tell_showing(self, region, message):
        """`message` to every tab that shows `region` (bg:switch-now: the tabs whose CCPs are to end a failover)."""
        for key, tab in list(self._engine.state.tabs.items()):
            if tab["shown"] == region:
                runtime_channel.send_to_tab(int(key), message, self._forget_if_gone(int(key)))

    def _forget_if_gone(self, tab_id):
        def replied(reply, error):
            if error:  # the tab is gone (or never had our script)
                self.forget(tab_id)
        return replied

    def tell_config(self):
        """The configuration in force changed: every tab that runs the panel, and every open page it allowlists,
        gets bg:config (with the configuration only if its page, as the browser knows its URL, is allowlisted)."""
        registered = set(self.ids())

        def got(tabs):
            config = self._engine.config
            for tab_id, url in tabs:
                allowlisted = config is not None and bool(url) and page_is_allowlisted(url, config)
                if tab_id in registered or allowlisted:
                    self._send_config(tab_id, url, allowlisted)
        windows.open_tabs(got)

    def _send_config(self, tab_id, url, allowlisted):
        def replied(reply, error):
            if error and allowlisted:  # no content script listens in this page: give it one, unless it is starting
                scripting.inject(tab_id, [PROBE_FILE], probed)

        def probed(running, failed):
            if failed:
                injected(None, failed)
            elif not running:  # it starts with the configuration in force (its cs:hello)
                scripting.inject(tab_id, CONTENT_FILES, injected)

        def injected(_result, failed):
            if failed:
                print(f"could not give tab {tab_id} the content script: {failed}")
        message = make_message("bg:config", **self._engine.tab_configuration(url))
        runtime_channel.send_to_tab(tab_id, message, replied)
