"""Time and timers of the current context (window or worker)."""
from . import webext


def now_ms():
    return int(webext.global_scope.Date.now())


def call_later(delay_ms, callback):
    """Runs callback() after delay_ms; returns a handle for cancel()."""
    return webext.global_scope.setTimeout(callback, max(0, int(delay_ms)))


def cancel(handle):
    if handle is not None:
        webext.global_scope.clearTimeout(handle)
