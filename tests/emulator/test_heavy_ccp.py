"""Heavy-CCP mode (README "Heavy CCP"): switchable per run, the same protocol, a document of a large single-page
app's size whose layout is read back on every resize."""
import re

from emulator.config import ccp_host
from emulator.host_page import HostPage
from emulator.loopback_https import https_request
from emulator.state import EmulatorState
from emulator.waiting import wait_until

EAST = "us-east-1"


def page_html(emulator):
    return https_request(emulator, ccp_host(EAST), "/ccp-v2/")[2]


def test_heavy_assets_are_linked_only_in_heavy_mode_and_reset_restores_the_servers_option(emulator, emulator_client):
    assert b"heavy" not in page_html(emulator) and emulator_client.state()["ccp_weight"] == "light"
    assert emulator_client.set_ccp_weight("heavy") == "heavy"
    html = page_html(emulator)
    assert b'href="heavy.css"' in html and b'src="heavy.js" defer' in html
    status, headers, script = https_request(emulator, ccp_host(EAST), "/ccp-v2/heavy.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and len(script) > 1_000_000
    assert https_request(emulator, ccp_host(EAST), "/ccp-v2/heavy.js")[2] == script  # the same bytes every time
    _, _, css = https_request(emulator, ccp_host(EAST), "/ccp-v2/heavy.css")
    assert len(re.findall(rb"\{", css)) > 2_000 and b"@media (max-width: 480px)" in css
    assert emulator_client.reset()["ccp_weight"] == "light"
    heavy_by_default = EmulatorState(emulator.instances, "heavy")
    heavy_by_default.ccp_weight = "light"
    heavy_by_default.reset()
    assert heavy_by_default.ccp_weight == "heavy"


def test_a_heavy_ccp_speaks_the_same_protocol_and_lays_itself_out_again_on_resize(
        emulator_chromium, emulator, emulator_client):
    emulator_client.set_ccp_weight("heavy")
    driver = emulator_chromium
    driver.get(emulator.ccp_url(EAST))  # the CCP on its own: its document is reachable
    count = wait_until(lambda: driver.execute_script(
        "return window.HeavyCcp && document.getElementById('heavy-app') && HeavyCcp.elementCount()"), 15,
        message="the heavy app shell rendered")
    assert count > 1_500
    assert driver.execute_script("return HeavyModules.count") == 2_000

    page = HostPage(driver, emulator.host_page_url("raw-host.html", region=EAST)).open()
    page.wait_for("from-ccp", lambda d: d["event"] == "acknowledge" and d["data"] and d["data"].get("id"))
    page.wait_for("from-ccp", lambda d: d["event"] == "agent::update")
    assert not page.recorded("page-error")

    def frame_view():
        views = [v for _, _, v in emulator_client.viewports() if v["host"].startswith(emulator.crm_url("", 0))
                 and not v["closed"]]
        return views[-1] if views else None

    wait_until(lambda: (frame_view() or {}).get("painted_at"), 15, message="the first size painted")
    page.run("document.getElementById('ccp').style.cssText = 'width: 0; height: 0; border: 0;'")
    wait_until(lambda: frame_view()["width"] == 0, 10, message="the CCP hidden at 0x0")
    page.run("document.getElementById('ccp').style.cssText = 'width: 400px; height: 560px; border: 0;'")
    shown = wait_until(lambda: (lambda v: v if v["width"] > 0 and v.get("painted_at") else None)(frame_view()), 10,
                       message="the CCP shown again and painted")
    assert shown["painted_at"] >= shown["at"]
