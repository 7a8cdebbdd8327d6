"""Conformance: the real legacy DR artifact (connect-streams-dr.js, globalConnect with pollForFailover) against
both emulated instances — ccp-protocol.md Sections 5 and 6."""
import time

from emulator.waiting import wait_until

from .pages import DrPage, wait_for_download

EAST, WEST = "us-east-1", "us-west-2"


def open_dr_page(driver, emulator, emulator_client, **query):
    """The DR page initialised, with the stand-by worker's first poll done (its agent forced Offline)."""
    page = DrPage(driver, emulator, **query).open().wait_initialised()
    standby = WEST if query.get("primary", EAST) == EAST else EAST
    wait_until(lambda: emulator_client.agent_state(standby) == "Offline", 10, message=f"{standby} forced offline")
    return page


def connected_call(emulator_client, region):
    contact_id = emulator_client.route_contact(region)
    emulator_client.accept(region, contact_id)
    return contact_id


def wait_for_polls(emulator_client, region, count):
    """Let `count` more active-region polls of `region` happen (a condition, not a sleep)."""
    start = len(emulator_client.region_state(region)["active_region_polls"])
    wait_until(lambda: len(emulator_client.region_state(region)["active_region_polls"]) >= start + count, 10,
               message=f"{count} more active-region polls in {region}")


def test_on_init_fires_for_each_region_and_nothing_switches(emulator_chromium, emulator, emulator_client):
    page = open_dr_page(emulator_chromium, emulator, emulator_client)
    assert [r["detail"]["region"] for r in page.recorded("init")] == [EAST, WEST]
    assert page.visible_region() == EAST
    wait_for_polls(emulator_client, EAST, 2)
    assert not page.recorded("failover-complete") and not page.recorded("failover-pending")
    assert emulator_client.agent_state(EAST) == "Available"
    assert page.run("return globalConnect.core.primaryRegion") == EAST


def test_active_region_change_without_contact_completes_and_swaps_frames(emulator_chromium, emulator, emulator_client):
    page = open_dr_page(emulator_chromium, emulator, emulator_client)
    changed_at = time.time() * 1000
    emulator_client.set_active(WEST)
    complete = page.wait_for("failover-complete")[0]
    assert complete["detail"] == {"activeRegion": WEST, "activeCcpUrl": emulator.ccp_url(WEST)}
    assert complete["at"] - changed_at < emulator.timings.dr_poll_interval_ms + 2500  # one poll period + work
    assert page.visible_region() == WEST
    assert page.run("return globalConnect.core.primaryRegion") == WEST
    assert not page.recorded("failover-pending")
    wait_until(lambda: emulator_client.agent_state(EAST) == "Offline", 10, message="old region forced offline")


def test_soft_failover_waits_for_the_voice_contact_to_be_cleared(emulator_chromium, emulator, emulator_client):
    page = open_dr_page(emulator_chromium, emulator, emulator_client)
    connected_call(emulator_client, EAST)
    emulator_client.set_active(WEST)  # TerminateActiveContacts false: soft
    pending = page.wait_for("failover-pending")[0]
    assert pending["detail"] == {"nextActiveArn": emulator.instance_arn(WEST)}

    wait_for_polls(emulator_client, EAST, 2)
    assert not page.recorded("failover-complete") and page.visible_region() == EAST
    emulator_client.hang_up(EAST)  # → after contact work: still pending
    wait_for_polls(emulator_client, EAST, 2)
    assert not page.recorded("failover-complete") and page.visible_region() == EAST
    assert emulator_client.contacts(EAST)[0]["state"]["type"] == "ended"

    emulator_client.clear(EAST)  # the contact leaves the snapshot: now the switch happens
    complete = page.wait_for("failover-complete")[0]
    assert complete["detail"]["activeRegion"] == WEST and complete["at"] > pending["at"]
    assert page.visible_region() == WEST
    assert len(page.recorded("failover-pending")) == 1
    wait_until(lambda: emulator_client.agent_state(EAST) == "Offline", 10, message="old region forced offline")


def test_terminate_active_contacts_switches_at_once(emulator_chromium, emulator, emulator_client):
    page = open_dr_page(emulator_chromium, emulator, emulator_client)
    contact_id = connected_call(emulator_client, EAST)
    emulator_client.set_active(WEST, terminate_active_contacts=True)
    assert page.wait_for("failover-complete")[0]["detail"]["activeRegion"] == WEST
    assert not page.recorded("failover-pending") and page.visible_region() == WEST
    calls = emulator_client.region_state(EAST)["api_calls"]
    destroyed = [c for c in calls if c["method"] == "destroyConnection"]
    assert destroyed and destroyed[0]["params"]["contactId"] == contact_id
    wait_until(lambda: emulator_client.region_state(EAST)["agent"]["selected_state"] == "Offline", 10,
               message="old region's agent set Offline")


def test_download_logs_writes_one_file_per_region(emulator_chromium, emulator, emulator_client):
    page = open_dr_page(emulator_chromium, emulator, emulator_client)
    lines = {region: emulator_client.emit_logs(region, 2, text=f"worker line from {region}") for region in (EAST, WEST)}
    for region, texts in lines.items():
        wait_until(lambda: all(t in page.regional_log_text(region) for t in texts), 10,
                   message=f"{region} worker lines in the regional logger")
    page.run("globalConnect.core.downloadLogs()")
    for region, other in ((EAST, WEST), (WEST, EAST)):
        entries = wait_for_download(emulator_chromium.download_dir, f"{region}-agent-log.txt")
        texts = {e["text"] for e in entries}
        assert set(lines[region]) <= texts and not set(lines[other]) & texts
        assert any(e.get("contextLayer") == "SharedWorker" for e in entries)


