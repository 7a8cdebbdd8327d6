"""Extension storage areas (local, session, managed) as plain data, with callbacks."""
from . import webext


def get(area, keys, on_items):
    """on_items(dict, error) with the stored values of `keys` (a list of names)."""
    def got(items=None, *_):
        error = webext.last_error()
        on_items({} if error else (webext.to_py(items) or {}), error)
    getattr(webext.api.storage, area).get(webext.to_js(keys), got)


def set_items(area, items, on_done=None):
    def done(*_):
        if on_done is not None:
            on_done(webext.last_error())
    getattr(webext.api.storage, area).set(webext.to_js(items), done)


def on_changed(handler):
    """handler(area, {key: new value or None})"""
    def listener(changes, area):
        plain = webext.to_py(changes) or {}
        handler(str(area), {key: change.get("newValue") for key, change in plain.items()})
    webext.api.storage.onChanged.addListener(listener)


def get_all(area, on_items):
    """on_items(dict, error) with everything in the area (the enterprise policy, for "managed")."""
    def got(items=None, *_):
        error = webext.last_error()
        on_items({} if error else (webext.to_py(items) or {}), error)
    getattr(webext.api.storage, area).get(got)
