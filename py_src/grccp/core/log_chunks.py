"""A region's log as numbered chunks, so that keeping 50,000+ entries costs one small write per append, and a
download never needs the background to hold (or convert) the whole log.

Where it lives, per region key R (the configured string, ".suffix" included):

  local storage "log:R"         the meta record {version, capacity, nextLine, first, skip, counts, segments,
                                unarchived}
  local storage "log:R:<n>:<s>" segment s of the open chunk n (the last): the records a write added, joined by
                                RECORD_SEPARATOR; segments 0..segments-1 in order are the open chunk
  the archive, key (R, n)       each closed chunk n: its records joined by ARCHIVE_JOIN, written once, never again
  local storage "log:R:<n>"     a closed chunk n the archive did not take (listed in `unarchived`), in the
                                archive's form, until the archive takes it

Chunks first .. first+len(counts)-1 exist; counts[i] is the number of records of chunk first+i; the last chunk
is the open one, the others are closed. The log is the concatenation of the chunks without the first `skip`
records of the first chunk: that is how the oldest entries are dropped one by one, and a chunk is deleted once
all its records are dropped. So the log holds exactly `capacity` entries at most.

What a write costs: an append writes a new segment with only the records added since the last write, and the
meta record; a chunk that fills up goes to the archive once, and its segments are deleted. When the archive
fails (IndexedDB refused, quota, a broken database), nothing waits for it: the closed chunk is written to local
storage whole instead, once, with the rest of the write, and moved to the archive by a later write
(take_changes(retry_archive=True)); each closed chunk's text is made once, when it closes, and kept until it is
archived, never rebuilt. Every write is whole or not at all: the archive first, then local storage (the meta
record, segments, chunks the archive refused) in one call, then deletions, so a log interrupted anywhere between
is still whole.

A record is an entry exactly as it appears in the download file of Streams' connect.getLog().download()
(JSON.stringify(entries, undefined, 4): the entry indented one level, see as_record), and a closed chunk is a
piece of that file (records joined as the file joins them). So a download is the archived chunks put together
as they are, plus the open chunk (download_text): no entry is parsed or converted, the work was done once when
the background stored it. The archive (platform.shared.log_archive) keeps closed chunks as Blobs, which a download
hands on without reading them. Records are text (not stored objects) because Chromium's storage keeps objects
as sorted maps: the Streams key order of an entry would be lost. Each record starts with the component and the
level (the Streams order), so a download filtered by level keeps records with one native regular expression
(LEVEL_FILTER_PATTERN) and never runs Python per entry.

Older formats are upgraded when read: 2 (every chunk in local storage, compact JSON lines joined by newlines),
3 (every chunk in local storage as records) and 4 (the open chunk in one local key "log:R:<n>", rewritten on
every write). restore_keys says what to read.

ChunkedLog applies the entry rules itself (Streams key order, line numbers for INFO and above, recent duplicates
dropped). Pure: entries are turned into JSON text by functions given by the caller (JSON.stringify in the
extension, json.dumps in tests)."""

from .errors import StateError
from .logs import RECENT_KEYS, entry_problem, level_passes
from .shapes import field_problem, is_count, list_of, required

FORMAT_VERSION = 5
NDJSON_FORMAT_VERSION = 2  # every chunk local, compact JSON lines: upgraded
LOCAL_RECORDS_FORMAT_VERSION = 3  # every chunk local, records: upgraded
ONE_KEY_OPEN_CHUNK_FORMAT_VERSION = 4  # the open chunk in one local key: upgraded
CHUNK_SIZE = 500
KEY_PREFIX = "log:"
RECORD_SEPARATOR = "\x1e"  # in the open chunk; JSON.stringify escapes every control character inside strings
RECORD_INDENT = "    "
# A record of an entry at INFO or above (the levels filterByLogLevel keeps).
LEVEL_FILTER_PATTERN = ('^    \\{\\n        "component": "(?:[^"\\\\]|\\\\.)*",\\n'
                        '        "level": "(?:INFO|LOG|WARN|ERROR|CRITICAL)"')


