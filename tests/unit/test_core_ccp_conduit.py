"""CcpConduit: the handshake, the heartbeat and the load deadline as pure decisions; what it posts at the
handshake comes from the protocol's host rules (legacy DR's, and ACGR's with its sign-in check)."""
import pytest

from grccp.core import acgr
from grccp.core import ccp_messages as wire
from grccp.core import legacy_dr
from grccp.core.ccp_conduit import PAGE_BEHIND_MS, CcpConduit
from grccp.core.health import LOADING, NOT_ANSWERING, READY, REFUSED_FRAMING, SIGNED_OUT
from grccp.core.tab_actions import CheckQueue, Health, Log, Post, SignInNeeded

from core_testdata import make_acgr_config, make_config

ACK, SYN, LOAD = 3000, 1000, 5000


def make(displayed_first=True):
    config = make_config()
    timeouts = config.timeouts
    assert (timeouts["ccpAckTimeout"], timeouts["ccpSynTimeout"], timeouts["ccpLoadTimeout"]) == (ACK, SYN, LOAD)
    region, other = config.region_keys
    rules = legacy_dr.LegacyDrRules(config, region if displayed_first else other)
    return CcpConduit(config, region, rules)


def events(actions):
    """Posted event names, and (Health, status) for health changes."""
    return [a.message["event"] if isinstance(a, Post) else (type(a), a.status) for a in actions]


def test_start_waits_for_the_first_acknowledge():
    conduit = make()
    assert conduit.start(0) == []  # already loading
    assert conduit.health == LOADING and not conduit.ready
    assert conduit.next_deadline() == LOAD


def test_handshake_in_the_reference_order_on_the_first_ack_with_an_id():
    conduit = make()
    conduit.start(0)
    actions = conduit.on_acknowledge({"id": "port-1"}, 100)
    assert events(actions) == [wire.CONFIGURE, legacy_dr.INIT_DISASTER_RECOVERY, wire.OUTER_CONTEXT_INFO,
                               wire.SYNCHRONIZE, (Health, READY)]
    init = actions[1].message["data"]
    assert init["isPrimary"] is True and init["pollForFailover"] is True
    assert conduit.ready and conduit.port_id == "port-1" and conduit.handshakes == 1


def test_stand_by_region_is_not_primary():
    conduit = make(displayed_first=False)
    conduit.start(0)
    init = conduit.on_acknowledge({"id": "p"}, 1)[1].message["data"]
    assert "isPrimary" not in init and init["loginPopup"] is False


def test_keep_alive_ack_before_the_handshake_is_ignored():
    conduit = make()
    conduit.start(0)
    assert conduit.on_acknowledge(None, 10) == []
    assert not conduit.ready


def test_heartbeat_period_with_an_answering_ccp():
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "p"}, 0)        # SYN sent at 0
    assert conduit.on_acknowledge(None, 50) == []  # ACK: next SYN after synTimeout
    assert conduit.next_deadline() == 50 + SYN
    assert conduit.tick(50 + SYN - 1) == []
    assert events(conduit.tick(50 + SYN)) == [wire.SYNCHRONIZE]


MISSED = Health("us-east-1", NOT_ANSWERING, "the CCP stopped answering the heartbeat")


def test_missed_ack_is_not_answering_then_ready_again_without_a_new_handshake():
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "p"}, 0)
    assert conduit.tick(ACK) == [CheckQueue(conduit.region, ACK)]  # first: was the page itself behind?
    assert conduit.next_deadline() is None                         # until the check comes back
    assert conduit.on_queue_checked(ACK, ACK + 3) == [MISSED]      # it was not: a miss
    assert events(conduit.tick(ACK + 3 + SYN)) == [wire.SYNCHRONIZE]  # the reference keeps sending
    assert events(conduit.on_acknowledge(None, ACK + 3 + SYN + 5)) == [(Health, READY)]
    assert conduit.handshakes == 1


def test_a_page_behind_on_its_messages_is_no_missed_heartbeat():
    """A log flood (issue 16 item 10): the acknowledge deadline passed while the page's thread was seconds behind on
    its message events (the CCP's answer among them, queued behind thousands of relayed lines): the CCP gets a whole
    acknowledge timeout more from the moment the page caught up, as often as the page is found behind."""
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "p"}, 0)
    conduit.tick(ACK)
    behind = ACK + PAGE_BEHIND_MS + 1
    actions = conduit.on_queue_checked(ACK, behind)
    assert [type(a) for a in actions] == [Log] and conduit.health == READY
    assert f"{PAGE_BEHIND_MS + 1} ms behind" in actions[0].text
    assert conduit.next_deadline() == behind + ACK
    assert conduit.tick(behind + ACK) == [CheckQueue(conduit.region, behind + ACK)]
    assert conduit.on_queue_checked(behind + ACK, behind + ACK + 5000)[0].level == "INFO"  # behind again
    assert conduit.on_acknowledge(None, behind + ACK + 5001) == []  # the answer, behind the rest
    assert conduit.next_deadline() == behind + ACK + 5001 + SYN


