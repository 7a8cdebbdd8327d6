"""The content script registered at run time for the configured pages (never in the manifest), so that it is
injected on exactly the allowlisted pages and nowhere else. One registration, at document_start: the page guard
first (boot/page_guard.js: its message listener must come before any page script's), the early start
(boot/early_start.js), then Python's steps, which run each in a task of its own while the page loads, the entry
point once the document is parsed (boot/content_run.js), so that Python is ready about when the CCP frames the
early start made have loaded. Two more on the pages opted in to the page API (PAGE_API_PARTS), and for a protocol
whose page view has regional realms (legacy DR) a third (REGION_FRAME_PART).

The registrations are changed in place (updateContentScripts), and left alone when they already match: never
unregistered first, so a page that loads while the configuration changes, or while the background starts after
a browser restart (the registrations persist), is injected under the old patterns or the new ones, never under
none. Changes are made one at a time, the latest wanted patterns last."""
from grccp.core import protocols
from grccp.core.config import content_script_matches, page_api_matches, page_api_origin_matches
from grccp.platform.shared import scripting, webext

# The files of each part in order: written by the build from its entry table into the background's boot file.
FILES = webext.to_py(webext.global_scope.grccpContentScriptFiles)
# The content script's files in order; also injected into a page that is already open (open_tabs): its scripts ran
# before the page guard there, so until it loads again they may have listened to the CCPs' messages first (README,
# "Security").
CONTENT_FILES = FILES["content"]
CONTENT_SCRIPT_ID = "grccp-ccp-host"
# Earlier versions' registrations, unregistered where found: the page guard and early start were a part of their
# own (document_start) and the rest ran at document_end.
RETIRED_SCRIPT_IDS = ("grccp-page-guard",)
# The page API's, on the opted-in patterns only (README "Page API"): the port acceptor in the isolated world, then
# in the page's main world the protocol page view's MAIN_FILES (core.protocols.page_view_class); both at
# document_start, before any page script.
PAGE_API_PARTS = (("grccp-page-api-port", "page_api_port", "ISOLATED"), ("grccp-page-api-main", None,
                                                                         "MAIN"))  # (id, files, world)
# Regional realms (legacy DR): in every frame of the opted-in pages' origins (a blank frame has no URL of its own:
# matchOriginAsFallback needs origin-wide patterns), the script with which the facade's frames ask for Streams.
REGION_FRAME_PART = "grccp-page-api-region-frame"
SCRIPT_IDS = [CONTENT_SCRIPT_ID] + [script_id for script_id, _, _ in PAGE_API_PARTS] + [REGION_FRAME_PART] + list(
    RETIRED_SCRIPT_IDS)

_queue = {"busy": False, "wanted": None, "waiting": []}


def register(config, on_done):
    """Makes the registrations inject on the allowlisted pages of `config` (port-free patterns: Firefox ignores
    ports), the page API's on its opted-in pages; config None unregisters them all.
    on_done(error or None) once done (or superseded by a later call's change)."""
    matches = content_script_matches(config) if config else []
    page_api = config is not None and page_api_matches(config)
    _queue["wanted"] = _scripts(matches, _page_api_scripts(config) if page_api else [])
    _queue["waiting"].append(on_done)
    if not _queue["busy"]:
        _next()


def _scripts(patterns, page_api_scripts):
    """The registrations wanted, in order."""
    content = [{"id": CONTENT_SCRIPT_ID, "matches": patterns, "js": CONTENT_FILES, "runAt": "document_start",
                "allFrames": False}]
    return (content if patterns else []) + page_api_scripts


def _page_api_scripts(config):
    view = protocols.page_view_class(config)
    patterns = page_api_matches(config)
    scripts = [{"id": script_id, "matches": patterns, "js": FILES[files or view.MAIN_FILES],
                "runAt": "document_start", "world": world, "allFrames": False}
               for script_id, files, world in PAGE_API_PARTS]
    if view.REGIONAL_REALMS:
        scripts.append({"id": REGION_FRAME_PART, "matches": page_api_origin_matches(config),
                        "js": FILES["page_api_region_frame"], "runAt": "document_start", "world": "ISOLATED",
                        "allFrames": True, "matchOriginAsFallback": True})
    return scripts


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


def _apply(wanted, finished):
    def got(current, error):
        if error:
            finished(error)
            return
        wanted_ids = [script["id"] for script in wanted]
        stale = [script_id for script_id in current if script_id not in wanted_ids]
        missing = [dict(script, persistAcrossSessions=True) for script in wanted
                   if script["id"] not in current]
        changed = [script for script in wanted if script["id"] in current and _differs(current[script["id"]], script)]

        def then_update(error=None):
            if error or not changed:
                then_unregister(error)
            else:
                scripting.update(changed, then_unregister)

        def then_unregister(error=None):
            if error or not stale:
                finished(error)
            else:
                scripting.unregister(stale, finished)
        if missing:
            scripting.register(missing, then_update)
        else:
            then_update()
    scripting.registered(SCRIPT_IDS, got)


def _differs(current, wanted):
    return (sorted(current.get("matches") or []) != sorted(wanted["matches"]) or current.get("js") != wanted["js"]
            or current.get("runAt") != wanted["runAt"])
