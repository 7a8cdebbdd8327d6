"""The options page's configuration check: the button, and after every save; the background fetches each CCP and
the sign-in page (options:check-config) and answers with findings that name the fix (core.config_check), shown
as text, problems first.

Element ids: #check-config (the button), #check-status[data-state=idle|checking|ok|problems|error],
#check-results (li[data-ok=true|false][data-check][data-region])."""
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_reply
from grccp.platform.shared import runtime_channel

from . import dom


class ConfigCheckView:
    def __init__(self):
        self.status = dom.by_id("check-status")
        self.results = dom.by_id("check-results")
        self.running = False

    def start(self):
        dom.on(dom.by_id("check-config"), "click", lambda event: self.run())

    def run(self, config=None):
        """Checks `config` (the local configuration just saved), or the configuration in force."""
        if self.running:
            return
        self.running = True
        self._set_status("checking", "Checking each region's CCP and the sign-in page…")
        fields = {} if config is None else {"config": config}
        runtime_channel.send(make_message("options:check-config", **fields), self._answered)

    def _answered(self, reply, error):
        self.running = False
        try:
            findings = parse_reply(reply, error, "bg:config-check")["findings"]
        except MessageError as problem:
            self._set_status("error", f"Could not check the configuration: {problem}")
            return
        problems = [finding for finding in findings if not finding["ok"]]
        dom.clear(self.results)
        for finding in problems + [finding for finding in findings if finding["ok"]]:
            self.results.appendChild(dom.el("li", text=finding["message"], attrs={
                "data-ok": "true" if finding["ok"] else "false", "data-check": finding["check"],
                "data-region": finding["region"]}))
        if problems:
            self._set_status("problems", f"{len(problems)} problem(s) found: agents will not get a working CCP "
                                         "until they are fixed.")
        else:
            self._set_status("ok", f"All {len(findings)} checks passed.")

    def _set_status(self, state, text):
        dom.set_attr(self.status, "data-state", state)
        dom.set_text(self.status, text)
