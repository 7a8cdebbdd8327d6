"""The popup's words for the status model (core.status_view), for every state the engine can be in."""
import pytest

from core_testdata import EAST, WEST, snapshot_data
from grccp.core import global_state as gs
from grccp.core import health as hl
from grccp.core import status, status_view
from grccp.core.acgr import AcgrRules
from grccp.core.errors import FieldError
from grccp.core.legacy_dr import LegacyDrRules
from grccp.core.snapshot import VOICE_CONTACT_TYPES as VOICE, parse_agent_update


def model(config, state, now=10_000, traits=LegacyDrRules):
    return status.build_status(config, state, now, traits)


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
        assert card["signInAction"] == ""
    state.on_sign_in_needed(1, WEST)
    card = status_view.region_card(model(config, state)["regions"][1])
    assert (card["signedIn"], card["signInAction"]) == ("Sign-in needed", f"Sign in to {WEST}")


def test_agent_states():
    on_call = parse_agent_update(snapshot_data("Busy", "routable", contacts=[("c-1", "voice", "connected")]))
    two = parse_agent_update(snapshot_data("Busy", "routable", contacts=[("c-1", "voice", "connected"),
                                                                         ("c-2", "queue_callback", "connected")]))
    acw = parse_agent_update(snapshot_data("Busy", "routable", contacts=[("c-1", "voice", "ended")]))
    assert status_view.agent_text(None) == "—"
    assert status_view.agent_text(parse_agent_update(snapshot_data()).to_summary(VOICE)) == "Available"
    assert status_view.agent_text(on_call.to_summary(VOICE)) == "Busy · voice call"
    assert status_view.agent_text(two.to_summary(VOICE)) == "Busy · 2 voice calls"
    assert status_view.agent_text(acw.to_summary(VOICE)) == "Busy · voice call · after-call work"


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
    assert rows[0] == {"completeMs": 40_000, "route": f"{WEST} → {EAST}", "latency": "switched in 0.0 s",
                       "agentState": None}
    assert rows[1] == {"completeMs": 31_500, "route": f"{EAST} → {WEST}",
                       "latency": "switched in 30 s, 30 s after the call", "agentState": None}


def test_a_timeline_row_says_what_became_of_the_agent_s_state(config):
    state = gs.GlobalState(config.region_keys)
    state.on_switch_complete(WEST, 31_500)
    state.note_agent_state(31_500, {"outcome": "failed", "stateName": "Break", "afterMs": 4000,
                                    "detail": "not set in us-west-2: putAgentState: refused"})
    assert status_view.timeline_rows(model(config, state, 40_000)["timeline"])[0]["agentState"] == (
        "Break not kept",
        "Agent state Break not kept: not set in us-west-2: putAgentState: refused (4.0 s after the switch)",
        "trouble")


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


def test_warning_line(config):
    state = gs.GlobalState(config.region_keys)
    assert status_view.warning_line(model(config, state)) == ("", "")
    state.on_panel_returned(1, 1, False)
    text, whole = status_view.warning_line(model(config, state))
    assert text.startswith("A page removed the CCP panel once") and whole == text
    state.on_panel_returned(2, 5, True)
    text, whole = status_view.warning_line(model(config, state))
    assert text.endswith("(+1 more)") and whole.count("\n") == 1 and "keeps removing" in whole


# ---------------------------------------------------------------------------------------------------------
# ACGR: chat contacts, the initiated phase, Switch now, the regions the CCPs announce, sign-in problems


