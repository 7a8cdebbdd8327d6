"""The grouping of the bench probes' records into parts (the probes themselves run in `make bench-smoke`)."""
from bench import activity


def test_kinds_go_to_the_first_group_whose_prefix_they_have():
    groups = activity.BACKGROUND_GROUPS
    assert activity.group_of("message:cs:log-batch", groups) == "log_batches"
    assert activity.group_of("message:cs:region-state", groups) == "runtime_messages"
    assert activity.group_of("write:storage.local.set", groups) == "writes_in_flight"
    assert activity.group_of("something new", groups) == "other"
    assert activity.group_of("window:message", activity.CONTENT_GROUPS) == "frame_messages"
    assert activity.group_of("document:visibilitychange", activity.CONTENT_GROUPS) == "other"


def test_totals_delta_keeps_the_kinds_that_ran_in_between():
    before = {"timer": {"n": 2, "ms": 1.5}, "frame": {"n": 1, "ms": 0.5}}
    after = {"timer": {"n": 5, "ms": 4.0}, "frame": {"n": 1, "ms": 0.5}, "window:message": {"n": 3, "ms": 0.9}}
    assert activity.totals_delta(before, after) == {"timer": {"n": 3, "ms": 2.5}, "window:message": {"n": 3, "ms": 0.9}}
    assert activity.totals_delta(None, {"timer": {"n": 1, "ms": 2}}) == {"timer": {"n": 1, "ms": 2}}


def test_grouped_sums_kinds_by_part_and_lists_every_part():
    parts = activity.grouped({"timer": 2.0, "window:message": 1.0, "runtime-reply:cs:hello": 0.5,
                              "runtime-reply:cs:log-batch": 0.25}, activity.CONTENT_GROUPS)
    assert parts == {"frame_messages": 1.0, "timers": 2.0, "frames": 0.0, "runtime_replies": 0.75,
                     "runtime_messages": 0.0, "other": 0.0}


def test_busy_within_counts_only_the_time_inside_the_window():
    records = [["timer", 0, 10], ["window:message", 15, 17], ["frame", 19, 30], ["timer", 40, 50]]
    parts = activity.busy_within(records, 5, 20, activity.CONTENT_GROUPS)
    assert parts["timers"] == 5 and parts["frame_messages"] == 2 and parts["frames"] == 1
    assert parts["other"] == 0.0


def snapshot(started, totals, fired=0, late=0.0, writes=None, batches=None):
    found = {"startedAt": started, "totals": totals, "timersFired": fired, "timerLateMs": late,
             "writes": writes or {}}
    if batches is not None:
        found["logBatches"] = batches
    return found


def test_probe_parts_are_what_happened_between_two_readings():
    before = {"content": snapshot(1, {"timer": {"n": 1, "ms": 2.0}}, fired=1, late=0.5, batches=2),
              "background": snapshot(1, {}, writes={"storage.local.set": {"n": 1, "ms": 3.0}})}
    after = {"content": snapshot(1, {"timer": {"n": 4, "ms": 8.0}, "window:message": {"n": 9, "ms": 1.25}},
                                 fired=4, late=2.5, batches=7),
             "background": snapshot(1, {"message:cs:log-batch": {"n": 5, "ms": 40.0}},
                                    writes={"storage.local.set": {"n": 6, "ms": 33.0}})}
    parts = activity.probe_parts(before, after)
    assert parts["content_ms.timers"] == 6.0 and parts["content_ms.frame_messages"] == 1.2
    assert parts["content_timers.fired"] == 3 and parts["content_timers.late_ms"] == 2.0
    assert parts["content_log_batches.sent"] == 5
    assert parts["background_ms.log_batches"] == 40.0 and parts["background_ms.timers"] == 0.0
    assert parts["writes.storage.local.set.n"] == 5 and parts["writes.storage.local.set.ms"] == 30.0
    assert "content_restarted" not in parts and "background_restarted" not in parts


def test_a_probe_that_started_again_counts_from_zero():
    before = {"content": None, "background": snapshot(1, {"timer": {"n": 50, "ms": 90.0}}, fired=50)}
    after = {"content": None, "background": snapshot(2, {"timer": {"n": 3, "ms": 4.0}}, fired=3)}
    parts = activity.probe_parts(before, after)
    assert parts["background_restarted"] == 1
    assert parts["background_ms.timers"] == 4.0 and parts["background_timers.fired"] == 3
    assert not any(name.startswith("content") for name in parts)
