"""What an open tab does with a configuration the background gives it (core.tab_config)."""
from urllib.parse import urlsplit

import pytest

from core_testdata import EAST_CCP, make_config
from grccp.core import tab_config

PAGE = "https://crm.example.test/app/contacts?id=7"


def test_a_page_without_a_panel_starts_one_only_when_it_is_allowlisted():
    config = make_config()
    assert tab_config.follow(None, config, PAGE) == tab_config.START
    assert tab_config.follow(None, None, PAGE) == tab_config.NOTHING
    assert tab_config.follow(None, make_config(allowlist=["https://other.example.test/*"]), PAGE) == tab_config.NOTHING


def test_a_panel_is_taken_off_a_page_no_longer_allowlisted_or_without_a_configuration():
    config = make_config()
    assert tab_config.follow(config, make_config(allowlist=["https://other.example.test/*"]), PAGE) == \
        tab_config.REMOVE
    assert tab_config.follow(config, None, PAGE) == tab_config.REMOVE


@pytest.mark.parametrize("change", [
    {"logs": {"logName": "other-log"}},
    {"allowlist": ["https://crm.example.test/*", "https://other.example.test/*"]},
    {"outage": {"askBeforeLeaving": True, "notifications": True, "keepAgentState": True}},  # taken over in place (tab_host)
    {},
])
def test_what_the_panel_does_not_use_keeps_it(change):
    assert tab_config.follow(make_config(), make_config(**change), PAGE) == tab_config.KEEP


@pytest.mark.parametrize("change", [
    {"timeouts": {"ccpAckTimeout": 4000}},
    {"placement": {"mode": "docked", "side": "left"}},
    {"loginPopup": False},
    {"softphone": {"allowFramedSoftphone": False}},
])
def test_what_the_panel_is_made_of_rebuilds_it(change):
    assert tab_config.follow(make_config(), make_config(**change), PAGE) == tab_config.REBUILD


def test_new_ccp_urls_rebuild_the_panel():
    config = make_config()
    regions = [region.to_dict() for region in config.regions]
    regions[0]["ccpUrl"] = EAST_CCP + "?tenant=2"
    assert tab_config.follow(config, make_config(regions=regions), PAGE) == tab_config.REBUILD


def test_a_contact_in_progress_makes_a_rebuild_or_a_removal_wait():
    config = make_config()
    regions = [region.to_dict() for region in config.regions]
    regions[0]["ccpUrl"] = EAST_CCP + "?tenant=2"
    moved, elsewhere = make_config(regions=regions), make_config(allowlist=["https://other.example.test/*"])
    assert tab_config.follow(config, moved, PAGE, contact_in_progress=True) == tab_config.WAIT
    assert tab_config.follow(config, elsewhere, PAGE, contact_in_progress=True) == tab_config.WAIT
    assert tab_config.follow(config, None, PAGE, contact_in_progress=True) == tab_config.WAIT
    assert tab_config.follow(config, make_config(), PAGE, contact_in_progress=True) == tab_config.KEEP
    assert tab_config.follow(None, moved, PAGE, contact_in_progress=True) == tab_config.START


def _summary(blocking=(), others=0):
    return {"blockingContacts": list(blocking), "otherContactCount": others}


def test_a_contact_of_any_type_in_any_region_is_a_contact_in_progress():
    assert not tab_config.on_a_contact([]) and not tab_config.on_a_contact([_summary(), _summary()])
    assert tab_config.on_a_contact([_summary(), _summary(blocking=[{"contactId": "c-1"}])])
    assert tab_config.on_a_contact([_summary(others=1)])


def test_a_panel_an_earlier_instance_left_gives_way_unless_its_last_word_is_a_contact_in_progress():
    assert tab_config.contact_word(True) == "in-progress" and tab_config.contact_word(False) == "none"
    assert not tab_config.predecessor_gives_way(tab_config.contact_word(True))
    assert tab_config.predecessor_gives_way(tab_config.contact_word(False))
    assert tab_config.predecessor_gives_way(None)           # a panel from before the word existed
    assert tab_config.predecessor_gives_way("something")    # (only a contact is a reason to keep it)


def _wanted(config):
    """The frames a panel of `config` wants, as tab_session gives them to the panel."""
    return [(region.key, region.ccp_url, region.ccp_origin) for region in config.regions]


def _made_early(config_dict):
    """The frames boot/early_start.js makes from the background's configuration (bg:welcome's `config`):
    [key, ccpUrl as given, the URL's origin as the browser's URL parser gives it (default port left out)]."""
    made = []
    for region in config_dict["regions"]:
        parts = urlsplit(region["ccpUrl"])
        port = "" if parts.port in (None, 443) else f":{parts.port}"
        made.append([region["region"], region["ccpUrl"], f"{parts.scheme}://{parts.hostname}{port}"])
    return made


@pytest.mark.parametrize("ccp_urls", [
    None,  # the test data's: a port given
    ["https://ccp.us-east-1.example.test/ccp-v2/", "https://ccp.us-west-2.example.test:443/connect/ccp-v2"],
])
def test_early_frames_made_from_the_same_configuration_fit(ccp_urls):
    config = make_config()
    if ccp_urls is not None:
        regions = [dict(region.to_dict(), ccpUrl=url) for region, url in zip(config.regions, ccp_urls)]
        config = make_config(regions=regions)
    assert tab_config.early_frames_fit(_made_early(config.to_dict()), _wanted(config))


def test_early_frames_of_another_configuration_do_not_fit():
    config = make_config()
    made = _made_early(config.to_dict())
    other_url = [made[0][:1] + [EAST_CCP + "?tenant=2"] + made[0][2:], made[1]]
    other_origin = [made[0][:2] + ["https://ccp.us-east-1.example.test"], made[1]]
    for stale in (other_url, other_origin, made[::-1], made[:1], made + [made[0]], []):
        assert not tab_config.early_frames_fit(stale, _wanted(config))
