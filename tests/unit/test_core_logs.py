"""Logs: entries, relayed intake, the ring buffer, and the download format byte for byte against files the real
amazon-connect-streams 2.28.2 Logger wrote (fixtures/logs/make_streams_log_sample.js)."""
import json
import os
import time

import pytest

from core_testdata import FIXTURES_DIR
from grccp.core import logs
from grccp.core.errors import ProtocolError, StateError

LOGGER = "1795482561573-twpcbvbog5s"
T0 = 1795482561581  # 2026-11-24T01:09:21.581Z


def read_sample(name):
    with open(os.path.join(FIXTURES_DIR, "logs", name), encoding="utf-8") as handle:
        return handle.read()


def as_download(entries):
    """What the platform layer writes: JSON.stringify(entries, undefined, 4), i.e. this for JSON-like data."""
    return json.dumps(entries, indent=4, ensure_ascii=False)


def relayed(data, now_ms=T0, own=LOGGER, agent=None):
    return logs.intake_relayed(logs.parse_relayed_entry(data), own, agent, now_ms)


def sample_log():
    """The same lines the Node script logs, made with the core's API."""
    region_log = logs.RegionLog(100)
    region_log.add([
        logs.make_entry("INFO", "Iframe initialization started", T0, LOGGER),
        logs.make_entry("DEBUG", 'debug line with "quotes" and unicode é ✓ and \\ backslash', T0 + 7, LOGGER),
        logs.make_entry("TRACE", "trace line\nsecond line", T0 + 8, LOGGER),
        logs.make_entry("WARN", "Something odd", T0 + 10, LOGGER,
                        objects=[{"count": 3, "nested": {"list": [1, 2.5, None, True]}}]),
        logs.make_entry("ERROR", "It failed", T0 + 13, LOGGER, exception={
            "type": "Error", "message": "boom", "stack": ["Error: boom", "    at x (y.js:1:2)"]}),
        logs.make_entry("LOG", "log level line", T0 + 17, LOGGER),
        relayed({"component": "softphone", "level": "INFO", "text": "worker says hi", "time": 0, "exception": None,
                 "objects": [], "line": 99, "agentResourceId": "x", "loggerId": "worker-logger",
                 "contextLayer": "SharedWorker"}),
        relayed({"level": "BOGUS", "text": "unknown level", "time": 1795482561573, "loggerId": "worker-logger",
                 "objects": [{"a": "b"}]}),
    ])
    return region_log


def test_download_is_byte_identical_to_streams():
    entries = sample_log().entries()
    assert as_download(logs.export_entries(entries, False)) == read_sample("streams_log_download.txt")


def test_filtered_download_is_byte_identical_to_streams():
    entries = sample_log().entries()
    assert as_download(logs.export_entries(entries, True)) == read_sample("streams_log_download_filtered.txt")


def test_level_filter():
    assert [level for level in logs.LEVEL_ORDER if logs.level_passes(level)] == [
        "INFO", "LOG", "WARN", "ERROR", "CRITICAL"]
    for level in ("TRACE", "DEBUG", "TEST", "info", "BOGUS", "", None, 30, ["INFO"]):
        assert not logs.level_passes(level)


def test_line_numbers_only_for_info_and_above_and_continue_across_batches():
    region_log = logs.RegionLog(10)
    region_log.add([logs.make_entry(level, f"{level} {i}", T0 + i, LOGGER) for i, level in
                    enumerate(["DEBUG", "INFO", "WARN", "TRACE"])])
    region_log.add([logs.make_entry("ERROR", "e", T0 + 9, LOGGER)])
    assert [e["line"] for e in region_log.entries()] == [0, 0, 1, 0, 2]
    assert region_log.next_line == 3


def test_intake_drops_own_entries_and_keeps_foreign_fields():
    assert relayed({"level": "INFO", "text": "echo", "loggerId": LOGGER}) is None
    entry = relayed({"component": "softphone", "level": "WARN", "text": "t", "time": "2026-01-01T10:00:05.123+01:00",
                     "tabId": "tab-7", "exception": {"type": "E"}, "objects": [1], "line": 5, "agentResourceId": "zz",
                     "loggerId": "other", "contextLayer": "CCP", "extra": "ignored"}, agent="agent-1")
    assert entry == {"component": "ccp", "level": "WARN", "text": "t", "time": "2026-01-01T09:00:05.123Z",
                     "tabId": "tab-7", "exception": {"type": "E"}, "objects": [1], "line": 0,
                     "agentResourceId": "agent-1", "loggerId": "other", "contextLayer": "CCP"}
    assert list(entry) == ["component", "level", "text", "time", "tabId", "exception", "objects", "line",
                           "agentResourceId", "loggerId", "contextLayer"]


def test_intake_defaults():
    entry = relayed({"level": "INFO", "text": "x", "tabId": 0, "contextLayer": ""}, now_ms=T0)
    assert entry["time"] == "2026-11-24T01:09:21.581Z"  # no time: the moment of intake
    assert entry["tabId"] is None and entry["contextLayer"] == "CRM" and entry["loggerId"] is None
    assert "exception" not in entry and "objects" not in entry


@pytest.mark.parametrize("data", [
    None, [], "x", {}, {"level": "INFO"}, {"text": "x"}, {"level": 30, "text": "x"}, {"level": "INFO", "text": None},
    {"level": "INFO", "text": "x", "time": "yesterday"}, {"level": "INFO", "text": "x", "time": True},
    {"level": "INFO", "text": "x", "time": float("nan")}, {"level": "INFO", "text": "x", "objects": {}},
    {"level": "INFO", "text": "x", "exception": "boom"}, {"level": "INFO", "text": "x", "loggerId": 5},
    {"level": "INFO", "text": "x", "tabId": [1]}, {"level": "INFO", "text": "x", "contextLayer": 1},
])
def test_malformed_relayed_entries(data):
    with pytest.raises(ProtocolError):
        logs.parse_relayed_entry(data)


