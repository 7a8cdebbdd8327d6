"""The content script registered at run time for the configured pages (never in the manifest), so that it is
injected on exactly the allowlisted pages and nowhere else. It is two registrations with the same patterns: the
page guard and the early start at document_start (boot/page_guard.js: its message listener must come before any
page script's; boot/early_start.js), and the rest at document_end: as soon as the document is parsed, so that
Python is ready about when the CCP frames the early start made have loaded (at document_idle, Firefox would wait
for their load event, and Chromium might).

The registrations are changed in place (updateContentScripts), and left alone when they already match: never
unregistered first, so a page that loads while the configuration changes, or while the background starts after
a browser restart (the registrations persist), is injected under the old patterns or the new ones, never under
none. Changes are made one at a time, the latest wanted patterns last."""
from grccp.platform.shared import scripting, webext

# The files of each part in order, by when they run: written by the build from its entry table into the
# background's boot file.
FILES = webext.to_py(webext.global_scope.grccpContentScriptFiles)
# Every file in order, for a page that is already open (open_tabs injects them): its scripts ran before the page
# guard there, so until it loads again they may have listened to the CCPs' messages first (README, "Security").
CONTENT_FILES = FILES["document_start"] + FILES["document_end"]
PARTS = (("grccp-page-guard", "document_start"), ("grccp-ccp-host", "document_end"))  # (id, runAt)

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
            return
        if not patterns:
            if current:
                scripting.unregister(list(current), finished)
            else:
                finished(None)
            return
        wanted = [{"id": script_id, "matches": patterns, "js": FILES[run_at], "runAt": run_at} for script_id, run_at
                  in PARTS]
        missing = [dict(script, allFrames=False, persistAcrossSessions=True) for script in wanted
                   if script["id"] not in current]
        changed = [script for script in wanted if script["id"] in current and _differs(current[script["id"]], script)]

        def then_update(error=None):
            if error or not changed:
                finished(error)
            else:
                scripting.update(changed, finished)
        if missing:
            scripting.register(missing, then_update)
        else:
            then_update()
    scripting.registered([script_id for script_id, _ in PARTS], got)


def _differs(current, wanted):
    return (sorted(current.get("matches") or []) != sorted(wanted["matches"]) or current.get("js") != wanted["js"]
            or current.get("runAt") != wanted["runAt"])
