"""core.notices: the events a notification tells, each once while it holds, none for the past or while the popup
is open."""
from core_testdata import EAST, WEST, make_config
from grccp.core import global_state as gs
from grccp.core import health as hl
from grccp.core import status
from grccp.core.legacy_dr import LegacyDrRules
from grccp.core.notices import Notices

CONFIG = make_config()


def model(state):
    return status.build_status(CONFIG, state, 10_000, LegacyDrRules)


def started(state):
    """A memory that has taken the current state as seen (the background's first step)."""
    notices = Notices()
    assert notices.step(model(state), popup_open=False) == []
    return notices


def titles(shown):
    return [title for _key, title, _message in shown]


def test_a_failover_tells_pending_with_its_contact_then_complete_once_each():
    state = gs.GlobalState(CONFIG.region_keys)
    notices = started(state)
    state.on_failover_pending(WEST, "c-1", 1000, contact_type="voice")
    shown = notices.step(model(state), popup_open=False)
    assert shown == [(f"pending:{WEST}:1000", f"Failover to {WEST} pending",
                      f"It waits for the voice contact c-1 in {EAST} to end (Switch now is in the popup).")]
    assert notices.step(model(state), popup_open=False) == []  # still pending: told once
    state.on_switch_complete(WEST, 2000)
    assert titles(notices.step(model(state), popup_open=False)) == [f"Failover to {WEST} complete"]
    assert notices.step(model(state), popup_open=False) == []


def test_nothing_of_the_past_is_told_after_a_start():
    state = gs.GlobalState(CONFIG.region_keys)
    state.on_failover_pending(WEST, "c-1", 1000)
    assert Notices().step(model(state), popup_open=False) == []


def test_what_happens_while_the_popup_is_open_is_taken_as_seen():
    state = gs.GlobalState(CONFIG.region_keys)
    notices = started(state)
    state.on_failover_pending(WEST, "c-1", 1000)
    assert notices.step(model(state), popup_open=True) == []
    assert notices.step(model(state), popup_open=False) == []


def test_the_stand_by_signed_out_or_not_answering_and_the_active_not_answering_are_told():
    state = gs.GlobalState(CONFIG.region_keys)
    notices = started(state)
    state.on_ccp_health(1, WEST, hl.SIGNED_OUT, 1000)
    assert titles(notices.step(model(state), popup_open=False)) == [f"Stand-by region {WEST} is signed out"]
    state.on_ccp_health(1, WEST, hl.NOT_ANSWERING, 1100)
    assert titles(notices.step(model(state), popup_open=False)) == [f"Stand-by region {WEST} is not answering"]
    state.on_ccp_health(1, EAST, hl.NOT_ANSWERING, 1200)
    assert titles(notices.step(model(state), popup_open=False)) == [f"The {EAST} CCP is not answering"]


def test_a_condition_that_clears_and_comes_back_is_told_again():
    state = gs.GlobalState(CONFIG.region_keys)
    notices = started(state)
    state.on_ccp_health(1, EAST, hl.NOT_ANSWERING, 1000)
    assert len(notices.step(model(state), popup_open=False)) == 1
    state.on_ccp_health(1, EAST, hl.READY, 1100)
    assert notices.step(model(state), popup_open=False) == []
    state.on_ccp_health(1, EAST, hl.NOT_ANSWERING, 1200)
    assert len(notices.step(model(state), popup_open=False)) == 1


def test_the_memory_survives_a_restart():
    state = gs.GlobalState(CONFIG.region_keys)
    notices = started(state)
    state.on_failover_pending(WEST, "c-1", 1000)
    notices.step(model(state), popup_open=False)
    assert Notices(sorted(notices.seen)).step(model(state), popup_open=False) == []


def test_an_unconfigured_extension_tells_nothing():
    notices = Notices([])
    assert notices.step(status.not_configured_status(), popup_open=False) == []


def test_a_ccp_the_browser_refuses_to_show_is_told_with_the_fix():
    state = gs.GlobalState(CONFIG.region_keys)
    notices = started(state)
    state.on_ccp_health(1, WEST, hl.REFUSED_FRAMING, 1000, "add https://crm.example.com ...")
    assert notices.step(model(state), popup_open=False)[0][1:] == (
        f"The browser refuses to show the {WEST} CCP", "add https://crm.example.com ...")
    assert notices.step(model(state), popup_open=False) == []
