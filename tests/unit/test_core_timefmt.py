"""ISO-8601 <-> epoch ms without datetime, checked against datetime."""
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grccp.core import timefmt

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


FIRST_DATETIME_MS = -62135596800000  # 0001-01-01: datetime cannot go lower; year 0 is checked by hand below


def reference_iso(ms):
    moment = EPOCH + datetime.timedelta(milliseconds=ms)
    return (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:{moment.minute:02d}:"
            f"{moment.second:02d}.{ms % 1000:03d}Z")


@settings(max_examples=300, deadline=None)
@given(st.integers(FIRST_DATETIME_MS, timefmt.MAX_MS))
def test_format_and_parse_agree_with_datetime(ms):
    text = timefmt.format_iso_ms(ms)
    assert text == reference_iso(ms)
    assert timefmt.parse_iso_ms(text) == ms


@pytest.mark.parametrize("ms", [0, -1, 86399999, 86400000, 951782400000, 4107542400000, FIRST_DATETIME_MS,
                                FIRST_DATETIME_MS - 1, timefmt.MIN_MS, timefmt.MAX_MS, 1795482561581])
def test_edges(ms):
    expected = {timefmt.MIN_MS: "0000-01-01T00:00:00.000Z",  # what JS toISOString writes for these
                FIRST_DATETIME_MS - 1: "0000-12-31T23:59:59.999Z"}.get(ms) or reference_iso(ms)
    assert timefmt.format_iso_ms(ms) == expected
    assert timefmt.parse_iso_ms(expected) == ms


@pytest.mark.parametrize("text, ms", [
    ("2026-11-24T01:09:21.581Z", 1795482561581),
    ("2026-11-24T01:09:21Z", 1795482561000),
    ("2026-11-24T01:09:21.5Z", 1795482561500),
    ("2026-11-24T01:09:21.581999Z", 1795482561581),
    ("2026-11-24T02:09:21.581+01:00", 1795482561581),
    ("2026-11-23T20:39:21.581-04:30", 1795482561581),
    ("2024-02-29T00:00:00.000Z", 1709164800000),
])
def test_parse(text, ms):
    assert timefmt.parse_iso_ms(text) == ms


@pytest.mark.parametrize("text", [
    "", "2026-11-24", "2026-11-24T01:09:21", "2026-11-24 01:09:21Z", "2026-13-01T00:00:00Z",
    "2025-02-29T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T01:60:00Z",
    "2026-11-24T01:09:60Z", "2026-11-24T01:09:21.Z", "2026-11-24T01:09:21.581+0100", "2026-11-24T01:09:21.581+24:00",
    "２026-11-24T01:09:21Z", "2026-11-24T01:09:21.58１Z", "2026-11-24T01:09:21.581z", "+02026-11-24T01:09:21Z",
    "2026-11-24T01:09:21.581Z ", None, 5,
])
def test_parse_refuses(text):
    assert timefmt.parse_iso_ms(text) is None


@pytest.mark.parametrize("value, ms", [
    (1795482561581, 1795482561581), (1795482561581.9, 1795482561581), (-1.5, -1), ("1970-01-01T00:00:00.000Z", 0),
    (True, None), (None, None), (float("nan"), None), (float("inf"), None), (timefmt.MAX_MS + 1, None), ([], None),
    ("1795482561581", None),
])
def test_to_epoch_ms(value, ms):
    assert timefmt.to_epoch_ms(value) == ms


def test_formatting_in_any_order_within_and_across_seconds():
    for ms in [1795482561581, 1795482561999, 1795482561000, 1795482562000, 1795482561581, 0, 1795482561582]:
        assert timefmt.format_iso_ms(ms) == reference_iso(ms)


@pytest.mark.parametrize("value, text", [
    ("2026-11-24T01:09:21.581Z", "2026-11-24T01:09:21.581Z"), ("2026-11-24T02:09:21.5+01:00", "2026-11-24T01:09:21.500Z"),
    ("2026-11-24T01:09:21Z", "2026-11-24T01:09:21.000Z"), (1795482561581, "2026-11-24T01:09:21.581Z"),
    ("2026-11-24T01:09:61.581Z", None), ("yesterday", None), (True, None), (None, None), ([], None),
])
def test_iso_text(value, text):
    assert timefmt.iso_text(value) == text


@settings(max_examples=200, deadline=None)
@given(st.integers(timefmt.MIN_MS, timefmt.MAX_MS), st.text("0123456789.:-TZ", min_size=3, max_size=3))
def test_iso_text_of_remembered_seconds_is_parsed_text(ms, tail):
    """Text within a second already seen is taken as it is only when it is exactly what format_iso_ms writes;
    anything else in that second (other digits, other characters) goes through the parser."""
    canonical = timefmt.format_iso_ms(ms)
    assert timefmt.iso_text(canonical) == canonical  # remembered now
    assert timefmt.iso_text(canonical) == canonical
    variant = canonical[:20] + tail + "Z"
    expected = timefmt.parse_iso_ms(variant)
    assert timefmt.iso_text(variant) == (None if expected is None else timefmt.format_iso_ms(expected))


def test_text_parsed_again_gets_the_same_answer_after_the_memo_is_full():
    texts = [timefmt.format_iso_ms(1795482561581 + second * 1000) for second in range(timefmt._PARSED_CACHE_LIMIT + 5)]
    for _ in range(2):
        assert [timefmt.parse_iso_ms(text) for text in texts] == [1795482561581 + s * 1000 for s in range(len(texts))]
        assert timefmt.parse_iso_ms("2026-11-24T01:09:60Z") is None
    assert len(timefmt._parsed_iso) <= timefmt._PARSED_CACHE_LIMIT
