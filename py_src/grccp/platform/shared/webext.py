"""The WebExtension API of whatever context runs this code (Chrome service worker, Firefox event page, content
script, extension page), and the conversions at its boundary. Everything crossing into Python is plain data
(dict, list, str, int, float, bool, None): the core never sees a JS object. `api` is used by the modules of
platform/shared only (storage, runtime_channel, windows, badge, scripting, permissions, downloads): every other
module calls those."""
import browser
import javascript

# ServiceWorkerGlobalScope in Chrome's background; a Window everywhere else.
global_scope = getattr(browser, "self", None) or browser.window
api = global_scope.chrome
_JSON = global_scope.JSON
_Reflect = global_scope.Reflect


def optional(js_object, name):
    """A property that may be absent or null (Brython's attribute access raises on those), or None."""
    value = _Reflect.get(js_object, name)
    return None if value is None or value is javascript.UNDEFINED or value is javascript.NULL else value


def to_py(value):
    """A JS value as plain Python data (Dates become ISO strings, functions and undefined are dropped)."""
    if value is None or value is javascript.UNDEFINED or value is javascript.NULL:
        return None
    text = _JSON.stringify(value)
    return None if text is None or text is javascript.UNDEFINED else javascript.JSON.parse(text)


def to_js(value):
    """Plain Python data as a JS value, for chrome.* calls and postMessage."""
    return _JSON.parse(javascript.JSON.stringify(value))


def listen(event, handler):
    """Adds handler(*the event's arguments) as a listener of a browser event (e.g. chrome.tabs.onRemoved); once per
    handler. The listener returns undefined: Firefox clones what a listener of an event its parent process fires
    returns (the install and start events, tabs, windows, downloads), and a Python function's None reaches JS as
    Brython's None object, which cannot be cloned (the browser logged a DataCloneError each time)."""
    def listener(*arguments):
        handler(*arguments)
        return javascript.UNDEFINED
    event.addListener(listener)


def last_error():
    """The message of chrome.runtime.lastError after a callback, or None."""
    error = optional(api.runtime, "lastError")
    return None if error is None else str(optional(error, "message"))


def extension_id():
    return str(api.runtime.id)


def extension_url(path):
    return str(api.runtime.getURL(path))


def open_options_page():
    api.runtime.openOptionsPage()