def test_a_prompt_queue_and_no_answer_is_a_miss():
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "p"}, 0)
    conduit.tick(ACK)
    assert conduit.on_queue_checked(ACK, ACK + PAGE_BEHIND_MS) == [MISSED]


def test_an_answer_during_the_queue_check_ends_it():
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "p"}, 0)
    conduit.tick(ACK)
    assert conduit.on_relayed_lines(ACK + 1) == []  # lines that were queued in front of the check
    assert conduit.on_queue_checked(ACK, ACK + 2) == [] and conduit.health == READY
    assert conduit.next_deadline() == ACK + 1 + SYN


def test_a_queue_check_of_a_window_gone_meanwhile_changes_nothing():
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "p"}, 0)
    conduit.tick(ACK)
    conduit.on_auth_fail()
    assert conduit.on_queue_checked(ACK, ACK + 1) == [] and conduit.health == SIGNED_OUT
    conduit.start(ACK + 2)
    conduit.on_acknowledge({"id": "q"}, ACK + 3)
    assert conduit.on_queue_checked(ACK, ACK + 4) == [] and conduit.health == READY  # the old window's check


def test_a_ccp_still_relaying_log_lines_is_answering_while_its_acknowledge_waits_behind_them():
    """A log flood (issue 16 item 10): the worker posts the acknowledge after the lines it flushed before, on the
    same port, and the CCP relays them in that order; lines still coming are the answer the acknowledge would be."""
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "p"}, 0)  # SYN sent at 0
    assert conduit.on_relayed_lines(ACK - 10) == []
    assert conduit.tick(ACK) == []
    assert conduit.next_deadline() == ACK - 10 + SYN
    assert events(conduit.tick(ACK - 10 + SYN)) == [wire.SYNCHRONIZE]


def test_only_silence_is_not_answering_and_relayed_lines_make_the_ccp_ready_again():
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "p"}, 0)
    conduit.on_relayed_lines(ACK - 10)
    conduit.tick(ACK - 10 + SYN)  # the next SYN: nothing at all comes after it
    silent = ACK - 10 + SYN + ACK
    assert conduit.tick(silent) == [CheckQueue(conduit.region, silent)]
    assert conduit.on_queue_checked(silent, silent + 1) == [MISSED]
    assert events(conduit.on_relayed_lines(silent + 5)) == [(Health, READY)]
    assert conduit.handshakes == 1


def test_relayed_lines_neither_start_a_ccp_nor_end_its_sign_in_check():
    conduit = make()
    conduit.start(0)
    assert conduit.on_relayed_lines(10) == [] and not conduit.ready
    assert conduit.tick(LOAD)[0] == Health(conduit.region, NOT_ANSWERING, "the CCP did not answer after loading")
    conduit.start(LOAD)
    conduit.on_acknowledge({"id": "p"}, LOAD + 1)
    conduit.on_auth_fail()
    assert conduit.on_relayed_lines(LOAD + 2) == [] and conduit.health == SIGNED_OUT
    acgr_conduit = checked(make_acgr())
    assert acgr_conduit.on_relayed_lines(110) == [] and not acgr_conduit.ready


def test_load_deadline_asks_for_sign_in_once():
    conduit = make()
    conduit.start(0)
    actions = conduit.tick(LOAD)
    assert actions == [Health(conduit.region, NOT_ANSWERING, "the CCP did not answer after loading"),
                       SignInNeeded(conduit.region)]
    assert conduit.tick(LOAD * 3) == []
    # a refreshed frame for a sign-in already requested does not ask again
    assert conduit.start(LOAD * 3, sign_in_requested=True) == [Health(conduit.region, LOADING, None)]
    assert SignInNeeded(conduit.region) not in conduit.tick(LOAD * 4)


def test_refreshed_frame_gets_the_whole_handshake_again():
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "first"}, 1)
    conduit.on_auth_fail()
    assert conduit.health == SIGNED_OUT and not conduit.ready
    conduit.start(100)
    actions = conduit.on_acknowledge({"id": "second"}, 200)
    assert legacy_dr.INIT_DISASTER_RECOVERY in events(actions)
    assert conduit.handshakes == 2


