"""The content script's life on a page (content_script.py starts it). It asks the background for the
configuration (cs:hello), runs a TabSession while the page is allowlisted, passes the background's messages to
it, and has it say goodbye when the page is left (closed, navigated away or put in the back-forward cache) and
hello again when the page comes back from that cache, so that the background's registry of tabs holds no page
that is gone."""
from browser import window

from grccp.core.config import ConfigError, page_is_allowlisted, parse_config
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_message, parse_reply
from grccp.platform.shared import runtime_channel

from .tab_session import TabSession


def _warn(what, problem):
    window.console.warn(f"Global Resiliency CCP: {what}", str(problem))


class TabHost:
    def __init__(self):
        self.session = None  # the TabSession running the panel, or None

    def start(self):
        runtime_channel.listen(self._on_message)
        window.addEventListener("pagehide", self._on_page_hide)
        window.addEventListener("pageshow", self._on_page_show)
        runtime_channel.send(make_message("cs:hello", url=str(window.location.href)), self._on_welcome)

    def _on_welcome(self, reply, error):
        try:
            welcome = parse_reply(reply, error, "bg:welcome")
            if not welcome["allowed"] or welcome["config"] is None:
                return
            config = parse_config(welcome["config"])
        except (MessageError, ConfigError) as problem:
            _warn("refused the background's answer:", problem)
            return
        if not page_is_allowlisted(str(window.location.href), config):
            return  # the registered pattern cannot carry a port (Firefox): the port is checked here
        session = TabSession()
        if session.begin(config, welcome["activeRegion"], welcome["epoch"]):
            self.session = session

    def _on_message(self, message, sender, respond):
        try:
            kind, fields = parse_message(message)
        except MessageError as problem:
            _warn("dropped a runtime message:", problem)
            return False
        if self.session is not None:
            self.session.on_background(kind, fields)
        return False

    def _on_page_hide(self, _event):
        if self.session is not None:
            self.session.leave()

    def _on_page_show(self, event):
        if event.persisted and self.session is not None:  # back from the back-forward cache
            self.session.rejoin()
