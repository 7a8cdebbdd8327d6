"""Log download, in an extension page (popup or options): the background flushes its logs to storage and says
which chunks hold each region's log (bg:log-export); the page reads them and saves one file per region in the
format of Streams' connect.getLog().download(): JSON.stringify(entries, undefined, 4).

The background stores each entry already in that form (core.log_chunks), so a download joins text: every step
over the entries is a native call (string join and split, Array slice, Array filter with a RegExp), nothing is
parsed or converted, and no Python runs per entry.
Files are text/plain Blobs (Chromium renames other types) behind blob: URLs (Firefox refuses data: URLs),
handed to downloads.download; both downloads start in the same task, before any browser UI can close a popup."""
from grccp.core import log_chunks
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_message

from . import runtime_channel, webext

_scope = webext.global_scope
_level_filter = None


def _level_test():
    """RegExp.prototype.test bound to the level pattern: a native Array.filter predicate."""
    global _level_filter
    if _level_filter is None:
        pattern = _scope.RegExp.new(log_chunks.LEVEL_FILTER_PATTERN)
        _level_filter = _scope.RegExp.prototype.test.bind(pattern)
    return _level_filter


def export_text(items, plan, filter_by_level):
    """The file content of one region: `items` is the JS object storage.local.get returned, `plan` a
    bg:log-export file entry. The stored records are already in the file's form: this only joins text.
    Returns a JS string."""
    texts = []
    for key in plan["keys"]:
        text = webext.optional(items, key)
        if text is not None and text != "":
            texts.append(text)
    array = _scope.Array
    separator = log_chunks.RECORD_SEPARATOR
    records = _scope.String.prototype.split.call(separator.join(texts), separator) if texts else array.new()
    records = array.prototype.slice.call(records, plan["skip"], plan["skip"] + plan["count"])
    if filter_by_level:
        records = array.prototype.filter.call(records, _level_test())
    if records.length == 0:
        return log_chunks.EMPTY_DOWNLOAD
    return log_chunks.DOWNLOAD_OPEN + array.prototype.join.call(records, log_chunks.DOWNLOAD_JOIN) + \
        log_chunks.DOWNLOAD_CLOSE


def _blob_url(text, mime="text/plain"):
    return _scope.URL.createObjectURL(_scope.Blob.new([text], webext.to_js({"type": mime})))


def save_text(file_name, text, mime, on_saved):
    """Saves one text file (the configuration export); on_saved(path or None, error or None)."""
    _save(file_name, _blob_url(text, mime), on_saved)


def _save(file_name, url, on_saved):
    """Starts one download of a blob URL; on_saved(path the browser reports or None, error or None) once it
    completed or failed. The blob URL is revoked then."""
    def started(download_id=None, *_):
        error = webext.last_error()
        if error is not None or download_id is None:
            _scope.URL.revokeObjectURL(url)
            on_saved(None, error or "the browser did not start the download")
            return
        _watch(int(download_id), url, on_saved)
    webext.api.downloads.download(webext.to_js({"url": str(url), "filename": file_name, "saveAs": False,
                                                "conflictAction": "uniquify"}), started)


_watched = {}


def _watch(download_id, url, on_saved):
    """Calls on_saved when the download completes or fails (and frees the blob then)."""
    if not _watched:
        webext.api.downloads.onChanged.addListener(_on_changed)
    _watched[download_id] = (url, on_saved)
    # it may have finished before the listener was there
    webext.api.downloads.search(webext.to_js({"id": download_id}), lambda found, *_: _check(download_id, found))


def _check(download_id, found):
    items = webext.to_py(found) or []
    if items:
        _settle(download_id, items[0].get("state"), items[0].get("filename"), items[0].get("error"))


def _on_changed(delta):
    download_id = int(delta.id)
    if download_id not in _watched:
        return
    state = webext.optional(delta, "state")
    if state is None:
        return
    webext.api.downloads.search(webext.to_js({"id": download_id}), lambda found, *_: _check(download_id, found))


def _settle(download_id, state, file_name, error):
    if state not in ("complete", "interrupted") or download_id not in _watched:
        return
    url, on_saved = _watched.pop(download_id)
    _scope.URL.revokeObjectURL(url)
    if state == "complete":
        on_saved(file_name, None)
    else:
        on_saved(None, f"download interrupted ({error or 'unknown reason'})")


def download_logs(on_done, log_name=None, filter_by_level=None):
    """Asks the background for every region's log and saves one file per region. on_done(result) with result
    {"files": [file names as given], "saved": [paths the browser reports], "errors": [messages]} once every
    download completed or failed."""
    request = {}
    if log_name is not None:
        request["logName"] = log_name
    if filter_by_level is not None:
        request["filterByLogLevel"] = filter_by_level

    def got_plan(reply, error):
        if error:
            on_done({"files": [], "saved": [], "errors": [f"the background did not answer: {error}"]})
            return
        try:
            kind, fields = parse_message(reply)
        except MessageError as problem:
            on_done({"files": [], "saved": [], "errors": [str(problem)]})
            return
        if kind != "bg:log-export":
            on_done({"files": [], "saved": [], "errors": [fields.get("error") or f"unexpected reply {kind}"]})
            return
        export(fields)

    def export(fields):
        """One storage read per region, all issued at once: the browser fetches the next region's chunks while
        this page turns the previous one into a file. The downloads start together once every file is ready."""
        plans = fields["files"]
        result = {"files": [plan["fileName"] for plan in plans], "saved": [], "errors": []}
        urls = [None] * len(plans)
        left = [len(plans)]
        if not plans:
            on_done(result)
            return

        def got_chunks(index, items):
            error = webext.last_error()
            if error:
                result["errors"].append(f"the log of {plans[index]['region']} could not be read: {error}")
            else:
                urls[index] = _blob_url(export_text(items, plans[index], fields["filterByLogLevel"]))
            left[0] -= 1
            if left[0] == 0:
                start_downloads()

        def start_downloads():
            waiting = [len([url for url in urls if url is not None])]

            def saved(path, problem):
                if problem:
                    result["errors"].append(problem)
                else:
                    result["saved"].append(path)
                waiting[0] -= 1
                if waiting[0] == 0:
                    on_done(result)
            if waiting[0] == 0:
                on_done(result)
            for index, url in enumerate(urls):
                if url is not None:
                    _save(plans[index]["fileName"], url, saved)

        def reader(index):
            return lambda items=None, *_: got_chunks(index, items)
        for index, plan in enumerate(plans):
            webext.api.storage.local.get(webext.to_js(plan["keys"]), reader(index))

    runtime_channel.send(make_message("popup:download-logs", **request), got_plan)
