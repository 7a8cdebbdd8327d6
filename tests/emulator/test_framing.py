"""An instance whose CCP refuses to be framed by an origin, in real browsers: the headers are the browser's to
enforce, so the refused page gets no CCP at all (no script runs in the frame), while an approved origin works."""
import pytest

from emulator.host_page import HostPage
from emulator.waiting import wait_until

WEST = "us-west-2"


def open_raw_host(driver, emulator, site):
    return HostPage(driver, emulator.host_page_url("raw-host.html", site=site, region=WEST)).open()


def acknowledged(page):
    return page.recorded("from-ccp", lambda d: d["event"] == "acknowledge" and d["data"] and d["data"].get("id"))


def refused_load_seen(emulator_client, origin):
    return [load for load in emulator_client.region_state(WEST)["ccp_page_loads"]
            if load["framed_by"] == origin and load["framing_refused"]]


@pytest.mark.parametrize("rules", [{"approved_origins": "crm"}, {"x_frame_options": "DENY"},
                                   {"approved_origins": "crm", "x_frame_options": "SAMEORIGIN"}],
                         ids=["csp", "x-frame-options", "both"])
@pytest.mark.parametrize("browser", ["chromium", "firefox"])
def test_a_refused_origin_gets_no_ccp_and_an_approved_one_does(request, emulator, emulator_client, browser, rules):
    driver = request.getfixturevalue(f"emulator_{browser}")
    crm, crm2 = emulator.crm_url("", 0), emulator.crm_url("", 1)
    approved = {"approved_origins": [crm]} if rules.get("approved_origins") else {}
    emulator_client.set_framing(WEST, **approved, x_frame_options=rules.get("x_frame_options"))
    refused_page = open_raw_host(driver, emulator, site=1)
    wait_until(lambda: refused_load_seen(emulator_client, crm2), 10, message="the refused frame load")

    driver.switch_to.new_window("tab")
    allowed_page = open_raw_host(driver, emulator, site=0)
    if approved:  # frame-ancestors lists crm and wins over X-Frame-Options: the approved origin gets its CCP
        wait_until(lambda: acknowledged(allowed_page), 10, message="the approved origin's CCP")
    else:  # X-Frame-Options names no origin: every other origin is refused
        wait_until(lambda: refused_load_seen(emulator_client, crm), 10, message="the second refused frame load")
        assert not acknowledged(allowed_page)
    driver.switch_to.window(driver.window_handles[0])
    assert not refused_page.recorded("from-ccp")  # no script ran in the refused frame
    assert not [view for view in emulator_client.region_state(WEST)["viewports"].values()
                if view["host"].startswith(crm2)]