def test_page_load_while_the_other_region_is_active_switches_and_terminates_even_soft(
        emulator_chromium, emulator, emulator_client):
    """Bootstrap (first-poll) rule: a worker's first poll never fails over softly (5.4-1b, 9.8)."""
    contact_id = connected_call(emulator_client, EAST)
    emulator_client.set_active(WEST)  # soft, but the page is not open yet
    page = DrPage(emulator_chromium, emulator).open()
    complete = page.wait_for("failover-complete")[0]
    assert complete["detail"]["activeRegion"] == WEST
    assert len(page.recorded("failover-complete")) == 1
    wait_until(lambda: page.visible_region() == WEST, 5, message="stand-by frame shown")
    assert not page.recorded("failover-pending")
    # worker_B's own bootstrap signal may switch the page before worker_A's master CCP has hung up: wait for it.
    destroyed = wait_until(lambda: [c["params"]["contactId"] for c in emulator_client.region_state(EAST)["api_calls"]
                                    if c["method"] == "destroyConnection"], 10, message="hard offline of us-east-1")
    assert destroyed == [contact_id]


def test_additional_window_during_pending_soft_failover_shows_the_old_region(
        emulator_chromium, emulator, emulator_client):
    """Additional-window bootstrap rule (5.4-5): a tab opened during a pending soft failover is sent back to the
    still-active old region, never gets failover_pending, and switches with everyone once the call is cleared."""
    driver = emulator_chromium
    first = open_dr_page(driver, emulator, emulator_client)
    connected_call(emulator_client, EAST)
    emulator_client.set_active(WEST)
    first.wait_for("failover-pending")

    # The new window's CCP gets its DR script after the ACK of the already running worker could reach the host:
    # the host's init_disaster_recovery must still start that window's poll (a busy machine once lost it).
    emulator_client.impair(EAST, late_scripts_ms=500)
    driver.switch_to.new_window("tab")
    second = DrPage(driver, emulator, primary=WEST).open().wait_initialised()
    back = second.wait_for("failover-complete")[0]
    assert back["detail"]["activeRegion"] == EAST  # kept on the old region while the call goes on
    assert second.visible_region() == EAST and not second.recorded("failover-pending")

    emulator_client.hang_up(EAST)
    emulator_client.clear(EAST)
    second.wait_for("failover-complete", lambda d: d["activeRegion"] == WEST)
    driver.switch_to.window(driver.window_handles[0])
    first.wait_for("failover-complete", lambda d: d["activeRegion"] == WEST)
    assert first.visible_region() == WEST


def test_failed_hard_offline_still_switches_and_is_retried_until_it_succeeds(
        emulator_chromium, emulator, emulator_client):
    """5.4-4: a destroy that fails reports offline:true; the UI switches anyway and the old worker makes its master
    CCP retry on every snapshot until the region can be put offline."""
    page = open_dr_page(emulator_chromium, emulator, emulator_client)
    connected_call(emulator_client, EAST)
    emulator_client.impair(EAST, api_status=503)
    emulator_client.set_active(WEST, terminate_active_contacts=True)
    assert page.wait_for("failover-complete")[0]["detail"]["activeRegion"] == WEST
    wait_until(lambda: sum(not c["ok"] for c in emulator_client.region_state(EAST)["api_calls"]) >= 2, 10,
               message="repeated failed destroy attempts")
    assert emulator_client.contacts(EAST)[0]["state"]["type"] == "connected"
    emulator_client.impair(EAST, api_status=None)
    wait_until(lambda: emulator_client.region_state(EAST)["agent"]["selected_state"] == "Offline", 10,
               message="retry succeeded: old region offline")
    # the call was cut off: in after-call work, or already cleared when a later snapshot's retry destroyed it again
    assert all(contact["state"]["type"] == "ended" for contact in emulator_client.contacts(EAST))
    assert len(page.recorded("failover-complete")) == 1


def test_polling_errors_never_switch(emulator_chromium, emulator, emulator_client):
    page = open_dr_page(emulator_chromium, emulator, emulator_client)
    emulator_client.impair(EAST, active_region_status=500)
    emulator_client.set_active(WEST)
    wait_until(lambda: [p["status"] for p in emulator_client.region_state(EAST)["active_region_polls"]].count(500)
               >= 2 * emulator.timings.dr_poll_attempts, 15, message="two polls' worth of HTTP 500 answers")
    assert not page.recorded("failover-complete") and page.visible_region() == EAST
    emulator_client.impair(EAST, active_region_status=None)
    assert page.wait_for("failover-complete")[0]["detail"]["activeRegion"] == WEST


def test_manual_failover_uses_set_offline_and_the_next_poll_switches_back(emulator_chromium, emulator, emulator_client):
    """5.4-6: failover() sends suppress + set_offline to the shown region's CCP; its master goes offline and the
    worker's failover switches the page. The TDG still names us-east-1, so the next poll brings the page back."""
    page = open_dr_page(emulator_chromium, emulator, emulator_client)
    page.run("globalConnect.core.failover()")
    assert page.wait_for("failover-complete")[0]["detail"]["activeRegion"] == WEST
    back = page.wait_for("failover-complete", count=2)[1]
    assert back["detail"]["activeRegion"] == EAST and page.visible_region() == EAST
    offline_calls = [c for c in emulator_client.region_state(EAST)["api_calls"]
                     if c["method"] == "putAgentState" and c["params"]["state"]["type"] == "offline"]
    assert offline_calls  # the manual set_offline reached us-east-1's failover master
