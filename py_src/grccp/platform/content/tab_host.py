"""The content script's life on a page (content_script.py starts it). It starts with the configuration the
background gave the content script's early start (boot/early_start.js asked with cs:hello at document_start, and
may have made the CCP frames load already: early_start) or, while that answer has not come (the background asleep
or busy), with the background's record the early panel was made from (core.early_start_record), then follows the
answer; it asks again once its CCPs have started (a change in between reached no listener), runs a TabSession
while the page is allowlisted, and follows every configuration the background gives it later (bg:config, and its
active region as bg:region-changed's; what to do: core.tab_config): it starts the panel, keeps it, rebuilds it in
place with new CCP frames or takes it off the page, with no page reload; while a contact is in progress, it
waits until the contact is gone, the panel saying so. It passes the background's other messages to the session,
which says goodbye when the page is left (closed, navigated away or put in the back-forward cache) and hello
again when the page comes back from that cache, so that the background's registry of tabs holds no page that is
gone. When the extension is updated or reloaded, the panel gives way to the new instance's (core.tab_config):
each instance checks every HANDOVER_CHECK_MS that its extension is still there, and the new one that the earlier
panel is gone."""
from browser import document, window

from grccp.core import tab_config
from grccp.core.config import ConfigError, parse_config
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_message, parse_reply
from grccp.core.shapes import same_data
from grccp.platform.shared import clock, runtime_channel, webext

from . import early_start
from .ccp_panel import CONTACT_ATTRIBUTE, HOST_ID, SUCCESSOR_ATTRIBUTE
from .tab_session import TabSession

HANDOVER_CHECK_MS = 1000


def _warn(what, problem):
    window.console.warn(f"Global Resiliency CCP: {what}", str(problem))


