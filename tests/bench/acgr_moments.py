"""The ACGR pair's moments, read from what the emulated CCP windows report of the ACGR messages they exchanged
with their host (`EmulatorClient.acgr_events`: {region, window_id, direction, event, at}, `at` the window's wall
clock): the same ground truth for the extension and for connect-streams.js, whatever either does inside. Pure, so
it is unit-tested (tests/bench/test_acgr_moments.py). Whether a CCP window is shown comes from its "shown" and
"hidden" marks (`EmulatorClient.marks`: [(region, {window_id, kind, at})]) and its size reports
(`EmulatorClient.viewports`: [(region, window_id, {width, height, closed, at})])."""
from emulator.client import latest_visibility_marks

GR = "globalResiliency::"
INIT = GR + "init"
CONFIGURE_CCP_CONDUIT = GR + "configure_ccp_conduit"
FAILOVER_INITIATED = GR + "failover_initiated"
FAILOVER_COMPLETE = GR + "failover_complete"
CONFIGURE = "configure"  # the host's CONFIGURE: sent once the CCP acknowledged and its global sign-in checked out


def first_at(events, *, direction, event, region=None, window_id=None, after_ms=0):
    """Wall-clock ms of the earliest matching event at or after `after_ms`, or None."""
    found = [e["at"] for e in events if e["direction"] == direction and e["event"] == event
             and region in (None, e["region"]) and window_id in (None, e["window_id"]) and e["at"] >= after_ms]
    return min(found) if found else None


def init_answered(events, region):
    """When the host answered the first `init` of a `region` CCP window (the CCP said which region it is and which
    is active) with configure_ccp_conduit: the earliest over that region's windows; None if not yet."""
    answers = []
    for window_id in sorted({e["window_id"] for e in events if e["region"] == region}):
        announced = first_at(events, direction="to-host", event=INIT, window_id=window_id)
        if announced is not None:
            answers.append(first_at(events, direction="from-host", event=CONFIGURE_CCP_CONDUIT, window_id=window_id,
                                    after_ms=announced))
    answers = [at for at in answers if at is not None]
    return min(answers) if answers else None


def init_moments(events, regions):
    """{"configured_<region>", "init_answered_<region>"} as wall-clock ms, once every region's CCP has been
    configured (handshake and global sign-in check done) and has had its init answered; None until then."""
    moments = {}
    for region in regions:
        moments[f"configured_{region}"] = first_at(events, direction="from-host", event=CONFIGURE, region=region)
        moments[f"init_answered_{region}"] = init_answered(events, region)
    return moments if None not in moments.values() else None


def host_spoke(events, regions):
    """{"host_spoke_<region>": wall-clock ms} of the first ACGR message each region's CCP windows got from their
    host (the reference: configure_ccp_conduit; the extension: that or its global sign-in check, once the CCP's
    first acknowledge reached Python): where the handshake begins. Regions not spoken to yet are left out."""
    moments = {}
    for region in regions:
        found = [e["at"] for e in events if e["region"] == region and e["direction"] == "from-host"]
        if found:
            moments[f"host_spoke_{region}"] = min(found)
    return moments


def switch_started(events, after_ms):
    """When a CCP posted failover_initiated to its host (the old region's, as a rule; the new one's if the old
    cannot hand over) at or after `after_ms`: the start of an ACGR switch, or None."""
    return first_at(events, direction="to-host", event=FAILOVER_INITIATED, after_ms=after_ms)


def switch_completed(events, target, after_ms):
    """When the host told the `target` region's CCP failover_complete (after that region's first agent data) at or
    after `after_ms`, or None."""
    return first_at(events, direction="from-host", event=FAILOVER_COMPLETE, region=target, after_ms=after_ms)


def shown_since(marks, viewports, region, after_ms=0):
    """Wall-clock ms since which a `region` CCP window has been shown, if at or after `after_ms`, else None: the later
    of its latest report of a non-zero size and its IntersectionObserver's latest mark, if that says "shown" (one
    saying "hidden": not shown; none: the size alone). Each browser tells a frame shown through one or both: a frame
    sized up from 0 x 0 (connect-streams-dr.js's way) tells both, and Firefox's observer may say "shown" before the
    window has laid itself out at its new size (~0.5 s before, with the heavy CCP), so the later counts; a frame
    shown again after display:none (Streams' way in ACGR) or unclipped / moved back into view at full size (the
    extension's way in Chromium / Firefox) keeps its size, and tells its window through the mark (except Firefox's
    after display:none: bench.topology)."""
    last = _last_marks(marks, region)
    found = []
    for r, window_id, view in viewports:
        if r != region or view["closed"] or not (view["width"] > 0 and view["height"] > 0 and view.get("at")):
            continue
        word = last.get(window_id)
        if word is not None and word["kind"] == "hidden":
            continue
        since = max(view["at"], word["at"] if word is not None else 0)
        if since >= after_ms:
            found.append(since)
    return min(found) if found else None


def _last_marks(marks, region):
    """{window id: its latest "shown" or "hidden" mark} of the `region` CCP windows that said either."""
    return latest_visibility_marks([mark for r, mark in marks if r == region])


def hidden_by_marks(marks, region):
    """Whether some `region` CCP window said whether it is shown, and each one that did said last it is hidden."""
    last = _last_marks(marks, region)
    return bool(last) and all(mark["kind"] == "hidden" for mark in last.values())
