"""Logs: entries, relayed intake, the entry check, and the download format byte for byte against files the real
amazon-connect-streams 2.28.2 Logger wrote (fixtures/logs/make_streams_log_sample.js): the entries as stored by
log_chunks.ChunkedLog, written as JSON.stringify(entries, undefined, 4) writes them."""
import json
import os

import pytest

from core_testdata import FIXTURES_DIR
from grccp.core import log_chunks, logs
from grccp.core.errors import ProtocolError

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


def sample_entries():
    """The same lines the Node script logs, made with the core's API (before storage: line numbers are 0)."""
    return [
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
    ]


def stored_entries(entries):
    """`entries` as a ChunkedLog stores them (Streams key order, line numbers, repeats dropped), read back: each
    record a compact JSON text, all in the open chunk."""
    log = log_chunks.ChunkedLog("us-east-1", 100, lambda entry: json.dumps(entry, ensure_ascii=False))
    log.add(entries)
    plan = log.export_plan()
    assert plan["chunks"] == [] and plan["skip"] == 0
    return [json.loads(record) for record in plan["open"].split(log_chunks.RECORD_SEPARATOR)]


def test_download_is_byte_identical_to_streams():
    assert as_download(stored_entries(sample_entries())) == read_sample("streams_log_download.txt")


def test_filtered_download_is_byte_identical_to_streams():
    """filterByLogLevel: only entries at INFO or above (TRACE, DEBUG and unknown levels dropped)."""
    kept = [entry for entry in stored_entries(sample_entries()) if logs.level_passes(entry["level"])]
    assert as_download(kept) == read_sample("streams_log_download_filtered.txt")


def test_level_filter():
    assert [level for level in logs.LEVEL_ORDER if logs.level_passes(level)] == [
        "INFO", "LOG", "WARN", "ERROR", "CRITICAL"]
    for level in ("TRACE", "DEBUG", "TEST", "info", "BOGUS", "", None, 30, ["INFO"]):
        assert not logs.level_passes(level)


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
    {"level": "INFO", "text": "x", "exception": []}, {"level": "INFO", "text": "x", "objects": "[]"},
])
def test_malformed_relayed_entries(data):
    """(Every field checked: the parse is written out by hand, one branch per field.)"""
    with pytest.raises(ProtocolError):
        logs.parse_relayed_entry(data)


def test_duplicates_from_several_tabs_are_stored_once():
    """Every tab relays the same worker entries: whichever tab's intake made it, an entry is stored once."""
    log = log_chunks.ChunkedLog("us-east-1", 100, json.dumps)
    worker_line = {"level": "INFO", "text": "poll", "time": T0, "loggerId": "worker", "objects": []}
    assert log.add([relayed(worker_line, own="tab-1-logger", agent="agent-1")]) == 1
    assert log.add([relayed(worker_line, own="tab-2-logger"), relayed(worker_line, own="tab-3")]) == 0
    assert log.add([relayed(dict(worker_line, time=T0 + 1))]) == 1  # the same text at another time is another line
    assert len(log) == 2


def test_entry_problem_accepts_made_and_relayed_entries():
    assert logs.entry_problem(logs.make_entry("INFO", "x", T0, LOGGER)) is None
    assert logs.entry_problem(relayed({"level": "X", "text": "y"})) is None
    assert logs.entry_problem(relayed({"level": "INFO", "text": "y", "tabId": 7})) is None


@pytest.mark.parametrize("entry", [
    None, "junk", [], {}, {"level": "INFO"}, {"text": "no level"},
    dict(logs.make_entry("INFO", "x", 0, "l"), time="1970"),
    dict(logs.make_entry("INFO", "x", 0, "l"), bogus=1),
    dict(logs.make_entry("INFO", "x", 0, "l"), line="x"),
    dict(logs.make_entry("INFO", "x", 0, "l"), line=-1),
    dict(logs.make_entry("INFO", "x", 0, "l"), level=30),
    dict(logs.make_entry("INFO", "x", 0, "l"), objects={}),
    dict(logs.make_entry("INFO", "x", 0, "l"), tabId=[1]),
    {key: value for key, value in logs.make_entry("INFO", "x", 0, "l").items() if key != "loggerId"},
    dict(logs.make_entry("INFO", "x", 0, "l"), tabId="t", bogus=1),  # every optional field present, and one more
    dict(logs.make_entry("INFO", "x", 0, "l"), **{"1": 1}),
])
def test_entry_problem_refuses_broken_entries(entry):
    """What ChunkedLog.restore drops instead of storing (see test_core_log_chunks)."""
    assert isinstance(logs.entry_problem(entry), str)


def test_log_file_name():
    assert logs.log_file_name("us-east-1", "agent-log") == "us-east-1-agent-log.txt"
    assert logs.log_file_name("us-east-1.blue") == "us-east-1.blue-agent-log.txt"


def test_relayed_blocks_are_checked_and_converted_by_the_receiver_in_order():
    """cs:relayed-logs: a tab relays its CCPs' lines unread; the background drops the malformed ones (each problem
    said), and the tab's own lines coming back (no problem), and keeps the rest in order."""
    good = {"level": "INFO", "text": "worker line", "time": "2026-11-24T01:09:21.581Z", "loggerId": "worker"}
    own = dict(good, text="echo", loggerId=LOGGER)
    blocks = [([good, "not an object", own, {"level": "INFO"}], T0, "agent-1"),
              (None, T0, None),  # not JSON
              ([dict(good, text="later", time=None)], T0 + 5, "agent-2")]
    entries, problems = logs.intake_relayed_blocks(blocks, LOGGER, 1000)
    assert [(e["text"], e["time"], e["agentResourceId"]) for e in entries] == [
        ("worker line", "2026-11-24T01:09:21.581Z", "agent-1"), ("later", "2026-11-24T01:09:21.586Z", "agent-2")]
    assert entries[0] == relayed(good, agent="agent-1")  # what a tab made of it before
    assert problems == ["log entry is not an object", 'log entry has no "level" or "text" text',
                        "relayed log lines are not a JSON array"]
    assert all(logs.entry_problem(entry) is None for entry in entries)


def test_relayed_blocks_take_at_most_the_limit_of_a_message():
    line = {"level": "INFO", "text": "x"}
    entries, problems = logs.intake_relayed_blocks([([line] * 3, T0, None), ([line] * 3, T0, None)], LOGGER, 4)
    assert len(entries) == 4 and problems == ["2 relayed log lines over the limit of 4 a message"]
