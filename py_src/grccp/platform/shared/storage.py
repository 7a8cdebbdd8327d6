"""Extension storage areas (local, session, managed) as plain data, with callbacks."""
from . import webext


def _area(area):
    return getattr(webext.api.storage, area)


def _read(area, keys, on_items):
    def got(items=None, *_):
        error = webext.last_error()
        on_items({} if error else (webext.to_py(items) or {}), error)
    if keys is None:
        _area(area).get(got)
    else:
        _area(area).get(webext.to_js(keys), got)


def get(area, keys, on_items):
    """on_items(dict, error) with the stored values of `keys` (a list of names)."""
    _read(area, keys, on_items)


def get_all(area, on_items):
    """on_items(dict, error) with everything in the area (the enterprise policy, for "managed")."""
    _read(area, None, on_items)


def get_value(area, key, on_value):
    """on_value(the stored value as the browser gives it, unconverted, or None; error): for a large text that is
    handed on as it is (a log chunk), without a round trip through Python."""
    def got(items=None, *_):
        error = webext.last_error()
        on_value(None if error or items is None else webext.optional(items, key), error)
    _area(area).get(webext.to_js([key]), got)


def set_items(area, items, on_done=None):
    def done(*_):
        if on_done is not None:
            on_done(webext.last_error())
    _area(area).set(webext.to_js(items), done)


def remove(area, keys, on_done=None):
    """Removes `keys` (a list of names); on_done(error or None)."""
    def done(*_):
        error = webext.last_error()
        if on_done is not None:
            on_done(error)
    _area(area).remove(webext.to_js(list(keys)), done)


def on_changed(handler):
    """handler(area, {key: new value or None})"""
    def listener(changes, area):
        plain = webext.to_py(changes) or {}
        handler(str(area), {key: change.get("newValue") for key, change in plain.items()})
    webext.listen(webext.api.storage.onChanged, listener)
