"""A region's log as numbered chunks, so that keeping 50,000+ entries costs one small write per append, and a
download never needs the background to hold (or convert) the whole log.

Where it lives, per region key R (the configured string, ".suffix" included):

  local storage "log:R"       the meta record {version, capacity, nextLine, first, skip, counts}
  local storage "log:R:<n>"   the open chunk n (the last): its records joined by RECORD_SEPARATOR
  the archive, key (R, n)     each closed chunk n: its records joined by ARCHIVE_JOIN, written once, never again

Chunks first .. first+len(counts)-1 exist; counts[i] is the number of records of chunk first+i; the last chunk
is the open one (appended to, rewritten on each persist), the others are closed. The log is the concatenation of
the chunks without the first `skip` records of the first chunk: that is how the oldest entries are dropped one by
one, and a chunk is deleted once all its records are dropped. So the log holds exactly `capacity` entries at most,
and an append rewrites only the open chunk and the meta record.

A record is an entry exactly as it appears in the download file of Streams' connect.getLog().download()
(JSON.stringify(entries, undefined, 4): the entry indented one level, see as_record), and a closed chunk is a
piece of that file (records joined as the file joins them). So a download is the archived chunks put together
as they are, plus the open chunk (download_text): no entry is parsed or converted, the work was done once when
the background stored it. The archive (platform.shared.log_archive) keeps closed chunks as Blobs, which a download
hands on without reading them. Records are text (not stored objects) because Chromium's storage keeps objects
as sorted maps: the Streams key order of an entry would be lost. Each record starts with the component and the
level (the Streams order), so a download filtered by level keeps records with one native regular expression
(LEVEL_FILTER_PATTERN) and never runs Python per entry.

Formats 2 (every chunk in local storage, compact JSON lines joined by newlines) and 3 (every chunk in local
storage as records) are upgraded when read: restore_keys says what to read, ChunkedLog.restore moves the closed
chunks to the archive.

ChunkedLog applies the entry rules itself (Streams key order, line numbers for INFO and above, recent duplicates
dropped). Pure: entries are turned into JSON text by functions given by the caller (JSON.stringify in the
extension, json.dumps in tests)."""

from .errors import StateError
from .logs import ENTRY_KEYS, RECENT_KEYS, entry_problem, level_passes
from .shapes import field_problem, is_count, list_of, required

FORMAT_VERSION = 4
NDJSON_FORMAT_VERSION = 2  # every chunk local, compact JSON lines: upgraded
LOCAL_RECORDS_FORMAT_VERSION = 3  # every chunk local, records: upgraded
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
    return f"{KEY_PREFIX}{region}:{index}"


def canonical(entry, line):
    """A copy of a valid entry with Streams' key order and the given line number."""
    ordered = {key: entry[key] for key in ENTRY_KEYS if key in entry}
    ordered["line"] = line
    return ordered


def identity(entry):
    """What makes two entries the same line (every tab relays the same worker entries)."""
    return (entry["loggerId"], entry["time"], entry["level"], entry["text"])


_META_FIELDS = {
    "version": required(lambda value: value in (FORMAT_VERSION, LOCAL_RECORDS_FORMAT_VERSION,
                                                NDJSON_FORMAT_VERSION) and is_count(value)),
    "capacity": required(lambda value: is_count(value) and value >= 1),
    "nextLine": required(is_count),
    "first": required(is_count),
    "skip": required(is_count),
    "counts": required(lambda value: len(value) >= 1 if isinstance(value, list) else False),
}


def meta_problem(meta):
    """What is wrong with a stored meta record, or None."""
    problem = field_problem(meta, _META_FIELDS)
    if problem is not None:
        return problem
    if not list_of(lambda value: is_count(value))(meta["counts"]):
        return "counts are not entry counts"
    if meta["skip"] > meta["counts"][0] or (len(meta["counts"]) > 1 and meta["skip"] >= meta["counts"][0]):
        return "skip is beyond the first chunk"
    return None


def restore_keys(region, meta):
    """The local storage keys ChunkedLog.restore() wants besides a (valid) meta record: the open chunk's; every
    chunk's of an older format (they are all local, and rewritten)."""
    last = meta["first"] + len(meta["counts"]) - 1
    first = last if meta["version"] == FORMAT_VERSION else meta["first"]
    return [chunk_key(region, index) for index in range(first, last + 1)]


