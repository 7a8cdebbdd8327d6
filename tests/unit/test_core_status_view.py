"""The popup's words for the status model (core.status_view), for every state the engine can be in."""
import pytest

from core_testdata import EAST, WEST, snapshot_data
from grccp.core import global_state as gs
from grccp.core import health as hl
from grccp.core import status, status_view
from grccp.core.errors import FieldError
from grccp.core.snapshot import parse_agent_update


def model(config, state, now=10_000):
    return status.build_status(config, state, now)


@pytest.mark.parametrize("ms, text", [(None, ""), (0, "0.0 s"), (449, "0.4 s"), (1250, "1.3 s"), (9999, "10.0 s"),
                                      (10_000, "10 s"), (59_999, "59 s"), (60_000, "1 min 00 s"),
                                      (3_599_000, "59 min 59 s"), (3_600_000, "1 h 00 min"), (-5, "0.0 s")])
def test_durations(ms, text):
    assert status_view.duration_text(ms) == text


def test_cards_for_every_health_and_sign_in_state(config):
    state = gs.GlobalState(config.region_keys)
    cards = [status_view.region_card(r) for r in model(config, state)["regions"]]
    assert [(c["key"], c["role"], c["health"], c["healthState"], c["signedIn"], c["agent"]) for c in cards] == [
        (EAST, "Active", "No CCP open", "none", "Unknown", "—"),
        (WEST, "Stand-by", "No CCP open", "none", "Unknown", "—")]
    # a page is open but has not reported yet: loading
    assert status_view.region_card(model(config, state)["regions"][0], open_tabs=1)["healthState"] == hl.LOADING
    for health, text, tone, signed in ((hl.LOADING, "Loading…", "idle", "Unknown"),
                                       (hl.READY, "Answering", "ok", "Signed in"),
                                       (hl.NOT_ANSWERING, "Not answering", "trouble", "Unknown"),
                                       (hl.SIGNED_OUT, "Signed out", "trouble", "Sign-in needed")):
        state.on_ccp_health(1, WEST, health, 4000)
        card = status_view.region_card(model(config, state)["regions"][1])
        assert (card["health"], card["healthTone"], card["signedIn"]) == (text, tone, signed)
        assert card["healthSince"] == f"{text} for 6.0 s"
        assert card["healthState"] == health


def test_agent_states():
    on_call = parse_agent_update(snapshot_data("Busy", "routable", contacts=[("c-1", "voice", "connected")]))
    two = parse_agent_update(snapshot_data("Busy", "routable", contacts=[("c-1", "voice", "connected"),
                                                                         ("c-2", "queue_callback", "connected")]))
    acw = parse_agent_update(snapshot_data("Busy", "routable", contacts=[("c-1", "voice", "ended")]))
    assert status_view.agent_text(None) == "—"
    assert status_view.agent_text(parse_agent_update(snapshot_data()).to_summary()) == "Available"
    assert status_view.agent_text(on_call.to_summary()) == "Busy · voice call"
    assert status_view.agent_text(two.to_summary()) == "Busy · 2 voice calls"
    assert status_view.agent_text(acw.to_summary()) == "Busy · voice call · after-call work"


def test_failover_lines_for_each_phase(config):
    state = gs.GlobalState(config.region_keys)
    assert status_view.failover_lines(model(config, state)["failover"]) == ("No failover in progress", "", "none")
    state.on_failover_detected(WEST, False, 7000)
    assert status_view.failover_lines(model(config, state)["failover"]) == (
        f"Failover to {WEST} in progress", "Hard failover detected 3.0 s ago", "detected")
    state.on_failover_pending(WEST, "c-9", 8000)
    assert status_view.failover_lines(model(config, state)["failover"]) == (
        f"Failover to {WEST} pending", "Waiting for voice contact c-9 to end, for 2.0 s", "pending")
    assert status_view.failover_lines(model(config, state)["failover"], lambda ms: f"<{ms}>")[1] == \
        "Waiting for voice contact c-9 to end, since <8000> (2.0 s)"
    state.failover["contactId"] = None
    assert status_view.failover_lines(model(config, state)["failover"])[1] == \
        "Waiting for the voice contact to end, for 2.0 s"


def test_timeline_rows_are_always_three(config):
    state = gs.GlobalState(config.region_keys)
    assert status_view.timeline_rows(model(config, state)["timeline"]) == [None, None, None]
    state.on_failover_detected(WEST, True, 1000)
    state.on_failover_pending(WEST, "c-1", 1500)
    state.on_switch_complete(WEST, 31_500)
    state.on_switch_complete(EAST, 40_000)
    rows = status_view.timeline_rows(model(config, state, 50_000)["timeline"])
    assert rows[2] is None
    assert rows[0] == {"completeMs": 40_000, "route": f"{WEST} → {EAST}", "latency": "switched in 0.0 s"}
    assert rows[1] == {"completeMs": 31_500, "route": f"{EAST} → {WEST}",
                       "latency": "switched in 30 s, 30 s after the call"}


def test_summary_and_setup(config):
    state = gs.GlobalState(config.region_keys)
    assert status_view.summary(model(config, state)) == (f"{EAST} active", "idle")
    state.on_ccp_health(1, EAST, hl.READY, 1)
    assert status_view.summary(model(config, state)) == (f"{EAST} active", "ok")
    state.on_failover_detected(WEST, True, 2)
    assert status_view.summary(model(config, state)) == ("Failover under way", "pending")
    state.on_failover_pending(WEST, "c-1", 3)
    assert status_view.summary(model(config, state)) == ("Failover pending", "pending")
    empty = status.not_configured_status()
    assert status_view.summary(empty) == ("Not configured", "idle")
    assert status_view.setup_lines(empty)[1] == []
    errors = [FieldError(f"regions/{i}", "type", "must be an object") for i in range(7)] + [
        FieldError("", "type", "x")]
    refused = status.not_configured_status(errors)
    assert status_view.summary(refused) == ("Configuration refused", "trouble")
    headline, lines = status_view.setup_lines(refused)
    assert headline.startswith("The stored configuration was refused")
    assert lines[0] == "regions/0: must be an object" and lines[-1] == "… and 3 more" and len(lines) == 6
