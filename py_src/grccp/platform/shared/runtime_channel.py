"""Runtime messages between the extension's own contexts. Only this extension's contexts are heard: a message
whose sender is another extension (or anything else) is dropped before any handler sees it."""
from . import webext


def send(message, on_reply=None):
    """Sends a plain-data message to the background (or, from the background, to extension pages). A send the
    browser refuses outright (a content script whose extension was updated or reloaded: "Extension context
    invalidated") is an error answer, at once."""
    def replied(reply=None, *_):
        error = webext.last_error()
        if on_reply is not None:
            on_reply(None if error else webext.to_py(reply), error)
    try:
        webext.api.runtime.sendMessage(webext.to_js(message), replied)
    except Exception as problem:  # noqa: BLE001 -- whatever the browser throws, the message did not go
        if on_reply is not None:
            on_reply(None, str(problem) or "the message could not be sent")


def extension_present():
    """Whether the extension that started this script is still there (a content script outlives an update or a
    reload of its extension: Chromium keeps it running without one, and its runtime.id is gone)."""
    runtime = webext.optional(webext.api, "runtime")  # (gone too, in a page that is being unloaded)
    return runtime is not None and webext.optional(runtime, "id") is not None


def send_to_tab(tab_id, message, on_reply=None):
    def replied(reply=None, *_):
        error = webext.last_error()
        if on_reply is not None:
            on_reply(None if error else webext.to_py(reply), error)
    webext.api.tabs.sendMessage(tab_id, webext.to_js(message), replied)


def page_open(path, on_answer):
    """on_answer(bool): whether one of the extension's own pages at `path` (e.g. "popup.html") is open, as the
    action's popup or in a tab (runtime.getContexts; False where the browser cannot say). Holding no port to the
    background, a page open does not keep the background from being stopped."""
    get_contexts = webext.optional(webext.api.runtime, "getContexts")
    if get_contexts is None:
        on_answer(False)
        return
    suffix = "/" + path

    def answered(contexts=None, *_):
        urls = [str(webext.optional(context, "documentUrl") or "") for context in (contexts or [])]
        on_answer(webext.last_error() is None and any(url.split("?")[0].endswith(suffix) for url in urls))
    webext.api.runtime.getContexts(webext.to_js({}), answered)


def sender_info(sender):
    """What a handler may rely on about a sender: our own extension's context, maybe in a tab."""
    tab = webext.optional(sender, "tab")
    frame_id = webext.optional(sender, "frameId")
    url = webext.optional(sender, "url")
    tab_url = webext.optional(tab, "url") if tab is not None else None
    return {
        "tab_id": int(tab.id) if tab is not None else None,
        "frame_id": int(frame_id) if tab is not None and frame_id is not None else None,
        "url": str(url) if url is not None else None,
        "tab_url": str(tab_url) if tab_url is not None else None,  # the top frame's (sent from a frame in it)
    }


def listen(handler):
    """handler(message, sender_info, respond) -> True if it will call respond later. Messages from other
    extensions are dropped here."""
    own_id = webext.extension_id()

    def listener(message, sender, send_response):
        if str(webext.optional(sender, "id")) != own_id:
            return False
        answered = [False]

        def respond(reply):
            answered[0] = True
            send_response(webext.to_js(reply))
        answered_later = bool(handler(webext.to_py(message), sender_info(sender), respond))
        if not answered_later and not answered[0]:
            send_response(webext.to_js({}))  # an empty answer: the message arrived (not a closed port)
        return answered_later

    webext.api.runtime.onMessage.addListener(listener)
