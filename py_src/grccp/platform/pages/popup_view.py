"""The popup: the background's status model (popup:get-status -> bg:status, core.status) drawn into the fixed
structure of popup.html (texts and data attributes only, core.status_view says what), refreshed every
REFRESH_MS and at once when the background's stored state changes; one-click log download; the options page.

Element ids (for people and tests): #app[data-view=loading|status|setup|error], #summary[data-tone],
#region-0 / #region-1 [data-role=active|standby][data-health=ready|loading|not_answering|signed_out|none]
[data-signed-in=yes|no|unknown][data-announcement=ok|waiting|missing|mismatch|none] with .region-key .role
.health .signed-in .agent .announcement and .sign-in-action (shown, in place of .signed-in, while the region
waits for a sign-in: it opens the one sign-in window for it), #problems li (configuration problems the CCPs
revealed), #failover[data-phase=none|detected|pending|initiated] with #failover-headline #failover-detail and
Switch now (pages.switch_now), #timeline li[data-filled], #view-setup
#setup-headline #setup-errors #open-options-setup, #download-logs, #download-status[data-state=idle|working|
done|error], #warning (title: every warning), #open-options, #managed-note. The region cards are made from
popup.html's #region-card template."""
from grccp.core import status_view
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_reply
from grccp.core.shapes import REGION_COUNT
from grccp.platform.shared import clock, runtime_channel, storage, webext

from . import dom, log_download, policy_read
from .switch_now import SwitchNow

REFRESH_MS = 1000


def _clock_time(ms):
    return str(webext.global_scope.Date.new(ms).toLocaleTimeString())


# A region card's elements: (selector, view key of the text, of the title or None, of the tone or None).
_CARD_FIELDS = ((".region-key", "key", "key", None), (".role", "role", None, "roleTone"),
                (".health", "health", "healthSince", "healthTone"),
                (".signed-in", "signedIn", "signedIn", "signedInTone"), (".agent", "agent", "agent", None),
                (".announcement", "announcement", "announcement", "announcementTone"))


