"""The engine under the conditions of issue #4 that are not plain failovers: a background restart in the middle
of a pending failover, the sign-in flow, and messages that only pretend to be from a CCP (legacy DR's and ACGR's
events, in either protocol)."""
import random
import re

import pytest

from grccp.core import acgr
from grccp.core import ccp_messages as wire
from grccp.core import legacy_dr

from .conftest import extension_config
from .extension_driver import (background_status, configure, host_state, logged, open_allowlisted,
                               service_worker_target, settle, shows_only, stop_service_worker, wait_for,
                               wait_until_both_ccps_connected)
from .test_failover_engine import EAST, WEST, open_ready, pending_on_call, ready_on


@pytest.mark.parametrize("browser_name", ["chromium"])  # CDP stops the worker; Firefox: see test_reliability
def test_service_worker_stopped_while_pending_then_contact_cleared(ccp_browser, emulator, protocol):
    driver = ccp_browser
    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    contact, before = pending_on_call(driver, emulator)
    stopped = stop_service_worker(driver)
    wait_for(driver, lambda: service_worker_target(driver) != stopped)  # a new worker (or none yet)
    after = background_status(driver)  # wakes the worker: it restores the state from session storage
    assert after["failover"]["phase"] == "pending" and after["failover"]["contactId"] == contact
    assert after["failover"]["detectedMs"] == before["failover"]["detectedMs"]
    emulator.client.hang_up(EAST, contact)
    emulator.client.clear(EAST, contact)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    wait_for(driver, lambda: shows_only(emulator, WEST))
    status = wait_for(driver, lambda: (lambda s: s if s["activeRegion"] == WEST else None)(background_status(driver)))
    assert status["failover"] is None
    assert [(e["from"], e["to"], e["contactId"]) for e in status["timeline"]] == [(EAST, WEST, contact)]


def signed_out_page_loads(emulator, region):
    return [load for load in emulator.client.region_state(region)["ccp_page_loads"] if load["outcome"] == "signed-out"]


def test_signed_out_instance_gets_one_sign_in_window_then_ccps_ready(ccp_browser, emulator):
    driver = ccp_browser
    emulator.client.expire_session()
    configure(driver, extension_config(emulator))
    page = driver.current_window_handle
    open_allowlisted(driver, emulator.crm_url())
    page = driver.current_window_handle
    wait_for(driver, lambda: len(driver.window_handles) == 2, timeout=30)
    # both regions keep refreshing their frames while the agent has not signed in: still one window
    wait_for(driver, lambda: len(signed_out_page_loads(emulator, EAST)) >= 3 and
             len(signed_out_page_loads(emulator, WEST)) >= 3, timeout=30)
    assert len(driver.window_handles) == 2
    login = next(handle for handle in driver.window_handles if handle != page)
    driver.switch_to.window(login)
    wait_for(driver, lambda: driver.find_elements("id", "sign-in"))
    driver.find_element("id", "sign-in").click()
    driver.switch_to.window(page)
    wait_for(driver, lambda: ready_on(driver, EAST), timeout=30)
    wait_for(driver, lambda: len(driver.window_handles) == 1, timeout=10)  # closed once signed in (autoClose)
    status = background_status(driver)
    assert [region["health"] for region in status["regions"]] == ["ready", "ready"]


def hostile_messages(west_arn, count=1200, seed=7):
    """Protocol-shaped and random messages: every event name with plausible, wrong-typed and spoofed payloads,
    plus junk of every JSON type and a few huge ones."""
    rng = random.Random(seed)
    payloads = [None, {}, [], "x", 0, True, {"nextActiveArn": west_arn}, {"isPrimary": False},
                {"nextActiveArn": west_arn, "isPrimary": False}, {"id": "spoofed-port"}, {"softFailover": False},
                {"snapshot": {"contacts": "no"}, "configuration": 3}, {"nextActiveArn": ["arn"]},
                {"activeRegion": "us-west-2"}, {"instanceRegion": "us-west-2", "instanceState": "active",
                                                "activeRegion": "us-west-2"},
                {"activeRegion": "us-west-2", "activeCcpUrl": "https://evil.example.test"},
                {"errorType": "LILY_AGENT_CONFIG_MISSING", "error": "spoofed"}]
    messages = []
    while len(messages) < count:
        kind = rng.random()
        if kind < 0.7:
            messages.append({"event": rng.choice(wire.ALL_EVENTS + legacy_dr.ALL_EVENTS + acgr.ALL_EVENTS),
                             "data": rng.choice(payloads)})
        elif kind < 0.95:
            messages.append(rng.choice([None, 1, "acknowledge", [1, 2], {"data": 1}, {"event": None},
                                        {"event": 7, "data": {}}, {"event": "disasterRecovery::failover"}]))
        else:
            messages.append({"event": "disasterRecovery::failover", "data": {"nextActiveArn": "a" * 1_000_000}})
    return messages


