"""A region's log file, made in an extension page from what the background stored (bg:log-export's plan), in
the format of Streams' connect.getLog().download(): JSON.stringify(entries, undefined, 4).

The background stores each entry already in that form (core.log_chunks), and closed chunks as Blobs that are
pieces of the file (platform.shared.log_archive): a file is a Blob made of those Blobs as they are, plus the open
chunk's records joined; only the first chunk is read when its oldest records are skipped, and every chunk when
the file is filtered by level. Every step over records is a native call (split with a RegExp, Array slice and
filter, join): nothing is parsed or converted, and no Python runs per entry."""
from grccp.core import log_chunks
from grccp.platform.shared import log_archive, storage, webext
from grccp.platform.shared.downloads import text_blob

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

    def got_open(text, error):
        if error:
            parts["error"] = parts["error"] or error
        else:
            parts["open"] = text
        arrived()
    log_archive.read(plan["region"], plan["archived"], got_blobs)
    if plan["openKey"] is None:
        got_open(None, None)
    else:
        storage.get_value("local", plan["openKey"], got_open)


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
        return text_blob(log_chunks.EMPTY_DOWNLOAD)
    framed = [log_chunks.DOWNLOAD_OPEN]
    for index, piece in enumerate(pieces):
        framed.extend([log_chunks.DOWNLOAD_JOIN, piece] if index else [piece])
    framed.append(log_chunks.DOWNLOAD_CLOSE)
    return text_blob(*framed)


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
        return text_blob(log_chunks.EMPTY_DOWNLOAD)
    return text_blob(log_chunks.DOWNLOAD_OPEN, _joined(records), log_chunks.DOWNLOAD_CLOSE)

