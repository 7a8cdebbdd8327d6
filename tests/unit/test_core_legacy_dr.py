"""Legacy DR (connect-streams-dr.js): its own host messages, and its host rules as actions (whole failovers
through the background: test_core_failover)."""
import inspect

import pytest

from core_testdata import EAST, EAST_ARN, LOGIN, WEST, WEST_ARN, make_config, snapshot_data
from grccp.core import ccp_messages as cm
from grccp.core import host_rules, legacy_dr
from grccp.core import tab_actions as hr
from grccp.core.snapshot import parse_agent_update


def test_init_disaster_recovery_for_the_region_displayed_first(config):
    message = legacy_dr.init_disaster_recovery_message(config, EAST, displayed_first=True)
    assert message["event"] == "disasterRecovery::init_disaster_recovery"
    data = message["data"]
    assert (data["region"], data["instanceArn"], data["otherArn"]) == (EAST, EAST_ARN, WEST_ARN)
    assert data["pollForFailover"] is True and data["isPrimary"] is True and data["disasterRecoveryOn"] is True
    assert (data["loginUrl"], data["loginPopup"]) == (LOGIN, True)
    assert (data["ccpAckTimeout"], data["ccpSynTimeout"], data["ccpLoadTimeout"]) == (3000, 1000, 5000)
    assert data["softphone"] == config.softphone and data["pageOptions"] == config.page_options


def test_init_disaster_recovery_for_the_stand_by(config):
    data = legacy_dr.init_disaster_recovery_message(config, WEST, displayed_first=False)["data"]
    assert (data["region"], data["instanceArn"], data["otherArn"]) == (WEST, WEST_ARN, EAST_ARN)
    assert "isPrimary" not in data and data["loginPopup"] is False


def test_the_ccp_gets_the_region_name_without_suffix():
    config = make_config(regions=[
        {"region": "us-east-1.blue", "ccpUrl": "https://blue.example.test/", "instanceArn": EAST_ARN},
        {"region": "us-east-1.green", "ccpUrl": "https://green.example.test/",
         "instanceArn": EAST_ARN.replace("11111111-1111-4111-8111-111111111111",
                                         "33333333-3333-4333-8333-333333333333")}])
    assert legacy_dr.init_disaster_recovery_message(config, "us-east-1.green", False)["data"]["region"] == "us-east-1"


def test_small_legacy_messages():
    assert legacy_dr.suppress_message(True) == {"event": "disasterRecovery::suppress",
                                                "data": {"suppress": True, "shouldSendFailoverDownstream": False}}
    assert legacy_dr.suppress_message(False)["data"]["suppress"] is False
    assert legacy_dr.set_offline_message() == {"event": "disasterRecovery::set_offline"}
    assert legacy_dr.set_offline_message(True) == {"event": "disasterRecovery::set_offline",
                                                   "data": {"softFailover": True}}


# ---------------------------------------------------------------------------------------------------------
# The host rules as actions


def assert_implements_host_rules(rules_class):
    """Every method of the interface with its signature, and every trait."""
    interface = [name for name, value in vars(host_rules.HostRules).items() if inspect.isfunction(value)]
    assert len(interface) == 8
    for name in interface:
        assert inspect.signature(getattr(rules_class, name)) == inspect.signature(
            getattr(host_rules.HostRules, name)), name
    for trait in ("CCP_EVENTS", "BLOCKING_CONTACT_TYPES", "COMPLETES_STUCK_FAILOVER", "ANNOUNCES_REGIONS",
                  "SWITCH_NOW"):
        assert trait in vars(rules_class), trait


def test_the_rules_implement_the_whole_host_rules_interface(config):
    assert_implements_host_rules(legacy_dr.LegacyDrRules)
    rules = legacy_dr.LegacyDrRules(config, EAST)
    assert rules.sign_in_check(EAST) is None and rules.on_switch_now() == []  # the background completes it
    assert rules.SWITCH_NOW and rules.COMPLETES_STUCK_FAILOVER
    assert (rules.shown, rules.hidden, rules.epoch, rules.pending_target) == (EAST, WEST, 0, None)
    assert set(legacy_dr.LegacyDrRules.CCP_EVENTS) == {legacy_dr.FAILOVER, legacy_dr.FAILOVER_PENDING,
                                                       legacy_dr.FORCE_OFFLINE}


@pytest.mark.parametrize("shown", [EAST, WEST])
def test_the_handshake_is_the_references_and_only_the_region_displayed_first_is_primary(config, shown):
    rules = legacy_dr.LegacyDrRules(config, shown)
    assert rules.frame_created_messages(EAST) == []
    for region in (EAST, WEST):
        configure, init, context = rules.handshake_messages(region)
        assert configure == rules.configure_message(region) == legacy_dr.configure_message(config)
        assert init == legacy_dr.init_disaster_recovery_message(config, region, displayed_first=region == shown)
        assert context == cm.outer_context_info_message()
    rules.on_global_region(WEST if shown == EAST else EAST)  # the first region shown stays the primary one
    assert rules.handshake_messages(shown)[1]["data"]["isPrimary"] is True