class ChunkedLog:
    """One region's log (see the module docstring). add() stores entries; take_changes() says what to write
    and what to delete since the last call; export_plan() says which chunks a download reads."""

    __slots__ = ("region", "capacity", "chunk_size", "next_line", "first", "skip", "counts", "total", "_encode",
                 "_open", "_closed", "_removed", "_local_removed", "_dirty", "_recent", "_recent_ring",
                 "_recent_at")

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
        self._open = []        # records of the open chunk (index self.last)
        self._closed = {}      # closed chunks not archived yet: {index: [records]}
        self._removed = []     # chunk indexes to delete from the archive
        self._local_removed = []  # local storage keys of chunks archived since the last write
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
        """Stores valid entries (logs.entry_problem is None) in order: Streams key order, a line number for
        INFO and above, repeats of a recent entry dropped, the oldest entries dropped beyond capacity. Returns
        how many were stored."""
        stored = 0
        for entry in entries:
            key = identity(entry)
            if key in self._recent:
                continue
            self._remember(key)
            line = 0
            if level_passes(entry["level"]):
                line = self.next_line
                self.next_line += 1
            if len(self._open) >= self.chunk_size:
                self._close_open_chunk()
            self._open.append(self._encode(canonical(entry, line)))
            self.counts[-1] += 1
            self.total += 1
            stored += 1
        if stored:
            self._dirty = True
            self._trim()
        return stored

    def _close_open_chunk(self):
        self._closed[self.last] = self._open
        self._open = []
        self.counts.append(0)

    def _drop_first_chunk(self):
        """Deletes the first (closed) chunk wherever it is: archived, still local (the open chunk it was, or an
        older format's), or not stored yet."""
        self._removed.append(self.first)
        self._local_removed.append(chunk_key(self.region, self.first))
        self._closed.pop(self.first, None)
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
                    self._open = []
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

    def meta(self):
        return {"version": FORMAT_VERSION, "capacity": self.capacity, "nextLine": self.next_line,
                "first": self.first, "skip": self.skip, "counts": list(self.counts)}

    def take_changes(self):
        """What to store since the last call: {"archive": {chunk index: text}, "local": {local storage key:
        value}, "archive_removed": [chunk indexes], "local_removed": [local storage keys]}, or None if nothing.
        Write the archive first, then local storage (the meta record and the open chunk), then delete: a log
        interrupted anywhere between is still whole."""
        if not self.pending:
            return None
        changes = {
            "archive": {index: ARCHIVE_JOIN.join(records) for index, records in self._closed.items()},
            "local": {chunk_key(self.region, self.last): RECORD_SEPARATOR.join(self._open),
                      meta_key(self.region): self.meta()},
            "archive_removed": list(self._removed),
            "local_removed": [chunk_key(self.region, index) for index in self._closed] + self._local_removed,
        }
        self._closed = {}
        self._removed = []
        self._local_removed = []
        self._dirty = False
        return changes

    def put_back(self, changes):
        """A take_changes() result that could not be stored: taken again by the next take_changes()."""
        for index, text in changes["archive"].items():
            if self.first <= index < self.last:
                self._closed[index] = archived_records(text)
        self._removed.extend(changes["archive_removed"])
        self._local_removed.extend(changes["local_removed"])
        self._dirty = True

    @property
    def pending(self):
        """Whether take_changes() has anything to store."""
        return self._dirty or bool(self._removed) or bool(self._closed) or bool(self._local_removed)

    def export_plan(self):
        """What a download reads: {"archived": indexes of the archived chunks, oldest first, "openKey": the open
        chunk's local storage key, "openCount": its records, "skip": records to leave out at the start, "count":
        records in all}. Valid once the changes taken so far are stored."""
        return {"archived": list(range(self.first, self.last)), "openKey": chunk_key(self.region, self.last),
                "openCount": self.counts[-1], "skip": self.skip, "count": self.total}

    @classmethod
    def restore(cls, region, meta, chunks, encode, decode, chunk_size=CHUNK_SIZE):
        """The ChunkedLog of a stored meta record and the local chunks restore_keys() names ({key: text};
        decode(text) gives the entry of a record or format-2 line). StateError if the meta record is not one;
        records that do not decode to a valid entry are dropped. A log of an older format comes back with its
        closed chunks to archive (and their local keys to delete)."""
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
        for key in restore_keys(region, meta):
            index = int(key[key.rindex(":") + 1:])
            separator = "\n" if version == NDJSON_FORMAT_VERSION else RECORD_SEPARATOR
            records = []
            items, dropped = _decoded_items(chunks.get(key), separator, decode)
            for text, entry in items:
                records.append(encode(entry) if version == NDJSON_FORMAT_VERSION else text)
                recent.append(identity(entry))
            if index == log.last:
                log._open = records
            else:
                log._closed[index] = records  # an older format: moves to the archive
            if len(records) != log.counts[index - log.first] or dropped or version != FORMAT_VERSION:
                log._dirty = True  # a chunk lost records (or the meta is behind): count what is there
                log.counts[index - log.first] = len(records)
                if index == log.first:
                    log.skip = min(log.skip, len(records))
        log._drop_used_up_chunks()
        log.total = sum(log.counts) - log.skip
        for key in recent[-RECENT_KEYS:]:
            log._remember(key)
        log._trim()
        return log


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
