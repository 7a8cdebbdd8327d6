"""The extension's panel on an allowlisted page: a host element whose closed shadow root holds a status line and
one CCP iframe per region. Only the active region's frame is visible; the stand-by frame stays loaded and laid
out at full size, out of view (clipped to nothing in Chromium, moved out of the frames' clipped box in Firefox)
and inert (boot/panel_dom.js says why), so its timers and softphone keep running and a switch lays no CCP document
out again. Every text
is set with textContent: nothing from the configuration or a CCP is ever parsed as HTML.

The page's CSS and scripts must not hide it by accident or on purpose: the host's look is set by `:host` rules
with !important inside the shadow root (all: initial, then its place and size). For important declarations the
inner context wins over everything of the page, its !important rules, layered or not, and its !important inline
style on the host included; the host carries no `part`, so ::part reaches nothing. Attributes the page sets on the
host (hidden, inert, ...) are removed (keep_own_attributes). What the page can still do is stated in the README's
security section: an ancestor's look in selector placement, covering the panel, removing it (noticed:
tab_session re-mounts it).

The elements and their stylesheet are made by boot/panel_dom.js, for the content script's early start too: an early
panel whose frames fit is adopted (early_start)."""
from browser import document, window

from grccp.core import health, tab_config
from grccp.platform.shared import webext

from . import early_start

_dom = webext.global_scope.grccpPanelDom
HOST_ID = str(_dom.HOST_ID)
# The status line per health of the shown region: (text after the region, level, state)
_STATUS = {health.READY: ("connected", "ok", "ready"), health.SIGNED_OUT: ("sign-in needed", "bad", "signed-out"),
           health.NOT_ANSWERING: ("CCP not answering", "bad", "not-answering"),
           health.LOADING: ("loading…", "warn", "loading"),
           health.REFUSED_FRAMING: ("the browser refuses to show the CCP on this site", "bad", "refused-framing")}
# The host's attributes, the panel's own (the page and the tests read them; the extension reads only
# CONTACT_ATTRIBUTE, of a panel an earlier instance of the extension left, and marks that panel with
# SUCCESSOR_ATTRIBUTE while it waits for it to give way: tab_host)
CONTACT_ATTRIBUTE = "data-grccp-contact"
SUCCESSOR_ATTRIBUTE = "data-grccp-successor"
OWN_ATTRIBUTES = ("id", "data-grccp-state", "data-grccp-active", "data-grccp-notice",
                  "data-grccp-status", "data-grccp-log-refusals", CONTACT_ATTRIBUTE, SUCCESSOR_ATTRIBUTE)


