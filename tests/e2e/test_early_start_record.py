"""The content script's early start makes the CCP frames from the background's record (core/early_start_record.py,
in storage.local) without waiting for the background's answer to its cs:hello, in Chromium and Firefox; a record
that is stale (the stored configuration changed since) makes nothing, and a panel made from the record that the
background's answer disagrees with leaves the page. Which said the page is allowlisted is in the page's performance
marks (boot/early_start.js): grccp-early-panel-record / -answer, and grccp-early-answer when the answer came and
allowlists the page (on any other page the early start leaves no mark)."""
import os

import pytest

from .conftest import extension_config, launch_extension_browser
from .extension_driver import (QUIET_PAGE, extension_page, frame_urls, host_state, on_extension_page, open_allowlisted,
                               settle, stop_background, wait_for)
from .test_config_changes import store
from .test_failover_engine import EAST, WEST

MARKS = ("return Object.fromEntries(['grccp-early-panel-record', 'grccp-early-panel-answer', 'grccp-early-answer']"
         ".map((name) => [name.slice(12), (performance.getEntriesByName(name)[0] || {}).startTime ?? null]));")
READ_RECORD = ("const done = arguments[arguments.length - 1];"
               "chrome.storage.local.get(['earlyStart'], (items) => done(items.earlyStart || null));")
WRITE_RECORD = ("const done = arguments[arguments.length - 1];"
                "chrome.storage.local.set({earlyStart: arguments[0]}, () => done(true));")


RELEASE_HELLO = "grccp-test-release-hello"


def hold_early_hello(extension_dir):
    """The test's copy: the early start sends its cs:hello only once the page's document gets a RELEASE_HELLO event
    (the test's), so the background's answer comes after the record was read and used, however fast the restarted
    background is (in Firefox it answered first now and then at load averages of 17-36, and no panel came from
    the record)."""
    path = os.path.join(extension_dir, "boot", "early_start.js")
    with open(path) as handle:
        body = handle.read()
    send = "chrome.runtime.sendMessage({type: 'cs:hello'"
    assert body.count(send) == 1, "the early start's hello moved: update hold_early_hello"
    held = ("(function (message, callback) { document.addEventListener('" + RELEASE_HELLO + "', function () {"
            " chrome.runtime.sendMessage(message, callback); }, {once: true}); })({type: 'cs:hello'")
    with open(path, "w") as handle:
        handle.write(body.replace(send, held))


@pytest.fixture
def held_hello_browser(browser_name, run_dir, emulator):
    driver = launch_extension_browser(browser_name, run_dir, emulator, instrument=hold_early_hello)
    yield driver
    driver.quit()


def release_hello(driver):
    driver.execute_script(f"document.dispatchEvent(new Event('{RELEASE_HELLO}'))")


def marks(driver):
    return driver.execute_script(MARKS)


def record(driver):
    return on_extension_page(driver, READ_RECORD, page=QUIET_PAGE)


def published_for(driver, config):
    """The background's record, once it is the one of `config` (the stored configuration it was computed from),
    read again and again from one extension page where nothing of the extension runs (opening a page per look
    took seconds each on a loaded machine)."""
    found = []
    with extension_page(driver, QUIET_PAGE):
        wait_for(driver, lambda: found.append(driver.execute_async_script(READ_RECORD)) or
                 (found[-1] or {}).get("source", {}).get("config") == config, timeout=30,
                 message="the background never published the record of the configuration")
    return found[-1]


def test_the_early_frames_come_from_the_record_before_the_background_answers(held_hello_browser, emulator):
    driver = held_hello_browser
    config = extension_config(emulator, protocol="acgr")
    store(driver, config)
    published_for(driver, config)
    stop_background(driver)  # as when the browser has stopped it: its answer waits for it to start again
    driver.get(emulator.crm_url())
    wait_for(driver, lambda: marks(driver)["panel-record"] is not None, timeout=20,
             message="the record made no panel while the background's answer was held")
    release_hello(driver)
    wait_for(driver, lambda: (host_state(driver) or {}).get("state") == "ready" and marks(driver)["answer"], timeout=60,
             message="the panel made from the record never became ready, or the answer never came")
    seen = marks(driver)
    assert seen["panel-record"] is not None and seen["panel-answer"] is None, seen
    assert seen["panel-record"] < seen["answer"], seen