def as_record(pretty_json):
    """The record of an entry given as JSON.stringify(entry, undefined, 4): each of its lines indented once
    more, as inside the download's array."""
    return RECORD_INDENT + pretty_json.replace("\n", "\n" + RECORD_INDENT)


# The download file around its records: what JSON.stringify(entries, undefined, 4) writes.
DOWNLOAD_OPEN, DOWNLOAD_JOIN, DOWNLOAD_CLOSE, EMPTY_DOWNLOAD = "[\n", ",\n", "\n]", "[]"
ARCHIVE_JOIN = DOWNLOAD_JOIN
# Where two joined records meet: a line of exactly four spaces and "{" starts a record and nothing else (an
# entry's own lines are indented further, and JSON strings hold no line breaks).
RECORD_START = RECORD_INDENT + "{"
ARCHIVE_BOUNDARY = ARCHIVE_JOIN + RECORD_START


def download_text(records):
    """The download file of a list of records (the extension page does the same with native calls)."""
    return DOWNLOAD_OPEN + DOWNLOAD_JOIN.join(records) + DOWNLOAD_CLOSE if records else EMPTY_DOWNLOAD


# The same split as a regular expression (the extension page splits with a native RegExp): at a join that a
# record start follows.
ARCHIVE_SPLIT_PATTERN = ",\\n(?=    \\{)"


def archived_records(text):
    """The records of an archived chunk's text (ARCHIVE_JOIN between them)."""
    if not text:
        return []
    parts = text.split(ARCHIVE_BOUNDARY)
    return parts[:1] + [RECORD_START + part for part in parts[1:]]


def meta_key(region):
    return KEY_PREFIX + region


def chunk_key(region, index):
    """The local key of a whole chunk: a closed chunk the archive refused (and every chunk of formats 2-4)."""
    return f"{KEY_PREFIX}{region}:{index}"


def segment_key(region, index, segment):
    return f"{KEY_PREFIX}{region}:{index}:{segment}"


def identity(entry):
    """What makes two entries the same line (every tab relays the same worker entries)."""
    return (entry["loggerId"], entry["time"], entry["level"], entry["text"])


_VERSIONS = (FORMAT_VERSION, ONE_KEY_OPEN_CHUNK_FORMAT_VERSION, LOCAL_RECORDS_FORMAT_VERSION, NDJSON_FORMAT_VERSION)
_META_FIELDS = {
    "version": required(lambda value: value in _VERSIONS and is_count(value)),
    "capacity": required(lambda value: is_count(value) and value >= 1),
    "nextLine": required(is_count),
    "first": required(is_count),
    "skip": required(is_count),
    "counts": required(lambda value: len(value) >= 1 if isinstance(value, list) else False),
}
# Format 5 adds the open chunk's segment count and the chunks local storage holds for the archive.
_FORMAT_FIELDS = dict(_META_FIELDS, segments=required(is_count), unarchived=required(list_of(is_count)))


def meta_problem(meta):
    """What is wrong with a stored meta record, or None."""
    version = meta.get("version") if isinstance(meta, dict) else None
    problem = field_problem(meta, _FORMAT_FIELDS if version == FORMAT_VERSION else _META_FIELDS)
    if problem is not None:
        return problem
    if not list_of(lambda value: is_count(value))(meta["counts"]):
        return "counts are not entry counts"
    if meta["skip"] > meta["counts"][0] or (len(meta["counts"]) > 1 and meta["skip"] >= meta["counts"][0]):
        return "skip is beyond the first chunk"
    if version == FORMAT_VERSION:
        last = meta["first"] + len(meta["counts"]) - 1
        unarchived = meta["unarchived"]
        if any(not meta["first"] <= index < last for index in unarchived) or unarchived != sorted(set(unarchived)):
            return "unarchived chunks are not closed chunks of the log, ascending"
        if meta["segments"] > meta["counts"][-1]:
            return "more segments than records in the open chunk"
    return None


