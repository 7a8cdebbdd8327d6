"""The page window's message events, filtered: a message is delivered only if its source is the expected CCP
frame's window and its origin is that region's CCP origin. Everything else — the page's own scripts, other
iframes, a CCP frame navigated elsewhere — is dropped before any conversion, and counted.

The comparison of windows happens in boot/frame_bridge.js, because a cross-origin window must never reach
Python (Brython would read properties of it that the browser forbids). The bridge also says when the frames a
switch changed are rendered (after_render), without running Python in those frames."""
from grccp.platform.shared import webext

_bridge = webext.global_scope.grccpFrameBridge
AFTER_RENDER_FALLBACK_MS = 100


def after_render(callback):
    """callback() once the next two frames are rendered (or after AFTER_RENDER_FALLBACK_MS in a tab that renders
    nothing); see boot/frame_bridge.js."""
    _bridge.afterRender(callback, AFTER_RENDER_FALLBACK_MS)


def watch_panel(host, own_attribute_names, on_foreign_attribute, on_left, on_back):
    """Calls on_foreign_attribute() when the page set an attribute on the panel's host, on_left() while the host is
    out of the document, on_back() once it is back with new frame windows; see boot/frame_bridge.js."""
    _bridge.watchPanel(host, webext.to_js(list(own_attribute_names)), on_foreign_attribute, on_left, on_back)


def relay_to_page(hear, not_heard):
    """hear(region, data as the bridge has it) for every message of the routed frames whose event is not one of
    `not_heard`, until the session stops (the page API's relay, platform/content/page_api)."""
    _bridge.relayToPage(hear, webext.to_js(list(not_heard)))


# `log` messages are queued as they come and handed over later, unread, as JSON text for the background to check:
# in tasks of their own, `waitMs` after the first line queued, each task at most about `sliceMs` long (the next one
# waits behind every message that came meanwhile), in blocks of up to `size` lines (fewer than a log batch's:
# core.log_shipping.SEND_SIZE), so that a CCP's protocol messages never wait behind log work (boot/frame_bridge.js).
LOG_BATCH = {"size": 200, "waitMs": 50, "sliceMs": 8}


class FrameMessages:
    def __init__(self, on_message, on_logs, on_drop, handled_events):
        """Delivers messages whose event is one of `handled_events` (or that have no event name: malformed) as they
        come; `log` messages among them later, in blocks, each region's unread (in their order; the other messages
        do not wait for them)."""
        self._on_message = on_message  # (region, plain data)
        self._on_logs = on_logs        # (region, JSON text of the array of the `log` messages' data, their count)
        self._on_drop = on_drop        # (reason)
        self.dropped = 0
        _bridge.listen(self._deliver, self._deliver_logs, self._drop, webext.to_js(list(handled_events)),
                       webext.to_js(LOG_BATCH))

    def open(self):
        """The session is ready for the CCPs' messages: those its frames sent before are delivered now (the frames
        of the content script's early start load while the runtime does), then each as it comes."""
        _bridge.open()

    def route(self, region, frame, origin):
        """Messages from `frame`'s window with `origin` belong to `region`; call again after replacing the frame."""
        _bridge.route(region, frame, origin)

    def post(self, region, message):
        """Posts to the region's frame, addressed to its origin: a frame that navigated elsewhere gets nothing."""
        _bridge.post(region, webext.to_js(message))

    def stop(self):
        """The session ends: nothing more is delivered to it, and no frame is routed."""
        _bridge.stop()

    def deliver_waiting_logs(self):
        """Hands over every queued `log` message, now."""
        _bridge.deliverLogs()

    def after_queued_messages(self, callback):
        """callback() once a message posted now through the page's message queue is back: after every message event
        queued before it (the CCP frames' among them); see boot/frame_bridge.js."""
        _bridge.afterQueuedMessages(callback)

    def newest_relayed_line(self):
        """(when it arrived, how old it was then by its own `time`), both ms, of the last `log` message any CCP
        relayed, or None (core.ccp_conduit: the CCPs' relaying behind)."""
        newest = _bridge.newestLine()
        return None if newest is None else (int(newest[0]), int(newest[1]))

    def regions_with_waiting_logs(self):
        """The regions whose CCP relayed `log` messages that are queued, not handed over yet."""
        return [str(region) for region in _bridge.regionsWithQueuedLogs()]

    def _deliver(self, region, data):
        self._on_message(str(region), webext.to_py(data))

    def _deliver_logs(self, region, text, count):
        self._on_logs(str(region), str(text), int(count))

    def _drop(self, reason):
        self.dropped += 1
        self._on_drop(str(reason))
