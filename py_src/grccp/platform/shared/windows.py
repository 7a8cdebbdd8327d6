"""Browser windows and tabs as the background needs them: when a tab or window goes away, whether a tab is still open,
the open tabs and their URLs, a tab opened in the background, the one sign-in popup window (open, focus, close); and
an extension page's own tab closed. Ids are ints; errors are
lastError messages."""
from . import webext


def on_tab_removed(handler):
    """handler(tab id) when a tab closes."""
    webext.listen(webext.api.tabs.onRemoved, lambda tab_id, *_: handler(int(tab_id)))


def tab_exists(tab_id, on_answer):
    """on_answer(True or False): whether the tab is still open."""
    def got(tab=None, *_):
        on_answer(webext.last_error() is None and tab is not None)
    webext.api.tabs.get(tab_id, got)


def open_tabs(on_tabs):
    """on_tabs([(tab id, URL or None)]) of every open tab (the "tabs" permission shows their URLs)."""
    def got(tabs=None, *_):
        found = [] if webext.last_error() else (webext.to_py(tabs) or [])
        on_tabs([(int(tab["id"]), tab.get("url")) for tab in found if isinstance(tab.get("id"), int)])
    webext.api.tabs.query(webext.to_js({}), got)


def open_in_background(url):
    """Opens `url` in a new tab that does not take the focus."""
    webext.api.tabs.create(webext.to_js({"url": url, "active": False}))


def close_own_tab():
    """Closes the tab of the extension page that calls it (the window, if it is not in a tab)."""
    def got(tab=None, *_):
        if tab is not None:
            webext.api.tabs.remove(tab.id)
        else:
            webext.global_scope.close()
    webext.api.tabs.getCurrent(got)


def on_window_removed(handler):
    """handler(window id) when a window closes."""
    webext.listen(webext.api.windows.onRemoved, lambda window_id, *_: handler(int(window_id)))


def open_popup(url, width, height, on_opened):
    """Opens `url` in a popup window; on_opened(window id or None, error or None)."""
    def opened(created=None, *_):
        error = webext.last_error()
        on_opened(None if error or created is None else int(created.id), error)
    webext.api.windows.create(webext.to_js({"url": url, "type": "popup", "width": width, "height": height}),
                              opened)


def focus(window_id, on_done):
    """Brings the window to the front; on_done(error or None): an error if the window is gone."""
    webext.api.windows.update(window_id, webext.to_js({"focused": True}), lambda *_: on_done(webext.last_error()))


def close(window_id):
    """Closes the window (if it is already gone, nothing happens)."""
    webext.api.windows.remove(window_id, lambda *_: webext.last_error())
