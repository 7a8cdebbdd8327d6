"""When the browser starts, or the extension is installed or updated: pages may have loaded before the
extension's content script was registered for them (restored tabs, tabs open before an install or update)."""
from . import webext


def on_start(handler):
    """handler() at each of these (registered at start-up, so that the browser starts the background for them)."""
    webext.api.runtime.onStartup.addListener(lambda *_: handler())
    webext.api.runtime.onInstalled.addListener(lambda *_: handler())
