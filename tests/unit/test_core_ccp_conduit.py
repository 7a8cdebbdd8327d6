"""CcpConduit: the handshake, the heartbeat and the load deadline as pure decisions; what it posts at the
handshake comes from the protocol's host rules (here legacy DR's)."""
from grccp.core import ccp_messages as wire
from grccp.core import legacy_dr
from grccp.core.ccp_conduit import CcpConduit
from grccp.core.health import LOADING, NOT_ANSWERING, READY, SIGNED_OUT
from grccp.core.tab_actions import Health, Post, SignInNeeded

from core_testdata import make_config

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


def test_missed_ack_is_not_answering_then_ready_again_without_a_new_handshake():
    conduit = make()
    conduit.start(0)
    conduit.on_acknowledge({"id": "p"}, 0)
    assert conduit.tick(ACK) == [Health(conduit.region, NOT_ANSWERING, "the CCP stopped answering the heartbeat")]
    assert events(conduit.tick(ACK + SYN)) == [wire.SYNCHRONIZE]  # the reference keeps sending
    assert events(conduit.on_acknowledge(None, ACK + SYN + 5)) == [(Health, READY)]
    assert conduit.handshakes == 1


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


def test_request_configure_is_answered_only_after_the_handshake():
    conduit = make()
    conduit.start(0)
    assert conduit.on_request_configure() == []
    conduit.on_acknowledge({"id": "p"}, 1)
    assert events(conduit.on_request_configure()) == [wire.CONFIGURE]
