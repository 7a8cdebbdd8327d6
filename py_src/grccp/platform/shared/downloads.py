"""Saving files through the browser's downloads (chrome.downloads): text/plain Blobs (Chromium renames other
types) behind blob: URLs (Firefox refuses data: URLs), with a callback once the browser has written the file or
given up. Used by the extension's pages."""
from . import webext

_scope = webext.global_scope
_watched = {}  # download id -> (blob URL, on_saved)
_listening = False  # the one downloads.onChanged listener of this page is added


def text_blob(*pieces, mime="text/plain"):
    """A Blob of strings and Blobs, joined as they are."""
    return _scope.Blob.new(list(pieces), webext.to_js({"type": mime}))


def save(file_name, blob, on_saved):
    """Starts one download of `blob` as `file_name` (made unique if it exists); on_saved(path the browser reports
    or None, error or None) once it completed or failed."""
    url = _scope.URL.createObjectURL(blob)

    def started(download_id=None, *_):
        error = webext.last_error()
        if error is not None or download_id is None:
            _scope.URL.revokeObjectURL(url)
            on_saved(None, error or "the browser did not start the download")
            return
        _watch(int(download_id), url, on_saved)
    webext.api.downloads.download(webext.to_js({"url": str(url), "filename": file_name, "saveAs": False,
                                                "conflictAction": "uniquify"}), started)


def _watch(download_id, url, on_saved):
    """Calls on_saved when the download completes or fails (and frees the blob then)."""
    global _listening
    if not _listening:
        webext.listen(webext.api.downloads.onChanged, _on_changed)
        _listening = True
    _watched[download_id] = (url, on_saved)
    # it may have finished before the listener was there
    _search(download_id)


def _search(download_id):
    webext.api.downloads.search(webext.to_js({"id": download_id}), lambda found, *_: _check(download_id, found))


def _check(download_id, found):
    items = webext.to_py(found) or []
    if items:
        _settle(download_id, items[0].get("state"), items[0].get("filename"), items[0].get("error"))


def _on_changed(delta):
    download_id = int(delta.id)
    if download_id in _watched and webext.optional(delta, "state") is not None:
        _search(download_id)


def _settle(download_id, state, file_name, error):
    if state not in ("complete", "interrupted") or download_id not in _watched:
        return
    url, on_saved = _watched.pop(download_id)
    _scope.URL.revokeObjectURL(url)
    if state == "complete":
        on_saved(file_name, None)
    else:
        on_saved(None, f"download interrupted ({error or 'unknown reason'})")
