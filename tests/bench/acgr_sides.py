"""The ACGR pair of the benchmark: the extension configured with `protocol: "acgr"` against the real connect-streams.js
in ACGR mode (connect.core.initCCP with secondaryCCPUrl, enableGlobalResiliency and loginUrl:
hosts/bench-reference-gr.html), on the same emulator and twin page as the legacy DR pair (bench.sides).

What differs from the legacy pair is only where the moments come from, the same for both sides: the emulated CCP
windows' reports of the ACGR messages they exchanged with their host (bench.acgr_moments) and of their size.

  init_ms    navigation start -> both regions' CCPs configured (handshake and global sign-in check done), both
             CCPs' init answered (configure_ccp_conduit) and the active CCP window shown, whichever is last
  switch_ms  a CCP posting globalResiliency::failover_initiated to its host -> the new region's CCP window shown;
             then the old one hidden and the new one told failover_complete (part "complete": ms from the start)
             before the next switch

"Shown" is what the CCP window says, as for every pair (bench.sides): its IntersectionObserver (emulated ccp.js, a
"shown"/"hidden" mark with the time the browser computed it) beside its size reports, whichever says it first:
Streams in ACGR hides the inactive CCP with display:none, which in Chromium leaves the window its size (no resize
when it is shown again) and in Firefox is not observed (bench.acgr_moments.shown_since)."""
from emulator.waiting import wait_until

from . import acgr_moments
from .extension_side import ExtensionSide
from .sides import EAST, REGIONS, Side

# What the reference page reports as going wrong: Streams' own ERROR lines and the page's uncaught errors.
_PAGE_ERRORS = "return streamsErrors().concat(recordedOf('page-error').map(function (r) { return r.detail; }))"
# When Streams made a region's CCP frame displayed again (wall clock): a MutationObserver on the container, whose
# callback runs at the end of the task that changed the frame's style (a microtask), as bench-reference.js does for
# the legacy reference. Installed once the frames exist.
_FOLLOW_SHOWN = """
window.benchShownAt = {};
var container = document.getElementById('ccp');
function regionOf(frame) {
  var origin = new URL(frame.src).origin;
  var found = window.EMULATOR.instances.filter(function (i) { return new URL(i.ccpUrl).origin === origin; })[0];
  return found ? found.region : null;
}
Array.prototype.forEach.call(container.querySelectorAll('iframe'), function (frame) {
  frame.benchShown = frame.style.display !== 'none';
});
new MutationObserver(function (records) {
  var at = performance.timeOrigin + performance.now();
  records.forEach(function (record) {
    var frame = record.target;
    if (frame.tagName !== 'IFRAME') return;
    var shown = frame.style.display !== 'none';
    if (shown && frame.benchShown === false) window.benchShownAt[regionOf(frame)] = at;
    frame.benchShown = shown;
  });
}).observe(container, {attributes: true, attributeFilter: ['style'], subtree: true});
"""


class AcgrMeasures:
    """Mixed in before a side's class: its init and switch timed from the CCP windows' ACGR reports."""
    pair = "acgr"

    def init_sample(self, timeout_s=60):
        moments = wait_until(lambda: acgr_moments.init_moments(self.client.acgr_events(), REGIONS), timeout_s,
                             message=f"{self.name} (ACGR): both CCPs configured and their init answered")
        visible_at = wait_until(lambda: self.visible_since(EAST), timeout_s, message=f"{self.name}: {EAST} visible")
        self.check_page()
        origin = self.driver.execute_script("return performance.timeOrigin")
        spoke = acgr_moments.host_spoke(self.client.acgr_events(), REGIONS)
        parts = {name: round(at - origin, 1) for name, at in dict(moments, **spoke).items()}
        parts["active_visible"] = round(visible_at - origin, 1)
        parts.update(self.page_parsed())
        page = self._init_moments()  # the side's own page marks, if it has any
        if page:
            parts.update(page["parts"])
        return {"init_ms": max(list(moments.values()) + [visible_at]) - origin, "parts": parts}

    def check_page(self):
        """Raises if the side's page reports an error (the extension's page runs no code of its own)."""

    def hidden(self, region):
        return super().hidden(region) or self.page_hides(region)

    def page_hides(self, region):
        """Whether the page itself says the region's CCP is hidden (where no CCP window can say it)."""
        return False

    def switch_started(self, old, after_ms):
        return acgr_moments.switch_started(self.client.acgr_events(), after_ms)

    def switch_completed(self, target, started, timeout_s):
        completed = wait_until(lambda: acgr_moments.switch_completed(self.client.acgr_events(), target, started),
                               timeout_s, message=f"{self.name}: the {target} CCP told failover_complete")
        return {"complete": round(completed - started, 1)}


class AcgrExtensionSide(AcgrMeasures, ExtensionSide):
    """The extension (the bench's instrumented copy) configured for ACGR, on the twin page."""


class AcgrReferenceSide(AcgrMeasures, Side):
    name = "reference"
    page = "bench-reference-gr.html"

    def __init__(self, emulator, work_dir, run_label, kind, timeouts):
        super().__init__(emulator, work_dir, run_label, kind)
        self.timeouts = timeouts

    def start(self):
        self.launch()
        self.open_page(**self.timeouts)
        return self

    def _init_moments(self):
        return None  # no page marks: the page is the conformance suite's integration

    def init_sample(self, timeout_s=60):
        found = super().init_sample(timeout_s)
        self.driver.execute_script(_FOLLOW_SHOWN)
        return found

    def check_page(self):
        errors = self.driver.execute_script(_PAGE_ERRORS)
        if errors:
            raise AssertionError(f"reference (ACGR) page errors: {errors}")

    def page_hides(self, region):
        """Firefox's CCP window hears nothing of being hidden with display:none: the page's own view of its frames
        (streams-gr-host.js: ccpFrames). Not timed: the switch's end is the new CCP shown."""
        frames = self.driver.execute_script("return ccpFrames()")
        return not any(frame["region"] == region and frame["visible"] for frame in frames)

    def _switch_parts(self, target, relayed, visible):
        handled = self.driver.execute_script("return window.benchShownAt[arguments[0]] || null", target)
        if handled is None or not relayed <= handled <= visible:
            return {}
        return {"handled": round(handled - relayed, 1), "rendered": round(visible - handled, 1)}
