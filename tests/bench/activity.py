"""What the extension's own code did, from the bench probes' records (content_probe.js, background_probe.js):
task kinds grouped into parts, totals between two snapshots, and the time spent inside a switch's window. Pure
(no browser), so it is unit-tested (tests/bench/test_activity.py).

A probe record is [kind, start, end] (wall-clock ms) of one callback of the extension's code, or of one storage
write from its call to the browser's answer ("write:<api>")."""

# Kinds of task, by the prefix of the probes' kind names, and the part each goes to. The content script's
# `window:message` is the CCP frames' messages (logs by the thousand, the failover); the background's `message:`
# kinds are runtime messages by type (cs:log-batch from the content scripts, ...).
CONTENT_GROUPS = (("window:message", "frame_messages"), ("timer", "timers"), ("frame", "frames"),
                  ("runtime-reply:", "runtime_replies"), ("runtime-message:", "runtime_messages"), ("", "other"))
BACKGROUND_GROUPS = (("message:cs:log-batch", "log_batches"), ("message:", "runtime_messages"),
                     ("storage-changed", "storage_change_events"), ("storage-reply", "storage_callbacks"),
                     ("indexedDB-event", "storage_callbacks"), ("timer", "timers"), ("write:", "writes_in_flight"),
                     ("", "other"))


def group_of(kind, groups):
    return next(part for prefix, part in groups if kind.startswith(prefix))


def _zeros(groups):
    return {part: 0.0 for _, part in groups}


def grouped(ms_by_kind, groups):
    """{kind: ms} -> {part: ms}, every part of `groups` present (zero: nothing of that part ran)."""
    parts = _zeros(groups)
    for kind, ms in ms_by_kind.items():
        part = group_of(kind, groups)
        parts[part] = parts.get(part, 0.0) + ms
    return parts


def totals_delta(before, after):
    """{kind: {"n", "ms"}} of what happened between two snapshots' totals (before may be None: from zero)."""
    before = before or {}
    delta = {}
    for kind, total in after.items():
        was = before.get(kind, {"n": 0, "ms": 0.0})
        if total["n"] != was["n"]:
            delta[kind] = {"n": total["n"] - was["n"], "ms": total["ms"] - was["ms"]}
    return delta


def busy_within(records, start, end, groups):
    """{part: ms} of the records' time inside [start, end] (a record that straddles an edge counts in part), every
    part of `groups` present."""
    parts = _zeros(groups)
    for kind, began, ended in records:
        inside = min(ended, end) - max(began, start)
        if inside > 0:
            parts[group_of(kind, groups)] += inside
    return parts


def flat(prefix, values):
    """{prefix.key: value} of a dict of numbers (parts are flat, so that their medians can be taken)."""
    return {f"{prefix}.{key}": round(value, 1) for key, value in values.items()}


def probe_parts(before, after):
    """{part: number} of what the extension's own code did between two readings of its probes, each
    {"content": snapshot or None, "background": snapshot or None}: busy ms by part (`content_ms.*`,
    `background_ms.*`), timers fired and ms late in all, storage writes (count, ms from call to answer in all) and
    the cs:log-batch messages sent. A probe that started again in between (a background that was stopped and
    woken) counts from zero, and says so (`<side>_restarted`); so does one not read before
    (`<side>_counted_from_its_start`)."""
    parts = {}
    for side, groups in (("content", CONTENT_GROUPS), ("background", BACKGROUND_GROUPS)):
        now, was = after.get(side), before.get(side)
        if not now:
            continue
        if not was or was["startedAt"] != now["startedAt"]:
            parts[f"{side}_restarted" if was else f"{side}_counted_from_its_start"] = 1
            was = {"totals": {}, "timersFired": 0, "timerLateMs": 0.0, "writes": {}, "logBatches": 0}
        delta = totals_delta(was["totals"], now["totals"])
        parts.update(flat(f"{side}_ms", grouped({kind: total["ms"] for kind, total in delta.items()}, groups)))
        parts[f"{side}_timers.fired"] = now["timersFired"] - was["timersFired"]
        parts[f"{side}_timers.late_ms"] = round(now["timerLateMs"] - was["timerLateMs"], 1)
        for api, total in now.get("writes", {}).items():
            earlier = was["writes"].get(api, {"n": 0, "ms": 0.0})
            parts[f"writes.{api}.n"] = total["n"] - earlier["n"]
            parts[f"writes.{api}.ms"] = round(total["ms"] - earlier["ms"], 1)
        if "logBatches" in now:
            parts["content_log_batches.sent"] = now["logBatches"] - was["logBatches"]
    return parts
