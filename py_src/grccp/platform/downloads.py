"""Log download, in an extension page (popup or options): the background flushes its logs to storage and says
which chunks hold each region's log (bg:log-export); the page reads them and saves one file per region in the
format of Streams' connect.getLog().download(): JSON.stringify(entries, undefined, 4).

The background stores each entry already in that form (core.log_chunks), and closed chunks as Blobs that are
pieces of the file (platform.log_archive): a file is a Blob made of those Blobs as they are, plus the open
chunk's records joined; only the first chunk is read when its oldest records are skipped, and every chunk when
the file is filtered by level. Every step over records is a native call (split with a RegExp, Array slice and
filter, join): nothing is parsed or converted, and no Python runs per entry.
Files are text/plain Blobs (Chromium renames other types) behind blob: URLs (Firefox refuses data: URLs),
handed to downloads.download; both downloads start in the same task, before any browser UI can close a popup."""
from grccp.core import log_chunks
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_reply

from . import log_archive, runtime_channel, webext

_scope = webext.global_scope
_level_filter = None


def _level_test():
    """RegExp.prototype.test bound to the level pattern: a native Array.filter predicate."""
    global _level_filter
    if _level_filter is None:
        pattern = _scope.RegExp.new(log_chunks.LEVEL_FILTER_PATTERN)
        _level_filter = _scope.RegExp.prototype.test.bind(pattern)
    return _level_filter


def _split_archived(text):
    """The records of an archived chunk's text (a JS array)."""
    return _scope.String.prototype.split.call(text, _scope.RegExp.new(log_chunks.ARCHIVE_SPLIT_PATTERN))


def _open_records(text, plan):
    """The open chunk's records (a JS array), without the skipped ones if it is the only chunk."""
    array = _scope.Array
    if text is None or text == "":
        return array.new()
    records = _scope.String.prototype.split.call(text, log_chunks.RECORD_SEPARATOR)
    start = 0 if plan["archived"] else plan["skip"]
    return array.prototype.slice.call(records, start, plan["openCount"])


def _joined(records):
    return _scope.Array.prototype.join.call(records, log_chunks.DOWNLOAD_JOIN)


def region_file(plan, filter_by_level, on_file):
    """on_file(Blob or None, error): one region's download file, from the archive and local storage."""
    parts = {"blobs": None, "open": None, "left": 2, "error": None}

    def arrived():
        parts["left"] -= 1
        if parts["left"] > 0:
            return
        if parts["error"] is not None:
            on_file(None, f"the log of {plan['region']} could not be read: {parts['error']}")
        elif filter_by_level:
            _read_texts(parts["blobs"], lambda texts: on_file(_filtered_file(plan, texts, parts["open"]), None))
        elif plan["skip"] and plan["archived"]:
            parts["blobs"][0].text().then(lambda first: on_file(_file(plan, parts["blobs"], parts["open"], first),
                                                                None))
        else:
            on_file(_file(plan, parts["blobs"], parts["open"]), None)

    def got_blobs(blobs, error):
        parts["blobs"], parts["error"] = blobs, parts["error"] or error
        arrived()

    def got_open(items=None, *_):
        error = webext.last_error()
        if error:
            parts["error"] = parts["error"] or error
        elif plan["openKey"] is not None:
            parts["open"] = webext.optional(items, plan["openKey"])
        arrived()
    log_archive.read(plan["region"], plan["archived"], got_blobs)
    if plan["openKey"] is None:
        got_open()
    else:
        webext.api.storage.local.get(webext.to_js([plan["openKey"]]), got_open)


def _read_texts(blobs, on_texts):
    promises = _scope.Array.prototype.map.call(blobs, lambda blob, *_: blob.text())
    _scope.Promise.all(promises).then(on_texts)


def _file(plan, blobs, open_text, first_text=None):
    """The file as a Blob of the archived Blobs (the first one cut to its kept records when `first_text`, its
    text, is given) and the open chunk's records."""
    pieces = []
    for index in range(blobs.length):
        if index == 0 and first_text is not None:
            kept = _scope.Array.prototype.slice.call(_split_archived(first_text), plan["skip"])
            if kept.length:
                pieces.append(_joined(kept))
        else:
            pieces.append(blobs[index])
    records = _open_records(open_text, plan)
    if records.length:
        pieces.append(_joined(records))
    if not pieces:
        return _text_blob(log_chunks.EMPTY_DOWNLOAD)
    framed = [log_chunks.DOWNLOAD_OPEN]
    for index, piece in enumerate(pieces):
        framed.extend([log_chunks.DOWNLOAD_JOIN, piece] if index else [piece])
    framed.append(log_chunks.DOWNLOAD_CLOSE)
    return _text_blob(*framed)


def _filtered_file(plan, texts, open_text):
    """The file of the records at INFO and above (every archived chunk's text read)."""
    array = _scope.Array
    records = array.new()
    for index in range(texts.length):
        chunk = _split_archived(texts[index])
        if index == 0:
            chunk = array.prototype.slice.call(chunk, plan["skip"])
        records = records.concat(chunk)
    records = array.prototype.filter.call(records.concat(_open_records(open_text, plan)), _level_test())
    if records.length == 0:
        return _text_blob(log_chunks.EMPTY_DOWNLOAD)
    return _text_blob(log_chunks.DOWNLOAD_OPEN, _joined(records), log_chunks.DOWNLOAD_CLOSE)


def _text_blob(*pieces):
    return _scope.Blob.new(list(pieces), webext.to_js({"type": "text/plain"}))


def save_text(file_name, text, mime, on_saved):
    """Saves one text file (the configuration export); on_saved(path or None, error or None)."""
    _save(file_name, _scope.URL.createObjectURL(_scope.Blob.new([text], webext.to_js({"type": mime}))), on_saved)


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
        try:
            fields = parse_reply(reply, error, "bg:log-export")
        except MessageError as problem:
            on_done({"files": [], "saved": [], "errors": [str(problem)]})
            return
        export(fields)

    def export(fields):
        """Every region's file made at once (reads issued together); the downloads start together once every
        file is ready."""
        plans = fields["files"]
        result = {"files": [plan["fileName"] for plan in plans], "saved": [], "errors": []}
        urls = [None] * len(plans)
        left = [len(plans)]
        if not plans:
            on_done(result)
            return

        def got_file(index, blob, error):
            if error:
                result["errors"].append(error)
            else:
                urls[index] = _scope.URL.createObjectURL(blob)
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

        def maker(index):
            return lambda blob, error: got_file(index, blob, error)
        for index, plan in enumerate(plans):
            region_file(plan, fields["filterByLogLevel"], maker(index))

    runtime_channel.send(make_message("popup:download-logs", **request), got_plan)
