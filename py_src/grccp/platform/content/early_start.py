"""The Python side of the content script's early start (boot/early_start.js: it asked the background for the
configuration at document_start and, on a page the background or its record allowlisted, made the CCP frames load
while the Brython runtime did). Its answer is taken as the welcome, and the record's until it comes (tab_host);
its panel is adopted only if it holds exactly the frames the panel wants (core.tab_config.early_frames_fit) in the
panel's container, and removed otherwise: a stale or different configuration never keeps its frames."""
from grccp.core import tab_config
from grccp.platform.shared import webext

_early = webext.global_scope.grccpEarlyStart


def on_welcome(callback):
    """callback(reply, error) with the background's answer to the early cs:hello (plain data, or None and the
    error's text), once it has come."""
    _early.welcome(lambda reply, error: callback(webext.to_py(reply), webext.to_py(error)))


def on_record_welcome(callback):
    """callback(welcome) with the welcome the background's record made the early panel from (plain data, a
    bg:welcome's to be checked as the answer is), once it has (at once if it has), unless the background answers
    first."""
    _early.recordWelcome(lambda welcome: callback(webext.to_py(welcome)))


def adopt(container, regions):
    """The early panel's parts (boot/panel_dom.js's build), now the caller's, if the panel is in `container` with
    one frame per region of `regions` ([(key, ccp url, ccp origin)], in order) and nothing else; None otherwise,
    and the early panel, if any, is gone."""
    early = webext.optional(_early.offer(container), "early")
    if early is not None and tab_config.early_frames_fit(webext.to_py(early.regions), regions):
        _early.adopt()
        return early.parts
    _early.discard()
    return None


def discard():
    """The early panel, if any is left, leaves the page (no panel is wanted, or another one is)."""
    _early.discard()
