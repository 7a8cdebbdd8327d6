"""The benchmark's statistics and report (the browser part is proven by `make bench-smoke` in CI)."""
import json

import pytest

from bench import stats


def test_median_of_odd_and_even_counts():
    assert stats.median([5, 1, 3]) == 3
    assert stats.median([4, 1, 3, 2]) == 2.5
    with pytest.raises(ValueError):
        stats.median([])


@pytest.mark.parametrize("fraction, expected", [(0.95, 19), (0.5, 10), (0.05, 1), (1.0, 20)])
def test_percentile_is_nearest_rank(fraction, expected):
    samples = list(range(1, 21))
    assert stats.percentile(samples, fraction) == expected


def test_p95_of_seven_samples_is_the_largest():
    assert stats.percentile([7, 1, 2, 3, 4, 5, 6], 0.95) == 7


def test_summarize_rounds_and_keeps_the_samples():
    summary = stats.summarize([10.04, 20.06, 30.0])
    assert summary == {"n": 3, "median": 20.1, "p95": 30.0, "min": 10.0, "max": 30.0,
                       "samples": [10.0, 20.1, 30.0]}
    assert stats.summarize([1024.4, 2048.6], digits=0)["median"] == 1536
    assert stats.summarize([]) is None


def test_ratio_of_medians():
    assert stats.ratio({"median": 50}, {"median": 100}) == 0.5
    assert stats.ratio(3, 2) == 1.5
    assert stats.ratio({"median": 1}, {"median": 0}) is None
    assert stats.ratio(None, 2) is None


def test_metric_block_with_and_without_a_reference():
    block = stats.metric_block([10, 12, 14], [20, 20, 40], parts={"a": 1})
    assert block["extension"]["median"] == 12 and block["reference"]["median"] == 20
    assert block["ratio"] == 0.6 and block["parts"] == {"a": 1}
    alone = stats.metric_block([30, 40])
    assert "reference" not in alone and alone["ratio"] is None


def test_parts_medians_takes_each_part_over_the_samples_that_have_it():
    parts = stats.parts_medians({"extension": [{"a": 1, "b": 10}, {"a": 3}, {"a": 2, "b": 30}]})
    assert parts == {"extension": {"a": 2, "b": 20}}


def mode_blocks(reference=(2, 4, 6)):
    blocks = {name: stats.metric_block([1, 2, 3], list(reference) if has_reference else None)
              for name, _, has_reference in stats.METRICS if name != "payload_bytes"}
    blocks["payload_bytes"] = stats.payload_block({"raw": 2000, "gzip": 500, "files": {}},
                                                  {"raw": 1000, "gzip": 400, "files": {}})
    return blocks


def full_document():
    return stats.results_document({None: mode_blocks()}, {"cpu_count": 2})


def test_results_document_has_exactly_the_metric_keys_and_machine():
    document = full_document()
    assert list(document) == [name for name, _, _ in stats.METRICS] + ["machine"]
    assert document["payload_bytes"]["ratio"] == 2.0 and document["payload_bytes"]["ratio_gzip"] == 1.25
    json.dumps(document)  # serialisable as it is


def test_results_document_refuses_missing_or_unknown_metrics():
    with pytest.raises(ValueError):
        stats.results_document({None: {"init_ms": {}}}, {})
    blocks = {name: {} for name, _, _ in stats.METRICS}
    blocks["speed"] = {}
    with pytest.raises(ValueError):
        stats.results_document({None: blocks}, {})
    with pytest.raises(ValueError):
        stats.results_document({"firefox": dict(blocks, speed=None)}, {})


def test_other_modes_go_in_blocks_of_their_own_with_their_notes():
    firefox = dict(mode_blocks(reference=(4, 8, 12)), notes={"memory_bytes": "measured otherwise"})
    document = stats.results_document({None: mode_blocks(), "loaded": mode_blocks(), "firefox": firefox},
                                      {"cpu_count": 2})
    assert list(document) == [name for name, _, _ in stats.METRICS] + ["loaded", "firefox", "machine"]
    assert list(document["firefox"]) == [name for name, _, _ in stats.METRICS] + ["notes"]
    assert [name for name, _ in stats.mode_blocks(document)] == [None, "loaded", "firefox"]
    for reserved in ("machine", "init_ms"):
        with pytest.raises(ValueError):
            stats.results_document({reserved: mode_blocks()}, {})


