"""The agent's notifications (core.notices) when the configuration turns them on (outage.notifications) and the
browser granted the permission; none while the popup is open (it holds a port named POPUP_PORT). What was
seen is kept in session storage: a background restart tells nothing twice."""
from grccp.core.notices import Notices
from grccp.core.runtime_messages import POPUP_PORT
from grccp.core.shapes import is_str, list_of
from grccp.platform.shared import notifications, runtime_channel, storage

STORAGE_KEY = "noticesSeen"


class Notifier:
    def __init__(self):
        self._notices = None  # until restore()
        self._popups_open = 0

    def listen(self):
        runtime_channel.count_connections(POPUP_PORT, self._count_popups)

    def _count_popups(self, count):
        self._popups_open = count

    def restore(self, stored):
        """The memory in session storage (a list of event keys), or None: the first status is then taken as
        seen."""
        self._notices = Notices(stored if list_of(is_str)(stored) else None)

    def update(self, status, enabled):
        """After every change of the status model: the events that are news, shown if `enabled`."""
        if self._notices is None:
            return
        before = self._notices.seen
        fresh = self._notices.step(status, self._popups_open > 0)
        if self._notices.seen != before:
            storage.set_items("session", {STORAGE_KEY: sorted(self._notices.seen)})
        for key, title, message in fresh if enabled else ():
            notifications.show(key, title, message)
