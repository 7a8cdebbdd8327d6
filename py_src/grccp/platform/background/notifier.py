"""The agent's notifications (core.notices) when the configuration turns them on (outage.notifications) and the
browser granted the permission; none while the popup page is open (as the action's popup or in a tab). What was
seen is kept in session storage: a background restart tells nothing twice."""
from grccp.core.notices import Notices
from grccp.core.shapes import is_str, list_of
from grccp.platform.shared import notifications, runtime_channel, storage

STORAGE_KEY = "noticesSeen"
POPUP_PAGE = "popup.html"


class Notifier:
    def __init__(self):
        self._notices = None  # until restore()

    def restore(self, stored):
        """The memory in session storage (a list of event keys), or None: the first status is then taken as
        seen."""
        self._notices = Notices(stored if list_of(is_str)(stored) else None)

    def update(self, status, enabled):
        """After every change of the status model: the events that are news, shown if `enabled`."""
        if self._notices is None:
            return
        if enabled:
            runtime_channel.page_open(POPUP_PAGE, lambda popup_open: self._step(status, popup_open))
        else:
            self._step(status, True)  # nothing is shown: what happens counts as seen, as with the popup open

    def _step(self, status, popup_open):
        before = self._notices.seen
        fresh = self._notices.step(status, popup_open)
        if self._notices.seen != before:
            storage.set_items("session", {STORAGE_KEY: sorted(self._notices.seen)})
        for key, title, message in fresh:
            notifications.show(key, title, message)