class CcpPanel:
    """Owns the host element and the frames; knows nothing of the protocol."""

    def __init__(self, placement, regions):
        self.placement = placement  # {mode, selector, width, height, side}
        self.regions = regions      # [(region key, ccp url, ccp origin)] in configuration order
        self.host = None
        self._own_attributes = {}   # the host's attributes as the panel set them
        self._frames = {}
        self._shown = None          # the key of the frame shown (show())
        self._order = {region[0]: index for index, region in enumerate(regions)}  # a frame's place in the box
        self._status = None
        self._status_said = None  # set_status's arguments last time
        self._frame_box = None

    def mount(self):
        """Puts the panel on the page; returns None, or a message saying why it could not (a selector that is
        invalid or matches nothing)."""
        container, problem = self._container()
        if problem:
            early_start.discard()
            return problem
        placement = webext.to_js(self.placement)
        parts = early_start.adopt(container, self.regions)
        if parts is None:
            parts = _dom.build(container, placement, webext.to_js([[key, url] for key, url, _ in self.regions]))
        else:
            parts.style.textContent = _dom.css(placement)  # as this configuration says (the early start's was)
        self.host, self._status, self._frame_box = parts.host, parts.status, parts.frameBox
        self._frames = {key: webext.optional(parts.frames, key) for key, _, _ in self.regions}
        self._set_own("id", HOST_ID)
        self._set_own("data-grccp-state", "starting")
        self.mark_contact(False)
        window.performance.mark("grccp-first-dom-change")
        return None

    def _container(self):
        """Docked: the document element (a page that re-renders its body leaves the panel alone)."""
        if self.placement.get("mode") != "selector":
            return document.documentElement, None
        selector = self.placement.get("selector", "")
        try:
            found = document.querySelector(selector)
        except Exception:
            return None, f"placement selector {selector!r} is not a valid CSS selector"
        if found is None:
            return None, f"placement selector {selector!r} matches nothing on this page"
        return found, None

    def unmount(self):
        """Takes the panel, and so its CCP frames, off the page."""
        if self.host is not None and self.host.parentNode is not None:
            self.host.parentNode.removeChild(self.host)

    def frame(self, key):
        return self._frames[key]

    def show(self, key):
        """Makes `key` the visible frame and the other stand-by (hidden, still loaded and laid out: boot/panel_dom.js)
        with one attribute change on their box (a switch is waited for), and marks each frame for what it is. The
        host's data-grccp-active follows with mark_shown()."""
        self._shown = key
        self._frame_box.setAttribute("data-shown", str(self._order[key]))
        for region, frame in self._frames.items():
            _dom.markStandby(frame, region != key)

    def mark_shown(self, key):
        """Says on the host element which region is shown (for the page and tests; not needed to show it)."""
        self._set_own("data-grccp-active", key)

    def put_back(self):
        """Puts the host back into its container after the page took it out; False while there is none (a
        selector that matches nothing yet). Its frames load again."""
        container, problem = self._container()
        if problem:
            return False
        container.appendChild(self.host)
        return True

    def _set_own(self, name, value):
        self._own_attributes[name] = value
        self.host.setAttribute(name, value)

    def keep_own_attributes(self):
        """Puts the host's attributes back as the panel set them, removing any the page added (hidden, inert,
        style, ...); returns the names of those that had to change."""
        changed = []
        for name in [str(attribute.name) for attribute in self.host.attributes]:
            if name not in self._own_attributes:
                self.host.removeAttribute(name)
                changed.append(name)
        for name, value in self._own_attributes.items():
            if self.host.getAttribute(name) != value:
                self.host.setAttribute(name, value)
                changed.append(name)
        return changed

    def mark_contact(self, in_progress):
        """Says on the host element whether one of its CCPs has a contact (core.tab_config.CONTACT_WORDS): the
        panel's last word on it, for an instance of the extension that finds it left on the page."""
        self._set_own(CONTACT_ATTRIBUTE, tab_config.contact_word(in_progress))

    def mark_log_refusals(self, count):
        """Says on the host element how many log batches the background did not take so far (each is kept and
        sent again): for the page and tests, as the lines themselves reach the log only once one is taken."""
        self._set_own("data-grccp-log-refusals", str(count))

    def refresh(self, key, url):
        """Replaces a region's frame with a fresh one (sign-in recovery); returns the new frame."""
        old = self._frames[key]
        fresh = _dom.frame(key, url)
        _dom.markStandby(fresh, key != self._shown)
        self._frame_box.replaceChild(fresh, old)
        self._frames[key] = fresh
        return fresh

    def show_state(self, shown, shown_health, detail, pending_target, signed_out_standby, notice=None):
        """The status line: the shown region and how its CCP is (naming why it is not ready: `detail`), or the
        failover pending to `pending_target`; and a stand-by region that needs a sign-in. The text is also the
        host's data-grccp-status (for the page and tests)."""
        if pending_target is not None:
            text, level, state = f"failover to {pending_target} pending: finish the contact", "warn", "pending"
        else:
            text, level, state = _STATUS[shown_health]
            if shown_health != health.READY and detail:
                text += f": {detail}"
        if signed_out_standby is not None:
            text += f" · stand-by {signed_out_standby}: sign-in needed"
        self.set_status(f"{shown} — {text}", level, state, notice)

    def set_status(self, text, level="ok", state=None, notice=None):
        """The status line; a notice follows it, and is also the host's data-grccp-notice (None: none). Written
        only when it changes (it is asked for after most messages, and DOM calls cost under Brython)."""
        if (text, level, state, notice) == self._status_said:
            return
        self._status_said = (text, level, state, notice)
        self._status.textContent = text if notice is None else f"{text} · {notice}"
        if notice is None:
            self._own_attributes.pop("data-grccp-notice", None)
            self.host.removeAttribute("data-grccp-notice")
        else:
            self._set_own("data-grccp-notice", notice)
        self._status.setAttribute("data-level", level)
        self._set_own("data-grccp-status", text)
        if state:
            self._set_own("data-grccp-state", state)
        window.performance.mark("grccp-status")
