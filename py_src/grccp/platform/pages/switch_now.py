"""The popup's failover button (core.status_view.failover_action): Switch now while a failover is pending (and the
protocol can end it), or, where the configuration offers it and no failover is in flight, the administrator's
"Fail over to <region>" (core.manual_failover). Clicking it asks first, naming the contact that will be cut off
(type and id); confirming asks the background (popup:switch-now for the pending failover's target region, or
popup:manual-failover for the stand-by region), and its answer is shown. Protocol-neutral: the background and the
protocol's host rules decide what switching means.

Element ids: #switch-now[data-offered=yes|no][data-kind=switch-now|manual-failover] (its text the action's),
#failover[data-confirming=yes|no], #switch-now-confirm, #switch-now-question, #switch-now-yes (the action's text),
#switch-now-no, #switch-now-status."""
from grccp.core import status_view
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_reply
from grccp.platform.shared import runtime_channel

from . import dom

# each action's request, its reply's type and the reply's (done, why) fields
REQUESTS = {"switch-now": ("popup:switch-now", "bg:switch-now-result", "ok", "error"),
            "manual-failover": ("popup:manual-failover", "bg:manual-failover-result", "switched", "message")}


class SwitchNow:
    def __init__(self, section):
        self.section = section  # #failover
        self.button = dom.by_id("switch-now")
        self.yes = dom.by_id("switch-now-yes")
        self.status = dom.by_id("switch-now-status")
        self._action = None      # the action offered, as the status model last said
        self._confirming = None  # the action the question is about

    def start(self):
        dom.on(self.button, "click", lambda event: self._ask())
        dom.on(self.yes, "click", lambda event: self._confirmed())
        dom.on(dom.by_id("switch-now-no"), "click", lambda event: self._close("", focus=True))

    def render(self, status):
        """The status model: the button while an action is offered; the question closes itself when the action it
        asks about is no longer offered (the failover is over, or another one)."""
        action = status_view.failover_action(status)
        self._action = action
        dom.set_attr(self.button, "data-offered", "yes" if action else "no")
        dom.set_attr(self.button, "data-kind", action["kind"] if action else None)
        if action:
            dom.set_text(self.button, action["label"])
        self.button.disabled = not action
        asked = self._confirming
        if asked is not None and (action is None or (action["kind"], action["target"]) !=
                                  (asked["kind"], asked["target"])):
            self._close("")

    def _ask(self):
        if self._action is None:
            return
        self._confirming = self._action
        dom.set_text(dom.by_id("switch-now-question"), self._action["question"])
        dom.set_text(self.yes, self._action["label"])
        dom.set_attr(self.section, "data-confirming", "yes")
        dom.by_id("switch-now-no").focus()  # the safe answer first

    def _close(self, text, focus=False):
        self._confirming = None
        dom.set_attr(self.section, "data-confirming", "no")
        dom.set_text(self.status, text)
        if focus and self._action is not None:
            self.button.focus()

    def _confirmed(self):
        asked = self._confirming
        if asked is None:
            return
        self._close(f"Asking the CCPs to switch to {asked['target']} now…")
        request = REQUESTS[asked["kind"]][0]
        runtime_channel.send(make_message(request, region=asked["target"]),
                             lambda reply, error: self._answered(asked, reply, error))

    def _answered(self, asked, reply, error):
        _, reply_type, done_field, why_field = REQUESTS[asked["kind"]]
        try:
            result = parse_reply(reply, error, reply_type)
            text = status_view.action_result(asked, result[done_field], result[why_field])
        except MessageError as problem:
            text = status_view.action_result(asked, False, str(problem))
        dom.set_text(self.status, text)