def test_ring_buffer_drops_oldest_first_and_keeps_order():
    region_log = logs.RegionLog(3)
    for i in range(7):
        region_log.add([logs.make_entry("INFO", f"line {i}", T0 + i, LOGGER)])
    assert [e["text"] for e in region_log.entries()] == ["line 4", "line 5", "line 6"]
    assert [e["line"] for e in region_log.entries()] == [4, 5, 6]
    assert len(region_log) == 3


def test_duplicates_from_several_tabs_are_stored_once():
    region_log = logs.RegionLog(100)
    worker_line = {"level": "INFO", "text": "poll", "time": T0, "loggerId": "worker", "objects": []}
    assert region_log.add([relayed(worker_line, own="tab-1-logger")]) == 1
    assert region_log.add([relayed(worker_line, own="tab-2-logger"), relayed(worker_line, own="tab-3")]) == 0
    assert region_log.add([relayed(dict(worker_line, time=T0 + 1))]) == 1
    assert len(region_log) == 2


def test_duplicate_window_is_bounded():
    region_log = logs.RegionLog(10)
    first = logs.make_entry("INFO", "first", T0, LOGGER)
    region_log.add([first])
    region_log.add([logs.make_entry("INFO", f"l{i}", T0, LOGGER) for i in range(logs.RECENT_KEYS)])
    assert region_log.add([first]) == 1  # long forgotten: stored again


def test_append_is_amortised_constant_time():
    region_log = logs.RegionLog(50000)
    batch = [logs.make_entry("INFO", f"line {i}", T0 + i, LOGGER) for i in range(120000)]
    started = time.perf_counter()
    for start in range(0, len(batch), 1000):
        region_log.add(batch[start:start + 1000])
    elapsed = time.perf_counter() - started
    assert len(region_log) == 50000 and region_log.entries()[0]["text"] == "line 70000"
    assert elapsed < 2.0, elapsed


def test_export_of_fifty_thousand_entries_is_fast():
    entries = [logs.make_entry("DEBUG" if i % 3 else "INFO", "x", T0 + i, LOGGER) for i in range(50000)]
    started = time.perf_counter()
    everything = logs.export_entries(entries, False)
    filtered = logs.export_entries(entries, True)
    elapsed = time.perf_counter() - started
    assert len(everything) == 50000 and len(filtered) == 16667
    assert elapsed < 0.2, elapsed


def test_export_returns_a_new_list():
    entries = sample_log().entries()
    exported = logs.export_entries(entries, False)
    exported.pop()
    assert len(entries) == 8


def test_persistence_round_trip_and_resize():
    region_log = sample_log()
    restored = logs.RegionLog.from_dict(json.loads(json.dumps(region_log.to_dict())))
    assert restored.to_dict() == region_log.to_dict()
    restored.add([logs.make_entry("INFO", "after restore", T0 + 100, LOGGER)])
    assert restored.entries()[-1]["line"] == region_log.next_line
    assert restored.add([region_log.entries()[-1]]) == 0  # the duplicate window is rebuilt on restore
    smaller = restored.resized(2)
    assert [e["text"] for e in smaller.entries()] == ["unknown level", "after restore"]


@pytest.mark.parametrize("data", [
    None, [], {}, {"capacity": 0, "nextLine": 0, "entries": []}, {"capacity": 5, "nextLine": -1, "entries": []},
    {"capacity": 5, "nextLine": 0, "entries": [{}]},
    {"capacity": 5, "nextLine": 0, "entries": [dict(logs.make_entry("INFO", "x", 0, "l"), time="1970")]},
    {"capacity": 5, "nextLine": 0, "entries": [dict(logs.make_entry("INFO", "x", 0, "l"), bogus=1)]},
    {"capacity": "5", "nextLine": 0, "entries": []},
])
def test_corrupt_stored_log(data):
    with pytest.raises(StateError):
        logs.RegionLog.from_dict(data)


def test_entry_problem_accepts_made_and_relayed_entries():
    assert logs.entry_problem(logs.make_entry("INFO", "x", T0, LOGGER)) is None
    assert logs.entry_problem(relayed({"level": "X", "text": "y"})) is None
    assert logs.entry_problem({"level": "INFO"}) is not None


def test_log_file_name():
    assert logs.log_file_name("us-east-1", "agent-log") == "us-east-1-agent-log.txt"
    assert logs.log_file_name("us-east-1.blue") == "us-east-1.blue-agent-log.txt"


def test_restore_checks_newest_entries_in_full_and_older_ones_for_a_level():
    good = [logs.make_entry("INFO", f"l{i}", T0 + i, LOGGER) for i in range(logs.RECENT_KEYS + 2)]
    data = {"version": logs.LOG_FORMAT_VERSION, "capacity": 10000, "nextLine": 5, "entries": good}
    assert len(logs.RegionLog.from_dict(data)) == len(good)
    for index, broken, ok in [(0, dict(good[0], line="x"), True),          # old: only what export needs
                              (0, {"text": "no level"}, False),
                              (0, "junk", False),
                              (len(good) - 1, dict(good[-1], line="x"), False)]:
        entries = list(good)
        entries[index] = broken
        if ok:
            logs.RegionLog.from_dict(dict(data, entries=entries))
        else:
            with pytest.raises(StateError, match=f"entry {index} "):
                logs.RegionLog.from_dict(dict(data, entries=entries))
    with pytest.raises(StateError):
        logs.RegionLog.from_dict(dict(data, version=2))