def restore_keys(region, meta):
    """The local storage keys ChunkedLog.restore() wants besides a (valid) meta record: the open chunk's segments
    and the chunks the archive refused; the open chunk's key (format 4); every chunk's (formats 2 and 3)."""
    last = meta["first"] + len(meta["counts"]) - 1
    version = meta["version"]
    if version == FORMAT_VERSION:
        return ([chunk_key(region, index) for index in meta["unarchived"]]
                + [segment_key(region, last, segment) for segment in range(meta["segments"])])
    first = last if version == ONE_KEY_OPEN_CHUNK_FORMAT_VERSION else meta["first"]
    return [chunk_key(region, index) for index in range(first, last + 1)]


class ClosedChunk:
    """A closed chunk not in the archive yet: its text (made once, when it closed), the local keys to delete
    once it is stored whole (its segments, or an older format's key), and whether local storage holds it whole
    (the archive refused it)."""

    __slots__ = ("text", "old_keys", "local")

    def __init__(self, text, old_keys, local=False):
        self.text = text
        self.old_keys = old_keys
        self.local = local


class ChunkedLog:
    """One region's log (see the module docstring). add() stores entries; take_changes() says what to write and
    what to delete since the last call, and the write's outcome is told back (written(), put_back());
    export_plan() says where a download reads each chunk."""

    __slots__ = ("region", "capacity", "chunk_size", "next_line", "first", "skip", "counts", "total", "_encode",
                 "_open", "_open_stored", "_segments", "_closed", "_removed", "_local_removed", "_dirty",
                 "_recent", "_recent_ring", "_recent_at")

    def __init__(self, region, capacity, encode, chunk_size=CHUNK_SIZE):
        if not is_count(capacity) or capacity < 1 or not is_count(chunk_size) or chunk_size < 1:
            raise ValueError("capacity and chunk size must be positive integers")
        self.region = region
        self.capacity = capacity
        self.chunk_size = chunk_size
        self.next_line = 0
        self.first = 0
        self.skip = 0
        self.counts = [0]
        self.total = 0
        self._encode = encode
        self._open = []          # records of the open chunk (index self.last)
        self._open_stored = 0    # how many of them the stored segments hold
        self._segments = 0       # stored segments of the open chunk (written, or being written)
        self._closed = {}        # index -> ClosedChunk: closed chunks not in the archive yet
        self._removed = []       # chunk indexes to delete from the archive
        self._local_removed = []  # local keys to delete
        self._dirty = False
        self._recent = set()
        self._recent_ring = [None] * RECENT_KEYS
        self._recent_at = 0

    def __len__(self):
        return self.total

    @property
    def last(self):
        """Index of the open chunk."""
        return self.first + len(self.counts) - 1

    def _remember(self, key):
        forgotten = self._recent_ring[self._recent_at]
        if forgotten is not None:
            self._recent.discard(forgotten)
        self._recent_ring[self._recent_at] = key
        self._recent_at = (self._recent_at + 1) % RECENT_KEYS
        self._recent.add(key)

    def add(self, entries):
        """Stores valid entries (logs.entry_problem is None) in order, each with its keys in Streams' order
        (logs.ENTRY_KEYS: as logs.make_entry and logs.intake_relayed make them, logs.in_streams_order any other):
        a line number for INFO and above (set in the entry, which is the log's from now on), repeats of a recent
        entry dropped, the oldest entries dropped beyond capacity. Returns how many were stored."""
        stored = 0
        for entry in entries:
            key = identity(entry)
            if key in self._recent:
                continue
            self._remember(key)
            entry["line"] = 0
            if level_passes(entry["level"]):
                entry["line"] = self.next_line
                self.next_line += 1
            if len(self._open) >= self.chunk_size:
                self._close_open_chunk()
            self._open.append(self._encode(entry))
            self.counts[-1] += 1
            self.total += 1
            stored += 1
        if stored:
            self._dirty = True
            self._trim()
        return stored

    def _open_segment_keys(self):
        return [segment_key(self.region, self.last, segment) for segment in range(self._segments)]

    def _close_open_chunk(self):
        self._closed[self.last] = ClosedChunk(ARCHIVE_JOIN.join(self._open), self._open_segment_keys())
        self._open = []
        self._open_stored = self._segments = 0
        self.counts.append(0)

    def _drop_first_chunk(self):
        """Deletes the first (closed) chunk wherever it is: archived, held whole in local storage, or not stored
        yet (then its segments, or an older format's key, go)."""
        self._removed.append(self.first)
        dropped = self._closed.pop(self.first, None)
        if dropped is not None:
            self._local_removed.extend(dropped.old_keys)
            # local storage may hold it whole: the archive refused it, or a write doing so is in flight
            self._local_removed.append(chunk_key(self.region, self.first))
        self.counts.pop(0)
        self.first += 1
        self.skip = 0

    def _trim(self):
        """Drops the oldest entries beyond capacity: whole chunks when they are used up, else by skipping."""
        excess = self.total - self.capacity
        while excess > 0:
            first_left = self.counts[0] - self.skip
            if len(self.counts) > 1 and excess >= first_left:
                self._drop_first_chunk()
                self.total -= first_left
                excess -= first_left
            else:
                self.skip += excess
                self.total -= excess
                excess = 0
                if len(self.counts) == 1 and self.skip == self.counts[0] and self.skip:
                    # only possible when capacity < chunk size: start the open chunk afresh
                    self._local_removed.extend(self._open_segment_keys())
                    self._open = []
                    self._open_stored = self._segments = 0
                    self.counts[0] = 0
                    self.skip = 0
            self._dirty = True
        self._drop_used_up_chunks()

    def _drop_used_up_chunks(self):
        """A first chunk with no record kept (an emptied one, or one that lost records) goes: a meta record
        always starts at a record."""
        while len(self.counts) > 1 and self.skip >= self.counts[0]:
            self._drop_first_chunk()

    def resize(self, capacity):
        """Another capacity (a changed configuration): the newest entries stay."""
        if not is_count(capacity) or capacity < 1:
            raise ValueError("capacity must be a positive integer")
        if capacity != self.capacity:
            self.capacity = capacity
            self._dirty = True
            self._trim()

    def meta(self, unarchived=None):
        """The meta record; `unarchived`: the closed chunks local storage holds whole (default: as now)."""
        if unarchived is None:
            unarchived = sorted(index for index, chunk in self._closed.items() if chunk.local)
        return {"version": FORMAT_VERSION, "capacity": self.capacity, "nextLine": self.next_line,
                "first": self.first, "skip": self.skip, "counts": list(self.counts), "segments": self._segments,
                "unarchived": unarchived}

    @property
    def pending(self):
        """Whether take_changes() has anything to store (a chunk waiting for the archive to take it again is not
        reason enough: see awaiting_archive)."""
        return (self._dirty or bool(self._removed) or bool(self._local_removed)
                or len(self._open) > self._open_stored
                or any(not chunk.local for chunk in self._closed.values()))

    @property
    def awaiting_archive(self):
        """Whether local storage holds closed chunks the archive refused (take_changes(retry_archive=True) offers
        them to it again)."""
        return any(chunk.local for chunk in self._closed.values())

    def take_changes(self, retry_archive=False):
        """What to store since the last call, or None if nothing:

          "archive"          {chunk index: text} for the archive: the chunks closed since, and with
                             retry_archive those local storage holds whole
          "local"            {key: value} for local storage once the archive took them: the meta record and the
                             new segment of the open chunk
          "local_removed"    local keys to delete after that
          "archive_removed"  chunk indexes to delete from the archive
          "fallback"         {"local": ..., "local_removed": ...} in their place when the archive did not take
                             them: the closed chunks written whole to local storage instead

        Write the archive first, then local storage, then delete; then tell the log: written(changes, archived)
        once local storage took it, put_back(changes, archived) if it did not."""
        if not self.pending and not (retry_archive and self.awaiting_archive):
            return None
        offered = {index: chunk for index, chunk in self._closed.items() if retry_archive or not chunk.local}
        retake = (self.last, self._open_stored, self._segments, list(self._local_removed))
        local = {}
        if len(self._open) > self._open_stored:
            local[segment_key(self.region, self.last, self._segments)] = RECORD_SEPARATOR.join(
                self._open[self._open_stored:])
            self._open_stored = len(self._open)
            self._segments += 1
        refused_local = {chunk_key(self.region, index): chunk.text for index, chunk in offered.items()
                         if not chunk.local}
        kept_local = sorted(index for index, chunk in self._closed.items() if chunk.local)
        old_keys = [key for chunk in offered.values() for key in chunk.old_keys]
        fallback_local = dict(local)
        fallback_local.update(refused_local)
        fallback_local[meta_key(self.region)] = self.meta(sorted(set(kept_local) | set(offered)))
        local[meta_key(self.region)] = self.meta([index for index in kept_local if index not in offered])
        changes = {
            "archive": {index: chunk.text for index, chunk in offered.items()},
            "local": local,
            "local_removed": _without(self._local_removed + old_keys
                                      + [chunk_key(self.region, index) for index in offered
                                         if self._closed[index].local], local),
            "archive_removed": list(self._removed),
            "fallback": {"local": fallback_local,
                         "local_removed": _without(self._local_removed + old_keys, fallback_local)},
            "retake": retake,
        }
        self._removed = []
        self._local_removed = []
        self._dirty = False
        return changes

    def written(self, changes, archived):
        """Local storage took `changes` (its "local" if `archived`, else its "fallback")."""
        for index in changes["archive"]:
            chunk = self._closed.get(index)
            if chunk is None:
                continue  # trimmed meanwhile
            if archived:
                del self._closed[index]
            else:
                chunk.local, chunk.old_keys = True, []

    def put_back(self, changes, archived):
        """Local storage did not take `changes`: everything in them is taken again by the next take_changes()
        (the chunks the archive took stay out of it, their old keys still to delete)."""
        if archived:
            for index in changes["archive"]:
                chunk = self._closed.pop(index, None)
                if chunk is not None:
                    self._local_removed.extend(chunk.old_keys)
                    if chunk.local:
                        self._local_removed.append(chunk_key(self.region, index))
        index, stored, segments, local_removed = changes["retake"]
        if index == self.last:
            self._open_stored, self._segments = stored, segments
        self._removed.extend(changes["archive_removed"])
        self._local_removed.extend(local_removed)
        self._dirty = True

    def export_plan(self):
        """What a download reads, valid once the changes taken so far are stored: {"chunks": for each closed
        chunk, oldest first, {"index": n, "archived": True} or {"index": n, "key": its local key} or (not stored:
        a write failed) {"index": n, "text": its text}; "open": the open chunk's records (RECORD_SEPARATOR between
        them); "skip": records to leave out at the start; "count": records in all}."""
        chunks = []
        for index in range(self.first, self.last):
            chunk = self._closed.get(index)
            if chunk is None:
                chunks.append({"index": index, "archived": True})
            elif chunk.local:
                chunks.append({"index": index, "key": chunk_key(self.region, index)})
            else:
                chunks.append({"index": index, "text": chunk.text})
        return {"chunks": chunks, "open": RECORD_SEPARATOR.join(self._open), "skip": self.skip,
                "count": self.total}

    @classmethod
    def restore(cls, region, meta, chunks, encode, decode, chunk_size=CHUNK_SIZE):
        """The ChunkedLog of a stored meta record and the local keys restore_keys() names ({key: text};
        decode(text) gives the entry of a record or format-2 line). StateError if the meta record is not one;
        open-chunk records that do not decode to a valid entry are dropped. A log of an older format comes back
        with its chunks to store anew (and the old keys to delete)."""
        problem = meta_problem(meta)
        if problem is not None:
            raise StateError(f"stored log of {region}: {problem}")
        log = cls(region, meta["capacity"], encode, chunk_size)
        log.next_line = meta["nextLine"]
        log.first = meta["first"]
        log.skip = meta["skip"]
        log.counts = list(meta["counts"])
        version = meta["version"]
        recent = []
        if version == FORMAT_VERSION:
            for index in meta["unarchived"]:
                text = chunks.get(chunk_key(region, index))
                records = archived_records(text) if isinstance(text, str) else []
                log._closed[index] = ClosedChunk(ARCHIVE_JOIN.join(records), [], local=True)
                log._count_restored(index, len(records), version)
            parts = [chunks.get(segment_key(region, log.last, segment)) for segment in range(meta["segments"])]
            items, dropped = _decoded_items(RECORD_SEPARATOR.join(part for part in parts if isinstance(part, str)),
                                            RECORD_SEPARATOR, decode)
            log._open = [text for text, _ in items]
            recent = [identity(entry) for _, entry in items]
            if dropped or None in parts or len(log._open) != log.counts[-1]:
                # a damaged open chunk is written anew, whole, from what could be read
                log._local_removed.extend(segment_key(region, log.last, segment) for segment in range(meta["segments"]))
            else:
                log._open_stored, log._segments = len(log._open), meta["segments"]
            log._count_restored(log.last, len(log._open), version)
        else:
            recent = log._restore_older(region, meta, chunks, decode)
        log._drop_used_up_chunks()
        log.total = sum(log.counts) - log.skip
        for key in recent[-RECENT_KEYS:]:
            log._remember(key)
        log._trim()
        return log

    def _restore_older(self, region, meta, chunks, decode):
        """Formats 2-4: every chunk restore_keys names is read; the open one is kept in memory (written as a
        segment next), the closed ones are to archive; the old keys go once they are stored anew."""
        version = meta["version"]
        separator = "\n" if version == NDJSON_FORMAT_VERSION else RECORD_SEPARATOR
        recent = []
        for key in restore_keys(region, meta):
            index = int(key[key.rindex(":") + 1:])
            items, _ = _decoded_items(chunks.get(key), separator, decode)
            records = [self._encode(entry) if version == NDJSON_FORMAT_VERSION else text for text, entry in items]
            recent.extend(identity(entry) for _, entry in items)
            if index == self.last:
                self._open = records
                self._local_removed.append(key)
            else:
                self._closed[index] = ClosedChunk(ARCHIVE_JOIN.join(records), [key])
            self._count_restored(index, len(records), version)
        return recent

    def _count_restored(self, index, found, version):
        """The meta record is corrected where a chunk lost records (or was written by an older format)."""
        if found != self.counts[index - self.first] or version != FORMAT_VERSION:
            self._dirty = True
            self.counts[index - self.first] = found
            if index == self.first:
                self.skip = min(self.skip, found)


def _without(keys, written):
    """The keys to delete that the same write does not write (again), each once."""
    seen, result = set(), []
    for key in keys:
        if key not in written and key not in seen:
            seen.add(key)
            result.append(key)
    return result


def _decoded_items(text, separator, decode):
    """([(text, entry) of each part of a stored chunk that decodes to a valid entry], how many did not)."""
    if not isinstance(text, str) or not text:
        return [], 0
    items = []
    parts = text.split(separator)
    for part in parts:
        entry = _decoded(decode, part)
        if entry is not None:
            items.append((part, entry))
    return items, len(parts) - len(items)


def _decoded(decode, line):
    try:
        entry = decode(line)
    except Exception:  # noqa: BLE001 -- whatever the decoder raises, the line is unusable
        return None
    return entry if entry_problem(entry) is None else None