def test_a_new_ccp_window_in_the_same_frame_gets_the_whole_handshake():
    """The CCP reloaded itself, or was navigated to its own URL: the frame is the same, its window is new (a new
    handshake id). It gets the first acknowledge's whole sequence, not a heartbeat: without
    init_disaster_recovery no window of the region would handle a failover (ccp-protocol 1.3)."""
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "first"}, 1)
    actions = conduit.on_acknowledge({"id": "second"}, 2000)
    assert events(actions) == [wire.CONFIGURE, legacy_dr.INIT_DISASTER_RECOVERY, wire.OUTER_CONTEXT_INFO,
                               wire.SYNCHRONIZE]
    assert actions[1].message["data"]["isPrimary"] is True
    assert conduit.ready and conduit.port_id == "second" and conduit.handshakes == 2 and conduit.health == READY
    assert conduit.on_acknowledge({"id": "second"}, 2050) == []  # the same window again: a keep-alive
    assert conduit.handshakes == 2


def test_request_configure_is_answered_only_after_the_handshake():
    conduit = make()
    conduit.start(0)
    assert conduit.on_request_configure() == []
    conduit.on_acknowledge({"id": "p"}, 1)
    assert events(conduit.on_request_configure()) == [wire.CONFIGURE]


# ---------------------------------------------------------------------------------------------------------
# A protocol that checks the sign-in before the handshake (ACGR's global sign-in validation)


def make_acgr(shown_first=True):
    config = make_acgr_config()
    region, other = config.region_keys
    return CcpConduit(config, region, acgr.AcgrRules(config, region if shown_first else other))


def checked(conduit, at=100):
    conduit.start(0)
    assert events(conduit.on_acknowledge({"id": "port-1"}, at)) == [acgr.VALIDATE_GLOBAL_SIGNIN]
    return conduit


def test_the_sign_in_check_comes_between_the_first_ack_and_the_handshake():
    conduit = checked(make_acgr())
    assert not conduit.ready and conduit.health == LOADING and conduit.next_deadline() == 100 + acgr.SIGN_IN_CHECK_MS
    assert conduit.on_acknowledge(None, 120) == [] and conduit.on_acknowledge({"id": "other"}, 130) == []
    assert conduit.tick(100 + acgr.SIGN_IN_CHECK_MS - 1) == []  # no heartbeat yet, and no load deadline
    actions = conduit.on_sign_in_checked(True, None, 200)
    assert events(actions) == [wire.CONFIGURE, wire.OUTER_CONTEXT_INFO, wire.SYNCHRONIZE, (Health, READY)]
    assert actions[0].message["data"]["enableGlobalResiliency"] is True
    assert actions[0].message["data"]["instanceState"] == "active"
    assert conduit.port_id == "port-1" and conduit.handshakes == 1
    assert conduit.on_sign_in_checked(True, None, 210) == []         # a repeated answer: nothing


@pytest.mark.parametrize("shown_first, state", [(True, "active"), (False, "inactive")])
def test_configure_says_whether_the_ccp_is_the_active_one(shown_first, state):
    conduit = checked(make_acgr(shown_first))
    assert conduit.on_sign_in_checked(True, None, 200)[0].message["data"]["instanceState"] == state


def test_no_answer_in_250_ms_is_a_valid_sign_in_as_in_streams():
    conduit = checked(make_acgr())
    actions = conduit.tick(100 + acgr.SIGN_IN_CHECK_MS)
    assert isinstance(actions[0], Log) and "assumed valid" in actions[0].text
    assert events(actions[1:]) == [wire.CONFIGURE, wire.OUTER_CONTEXT_INFO, wire.SYNCHRONIZE, (Health, READY)]
    late = "global sign-in invalid (LILY_AGENT_CONFIG_MISSING)"      # a late invalid one still counts
    assert conduit.on_sign_in_checked(False, late, 400) == [Health(conduit.region, SIGNED_OUT, late),
                                                           SignInNeeded(conduit.region)]
    assert not conduit.ready and conduit.on_sign_in_checked(False, late, 500) == []  # once


