"""The content script registered at run time for the configured pages (never in the manifest), so that it is
injected on exactly the allowlisted pages and nowhere else.

The registration is changed in place (updateContentScripts), and left alone when it already matches: never
unregistered first, so a page that loads while the configuration changes, or while the background starts after
a browser restart (the registration persists), is injected under the old patterns or the new ones, never under
none. Changes are made one at a time, the latest wanted patterns last."""
from grccp.platform.shared import scripting, webext

SCRIPT_ID = "grccp-ccp-host"
# The content script's files in order: written by the build from its entry table into the background's boot file.
CONTENT_FILES = webext.to_py(webext.global_scope.grccpContentScriptFiles)

_queue = {"busy": False, "wanted": None, "waiting": []}


def register(match_patterns, on_done):
    """Makes the registration inject on match_patterns (port-free patterns: Firefox ignores ports); an empty list
    unregisters. on_done(error or None) once done (or superseded by a later call's change)."""
    _queue["wanted"] = list(match_patterns)
    _queue["waiting"].append(on_done)
    if not _queue["busy"]:
        _next()


def _next():
    wanted, waiting = _queue["wanted"], _queue["waiting"]
    _queue["wanted"], _queue["waiting"], _queue["busy"] = None, [], True

    def finished(error):
        for on_done in waiting:
            on_done(error)
        _queue["busy"] = False
        if _queue["waiting"]:
            _next()
    _apply(wanted, finished)


def _apply(patterns, finished):
    def got(current, error):
        if error:
            finished(error)
        elif not patterns:
            if current is None:
                finished(None)
            else:
                scripting.unregister(SCRIPT_ID, finished)
        elif current is None:
            scripting.register({"id": SCRIPT_ID, "matches": patterns, "js": CONTENT_FILES, "runAt": "document_idle",
                                "allFrames": False, "persistAcrossSessions": True}, finished)
        elif sorted(current.get("matches") or []) == sorted(patterns) and current.get("js") == CONTENT_FILES:
            finished(None)
        else:
            scripting.update({"id": SCRIPT_ID, "matches": patterns, "js": CONTENT_FILES}, finished)
    scripting.registered(SCRIPT_ID, got)
