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


def after_next_paint(callback, fallback_ms=100):
    """Runs callback() once, in a task after this window's next frame is rendered, or after fallback_ms if no
    frame comes first (a hidden tab renders none). Two animation frames: a frame that lays out a resized iframe
    reaches the iframe's document in the frame after it."""
    state = {"done": False, "timer": None}
    scope = webext.global_scope

    def run(*_):
        if not state["done"]:
            state["done"] = True
            cancel(state["timer"])
            callback()
    state["timer"] = call_later(fallback_ms, run)
    scope.requestAnimationFrame(lambda *_: scope.requestAnimationFrame(lambda *_: call_later(0, run)))