def test_an_unasked_invalid_answer_changes_nothing():
    """A CCP window whose check was answered (or not asked again) cannot be signed out by a repeated answer."""
    conduit = checked(make_acgr())
    conduit.on_sign_in_checked(True, None, 200)
    assert conduit.on_sign_in_checked(False, "global sign-in invalid (X)", 300) == []
    assert conduit.ready and conduit.health == READY
    conduit = checked(make_acgr())
    conduit.tick(100 + acgr.SIGN_IN_CHECK_MS)
    assert conduit.on_sign_in_checked(True, None, 400) == []        # a late valid answer changes nothing
    assert conduit.on_sign_in_checked(False, "global sign-in invalid (X)", 500) == [] and conduit.ready


def test_an_invalid_sign_in_asks_for_one_and_the_next_window_is_checked_again():
    conduit = checked(make_acgr())
    problem = "global sign-in invalid (LILY_AGENT_CONFIG_MISSING)"
    assert conduit.on_sign_in_checked(False, problem, 150) == [Health(conduit.region, SIGNED_OUT, problem),
                                                               SignInNeeded(conduit.region)]
    assert not conduit.ready and conduit.next_deadline() is None and conduit.tick(10_000) == []
    conduit.start(20_000, sign_in_requested=True)  # the refreshed frame
    assert events(conduit.on_acknowledge({"id": "port-2"}, 20_100)) == [acgr.VALIDATE_GLOBAL_SIGNIN]
    assert SignInNeeded(conduit.region) not in conduit.on_sign_in_checked(False, problem, 20_200)


def test_a_session_ending_during_the_check_ends_the_check():
    conduit = checked(make_acgr())
    conduit.on_auth_fail()
    assert conduit.next_deadline() is None and conduit.tick(1000) == []
    assert conduit.on_sign_in_checked(True, None, 1000) == []


def test_a_new_acgr_window_in_the_same_frame_is_checked_and_configured_again():
    conduit = checked(make_acgr())
    conduit.on_sign_in_checked(True, None, 200)
    assert events(conduit.on_acknowledge({"id": "port-2"}, 5000)) == [acgr.VALIDATE_GLOBAL_SIGNIN]
    actions = conduit.on_sign_in_checked(True, None, 5010)
    assert events(actions) == [wire.CONFIGURE, wire.OUTER_CONTEXT_INFO, wire.SYNCHRONIZE]
    assert actions[0].message["data"]["instanceState"] == "active"
    assert conduit.port_id == "port-2" and conduit.handshakes == 2


def test_a_ccp_the_browser_refuses_to_frame_is_said_so_until_a_window_answers():
    """The background found that the page's origin is not approved (bg:framing-refused): the region is said
    refused, also through the refreshes and after them, not "not answering" or "signed out"; a window that
    answers after all (the administrator approved the origin) ends it."""
    conduit = make()
    conduit.start(0)
    conduit.tick(LOAD)
    assert conduit.on_framing_refused("add it") == [Health(conduit.region, REFUSED_FRAMING, "add it")]
    assert conduit.start(LOAD * 2, sign_in_requested=True) == []  # a refresh: still refused, not loading
    assert conduit.tick(LOAD * 3) == []
    assert conduit.give_up("the CCP never answered") == []
    assert conduit.health == REFUSED_FRAMING
    conduit.start(LOAD * 4, sign_in_requested=True)
    assert (Health, READY) in events(conduit.on_acknowledge({"id": "approved"}, LOAD * 5))
    assert conduit.on_framing_refused("late") == []  # a window answers: the probe was wrong or old
    assert conduit.health == READY


def test_ccps_relaying_their_lines_late_is_no_missed_heartbeat():
    """Cross-site, both regions' CCP frames share one process (one site): in a flood one region's acknowledge waits
    there behind the other's lines, while the page is prompt. A line that reached the page in the last acknowledge
    timeout older than that timeout by its own time says the CCPs' relaying is that far behind."""
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "p"}, 0)
    conduit.tick(ACK)
    actions = conduit.on_queue_checked(ACK, ACK + 1, (ACK - 10, ACK + 1))  # arrived 10 ms before, 3,001 ms old
    assert [type(a) for a in actions] == [Log] and "relay log lines 3001 ms late" in actions[0].text
    assert conduit.health == READY and conduit.next_deadline() == ACK + 1 + ACK


@pytest.mark.parametrize("newest_line", [None, (ACK - 10, ACK),   # none, or fresh enough
                                         (-1, ACK + 1)])          # old, but came before this timeout
def test_fresh_lines_or_none_leave_a_miss_a_miss(newest_line):
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "p"}, 0)
    conduit.tick(ACK)
    assert conduit.on_queue_checked(ACK, ACK + 1, newest_line) == [MISSED]