def test_a_document_without_the_quiet_mode_has_no_top_level_metrics():
    document = stats.results_document({"firefox": mode_blocks()}, {})
    assert list(document) == ["firefox", "machine"]
    assert [name for name, _ in stats.mode_blocks(document)] == ["firefox"]


def test_parts_means_count_only_the_samples_that_have_the_part():
    means = stats.parts_means({"extension": [{"a": 1, "b": 0}, {"a": 2, "b": 3}, {"a": 6}]})
    assert means == {"extension": {"a": 3.0, "b": 1.5}}


def test_report_has_a_table_per_mode_and_the_ratios_side_by_side():
    firefox = mode_blocks(reference=(4, 8, 12))
    document = stats.results_document({None: mode_blocks(), "firefox": firefox}, {})
    report = stats.markdown_report(document)
    assert "### quiet" in report and "### firefox" in report
    ratios = report.split("### ratios")[1].splitlines()
    header = next(line for line in ratios if line.startswith("| metric"))
    assert header == "| metric | quiet | firefox |"
    row = next(line for line in ratios if line.startswith("| `init_ms`"))
    assert "0.50 (2.0 / 4.0)" in row and "0.25 (2.0 / 8.0)" in row
    assert "| `switch_3tabs_ms` | 2.0 | 2.0 |" in ratios
    assert any(line.startswith("| `payload_bytes` | 2.00 (gzip 1.25)") for line in ratios)


def test_markdown_table_has_a_row_per_metric_with_its_ratio():
    table = stats.markdown_table(full_document())
    lines = table.splitlines()
    assert lines[0].startswith("| metric |") and set(lines[1]) <= set("|-: ")
    rows = {line.split("|")[1].strip(): line for line in lines[2:]}
    for name, _, has_reference in stats.METRICS:
        assert f"`{name}`" in rows
    assert rows["`init_ms`"].rstrip(" |").endswith("0.50")
    assert rows["`switch_3tabs_ms`"].rstrip(" |").endswith("—")
    assert "2.0 KiB (gzip 500 B)" in rows["`payload_bytes`"]
    assert "1.25" in rows["`payload_bytes` gzip ratio"]


def acgr_block(reference=(20, 40, 60)):
    return {name: stats.metric_block([10, 20, 30], list(reference)) for name, _, _ in stats.TIMINGS}


def test_the_acgr_pair_goes_in_each_modes_block_beside_the_legacy_keys():
    document = stats.results_document({None: dict(mode_blocks(), acgr=acgr_block()),
                                       "firefox": dict(mode_blocks(), acgr=acgr_block(reference=(5, 10, 15)))},
                                      {"cpu_count": 2})
    assert list(document) == [name for name, _, _ in stats.METRICS] + ["acgr", "firefox", "machine"]
    assert list(document["acgr"]) == ["init_ms", "switch_ms"]
    assert list(document["firefox"]) == [name for name, _, _ in stats.METRICS] + ["acgr"]
    assert document["acgr"]["switch_ms"]["ratio"] == 0.5 and document["firefox"]["acgr"]["init_ms"]["ratio"] == 2.0
    # the ACGR block is no mode of its own
    assert [name for name, _ in stats.mode_blocks(document)] == [None, "firefox"]
    assert [(name, block["init_ms"]["ratio"]) for name, block in stats.pair_blocks(document, "acgr")] == [
        (None, 0.5), ("firefox", 2.0)]
    with pytest.raises(ValueError):
        stats.results_document({"acgr": mode_blocks()}, {})