def test_the_ccps_start_from_the_record_while_the_background_has_not_answered(held_hello_browser, emulator):
    """The background asleep (or busy) does not hold the CCPs up: the tab session starts from the record the early
    panel was made from, and both CCPs are configured before the answer comes; the answer then keeps the panel (each
    region's CCP configured in one window: no new frames)."""
    driver = held_hello_browser
    config = extension_config(emulator, protocol="acgr")
    store(driver, config)
    published_for(driver, config)
    stop_background(driver)
    driver.get(emulator.crm_url())
    # Both CCPs' own word (the status line says only the shown CCP's health, and its bookkeeping waits at most
    # START_HOLD_MS for the CCPs' start: on a loaded machine the stand-by's handshake came later than that).
    wait_for(driver, lambda: {event["region"] for event in emulator.client.acgr_events(
        event="configure", direction="from-host")} == {EAST, WEST}, timeout=60,
        message="the CCPs were not both configured while the background's answer was held")
    wait_for(driver, lambda: (host_state(driver) or {}).get("state") == "ready", timeout=60,
             message="the panel made from the record did not become ready while the background's answer was held")
    assert marks(driver)["answer"] is None, "the answer came: nothing was tested"
    release_hello(driver)
    wait_for(driver, lambda: marks(driver)["answer"] is not None, timeout=60, message="the answer never came")
    settle(driver)
    assert (host_state(driver) or {}).get("state") == "ready", host_state(driver)
    configured = emulator.client.acgr_events(event="configure", direction="from-host")
    windows = {(event["region"], event["window_id"]) for event in configured}
    assert sorted(region for region, _ in windows) == sorted([EAST, WEST]), configured


def test_a_stale_record_makes_no_frames_on_a_page_taken_off_the_allowlist(ccp_browser, emulator):
    """The page is taken off the allowlist (its host stays registered: the new entry is for another port), and
    the record of the configuration before is put back in storage, as if the background had not replaced it yet
    (it does not write it again while it runs): the content script runs on the page, and the early start finds the
    record stale and makes nothing."""
    driver = ccp_browser
    before = extension_config(emulator, protocol="acgr")
    store(driver, before)
    open_allowlisted(driver, emulator.crm_url(site=1))
    stale = published_for(driver, before)
    other_port = 1 if emulator.port != 1 else 2
    after = extension_config(emulator, protocol="acgr", allowlist=[f"https://crm.example.test:{emulator.port}/*",
                                                                   f"https://crm2.example.test:{other_port}/*"])
    store(driver, after)
    published_for(driver, after)
    on_extension_page(driver, WRITE_RECORD, stale)  # the background keeps it: it wrote its own already
    driver.get(emulator.crm_url(site=1))
    wait_for(driver, lambda: driver.execute_script(
        "return document.documentElement.hasAttribute('data-grccp-tripwire')"), timeout=20,
        message="the content script did not run on the page (the test needs it to)")
    settle(driver)  # the early start reads the record at document_start and makes its panel when the page is parsed
    assert marks(driver) == {"panel-record": None, "panel-answer": None, "answer": None}
    assert host_state(driver) is None and frame_urls(driver) == []
    assert record(driver) == stale, "the background replaced the stale record meanwhile: nothing was tested"


def test_a_record_panel_the_background_disagrees_with_leaves_the_page(held_hello_browser, emulator):
    """A record that allowlists a page the background does not (forged: its expressions match every page): the
    panel it made leaves the page when the background's answer comes, and the tab runs nothing."""
    driver = held_hello_browser
    other_port = 1 if emulator.port != 1 else 2
    config = extension_config(emulator, protocol="acgr", allowlist=[f"https://crm.example.test:{emulator.port}/*",
                                                                    f"https://crm2.example.test:{other_port}/*"])
    store(driver, config)
    forged = dict(published_for(driver, config), pages=["^[\\s\\S]*$"])
    on_extension_page(driver, WRITE_RECORD, forged)
    stop_background(driver)
    driver.get(emulator.crm_url(site=1))
    wait_for(driver, lambda: marks(driver)["panel-record"] is not None, timeout=20,
             message="the forged record made no panel (the test needs it to)")
    release_hello(driver)
    wait_for(driver, lambda: host_state(driver) is None and frame_urls(driver) == [], timeout=20,
             message="the panel made from the record stayed on a page the background does not allowlist")
    settle(driver)
    assert host_state(driver) is None and frame_urls(driver) == [] and marks(driver)["answer"] is None
