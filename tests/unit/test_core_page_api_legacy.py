"""Legacy DR's half of the page API: its page view (core.legacy_dr.LegacyDrPageView: what the globalConnect facade
is told of the tab's decisions, through core.page_relay), the bound on regional realms (core.regional_realms),
the page's log download request, and the origin-wide patterns of the regional frames' script."""
import pytest

from core_testdata import EAST, WEST, make_config, snapshot_data
from grccp.core import page_relay as pr, protocols, regional_realms
from grccp.core.config import page_api_origin_matches
from grccp.core.runtime_messages import FROM_PAGE_FRAMES, MESSAGE_TYPES, MessageError, make_message


class Rules:
    """What LegacyDrPageView reads of a tab's LegacyDrRules."""

    def __init__(self, shown=EAST, pending_target=None):
        self.shown, self.pending_target = shown, pending_target


@pytest.fixture
def relay():
    config = make_config()
    return pr.PageRelay(config.region_keys, protocols.page_view_for(config, EAST))


def test_the_facade_hears_pending_with_the_arn_then_complete_once_per_switch(relay):
    config = make_config()
    # told before either region's Streams is up: the facade itself waits for its start
    assert relay.on_decisions(Rules()) == []
    assert relay.on_decisions(Rules(pending_target=WEST)) == [
        ("facade", {"event": "pending", "nextActiveArn": config.region(WEST).instance_arn})]
    assert relay.on_decisions(Rules(pending_target=WEST)) == []  # told once
    assert relay.on_decisions(Rules(shown=WEST)) == [("facade", {"event": "complete", "region": WEST})]
    assert relay.on_decisions(Rules(shown=WEST)) == []
    # a tab that follows the background (nothing pending here) and a failover back
    assert relay.on_decisions(Rules(shown=EAST)) == [("facade", {"event": "complete", "region": EAST})]


def test_a_pending_failover_that_ends_without_a_switch_tells_nothing_and_a_new_one_is_told_again(relay):
    assert relay.on_decisions(Rules(pending_target=WEST))[0][1]["event"] == "pending"
    assert relay.on_decisions(Rules()) == []
    assert relay.on_decisions(Rules(pending_target=WEST))[0][1]["event"] == "pending"


def test_each_regions_streams_hears_its_own_region_and_never_dr_events(relay):
    for region in (EAST, WEST):
        relay.on_page({"kind": "host-ready", "region": region}, 0)
        actions = relay.on_ccp(region, {"event": "acknowledge", "data": {"id": "port-" + region}}, 0)
        assert actions[0] == ("page", region, {"event": "acknowledge", "data": {"id": "port-" + region}})
    agent = snapshot_data()
    for region in (EAST, WEST):  # both regions' traffic, not only the shown one's (ACGR's rule)
        assert relay.on_ccp(region, {"event": "agent::update", "data": agent}, 0) == [
            ("page", region, {"event": "agent::update", "data": agent})]
        assert relay.on_ccp(region, {"event": "disasterRecovery::failover", "data": {"isPrimary": False}}, 0) == []
    # the page's Streams sends nothing of the protocol: DR control from the page is dropped
    for event in ("disasterRecovery::suppress", "disasterRecovery::set_offline",
                  "disasterRecovery::init_disaster_recovery", "globalResiliency::force_failover"):
        assert relay.on_page({"kind": "to-ccp", "region": EAST, "msg": {"event": event, "data": {}}}, 0) == []
    assert relay.on_page({"kind": "to-ccp", "region": EAST, "msg": {"event": "broadcast", "data": {
        "event": "disasterRecovery::failover", "data": {"isPrimary": False}}}}, 0) == []


@pytest.mark.parametrize("message, wanted", [
    ({"kind": "download-logs", "logName": None, "filterByLogLevel": None}, ("request", "download-logs", {})),
    ({"kind": "download-logs"}, ("request", "download-logs", {})),
    ({"kind": "download-logs", "logName": "crm-log", "filterByLogLevel": True},
     ("request", "download-logs", {"logName": "crm-log", "filterByLogLevel": True})),
    ({"kind": "download-logs", "logName": 7, "filterByLogLevel": None}, None),
    ({"kind": "download-logs", "logName": "x" * 251}, None),
    ({"kind": "download-logs", "filterByLogLevel": "yes"}, None),
])
def test_the_pages_log_download_is_a_request_with_its_checked_options(relay, message, wanted):
    assert relay.on_page(message, 0) == ([] if wanted is None else [wanted])
    assert relay.dropped == (1 if wanted is None else 0)
    if wanted is not None:  # what the content script sends on
        make_message("cs:page-request", request=wanted[1], **wanted[2])


def test_streams_is_loaded_once_per_frame_and_into_at_most_two_frames_per_document():
    loads = regional_realms.RegionalLoads()
    assert loads.admit(1, "100.5", 7) is None
    assert loads.admit(1, "100.5", 7) == "Streams is already loaded in this frame"
    assert loads.admit(1, "100.5", 8) is None
    assert loads.admit(1, "100.5", 9) == "a page gets at most 2 regional Streams"
    assert loads.admit(1, "200.1", 10) is None  # the tab's next document
    assert loads.admit(2, "100.5", 7) is None   # another tab


def test_the_documents_remembered_are_bounded():
    loads = regional_realms.RegionalLoads()
    for tab in range(regional_realms.MAX_DOCUMENTS + 5):
        loads.admit(tab, "1", 1)
    assert len(loads._frames) == regional_realms.MAX_DOCUMENTS
    assert loads.admit(0, "1", 1) is None  # the oldest was forgotten


def test_the_regional_frames_script_matches_the_opted_in_origins():
    config = make_config(allowlist=["https://crm.example.test/app/*", "https://*.example.org/*"],
                         pageApi=["https://crm.example.test/app/*", "https://*.example.org/*"])
    assert page_api_origin_matches(config) == ["https://crm.example.test/*", "https://*.example.org/*"]


def test_only_the_streams_request_is_heard_from_a_frame_of_the_page():
    assert FROM_PAGE_FRAMES == ("cs:load-streams",) and set(FROM_PAGE_FRAMES) <= set(MESSAGE_TYPES)
    with pytest.raises(MessageError):
        make_message("cs:load-streams", region="us-east-1", document="x" * 41)