def test_a_mode_may_hold_the_acgr_pair_alone_but_not_half_of_the_legacy_pair():
    document = stats.results_document({None: {"acgr": acgr_block()}, "loaded": {"acgr": acgr_block()}}, {})
    assert list(document) == ["acgr", "loaded", "machine"]
    assert stats.mode_blocks(document) == [] and len(stats.pair_blocks(document, "acgr")) == 2
    with pytest.raises(ValueError):
        stats.results_document({None: {"acgr": acgr_block(), "init_ms": {}}}, {})
    with pytest.raises(ValueError):
        stats.results_document({None: {"acgr": dict(acgr_block(), memory_bytes={})}}, {})
    with pytest.raises(ValueError):
        stats.results_document({None: {"acgr": {"init_ms": {}}}}, {})


def test_report_has_the_acgr_tables_and_ratios_after_the_legacy_ones():
    document = stats.results_document({None: dict(mode_blocks(), acgr=acgr_block()),
                                       "loaded": {"acgr": acgr_block(reference=(10, 10, 10))}}, {})
    report = stats.markdown_report(document)
    assert report.index("### ratios") < report.index("### quiet, acgr") < report.index("### loaded, acgr")
    assert "### loaded\n" not in report  # no legacy pair ran there
    acgr_ratios = report.split("### ACGR, the CCPs cross-site (extension in ACGR mode")[1].splitlines()
    assert next(line for line in acgr_ratios if line.startswith("| metric")) == "| metric | quiet | loaded |"
    assert "| `switch_ms` | 0.50 (20.0 / 40.0) | 2.00 (20.0 / 10.0) |" in acgr_ratios
    assert not any("payload_bytes" in line for line in acgr_ratios)
    table = report.split("### quiet, acgr")[1]
    assert "`init_ms`" in table and "`memory_bytes`" not in table.split("###")[0]


def test_the_page_api_pairs_go_beside_the_others_the_not_opted_in_one_with_init_and_payload():
    sizes = {"raw": 2000, "gzip": 500, "files": {}}
    not_opted_in = {"init_ms": stats.metric_block([10, 20, 30], [20, 20, 20]),
                    "payload_bytes": stats.payload_block(sizes, sizes)}
    document = stats.results_document({None: dict(mode_blocks(), page_api=acgr_block(),
                                                  page_api_not_opted_in=not_opted_in),
                                       "firefox": {"acgr_page_api": acgr_block(reference=(10, 10, 10))}}, {})
    assert list(document) == [name for name, _, _ in stats.METRICS] + ["page_api", "page_api_not_opted_in",
                                                                     "firefox", "machine"]
    assert document["page_api_not_opted_in"]["payload_bytes"]["ratio"] == 1.0
    assert [(name, block["switch_ms"]["ratio"]) for name, block in stats.pair_blocks(document, "acgr_page_api")] == [
        ("firefox", 2.0)]
    report = stats.markdown_report(document)
    assert report.index("### quiet, page_api\n") < report.index("### quiet, page_api_not_opted_in")
    not_opted_in_ratios = report.split("### a page not opted in")[1].splitlines()
    assert "| `payload_bytes` | 1.00 (gzip 1.00) |" in not_opted_in_ratios
    assert not any("switch_ms" in line for line in not_opted_in_ratios)
    with pytest.raises(ValueError):  # the not-opted-in pair measures no switch
        stats.results_document({None: {"page_api_not_opted_in": dict(not_opted_in, switch_ms={})}}, {})


def test_init_after_the_page_loaded_again_has_its_rows_where_it_was_measured():
    quiet = mode_blocks()
    quiet["init_ms"]["reload"] = stats.metric_block([1, 1, 1], [4, 4, 4])
    document = stats.results_document({None: quiet, "firefox": mode_blocks(reference=(4, 8, 12))}, {})
    report = stats.markdown_report(document)
    table = report.split("### firefox")[0]
    assert any(line.startswith("|   the page loaded again | 1.0 |") and line.endswith("| 0.25 |")
               for line in table.splitlines())
    ratios = report.split("### ratios")[1].splitlines()
    assert "| `init_ms`, the page loaded again | 0.25 (1.0 / 4.0) | — |" in ratios
