"""Content scripts registered at run time (chrome.scripting), as plain data: a script is {id, matches, js, runAt,
allFrames, persistAcrossSessions}. Every callback gets the lastError message or None."""
from . import webext


def registered(script_id, on_found):
    """on_found(the registered script as plain data, or None; error)."""
    def got(existing=None, *_):
        error = webext.last_error()
        on_found(None if error else (webext.to_py(existing) or [None])[0], error)
    webext.api.scripting.getRegisteredContentScripts(webext.to_js({"ids": [script_id]}), got)


def _done(on_done):
    return lambda *_: on_done(webext.last_error())


def register(script, on_done):
    webext.api.scripting.registerContentScripts(webext.to_js([script]), _done(on_done))


def update(script, on_done):
    """Changes the registered script's members given in `script` (by its id)."""
    webext.api.scripting.updateContentScripts(webext.to_js([script]), _done(on_done))


def unregister(script_id, on_done):
    webext.api.scripting.unregisterContentScripts(webext.to_js({"ids": [script_id]}), _done(on_done))
