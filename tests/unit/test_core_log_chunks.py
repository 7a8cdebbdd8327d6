"""Chunked log storage (core.log_chunks): what is written on each append, bounded size with the oldest entries
dropped first, line numbers and repeats, the cost of an append, restore after a restart, the upgrade of format-2
logs, and a download assembled the way the extension page does it (stored records joined, nothing converted) byte
for byte equal to the Streams sample."""
import json
import os
import re

import pytest

from core_testdata import FIXTURES_DIR
from grccp.core import log_chunks, logs
from grccp.core.errors import StateError

REGION = "us-east-1.blue"
LOGGER = "1795482561573-twpcbvbog5s"
T0 = 1795482561581


def encode(entry):
    """What the extension stores: the record of JSON.stringify(entry, undefined, 4) (non-ASCII kept)."""
    return log_chunks.as_record(json.dumps(entry, ensure_ascii=False, indent=4))


def encode_ndjson(entry):
    """A line of format 2: what JSON.stringify(entry) writes."""
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def entry(number, level="INFO", logger=LOGGER):
    return logs.make_entry(level, f"line {number}", T0 + number, logger)


class Storage:
    """Local storage and the archive, applying take_changes() like platform.log_store does."""

    def __init__(self):
        self.items = {}    # local storage
        self.archive = {}  # (region, chunk index) -> text

    def apply(self, log):
        """Returns (keys written to local storage and the archive, keys deleted from both)."""
        changes = log.take_changes()
        if changes is None:
            return {}, []
        self.archive.update({(log.region, index): text for index, text in changes["archive"].items()})
        self.items.update(changes["local"])
        for key in changes["local_removed"]:
            self.items.pop(key, None)
        for index in changes["archive_removed"]:
            self.archive.pop((log.region, index), None)
        written = dict(changes["local"], **{f"archive:{index}": text for index, text in changes["archive"].items()})
        return written, changes["local_removed"] + [f"archive:{index}" for index in changes["archive_removed"]]

    def keys(self, region=REGION):
        return sorted(key for key in self.items if key.startswith(f"log:{region}")) + \
            [f"archive:{index}" for r, index in sorted(self.archive) if r == region]


def download(storage, plan, filter_by_level, region=REGION):
    """What platform.pages.log_files does with native JS calls: the archived chunks as they are and the open chunk
    joined; the first chunk's skipped records cut off; with filtering, only the records the level pattern
    matches."""
    chunks = [archived_records(storage.archive[(region, index)]) for index in plan["archived"]]
    open_text = storage.items.get(plan["openKey"])
    chunks.append(open_text.split(log_chunks.RECORD_SEPARATOR)[:plan["openCount"]] if open_text else [])
    records = [record for chunk in chunks for record in chunk][plan["skip"]:]
    assert len(records) == plan["count"]
    if filter_by_level:
        pattern = re.compile(log_chunks.LEVEL_FILTER_PATTERN)
        records = [record for record in records if pattern.search(record)]
    return log_chunks.download_text(records)


def archived_records(text):
    records = log_chunks.archived_records(text)
    assert log_chunks.ARCHIVE_JOIN.join(records) == text  # a download may also hand the text on as it is
    return records


def restored(storage, region=REGION, capacity=None):
    meta = storage.items[log_chunks.meta_key(region)]
    tail = {key: storage.items.get(key) for key in log_chunks.restore_keys(region, meta)}
    log = log_chunks.ChunkedLog.restore(region, meta, tail, encode, json.loads, chunk_size=4)
    if capacity is not None:
        log.resize(capacity)
    return log


def texts(storage, log):
    plan = log.export_plan()
    return [item["text"] for item in json.loads(download(storage, plan, False))]


def test_an_append_writes_only_the_open_chunk_and_the_meta_record():
    log = log_chunks.ChunkedLog(REGION, 100, encode, chunk_size=4)
    storage = Storage()
    log.add([entry(n) for n in range(10)])
    writes, _ = storage.apply(log)
    assert sorted(writes) == ["archive:0", "archive:1", "log:us-east-1.blue", "log:us-east-1.blue:2"]
    log.add([entry(10)])
    writes, removed = storage.apply(log)
    assert sorted(writes) == ["log:us-east-1.blue", "log:us-east-1.blue:2"]
    assert writes["log:us-east-1.blue"]["counts"] == [4, 4, 3]
    log.add([entry(11), entry(12)])
    writes, removed = storage.apply(log)  # the open chunk filled up: archived, and its local copy deleted
    assert sorted(writes) == ["archive:2", "log:us-east-1.blue", "log:us-east-1.blue:3"]
    assert "log:us-east-1.blue:2" in removed and "log:us-east-1.blue:2" not in storage.items
    assert storage.apply(log) == ({}, [])  # nothing new, nothing written