class PopupView:
    def __init__(self):
        self.app = dom.by_id("app")
        self.summary = dom.by_id("summary")
        self.views = {name: dom.by_id(f"view-{name}") for name in ("status", "setup", "error")}
        self.regions = [self._region_card(index) for index in range(REGION_COUNT)]
        self.failover = dom.by_id("failover")
        self.switch_now = SwitchNow(self.failover)
        self.timeline = self.failover.ownerDocument.querySelectorAll("#timeline li")
        self.download_button = dom.by_id("download-logs")
        self.download_status = dom.by_id("download-status")
        self._refresh_handle = None
        self._asking = False
        self._downloading = False
        self._configured = False

    @staticmethod
    def _region_card(index):
        """Card #region-<index> from the template, with its heading #region-<index>-key naming it."""
        card = dom.by_id("region-card").content.firstElementChild.cloneNode(True)
        card.id = f"region-{index}"
        key = card.querySelector(".region-key")
        key.id = f"region-{index}-key"
        card.setAttribute("aria-labelledby", key.id)
        dom.on(card.querySelector(".sign-in-action"), "click", lambda event: runtime_channel.send(
            make_message("popup:sign-in", region=str(card.getAttribute("data-region")))))
        dom.by_id("regions").appendChild(card)
        return card

    def start(self):
        dom.on(self.download_button, "click", lambda event: self.download())
        self.switch_now.start()
        for ident in ("open-options", "open-options-setup"):
            dom.on(dom.by_id(ident), "click", lambda event: webext.open_options_page())
        storage.on_changed(lambda area, changes: self.refresh())
        policy_read.read_policy(lambda policy: None)  # so that the background gets the policy (policy_read)
        self.refresh()

    # status ----------------------------------------------------------------------------------------------
    def refresh(self):
        if self._asking:
            return
        self._asking = True
        clock.cancel(self._refresh_handle)
        self._refresh_handle = None
        runtime_channel.send(make_message("popup:get-status"), self._got_status)

    def _got_status(self, reply, error):
        self._asking = False
        self._refresh_handle = clock.call_later(REFRESH_MS, self.refresh)
        try:
            fields = parse_reply(reply, error, "bg:status")
        except MessageError as problem:
            self._show_error(f"No status: {problem}.")
            return
        self.render(fields["status"])

    def _view(self, name):
        dom.set_attr(self.app, "data-view", name)
        for view_name, view in self.views.items():
            dom.set_hidden(view, view_name != name)

    def _show_error(self, text):
        self._view("error")
        dom.set_text(dom.by_id("error-text"), text)
        dom.set_text(self.summary, "No answer")
        dom.set_attr(self.summary, "data-tone", "trouble")

    def render(self, status):
        text, tone = status_view.summary(status)
        dom.set_text(self.summary, text)
        dom.set_attr(self.summary, "data-tone", tone)
        managed = status["managedFields"]
        dom.set_text(dom.by_id("managed-note"), "Some settings are managed by your organisation." if managed
                     else "\u00a0")
        warning, whole = status_view.warning_line(status)
        dom.set_text(dom.by_id("warning"), warning or "\u00a0")
        dom.set_attr(dom.by_id("warning"), "title", whole or None)
        self._configured = status["configured"]
        self.download_button.disabled = self._downloading or not self._configured
        if not status["configured"]:
            self._view("setup")
            headline, lines = status_view.setup_lines(status)
            dom.set_text(dom.by_id("setup-headline"), headline)
            errors = dom.by_id("setup-errors")
            if [item.textContent for item in errors.children] != lines:
                dom.clear(errors)
                for line in lines:
                    errors.appendChild(dom.el("li", text=line))
            return
        self._view("status")
        for card, region in zip(self.regions, status["regions"]):
            self._render_region(card, status_view.region_card(region, status["openTabs"]))
        self._render_problems(status_view.problem_lines(status))
        headline, detail, phase = status_view.failover_lines(status["failover"], _clock_time)
        dom.set_attr(self.failover, "data-phase", phase)
        dom.set_text(dom.by_id("failover-headline"), headline)
        dom.set_text(dom.by_id("failover-detail"), detail)
        self.switch_now.render(status)
        rows = status_view.timeline_rows(status["timeline"])
        for index, row in enumerate(rows):
            item = self.timeline[index]
            when, line, latency = item.children[0], item.children[1], item.children[2]
            route, kept = line.children[0], line.children[1]
            dom.set_attr(item, "data-filled", "yes" if row else "no")
            kept_short, kept_words, kept_tone = (row and row["agentState"]) or ("", "", "idle")
            dom.set_text(kept, kept_short)
            dom.set_attr(kept, "data-tone", kept_tone)
            dom.set_attr(kept, "title", kept_words or None)
            if row is None:
                dom.set_text(when, "")
                dom.set_text(route, "None yet" if index == 0 else "")
                dom.set_text(latency, "")
            else:
                dom.set_text(when, _clock_time(row["completeMs"]))
                dom.set_attr(when, "datetime", str(webext.global_scope.Date.new(row["completeMs"]).toISOString()))
                dom.set_text(route, row["route"])
                dom.set_text(latency, row["latency"])

    @staticmethod
    def _render_problems(lines):
        box = dom.by_id("problems")
        if [item.textContent for item in box.children] != lines:
            dom.clear(box)
            for line in lines:
                box.appendChild(dom.el("li", text=line, attrs={"title": line}))

    @staticmethod
    def _render_region(card, view):
        dom.set_attr(card, "data-region", view["key"])
        action = card.querySelector(".sign-in-action")
        dom.set_text(action, view["signInAction"])
        dom.set_attr(action, "title", view["signInAction"] or None)
        dom.set_hidden(action, not view["signInAction"])
        dom.set_hidden(card.querySelector(".signed-in"), bool(view["signInAction"]))
        dom.set_attr(card, "data-role", "active" if view["role"] == "Active" else "standby")
        dom.set_attr(card, "data-health", view["healthState"])
        dom.set_attr(card, "data-signed-in", view["signedInState"])
        dom.set_attr(card, "data-announcement", view["announcementState"])
        for selector, text, title, tone in _CARD_FIELDS:
            element = card.querySelector(selector)
            dom.set_text(element, view[text])
            if title is not None:
                dom.set_attr(element, "title", view[title] or None)
            if tone is not None:
                dom.set_attr(element, "data-tone", view[tone])

    # downloads -------------------------------------------------------------------------------------------
    def download(self):
        if self._downloading or not self._configured:
            return
        self._downloading = True
        log_download.download_with_status(self.download_button, self.download_status, self._downloaded)

    def _downloaded(self):
        self._downloading = False
        self.download_button.disabled = not self._configured
