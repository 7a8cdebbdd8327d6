"""A new session of the extension: the browser started, or the extension was installed, updated, reloaded or
enabled again. Pages may then be open that no content script of this session runs in (restored tabs, pages
open before an install or an update; the earlier session's script is an orphan or stopped). The browser empties
session storage at each of these and at no other time, so a mark there tells a new session from a background
that only woke up (an extension enabled again gets no install or start event)."""
from . import storage, webext

SESSION_MARK = "sessionStarted"


def on_new_session(handler):
    """handler() once per session of the extension, when its background starts. The browser's start and install
    events are listened to, so that the browser starts the background for them."""
    webext.listen(webext.api.runtime.onStartup, lambda *_: None)
    webext.listen(webext.api.runtime.onInstalled, lambda *_: None)

    def got(items, error):
        if error or not items.get(SESSION_MARK):
            storage.set_items("session", {SESSION_MARK: True})
            handler()
    storage.get("session", [SESSION_MARK], got)