def test_acgr_pending_on_a_chat_initiated_and_forced(config):
    state = gs.GlobalState(config.region_keys)
    state.on_failover_pending(WEST, "chat-7", 8000, contact_type="chat")
    failover = model(config, state, traits=AcgrRules)["failover"]
    assert status_view.failover_lines(failover) == (
        f"Failover to {WEST} pending", "Waiting for chat contact chat-7 to end, for 2.0 s", "pending")
    assert status_view.switch_now_confirmation(failover) == (
        f"Switch to {WEST} now? The chat contact chat-7 in {EAST} will be cut off.")
    state.on_switch_now(WEST, 9000)
    assert status_view.failover_lines(model(config, state, traits=AcgrRules)["failover"])[0] == (
        f"Failover to {WEST} pending (Switch now, from the popup)")
    state.on_failover_initiated(WEST, 9500)
    assert status_view.failover_lines(model(config, state, traits=AcgrRules)["failover"]) == (
        f"Switching to {WEST} (Switch now, from the popup)",
        f"Initiated 0.5 s ago; waiting for the {WEST} CCP's agent data", "initiated")
    assert status_view.summary(model(config, state, traits=AcgrRules)) == ("Switching regions", "pending")
    state.on_switch_complete(WEST, 9800)
    [row, _, _] = status_view.timeline_rows(model(config, state, traits=AcgrRules)["timeline"])
    assert row["route"] == f"{EAST} → {WEST} (Switch now, from the popup)"
    assert row["latency"] == ("switched in 1.8 s: detected → pending 0.0 s, pending → initiated 1.5 s, "
                              "initiated → complete 0.3 s")


def test_acgr_timeline_row_with_every_phase(config):
    state = gs.GlobalState(config.region_keys)
    state.on_failover_detected(WEST, None, 1000)
    state.on_failover_pending(WEST, "v-1", 1200, contact_type="voice")
    state.on_failover_initiated(WEST, 13_200)
    state.on_switch_complete(WEST, 13_500)
    [row, _, _] = status_view.timeline_rows(model(config, state, 20_000, AcgrRules)["timeline"])
    assert row["latency"] == ("switched in 12 s: detected → pending 0.2 s, pending → initiated 12 s, "
                              "initiated → complete 0.3 s")


def test_switch_now_confirmation_without_a_known_contact(config):
    state = gs.GlobalState(config.region_keys)
    state.on_failover_pending(WEST, None, 1)
    failover = model(config, state, traits=AcgrRules)["failover"]
    assert status_view.switch_now_confirmation(failover) == (
        f"Switch to {WEST} now? Any contact still in {EAST} will be cut off.")


def test_chat_in_the_agent_state():
    chats = parse_agent_update(snapshot_data("Busy", "routable", contacts=[("c-1", "chat", "connected"),
                                                                           ("c-2", "voice", "connected"),
                                                                           ("c-3", "chat", "connected")]))
    assert status_view.agent_text(chats.to_summary(AcgrRules.BLOCKING_CONTACT_TYPES)) == "Busy · 2 chats · voice call"


def test_announcement_and_sign_in_detail_on_the_cards(config):
    from core_testdata import make_acgr_config
    acgr = make_acgr_config()
    state = gs.GlobalState(acgr.region_keys)
    state.on_ccp_health(1, EAST, hl.SIGNED_OUT, 0, "global sign-in invalid (LILY_AGENT_CONFIG_MISSING)")
    state.on_ccp_health(1, WEST, hl.READY, 0)
    state.on_region_announced(EAST, "us-east-1", EAST)
    cards = [status_view.region_card(r) for r in status.build_status(acgr, state, 10_000, AcgrRules)["regions"]]
    assert (cards[0]["healthDetail"], cards[0]["announcement"], cards[0]["announcementTone"]) == (
        "global sign-in invalid (LILY_AGENT_CONFIG_MISSING)", "Announced us-east-1", "ok")
    assert (cards[1]["announcement"], cards[1]["announcementState"], cards[1]["announcementTone"]) == (
        "Has not announced its region", "missing", "trouble")
    state.on_region_announced(WEST, "us-west-1", EAST)
    card = status_view.region_card(status.build_status(acgr, state, 10_000, AcgrRules)["regions"][1])
    assert (card["announcement"], card["announcementTone"]) == ("Announces us-west-1, configured us-west-2",
                                                                "trouble")
    legacy = status_view.region_card(model(config, state)["regions"][0])
    assert (legacy["announcement"], legacy["announcementState"]) == ("—", "none")
    assert cards[0]["signedIn"] == "Sign-in needed: global sign-in invalid (LILY_AGENT_CONFIG_MISSING)"
    assert status_view.problem_lines(status.build_status(acgr, state, 10_000, AcgrRules)) == [
        "regions/1/region: the CCP at " + acgr.regions[1].ccp_url + ' announces region "us-west-1", not '
        '"us-west-2"']
