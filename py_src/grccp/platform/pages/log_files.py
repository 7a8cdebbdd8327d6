"""A region's log file, made in an extension page from what the background stored (bg:log-export's plan), in
the format of Streams' connect.getLog().download(): JSON.stringify(entries, undefined, 4).

The background stores each entry already in that form (core.log_chunks), and closed chunks as Blobs that are
pieces of the file (platform.shared.log_archive): a file is a Blob made of those Blobs as they are (and of chunks
the archive refused, from local storage), plus the open chunk's records joined; only the first chunk is read when
its oldest records are skipped, and every chunk when the file is filtered by level. Every step over records is a native call (split with a RegExp, Array slice and
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


def _open_records(plan):
    """The open chunk's records (a JS array), without the skipped ones if it is the only chunk."""
    if not plan["open"]:
        return _scope.Array.new()
    records = _scope.String.prototype.split.call(plan["open"], log_chunks.RECORD_SEPARATOR)
    return _scope.Array.prototype.slice.call(records, 0 if plan["chunks"] else plan["skip"])


def _joined(records):
    return _scope.Array.prototype.join.call(records, log_chunks.DOWNLOAD_JOIN)


def region_file(plan, filter_by_level, on_file):
    """on_file(Blob or None, error): one region's download file. Each closed chunk comes from where the plan says
    it is: the archive (a Blob, handed on as it is), local storage (a chunk the archive refused) or the plan
    itself; the open chunk's records are in the plan."""
    archived = [chunk["index"] for chunk in plan["chunks"] if chunk.get("archived")]
    keys = [chunk["key"] for chunk in plan["chunks"] if "key" in chunk]
    parts = {"blobs": None, "texts": {}, "left": 2, "error": None}

    def arrived():
        parts["left"] -= 1
        if parts["left"] > 0:
            return
        if parts["error"] is not None:
            on_file(None, f"the log of {plan['region']} could not be read: {parts['error']}")
            return
        pieces, archived_at = [], 0
        for chunk in plan["chunks"]:
            if chunk.get("archived"):
                pieces.append(parts["blobs"][archived_at])
                archived_at += 1
            else:
                pieces.append(parts["texts"][chunk["key"]] if "key" in chunk else chunk["text"])
        if filter_by_level:
            _read_texts(pieces, lambda texts: on_file(_filtered_file(plan, texts), None))
        elif plan["skip"] and pieces:
            _read_texts(pieces[:1], lambda first: on_file(_file(plan, pieces, first[0]), None))
        else:
            on_file(_file(plan, pieces), None)

    def got_blobs(blobs, error):
        parts["blobs"], parts["error"] = blobs, parts["error"] or error
        arrived()

    def got_texts(items, error):
        missing = [key for key in keys if not isinstance(items.get(key), str)]
        parts["texts"] = items
        parts["error"] = parts["error"] or error or (f"local chunks {missing} are missing" if missing else None)
        arrived()
    log_archive.read(plan["region"], archived, got_blobs)
    if keys:
        storage.get("local", keys, got_texts)
    else:
        got_texts({}, None)


def _read_texts(pieces, on_texts):
    """on_texts(JS array of the pieces' texts): Blobs are read, texts are taken as they are."""
    promises = _scope.Array.new()
    for piece in pieces:
        promises.push(_scope.Promise.resolve(piece) if isinstance(piece, str) else piece.text())
    _scope.Promise.all(promises).then(on_texts)


def _file(plan, pieces, first_text=None):
    """The file as a Blob of the closed chunks' pieces as they are (the first one cut to its kept records when
    `first_text`, its text, is given) and the open chunk's records."""
    kept = []
    for index, piece in enumerate(pieces):
        if index == 0 and first_text is not None:
            records = _scope.Array.prototype.slice.call(_split_archived(first_text), plan["skip"])
            if records.length:
                kept.append(_joined(records))
        else:
            kept.append(piece)
    records = _open_records(plan)
    if records.length:
        kept.append(_joined(records))
    if not kept:
        return text_blob(log_chunks.EMPTY_DOWNLOAD)
    framed = [log_chunks.DOWNLOAD_OPEN]
    for index, piece in enumerate(kept):
        framed.extend([log_chunks.DOWNLOAD_JOIN, piece] if index else [piece])
    framed.append(log_chunks.DOWNLOAD_CLOSE)
    return text_blob(*framed)


def _filtered_file(plan, texts):
    """The file of the records at INFO and above (every closed chunk's text read)."""
    array = _scope.Array
    records = array.new()
    for index in range(texts.length):
        chunk = _split_archived(texts[index])
        if index == 0:
            chunk = array.prototype.slice.call(chunk, plan["skip"])
        records = records.concat(chunk)
    records = array.prototype.filter.call(records.concat(_open_records(plan)), _level_test())
    if records.length == 0:
        return text_blob(log_chunks.EMPTY_DOWNLOAD)
    return text_blob(log_chunks.DOWNLOAD_OPEN, _joined(records), log_chunks.DOWNLOAD_CLOSE)
