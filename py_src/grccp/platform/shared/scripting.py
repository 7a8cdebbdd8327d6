"""Content scripts registered at run time (chrome.scripting), as plain data: a script is {id, matches, js, runAt,
allFrames, persistAcrossSessions, world, matchOriginAsFallback}; and a content script injected into an open tab
(or Streams into one frame's main world: the page API's regional realms). Every callback gets the
lastError message or None."""
from . import webext


def registered(script_ids, on_found):
    """on_found(the registered scripts among `script_ids` as plain data, by id; error)."""
    def got(existing=None, *_):
        error = webext.last_error()
        scripts = [] if error else (webext.to_py(existing) or [])
        on_found({script["id"]: script for script in scripts}, error)
    webext.api.scripting.getRegisteredContentScripts(webext.to_js({"ids": list(script_ids)}), got)


def _done(on_done):
    return lambda *_: on_done(webext.last_error())


def register(scripts, on_done):
    webext.api.scripting.registerContentScripts(webext.to_js(list(scripts)), _done(on_done))


def update(scripts, on_done):
    """Changes the registered scripts' members given (each by its id)."""
    webext.api.scripting.updateContentScripts(webext.to_js(list(scripts)), _done(on_done))


def unregister(script_ids, on_done):
    webext.api.scripting.unregisterContentScripts(webext.to_js({"ids": list(script_ids)}), _done(on_done))


def inject(tab_id, files, on_done):
    """Runs `files` in the tab's page now (in the content scripts' world); on_done(the value of the last file's
    last statement, or None; error)."""
    def done(results=None, *_):
        error = webext.last_error()
        found = None if error else (webext.to_py(results) or [{}])
        on_done(None if error else found[0].get("result"), error)
    webext.api.scripting.executeScript(webext.to_js({"target": {"tabId": tab_id}, "files": files}), done)


def inject_main(tab_id, frame_id, files, on_done):
    """Runs `files` in the main world of one frame of the tab now; on_done(error or None)."""
    webext.api.scripting.executeScript(webext.to_js({"target": {"tabId": tab_id, "frameIds": [frame_id]},
                                                     "world": "MAIN", "files": files}), _done(on_done))