def _event(rules, region, event, data):
    _, payload = cm.parse_ccp_message({"event": event, "data": data}, cm.parser_table(rules.CCP_EVENTS))
    return rules.on_ccp_event(region, event, payload)


def test_a_failover_logs_the_signal_then_shows_activates_and_completes(config):
    rules = legacy_dr.LegacyDrRules(config, EAST)
    data = {"isPrimary": False, "nextActiveArn": WEST_ARN}
    assert _event(rules, EAST, legacy_dr.FAILOVER, data) == [
        hr.Log(EAST, "INFO", f"failover signal: {{'nextActiveArn': '{WEST_ARN}', 'isPrimary': False}}"),
        hr.Show(WEST), hr.Post(WEST, legacy_dr.suppress_message(False)), hr.Complete(WEST, EAST, 0)]
    assert (rules.shown, rules.hidden, rules.epoch) == (WEST, EAST, 1)  # its own switch is counted (tab_epoch)
    assert _event(rules, EAST, legacy_dr.FAILOVER, data)[1:] == []  # a duplicate: only its log line


def test_a_lagging_tab_deactivates_the_old_region_first(config):
    rules = legacy_dr.LegacyDrRules(config, EAST, epoch=3)
    assert rules.on_global_region(WEST, 4) == [
        hr.Show(WEST), hr.Post(EAST, legacy_dr.suppress_message(True)),
        hr.Post(EAST, legacy_dr.set_offline_message(True)), hr.Post(WEST, legacy_dr.suppress_message(False)),
        hr.Complete(WEST, EAST, 4)]
    assert rules.epoch == 4 and rules.on_global_region(WEST, 5) == [] and rules.epoch == 5
    assert rules.on_global_region(EAST, 4) == [] and rules.shown == WEST  # older than what the tab knows


def test_detected_and_pending_are_reported_once_with_what_they_wait_for(config):
    rules = legacy_dr.LegacyDrRules(config, EAST)
    update = parse_agent_update(snapshot_data(contacts=[("c-1", "voice", "connected")]))
    assert rules.on_agent_update(EAST, update) == []
    offline = {"softFailover": True, "nextActiveArn": WEST_ARN}
    assert _event(rules, EAST, legacy_dr.FORCE_OFFLINE, offline) == [hr.Detected(WEST, True)]
    assert _event(rules, EAST, legacy_dr.FORCE_OFFLINE, offline) == []
    pending = {"nextActiveArn": WEST_ARN}
    assert _event(rules, EAST, legacy_dr.FAILOVER_PENDING, pending) == [hr.Pending(WEST, "c-1", "voice")]
    assert rules.pending_target == WEST and _event(rules, EAST, legacy_dr.FAILOVER_PENDING, pending) == []


def test_the_region_this_tab_activated_is_activated_again_in_every_new_ccp_window(config):
    """The switch's un-suppress reaches only the CCP window the frame holds at that moment; a window that is on its
    sign-in page, loading or refreshing then never gets it, and a worker that outlives it (another window of the
    region keeps it) stays suppressed. So the handshake of every new window of the region this tab activated says
    it again, until a failover away from that region begins (its worker suppresses itself then)."""
    rules = legacy_dr.LegacyDrRules(config, EAST)
    assert legacy_dr.SUPPRESS not in [m["event"] for m in rules.handshake_messages(EAST)]  # the reference's start
    _event(rules, EAST, legacy_dr.FAILOVER, {"isPrimary": False, "nextActiveArn": WEST_ARN})
    assert rules.handshake_messages(WEST)[3:] == [legacy_dr.suppress_message(False)]
    assert len(rules.handshake_messages(EAST)) == 3  # the stand-by's worker suppresses itself
    _event(rules, WEST, legacy_dr.FORCE_OFFLINE, {"softFailover": True, "nextActiveArn": EAST_ARN})
    assert len(rules.handshake_messages(WEST)) == 3  # a failover away from it has begun
    _event(rules, WEST, legacy_dr.FAILOVER, {"isPrimary": False, "nextActiveArn": EAST_ARN})
    assert rules.handshake_messages(EAST)[3:] == [legacy_dr.suppress_message(False)]
    assert len(rules.handshake_messages(WEST)) == 3
    rules.on_global_region(WEST, 9)  # a switch that follows the background activates its region too
    assert rules.handshake_messages(WEST)[3:] == [legacy_dr.suppress_message(False)]
