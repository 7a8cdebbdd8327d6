"""Chunked log storage (core.log_chunks): what is written on each append, bounded size with the oldest entries
dropped first, restore after a restart, the upgrade of format-2 logs, and a download assembled the way the
extension page does it (stored records joined, nothing converted) byte for byte equal to the Streams sample."""
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
    """A key-value area that applies take_changes() like the platform layer does."""

    def __init__(self):
        self.items = {}
        self.writes = []

    def apply(self, log):
        writes, removed = log.take_changes()
        self.writes.append(writes)
        self.items.update(writes)
        for key in removed:
            self.items.pop(key, None)
        return writes, removed


def download(items, plan, filter_by_level):
    """What platform.downloads does with native JS calls: concatenate the chunks' records, take the planned
    range, keep the records the level pattern matches (when filtering), and join them into the file."""
    separator = log_chunks.RECORD_SEPARATOR
    texts = [items[key] for key in plan["keys"] if items.get(key)]
    records = separator.join(texts).split(separator) if texts else []
    records = records[plan["skip"]:plan["skip"] + plan["count"]]
    if filter_by_level:
        pattern = re.compile(log_chunks.LEVEL_FILTER_PATTERN)
        records = [record for record in records if pattern.search(record)]
    return log_chunks.download_text(records)


def restored(storage, region=REGION, capacity=None):
    meta = storage.items[log_chunks.meta_key(region)]
    tail = {key: storage.items.get(key) for key in log_chunks.restore_keys(region, meta)}
    log = log_chunks.ChunkedLog.restore(region, meta, tail, encode, json.loads, chunk_size=4)
    if capacity is not None:
        log.resize(capacity)
    return log


def texts(storage, log):
    plan = log.export_plan()
    return [item["text"] for item in json.loads(download(storage.items, plan, False))]


def test_an_append_writes_only_the_open_chunk_and_the_meta_record():
    log = log_chunks.ChunkedLog(REGION, 100, encode, chunk_size=4)
    storage = Storage()
    log.add([entry(n) for n in range(10)])
    writes, removed = storage.apply(log)
    assert sorted(writes) == ["log:us-east-1.blue", "log:us-east-1.blue:0", "log:us-east-1.blue:1",
                              "log:us-east-1.blue:2"]
    assert removed == []
    log.add([entry(10)])
    writes, _ = storage.apply(log)
    assert sorted(writes) == ["log:us-east-1.blue", "log:us-east-1.blue:2"]
    assert writes["log:us-east-1.blue"]["counts"] == [4, 4, 3]
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
    assert sorted(key for key in storage.items) == ["log:us-east-1.blue", "log:us-east-1.blue:2",
                                                    "log:us-east-1.blue:3"]


def test_repeats_are_dropped_and_lines_are_numbered_from_info_up():
    log = log_chunks.ChunkedLog(REGION, 100, encode, chunk_size=4)
    storage = Storage()
    assert log.add([entry(1), entry(2, "DEBUG"), entry(1), entry(3, "WARN")]) == 3
    assert log.add([entry(3, "WARN")]) == 0
    storage.apply(log)
    stored = json.loads(download(storage.items, log.export_plan(), False))
    assert [(item["text"], item["line"]) for item in stored] == [("line 1", 0), ("line 2", 0), ("line 3", 1)]


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
    _, removed = storage.apply(smaller)
    assert len(removed) == 6
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
    {"version": 4, "capacity": 5, "nextLine": 0, "first": 0, "skip": 0, "counts": [0]},
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


def format_2_storage(entries, chunk_size, capacity=100):
    """What the previous version of the extension stored: compact JSON lines joined by newlines."""
    old = log_chunks.ChunkedLog(REGION, capacity, encode_ndjson, chunk_size=chunk_size)
    old.add(entries)
    writes, _ = old.take_changes()
    items = {key: value.replace(log_chunks.RECORD_SEPARATOR, "\n") if isinstance(value, str) else value
             for key, value in writes.items()}
    items[log_chunks.meta_key(REGION)]["version"] = log_chunks.NDJSON_FORMAT_VERSION
    storage = Storage()
    storage.items.update(items)
    return storage


def test_a_format_2_log_is_rewritten_as_records_and_nothing_is_lost():
    storage = format_2_storage([entry(n) for n in range(11)], chunk_size=4, capacity=9)
    meta = storage.items[log_chunks.meta_key(REGION)]
    assert log_chunks.restore_keys(REGION, meta) == [f"log:{REGION}:{n}" for n in range(3)]  # every chunk
    assert "\n" in storage.items[f"log:{REGION}:1"] and log_chunks.RECORD_SEPARATOR not in storage.items[f"log:{REGION}:1"]
    again = restored(storage)
    writes, removed = storage.apply(again)
    assert sorted(writes) == [f"log:{REGION}", f"log:{REGION}:0", f"log:{REGION}:1", f"log:{REGION}:2"]
    assert removed == [] and writes[f"log:{REGION}"]["version"] == log_chunks.FORMAT_VERSION
    assert texts(storage, again) == [f"line {n}" for n in range(2, 11)]
    assert again.add([entry(10)]) == 0  # recent entries are still recognised
    assert restored(storage).export_plan() == again.export_plan()  # and the rewritten log restores as format 3


def test_a_format_2_chunk_that_lost_the_kept_lines_is_dropped_not_the_log():
    storage = format_2_storage([entry(n) for n in range(11)], chunk_size=4, capacity=9)  # skip 2 of chunk 0
    storage.items[f"log:{REGION}:0"] = "damaged"
    again = restored(storage)
    _, removed = storage.apply(again)
    assert removed == [f"log:{REGION}:0"]
    assert texts(storage, again) == [f"line {n}" for n in range(4, 11)]
    assert log_chunks.meta_problem(storage.items[log_chunks.meta_key(REGION)]) is None


def test_download_is_byte_identical_to_streams():
    """The Streams sample of test_core_logs, stored in chunks and assembled like the extension page does."""
    from test_core_logs import sample_log
    for filtered, sample in ((False, "streams_log_download.txt"), (True, "streams_log_download_filtered.txt")):
        log = log_chunks.ChunkedLog(REGION, 100, encode, chunk_size=3)
        storage = Storage()
        log.add(sample_log().entries())
        storage.apply(log)
        with open(os.path.join(FIXTURES_DIR, "logs", sample), encoding="utf-8") as handle:
            assert download(storage.items, log.export_plan(), filtered) == handle.read()


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
    assert download(storage.items, log.export_plan(), False) == download(storage.items, log.export_plan(), True) == "[]"


def test_records_never_contain_the_separator():
    odd = logs.make_entry("INFO", "control \x1e and \n and \u2028 characters", T0, LOGGER)
    record = encode(log_chunks.canonical(odd, 0))
    assert log_chunks.RECORD_SEPARATOR not in record and json.loads(record)["text"] == odd["text"]