POST_HOSTILE = """
const [messages] = arguments;
window.__pageErrors = 0;
window.addEventListener('error', () => { window.__pageErrors++; });
for (const message of messages) window.postMessage(message, '*');
// and from a third-party frame on the page
const frame = document.createElement('iframe');
frame.src = 'about:blank';
document.body.appendChild(frame);
for (const message of messages.slice(0, 200)) frame.contentWindow.parent.postMessage(message, '*');
"""


@pytest.mark.stress
def test_messages_imitating_the_protocol_from_the_page_change_nothing(ccp_browser, emulator, protocol):
    driver = ccp_browser
    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    driver.execute_script(POST_HOSTILE, hostile_messages(emulator.instance_arn(WEST)))
    settle(driver)  # the page's message events have all been dispatched by now
    assert driver.execute_script("return window.__pageErrors") == 0
    assert ready_on(driver, EAST)
    status = background_status(driver)
    assert status["activeRegion"] == EAST and status["failover"] is None and status["timeline"] == []
    assert shows_only(emulator, EAST)
    # every drop is counted in the log: one summary line a second per region, not one line per message, so the
    # count of the last second's drops comes with the next summary (a slow page dispatches them over seconds)
    wait_for(driver, lambda: counted_drops(driver, EAST) >= 1200 + 200,
             message="the log does not count every message the page posted")


def counted_drops(driver, region):
    return sum(int(text.split("dropped messages: ")[1].split("×")[0])
               for text in logged(driver, region, "not a CCP frame"))


def test_malformed_messages_from_a_ccp_are_dropped(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    emulator.client.post_raw(EAST, [
        "not an object", {"data": 1}, {"event": 42},
        {"event": "agent::update", "data": "garbage"},
        {"event": "disasterRecovery::failover", "data": {"nextActiveArn": 5}},
        {"event": "disasterRecovery::failover_pending", "data": []},
        {"event": "acknowledge", "data": {"id": 7}},
    ])
    # the well-formed failover after the malformed ones proves they were all processed (and survived)
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    status = background_status(driver)
    assert [(e["from"], e["to"]) for e in status["timeline"]] == [(EAST, WEST)]
    # and each malformed one left a line in the region's log
    dropped = wait_for(driver, lambda: (lambda found: found if len(found) >= 6 else None)(
        logged(driver, EAST, "dropped a malformed message from the us-east-1 CCP")))
    assert len(dropped) >= 6


@pytest.mark.stress
def test_a_ccp_frame_navigated_to_another_origin_is_not_trusted(ccp_browser, emulator, protocol):
    """The frame window is the same, its origin is not the CCP's any more: its messages (legacy DR's and ACGR's
    failover events) are dropped."""
    driver = ccp_browser
    configure(driver, extension_config(emulator, protocol))
    open_ready(driver, emulator)
    wait_until_both_ccps_connected(driver)  # else the stand-by's worker may start after the navigate message
    west_arn = emulator.instance_arn(WEST)
    impostor = emulator.other_url(f"/hosts/impostor.html?arn={west_arn}&region={WEST}&count=25")
    emulator.client.post_raw(WEST, [{"event": "emulator::navigate", "data": {"url": impostor}}])

    reason = "a message from the us-west-2 frame came from another origin"

    def dropped_count():  # drops are summed up in the log once a second, by reason: wait for them to add up
        counts = [re.search(r"(\d+)× " + re.escape(reason), text) for text in logged(driver, EAST, reason)]
        total = sum(int(found.group(1)) for found in counts if found)
        return total if total >= 4 else None
    wait_for(driver, dropped_count)
    status = background_status(driver)
    assert ready_on(driver, EAST) and status["timeline"] == [] and status["failover"] is None