def test_the_oldest_entries_go_first_and_exactly_capacity_stay():
    log = log_chunks.ChunkedLog(REGION, 6, encode, chunk_size=4)
    storage = Storage()
    for number in range(15):
        log.add([entry(number)])
        storage.apply(log)
        assert len(log) == min(number + 1, 6)
        assert texts(storage, log) == [f"line {n}" for n in range(max(0, number - 5), number + 1)]
    # used-up chunks were deleted from storage, not left behind
    assert storage.keys() == ["log:us-east-1.blue", "log:us-east-1.blue:3", "archive:2"]


def test_repeats_are_dropped_and_lines_are_numbered_from_info_up():
    log = log_chunks.ChunkedLog(REGION, 100, encode, chunk_size=4)
    storage = Storage()
    assert log.add([entry(1), entry(2, "DEBUG"), entry(1), entry(3, "WARN")]) == 3
    assert log.add([entry(3, "WARN")]) == 0
    storage.apply(log)
    stored = json.loads(download(storage, log.export_plan(), False))
    assert [(item["text"], item["line"]) for item in stored] == [("line 1", 0), ("line 2", 0), ("line 3", 1)]


def test_line_numbers_continue_across_batches_and_stay_when_the_oldest_go():
    log = log_chunks.ChunkedLog(REGION, 4, encode, chunk_size=3)
    storage = Storage()
    log.add([entry(n, level) for n, level in enumerate(["DEBUG", "INFO", "WARN", "TRACE"])])
    log.add([entry(4, "ERROR")])
    storage.apply(log)
    stored = json.loads(download(storage, log.export_plan(), False))
    assert [(item["level"], item["line"]) for item in stored] == [("INFO", 0), ("WARN", 1), ("TRACE", 0), ("ERROR", 2)]
    assert log.next_line == 3


def test_the_repeat_window_is_bounded():
    log = log_chunks.ChunkedLog(REGION, 10, encode)
    log.add([entry(0)])
    log.add([logs.make_entry("INFO", f"other {n}", T0, LOGGER) for n in range(logs.RECENT_KEYS - 1)])
    assert log.add([entry(0)]) == 0  # still among the RECENT_KEYS newest
    log.add([logs.make_entry("INFO", "one more", T0, LOGGER)])
    assert log.add([entry(0)]) == 1  # forgotten: stored again


def test_appends_cost_the_same_however_long_the_log():
    """120,000 entries through a 50,000-entry log in batches of 1,000, each batch's changes taken and stored: each
    entry is encoded once, and what a batch writes is bounded by the batch and one chunk, however long the log
    (a log that rewrote or copied itself per append would write all of it). Counted, not timed: a timing depends on
    the machine's load."""
    encoded = [0]

    def counting_encode(item):
        encoded[0] += 1
        return encode_ndjson(item)
    log = log_chunks.ChunkedLog(REGION, 50000, counting_encode)
    storage = Storage()
    batch = [entry(n) for n in range(120000)]
    most_written = 0
    for start in range(0, len(batch), 1000):
        log.add(batch[start:start + 1000])
        written, _ = storage.apply(log)
        records = sum(len(log_chunks.archived_records(text)) for key, text in written.items()
                      if key.startswith("archive:"))
        records += sum(len(value.split(log_chunks.RECORD_SEPARATOR)) for key, value in written.items()
                       if isinstance(value, str) and not key.startswith("archive:"))
        most_written = max(most_written, records)
    assert encoded[0] == len(batch)
    assert most_written <= 1000 + 2 * log_chunks.CHUNK_SIZE, most_written
    plan = log.export_plan()
    assert len(log) == plan["count"] == 50000
    first = storage.archive[(REGION, plan["archived"][0])].split(",\n")[plan["skip"]]
    assert json.loads(first)["text"] == "line 70000"


def test_restore_continues_where_the_log_was():
    log = log_chunks.ChunkedLog(REGION, 8, encode, chunk_size=4)
    storage = Storage()
    log.add([entry(n) for n in range(10)])
    storage.apply(log)
    again = restored(storage)
    assert (len(again), again.next_line, again.export_plan()) == (len(log), log.next_line, log.export_plan())
    assert again.add([entry(9)]) == 0  # a repeat of a recent entry, recognised after the restart
    again.add([entry(10), entry(11)])
    storage.apply(again)
    assert texts(storage, again) == [f"line {n}" for n in range(4, 12)]


