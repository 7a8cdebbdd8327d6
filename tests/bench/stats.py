"""The benchmark's numbers: summaries of samples, ratios, the results document and its markdown table. Pure
(no browser, no emulator), so it is unit-tested (tests/bench/test_stats.py)."""
import math

# The results document's top-level keys besides "machine", in report order, with their unit and whether the
# reference has an equivalent (switch_3tabs_ms does not: connect-streams-dr.js knows nothing of other tabs).
METRICS = (
    ("init_ms", "ms", True),
    ("switch_ms", "ms", True),
    ("switch_3tabs_ms", "ms", False),
    ("log_intake_ms", "ms", True),
    ("log_download_ms", "ms", True),
    ("memory_bytes", "bytes", True),
    ("payload_bytes", "bytes", True),
)


def percentile(samples, fraction):
    """Nearest-rank percentile (the smallest sample with at least `fraction` of the samples at or below it)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(samples):
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def summarize(samples, digits=1):
    """{n, median, p95, min, max, samples} of a list of numbers; None for no samples."""
    samples = [float(s) for s in samples]
    if not samples:
        return None
    def r(value):
        return round(value, digits) if digits else int(round(value))
    return {"n": len(samples), "median": r(median(samples)), "p95": r(percentile(samples, 0.95)),
            "min": r(min(samples)), "max": r(max(samples)), "samples": [r(s) for s in samples]}


def ratio(extension, reference):
    """extension / reference of two summaries' medians (or of two plain numbers); None if either is missing or
    the reference is zero."""
    ext = extension["median"] if isinstance(extension, dict) else extension
    ref = reference["median"] if isinstance(reference, dict) else reference
    if ext is None or ref in (None, 0):
        return None
    return round(ext / ref, 3)


def metric_block(extension_samples, reference_samples=None, digits=1, **details):
    """One top-level entry: {"extension", "reference", "ratio", ...details}. No reference samples (None) means the
    reference has no equivalent: the block then has no "reference" key and its ratio is None."""
    extension = summarize(extension_samples, digits)
    block = {"extension": extension}
    if reference_samples is not None:
        reference = summarize(reference_samples, digits)
        block["reference"] = reference
        block["ratio"] = ratio(extension, reference) if extension and reference else None
    else:
        block["ratio"] = None
    block.update(details)
    return block


def parts_medians(parts_by_side):
    """{side: [{part: ms}, ...]} -> {side: {part: median ms}}: what a timing is made of, per side."""
    result = {}
    for side, samples in parts_by_side.items():
        names = []
        for sample in samples:
            names += [name for name in sample if name not in names]
        result[side] = {name: round(median([s[name] for s in samples if name in s]), 1) for name in names}
    return result


def parts_means(parts_by_side):
    """{side: [{part: ms}, ...]} -> {side: {part: mean ms}} over the samples that have the part (for parts that are
    mostly zero, such as work that overlaps a switch only now and then)."""
    result = {}
    for side, samples in parts_by_side.items():
        names = []
        for sample in samples:
            names += [name for name in sample if name not in names]
        result[side] = {name: round(sum(found) / len(found), 2)
                        for name in names for found in [[s[name] for s in samples if name in s]]}
    return result


# The pairs measured besides the legacy DR pair, each in a block of its own in each mode's block: its key, its
# title in the report, and the metrics of METRICS it holds.
TIMINGS = tuple(metric for metric in METRICS if metric[0] in ("init_ms", "switch_ms"))
PAIR_BLOCKS = (
    # the legacy DR pair with the emulator's heavy CCP page (a large single-page app to lay out on every switch)
    ("heavy", "legacy DR, a CCP as heavy as a large single-page app (extension / connect-streams-dr.js, the "
              "emulator's heavy CCP)", TIMINGS),
    # bench.acgr_sides: the extension in ACGR mode against connect-streams.js in ACGR mode
    ("acgr", "ACGR, the CCPs cross-site (extension in ACGR mode / connect-streams.js with enableGlobalResiliency)",
     TIMINGS),
    # the same on the CRM page's site (bench.topology)
    ("acgr_same_site", "ACGR, the CCPs on the page's site (extension in ACGR mode / connect-streams.js with "
                       "enableGlobalResiliency)", TIMINGS),
    # bench.page_api_sides: an opted-in twin page whose own code uses the page API, against the reference's page
    ("page_api", "page API, legacy DR (opted-in page using globalConnect.core / connect-streams-dr.js)", TIMINGS),
    ("acgr_page_api", "page API, ACGR (opted-in page using connect / connect-streams.js in ACGR mode)", TIMINGS),
    # the extension's own bench page, not opted in: the page API on for another page of its origin / off
    ("page_api_not_opted_in", "a page not opted in (page API on for another page of its origin / page API off)",
     tuple(metric for metric in METRICS if metric[0] in ("init_ms", "payload_bytes"))),
)
MODE_EXTRAS = ("notes",) + tuple(key for key, _, _ in PAIR_BLOCKS)  # what a mode's block may hold besides the metrics


def _checked(blocks, metrics, extras, label):
    """`blocks` with exactly the keys of `metrics` (in their order), then the `extras` it has."""
    names = [name for name, _, _ in metrics]
    missing = [name for name in names if name not in blocks]
    unknown = [name for name in blocks if name not in names and name not in extras]
    if missing or unknown:
        raise ValueError(f"{label}: metrics missing {missing}, unknown {unknown}")
    return {name: blocks[name] for name in names + [extra for extra in extras if extra in blocks]}


def _mode_block(blocks, label):
    """A mode's block: every metric of METRICS, or none of them when the mode ran other pairs only; each other
    pair's block it has (PAIR_BLOCKS) with exactly that pair's metrics."""
    blocks = dict(blocks, **{key: _checked(blocks[key], metrics, (), f"{label} {key}")
                             for key, _, metrics in PAIR_BLOCKS if key in blocks})
    if not any(name in blocks for name, _, _ in METRICS):
        return _checked(blocks, (), MODE_EXTRAS, label)
    return _checked(blocks, METRICS, MODE_EXTRAS, label)


def results_document(modes, machine):
    """The results file's content from {block name: that mode's metric blocks}: the block named None (the quiet
    Chromium mode) at the top level, exactly the metric keys in METRICS order; each other mode under its name
    ("loaded", "firefox", ...) with the same keys (and "notes"); each mode's other pairs, those that ran, in its
    block's PAIR_BLOCKS keys ("acgr", "page_api", ...; the quiet mode's at the top level); then "machine"."""
    document = {}
    for name, blocks in modes.items():
        if name is None:
            document.update(_mode_block(blocks, "quiet"))
    for name, blocks in modes.items():
        if name is not None:
            if name in document or name in ("machine",) + MODE_EXTRAS or name in [m for m, _, _ in METRICS]:
                raise ValueError(f"{name!r} cannot name a mode's block")
            document[name] = _mode_block(blocks, name)
    document["machine"] = machine
    return document


def mode_blocks(document):
    """[(mode block name or None for the top level, its metric blocks)] of a results document."""
    found = []
    if METRICS[0][0] in document:
        found.append((None, document))
    found += [(name, value) for name, value in document.items()
              if name not in ("machine",) + MODE_EXTRAS and isinstance(value, dict) and METRICS[0][0] in value]
    return found


def pair_blocks(document, key):
    """[(mode block name or None for the top level, that mode's block of the pair `key` of PAIR_BLOCKS)]."""
    found = [(None, document[key])] if key in document else []
    return found + [(name, value[key]) for name, value in document.items()
                    if name not in ("machine",) + MODE_EXTRAS and isinstance(value, dict) and key in value]


def _format(value, unit):
    if value is None:
        return "—"
    if unit == "bytes":
        if abs(value) >= 1024 * 1024:
            return f"{value / (1024 * 1024):.1f} MiB"
        if abs(value) >= 1024:
            return f"{value / 1024:.1f} KiB"
        return f"{int(value)} B"
    return f"{value:.1f}"


def payload_block(extension, reference):
    """payload_bytes: each side {"raw", "gzip", "files": {name: {"raw", "gzip"}}}; ratios of raw and of gzip."""
    return {"extension": extension, "reference": reference,
            "ratio": ratio(extension["raw"], reference["raw"]),
            "ratio_gzip": ratio(extension["gzip"], reference["gzip"])}


def _row(label, block, unit):
    cells = [label]
    for side in ("extension", "reference"):
        summary = block.get(side)
        if summary and "median" not in summary and "raw" in summary:  # a size, not samples
            cells += [f"{_format(summary['raw'], unit)} (gzip {_format(summary['gzip'], unit)})", "", "", ""]
        else:
            cells += [_format(summary[key], unit) if summary else "—" for key in ("median", "p95", "min", "max")]
    cells.append("—" if block.get("ratio") is None else f"{block['ratio']:.2f}")
    return "| " + " | ".join(cells) + " |"


def markdown_table(document, metrics=METRICS):
    """One mode's results (or one of its PAIR_BLOCKS, with that pair's metrics) as a markdown table: one row per
    metric (median, p95, min, max of each side, and the ratio), plus the extension's own processes' memory and the
    gzip payload ratio."""
    lines = ["| metric | extension median | p95 | min | max | reference median | p95 | min | max | ratio (ext/ref) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, unit, _ in metrics:
        block = document[name]
        lines.append(_row(f"`{name}`", block, unit))
        if block.get("reload"):
            lines.append(_row("  the page loaded again", block["reload"], unit))
        if name == "memory_bytes" and block.get("extension_processes"):
            lines.append(_row("  extension's own processes", {"extension": block["extension_processes"]}, unit))
        if name == "payload_bytes" and block.get("ratio_gzip") is not None:
            lines.append(f"| `payload_bytes` gzip ratio |  |  |  |  |  |  |  |  | {block['ratio_gzip']:.2f} |")
    return "\n".join(lines)


def ratios_table(found, metrics=METRICS):
    """The modes side by side (`found`: [(mode block name or None, its blocks)], see mode_blocks and pair_blocks):
    per metric, each mode's ratio (extension / reference of the medians) with the two medians; switch_3tabs_ms (no
    reference) shows the extension's median."""
    labels = [name or "quiet" for name, _ in found]
    lines = ["| metric | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
    for metric, unit, has_reference in metrics:
        lines.append(_ratios_row(f"`{metric}`", [blocks[metric] for _, blocks in found], metric, unit, has_reference))
        reloads = [blocks[metric].get("reload") for _, blocks in found]
        if any(reloads):
            lines.append(_ratios_row(f"`{metric}`, the page loaded again", [block or {} for block in reloads], metric,
                                     unit, has_reference))
    return "\n".join(lines)


def _ratios_row(label, blocks, metric, unit, has_reference):
    """One metric's cells across the modes (ratios_table)."""
    cells = []
    for block in blocks:
        extension, reference = block.get("extension"), block.get("reference")
        if metric == "payload_bytes":
            cells.append(f"{block['ratio']:.2f} (gzip {block['ratio_gzip']:.2f})"
                         if block.get("ratio") is not None else "—")
        elif not has_reference:
            cells.append(_format(extension["median"], unit) if extension else "—")
        elif block.get("ratio") is None:
            cells.append("—")
        else:
            cells.append(f"{block['ratio']:.2f} ({_format(extension['median'], unit)} / "
                         f"{_format(reference['median'], unit)})")
    return f"| {label} | " + " | ".join(cells) + " |"


def markdown_report(document):
    """A table per mode, then the modes' ratios side by side; the same for each other pair that ran."""
    sections = []
    legacy = mode_blocks(document)
    for name, blocks in legacy:
        sections.append(f"### {name or 'quiet'}\n\n{markdown_table(blocks)}")
    if legacy:
        sections.append("### ratios (extension / reference; medians)\n\n" + ratios_table(legacy))
    for key, title, metrics in PAIR_BLOCKS:
        found = pair_blocks(document, key)
        for name, block in found:
            sections.append(f"### {name or 'quiet'}, {key}\n\n{markdown_table(block, metrics)}")
        if found:
            sections.append(f"### {title}: ratios of the medians\n\n" + ratios_table(found, metrics))
    return "\n\n".join(sections)
