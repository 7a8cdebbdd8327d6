"""The page window's message events, filtered: a message is delivered only if its source is the expected CCP
frame's window and its origin is that region's CCP origin. Everything else — the page's own scripts, other
iframes, a CCP frame navigated elsewhere — is dropped before any conversion, and counted.

The comparison of windows happens in boot/frame_bridge.js, because a cross-origin window must never reach
Python (Brython would read properties of it that the browser forbids). The bridge also says when the frames a
switch changed are rendered (after_render), without running Python in those frames."""
from . import webext

_bridge = webext.global_scope.grccpFrameBridge
AFTER_RENDER_FALLBACK_MS = 100


def after_render(callback):
    """callback() once the next two frames are rendered (or after AFTER_RENDER_FALLBACK_MS in a tab that renders
    nothing); see boot/frame_bridge.js."""
    _bridge.afterRender(callback, AFTER_RENDER_FALLBACK_MS)


class FrameMessages:
    def __init__(self, on_message, on_drop, handled_events):
        """Delivers messages whose event is one of `handled_events` (or that have no event name: malformed)."""
        self._on_message = on_message  # (region, plain data)
        self._on_drop = on_drop        # (reason)
        self.dropped = 0
        _bridge.listen(self._deliver, self._drop, webext.to_js(list(handled_events)))

    def route(self, region, frame, origin):
        """Messages from `frame`'s window with `origin` belong to `region`; call again after replacing the frame."""
        _bridge.route(region, frame, origin)

    def post(self, region, message):
        """Posts to the region's frame, addressed to its origin: a frame that navigated elsewhere gets nothing."""
        _bridge.post(region, webext.to_js(message))

    def _deliver(self, region, data):
        self._on_message(str(region), webext.to_py(data))

    def _drop(self, reason):
        self.dropped += 1
        self._on_drop(str(reason))