def test_restore_to_a_smaller_capacity_keeps_the_newest():
    log = log_chunks.ChunkedLog(REGION, 100, encode, chunk_size=4)
    storage = Storage()
    log.add([entry(n) for n in range(30)])
    storage.apply(log)
    smaller = restored(storage, capacity=5)
    storage.apply(smaller)
    assert storage.keys() == ["log:us-east-1.blue", "log:us-east-1.blue:7", "archive:6"]
    assert texts(storage, smaller) == [f"line {n}" for n in range(25, 30)]


def test_restore_drops_tail_records_that_are_not_entries():
    log = log_chunks.ChunkedLog(REGION, 100, encode, chunk_size=4)
    storage = Storage()
    log.add([entry(n) for n in range(6)])
    storage.apply(log)
    storage.items["log:us-east-1.blue:1"] += '\x1enot json\x1e{"component":"ccp"}'
    again = restored(storage)
    assert len(again) == 6
    storage.apply(again)
    assert texts(storage, again) == [f"line {n}" for n in range(6)]


@pytest.mark.parametrize("meta", [
    None, [], {}, {"version": 1, "capacity": 5, "nextLine": 0, "first": 0, "skip": 0, "counts": [0]},
    {"version": 5, "capacity": 5, "nextLine": 0, "first": 0, "skip": 0, "counts": [0]},
    {"version": 3, "capacity": 5, "nextLine": 0, "first": 0, "skip": 1, "counts": [1, 1]},
    {"version": 2, "capacity": 0, "nextLine": 0, "first": 0, "skip": 0, "counts": [0]},
    {"version": 2, "capacity": 5, "nextLine": 0, "first": 0, "skip": 0, "counts": []},
    {"version": 2, "capacity": 5, "nextLine": 0, "first": 0, "skip": 3, "counts": [2]},
    {"version": 2, "capacity": 5, "nextLine": 0, "first": 0, "skip": 2, "counts": [2, 1]},
    {"version": 2, "capacity": 5, "nextLine": 0, "first": 0, "skip": 0, "counts": [1, "2"]},
    {"version": 2, "capacity": 5, "nextLine": -1, "first": 0, "skip": 0, "counts": [1]},
])
def test_a_bad_meta_record_is_refused(meta):
    with pytest.raises(StateError):
        log_chunks.ChunkedLog.restore(REGION, meta, {}, encode, json.loads)


def older_format_storage(version, entries, chunk_size, capacity=100):
    """What an earlier version of the extension stored: every chunk in local storage, as compact JSON lines
    joined by newlines (format 2) or as records joined by the record separator (format 3)."""
    ndjson = version == log_chunks.NDJSON_FORMAT_VERSION
    old = log_chunks.ChunkedLog(REGION, capacity, encode_ndjson if ndjson else encode, chunk_size=chunk_size)
    old.add(entries)
    changes = old.take_changes()
    separator = "\n" if ndjson else log_chunks.RECORD_SEPARATOR
    storage = Storage()
    for index, text in changes["archive"].items():
        records = text.split(",\n") if ndjson else log_chunks.archived_records(text)
        storage.items[log_chunks.chunk_key(REGION, index)] = separator.join(records)
    for key, value in changes["local"].items():
        storage.items[key] = value.replace(log_chunks.RECORD_SEPARATOR, separator) if isinstance(value, str) else value
    storage.items[log_chunks.meta_key(REGION)]["version"] = version
    return storage


OLDER_FORMATS = (log_chunks.NDJSON_FORMAT_VERSION, log_chunks.LOCAL_RECORDS_FORMAT_VERSION)


@pytest.mark.parametrize("version", OLDER_FORMATS)
def test_an_older_format_moves_to_the_archive_and_nothing_is_lost(version):
    storage = older_format_storage(version, [entry(n) for n in range(11)], chunk_size=4, capacity=9)
    meta = storage.items[log_chunks.meta_key(REGION)]
    assert log_chunks.restore_keys(REGION, meta) == [f"log:{REGION}:{n}" for n in range(3)]  # every chunk
    again = restored(storage)
    writes, _ = storage.apply(again)
    assert writes[f"log:{REGION}"]["version"] == log_chunks.FORMAT_VERSION
    assert storage.keys() == [f"log:{REGION}", f"log:{REGION}:2", "archive:0", "archive:1"]
    assert texts(storage, again) == [f"line {n}" for n in range(2, 11)]
    assert again.add([entry(10)]) == 0  # recent entries are still recognised
    assert restored(storage).export_plan() == again.export_plan()  # and the upgraded log restores as it is


