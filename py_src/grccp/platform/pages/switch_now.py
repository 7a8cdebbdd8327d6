"""The popup's Switch now: while a failover is pending (and the protocol can end it: the status model's
failover.canSwitchNow), a button; clicking it asks first, naming the contact that will be cut off (type and id);
confirming asks the background to end the failover (popup:switch-now, for that failover's target region only),
which tells the tabs showing the active region. Protocol-neutral: the background and the protocol's host rules
decide what ending it means.

Element ids: #switch-now[data-offered=yes|no], #failover[data-confirming=yes|no], #switch-now-confirm,
#switch-now-question, #switch-now-yes, #switch-now-no, #switch-now-status."""
from grccp.core import status_view
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_reply
from grccp.platform.shared import runtime_channel

from . import dom


class SwitchNow:
    def __init__(self, section):
        self.section = section  # #failover
        self.button = dom.by_id("switch-now")
        self.status = dom.by_id("switch-now-status")
        self._failover = None   # the failover offered, as the status model last said
        self._confirming = None  # the failover the question is about

    def start(self):
        dom.on(self.button, "click", lambda event: self._ask())
        dom.on(dom.by_id("switch-now-yes"), "click", lambda event: self._confirmed())
        dom.on(dom.by_id("switch-now-no"), "click", lambda event: self._close("", focus=True))

    def render(self, failover):
        """The status model's failover (or None): the button while the failover can be ended; the question
        closes itself when the failover it asks about is over or another one."""
        offered = bool(failover and failover["canSwitchNow"])
        self._failover = failover if offered else None
        dom.set_attr(self.button, "data-offered", "yes" if offered else "no")
        self.button.disabled = not offered
        asked = self._confirming
        if asked is not None and (not offered or failover["target"] != asked["target"]):
            self._close("")

    def _ask(self):
        if self._failover is None:
            return
        self._confirming = self._failover
        dom.set_text(dom.by_id("switch-now-question"), status_view.switch_now_confirmation(self._failover))
        dom.set_attr(self.section, "data-confirming", "yes")
        dom.by_id("switch-now-no").focus()  # the safe answer first

    def _close(self, text, focus=False):
        self._confirming = None
        dom.set_attr(self.section, "data-confirming", "no")
        dom.set_text(self.status, text)
        if focus and self._failover is not None:
            self.button.focus()

    def _confirmed(self):
        asked = self._confirming
        if asked is None:
            return
        self._close(f"Asking the CCPs to switch to {asked['target']} now…")
        runtime_channel.send(make_message("popup:switch-now", region=asked["target"]),
                             lambda reply, error: self._answered(asked, reply, error))

    def _answered(self, asked, reply, error):
        try:
            result = parse_reply(reply, error, "bg:switch-now-result")
            text = (f"Switch now sent: the CCPs end the failover to {asked['target']}." if result["ok"] else
                    f"Not switched: {result['error']}.")
        except MessageError as problem:
            text = f"Not switched: {problem}."
        dom.set_text(self.status, text)
