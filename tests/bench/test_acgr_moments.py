"""The ACGR pair's moments from what the emulated CCP windows report (the browser part is proven by
`make bench-smoke`)."""
from bench import acgr_moments as moments

EAST, WEST = "us-east-1", "us-west-2"
GR = "globalResiliency::"


def event(region, direction, name, at, window="w1"):
    return {"region": region, "window_id": f"{region}-{window}", "direction": direction, "event": name, "at": at,
            "data": None}


def handshakes(east_init_answer=140):
    """Both CCPs configured; each init answered, east's at `east_init_answer` (None: not yet)."""
    found = [event(EAST, "from-host", GR + "configure_ccp_conduit", 10),  # at frame creation: no answer
             event(EAST, "from-host", "configure", 100), event(WEST, "from-host", "configure", 120),
             event(WEST, "to-host", GR + "init", 110), event(WEST, "from-host", GR + "configure_ccp_conduit", 130),
             event(EAST, "to-host", GR + "init", 135)]
    if east_init_answer is not None:
        found.append(event(EAST, "from-host", GR + "configure_ccp_conduit", east_init_answer))
    return found


def test_init_waits_for_both_ccps_configured_and_their_init_answered():
    assert moments.init_moments(handshakes(), (EAST, WEST)) == {
        "configured_us-east-1": 100, "init_answered_us-east-1": 140,
        "configured_us-west-2": 120, "init_answered_us-west-2": 130}
    # the configure_ccp_conduit sent when the frame was made is not the answer to the init
    assert moments.init_moments(handshakes(east_init_answer=None), (EAST, WEST)) is None
    assert moments.init_moments([e for e in handshakes() if e["event"] != "configure"], (EAST, WEST)) is None


def test_init_answered_matches_each_window_with_its_own_init():
    found = [event(EAST, "to-host", GR + "init", 50, window="a"),
             event(EAST, "from-host", GR + "configure_ccp_conduit", 60, window="b"),  # another window's, no init
             event(EAST, "from-host", GR + "configure_ccp_conduit", 70, window="a")]
    assert moments.init_answered(found, EAST) == 70


def test_a_switch_starts_at_the_first_failover_initiated_posted_to_the_host_and_completes_at_the_targets():
    found = [event(EAST, "to-host", GR + "failover_initiated", 90),  # an earlier switch
             event(WEST, "from-host", GR + "failover_initiated", 205),  # relayed by the host: not a start
             event(EAST, "to-host", GR + "failover_initiated", 200),
             event(EAST, "from-host", GR + "failover_complete", 230),
             event(WEST, "from-host", GR + "failover_complete", 228)]
    assert moments.switch_started(found, 100) == 200
    assert moments.switch_started(found, 201) is None
    assert moments.switch_completed(found, WEST, 200) == 228
    assert moments.switch_completed(found, WEST, 229) is None


def mark(region, kind, at, window="w1"):
    return (region, {"window_id": f"{region}-{window}", "kind": kind, "at": at, "host": ""})


def view(region, width, at, window="w1", closed=False):
    return (region, f"{region}-{window}", {"width": width, "height": width, "at": at, "closed": closed})


def test_shown_is_the_later_of_the_latest_size_report_and_the_observers_latest_shown_mark():
    marks = [mark(WEST, "shown", 300), mark(WEST, "hidden", 250), mark(EAST, "shown", 100)]
    views = [view(WEST, 400, 310), view(EAST, 0, 305)]
    assert moments.shown_since(marks, views, WEST, 200) == 310  # Firefox: its observer spoke before the resize
    assert moments.shown_since(marks, [view(WEST, 400, 50)], WEST, 200) == 300  # moved into view or displayed again
    assert moments.shown_since([], [view(WEST, 400, 290)], WEST, 200) == 290  # no observer: the size alone
    assert moments.shown_since(marks, [view(WEST, 400, 50)], WEST, 301) is None  # shown before `after_ms`
    assert moments.shown_since([mark(WEST, "hidden", 320)], views, WEST, 200) is None  # out of view at full size
    assert moments.shown_since([], [view(WEST, 400, 290, closed=True), view(WEST, 0, 295)], WEST, 200) is None
    assert moments.shown_since(marks, views, EAST, 200) is None


def test_hidden_by_marks_needs_every_window_last_hidden():
    assert moments.hidden_by_marks([mark(EAST, "shown", 100), mark(EAST, "hidden", 200)], EAST)
    assert not moments.hidden_by_marks([mark(EAST, "hidden", 200), mark(EAST, "shown", 100, window="w2")], EAST)
    assert not moments.hidden_by_marks([mark(EAST, "hidden", 100), mark(EAST, "shown", 200)], EAST)
    assert not moments.hidden_by_marks([mark(WEST, "hidden", 100)], EAST)  # no window said anything


def test_the_host_spoke_first_to_each_region_when_it_sent_it_its_first_acgr_message():
    events = [{"region": "us-east-1", "window_id": "a", "direction": "to-host", "event": "x", "at": 5},
              {"region": "us-east-1", "window_id": "a", "direction": "from-host", "event": "y", "at": 9},
              {"region": "us-east-1", "window_id": "b", "direction": "from-host", "event": "z", "at": 7},
              {"region": "us-west-2", "window_id": "c", "direction": "to-host", "event": "x", "at": 3}]
    assert moments.host_spoke(events, ["us-east-1", "us-west-2"]) == {"host_spoke_us-east-1": 7}