@pytest.mark.parametrize("version", OLDER_FORMATS)
def test_an_older_chunk_that_lost_the_kept_records_is_dropped_not_the_log(version):
    storage = older_format_storage(version, [entry(n) for n in range(11)], chunk_size=4, capacity=9)
    storage.items[f"log:{REGION}:0"] = "damaged"  # it held 4 records, 2 of them skipped
    again = restored(storage)
    storage.apply(again)
    assert storage.keys() == [f"log:{REGION}", f"log:{REGION}:2", "archive:1"]
    assert texts(storage, again) == [f"line {n}" for n in range(4, 11)]
    assert log_chunks.meta_problem(storage.items[log_chunks.meta_key(REGION)]) is None


@pytest.mark.parametrize("version", OLDER_FORMATS)
def test_an_older_log_that_lost_a_middle_chunk_restores_after_trimming(version):
    storage = older_format_storage(version, [entry(n) for n in range(13)], chunk_size=4)
    storage.items[f"log:{REGION}:1"] = "damaged"  # counts [4, 0, 4, 1]: dropping chunk 0 makes the empty one first
    storage.apply(restored(storage, capacity=5))
    assert texts(storage, restored(storage)) == [f"line {n}" for n in range(8, 13)]


def test_changes_that_could_not_be_stored_are_taken_again():
    log = log_chunks.ChunkedLog(REGION, 100, encode, chunk_size=4)
    log.add([entry(n) for n in range(6)])
    failed = log.take_changes()
    log.put_back(failed)
    storage = Storage()
    storage.apply(log)
    assert storage.keys() == [f"log:{REGION}", f"log:{REGION}:1", "archive:0"]
    assert texts(storage, log) == [f"line {n}" for n in range(6)]


def test_download_is_byte_identical_to_streams():
    """The Streams sample of test_core_logs, stored in chunks and assembled like the extension page does."""
    from test_core_logs import sample_entries
    for filtered, sample in ((False, "streams_log_download.txt"), (True, "streams_log_download_filtered.txt")):
        log = log_chunks.ChunkedLog(REGION, 100, encode, chunk_size=3)
        storage = Storage()
        log.add(sample_entries())
        storage.apply(log)
        with open(os.path.join(FIXTURES_DIR, "logs", sample), encoding="utf-8") as handle:
            assert download(storage, log.export_plan(), filtered) == handle.read()


def test_level_pattern_matches_exactly_the_levels_the_filter_keeps():
    pattern = re.compile(log_chunks.LEVEL_FILTER_PATTERN)
    for level in list(logs.LEVEL_ORDER) + ["BOGUS", "info", "INFO2"]:
        for component in ("ccp", 'odd "quoted" \\ component', "level", 'x",\n        "level": "INFO'):
            record = encode(log_chunks.canonical(logs.make_entry(level, '"level": "INFO"', T0, LOGGER,
                                                                 component=component), 0))
            assert bool(pattern.search(record)) == logs.level_passes(level), (level, component)


def test_an_empty_log_downloads_as_an_empty_array():
    log = log_chunks.ChunkedLog(REGION, 10, encode)
    storage = Storage()
    storage.apply(log)
    assert download(storage, log.export_plan(), False) == download(storage, log.export_plan(), True) == "[]"


def test_records_never_contain_the_separator():
    odd = logs.make_entry("INFO", "control \x1e and \n and \u2028 characters", T0, LOGGER)
    record = encode(log_chunks.canonical(odd, 0))
    assert log_chunks.RECORD_SEPARATOR not in record and json.loads(record)["text"] == odd["text"]


def test_archived_records_split_only_where_records_meet():
    tricky = [logs.make_entry("INFO", 'a },\n    { b', T0, LOGGER, objects=[{"x": {"y": [1, {}]}}]),
              logs.make_entry("WARN", "},\n    {", T0 + 1, LOGGER, exception={"message": "    {"})]
    records = [encode(log_chunks.canonical(item, 0)) for item in tricky * 3]
    text = log_chunks.ARCHIVE_JOIN.join(records)
    assert log_chunks.archived_records(text) == records
    assert re.split(log_chunks.ARCHIVE_SPLIT_PATTERN, text) == records  # the page's native split