class TabHost:
    def __init__(self):
        self.session = None  # the TabSession running the panel, or None
        self._waiting = None  # the configuration (bg:config's fields) that waits for the contacts to end
        self._deferred = None  # the configuration to start with once an earlier instance's panel gave way
        self._orphaned = False  # the extension that started this script went away (updated or reloaded)
        self._welcomed = False  # a welcome was followed
        self._parsed = (None, None)  # (a configuration as the background gave it, its Config): given again, reused

    def start(self):
        runtime_channel.listen(self._on_message)
        window.addEventListener("pagehide", self._on_page_hide)
        window.addEventListener("pageshow", self._on_page_show)
        early_start.on_welcome(self._on_early_welcome)
        early_start.on_record_welcome(self._on_record_welcome)
        clock.call_later(HANDOVER_CHECK_MS, self._check_handover)

    def _on_record_welcome(self, welcome):
        """The background has not answered, and the early panel was made from its record: the record stands in
        (checked as an answer is); the answer is still followed when it comes."""
        if self._welcomed:
            return
        try:
            given = parse_reply(welcome, None, "bg:welcome")
        except MessageError as problem:
            _warn("refused the background's record:", problem)
            return
        self._follow(given)
        self._welcomed = False

    def _on_early_welcome(self, reply, error):
        """The answer to the early start's cs:hello, then the background is asked again: it may have said more
        since, when nothing listened (a fresher answer, or a bg:config, that came first wins). A panel started
        asks with its bookkeeping, once its CCPs have started."""
        if not self._welcomed:
            self._on_welcome(reply, error)

        def ask_again():
            runtime_channel.send(make_message("cs:hello", url=str(window.location.href)), self._on_welcome)
        if self.session is None:
            ask_again()
        else:
            self.session.with_bookkeeping(ask_again)

    def _check_handover(self):
        if not runtime_channel.extension_present():
            _warn("the extension was updated or reloaded:", "this panel gives way to the new one")
            self._orphaned = True
            self._give_way()
            return  # an orphan waits for nothing more but its contact's end (_agent_changed)
        if self._deferred is not None:
            self._follow(self._deferred)
        clock.call_later(HANDOVER_CHECK_MS, self._check_handover)

    def _give_way(self):
        """The orphan's panel leaves the page now, or says why it stays until the contact ends."""
        session = self.session
        if session is None:
            return
        if tab_config.on_a_contact(session.agent_summaries.values()):
            session.notice = tab_config.ORPHAN_NOTICE
            session.show_status()
            return
        session.logs.stop()  # nothing will take its lines, nor a goodbye
        session.stop(goodbye=False)
        self.session = None

    def _on_welcome(self, reply, error):
        try:
            welcome = parse_reply(reply, error, "bg:welcome")
        except MessageError as problem:
            _warn("refused the background's answer:", problem)
        else:
            self._follow(welcome)
        early_start.discard()  # an early panel not adopted by now is not wanted

    def _on_message(self, message, sender, respond):
        try:
            kind, fields = parse_message(message)
        except MessageError as problem:
            _warn("dropped a runtime message:", problem)
            return False
        if kind == "bg:config":
            self._follow(fields)
            early_start.discard()
        elif self.session is not None:
            return self.session.on_background(kind, fields, respond)
        return False

    def _follow(self, given):
        """A configuration from the background (bg:welcome, bg:config): the page's URL is checked here too, port
        included (the registered patterns cannot carry one)."""
        self._welcomed = True
        config = None
        if given["allowed"] and given["config"] is not None:
            config = self._config_of(given["config"])
        session = self.session
        in_call = session is not None and tab_config.on_a_contact(session.agent_summaries.values())
        step = tab_config.follow(session and session.config, config, str(window.location.href), in_call)
        self._waiting = given if step == tab_config.WAIT else None
        if step in (tab_config.WAIT, tab_config.KEEP):
            session.notice = tab_config.WAIT_NOTICE if step == tab_config.WAIT else None
            if step == tab_config.KEEP:
                session.config = config  # differs, if at all, only where the panel needs no new frames
                session.on_background("bg:region-changed", {"region": given["activeRegion"], "epoch": given["epoch"],
                                                            "failover": given["failover"], "forced": False}, None)
            session.show_status()
        if step in (tab_config.REBUILD, tab_config.REMOVE):
            session.stop(goodbye=step == tab_config.REMOVE)  # a rebuilt tab stays registered
            self.session = None
        if step == tab_config.START:
            self._deferred = None if _earlier_panel_gone() else given
            if self._deferred is not None:
                return
            # benchmark: where the content script started (boot/content_pre.js), marked only now that the page is
            # known to be allowlisted (the script runs on every port of an allowlisted host)
            window.performance.mark("grccp-content-start", webext.to_js(
                {"startTime": webext.global_scope.grccpContentStart}))
        if step in (tab_config.START, tab_config.REBUILD):
            started = TabSession(self._agent_changed)
            if started.begin(config, given["activeRegion"], given["epoch"], given["failover"]):
                self.session = started

    def _config_of(self, given):
        """The Config of a configuration the background gave, or None if it is refused. The same one comes twice at
        every start (the early start's welcome, then the answer to asking again) and is parsed once: comparing
        the plain data costs a fraction of checking it again (tens of ms under Brython)."""
        if self._parsed[0] is not None and same_data(given, self._parsed[0]):
            return self._parsed[1]
        try:
            config = parse_config(given)
        except ConfigError as problem:
            _warn("refused the background's configuration:", problem)
            return None
        self._parsed = (given, config)
        return config

    def _agent_changed(self):
        if self.session is not None:
            self.session.panel.mark_contact(tab_config.on_a_contact(self.session.agent_summaries.values()))
        if self._orphaned:
            self._give_way()
        elif self._waiting is not None:
            self._follow(self._waiting)

    def _on_page_hide(self, _event):
        if self.session is not None:
            self.session.leave()

    def _on_page_show(self, event):
        if event.persisted and self.session is not None:  # back from the back-forward cache
            self.session.rejoin()


def _earlier_panel_gone():
    """Whether no panel of an earlier instance of the extension is on the page; one whose last word is not a
    contact in progress is removed here (a stopped instance cannot remove it itself)."""
    earlier = document.getElementById(HOST_ID)
    if earlier is None:
        return True
    if tab_config.predecessor_gives_way(earlier.getAttribute(CONTACT_ATTRIBUTE)):
        earlier.remove()
        return True
    if earlier.getAttribute(SUCCESSOR_ATTRIBUTE) is None:
        _warn("a panel an earlier instance of the extension left has a contact in progress:", "waiting for it")
        earlier.setAttribute(SUCCESSOR_ATTRIBUTE, "waiting")
    return False
