"""Per-region logs end to end in Chromium and Firefox: collected from the CCPs (entries their workers relay) and
from the extension's own events, kept per region (bounded, oldest first out), surviving a restart of the
extension, and downloaded with one click as one file per region in the format of connect.getLog().download();
also from the options page with a custom name and the level filter. And how long 50,000 entries per region take
from the click to both files on disk.

Bulk entries are put in through the background's own intake (cs:log-batch, the message every allowlisted tab
sends), sent from an extension page in a tab: 100,000 entries through the emulated CCPs would take minutes."""
import json
import os
import re
import time

import pytest

from .conftest import extension_config
from .extension_driver import (background_status, configure, host_state, logged, open_allowlisted, wait_for,
                               wait_until_both_ccps_connected)
from .ui_pages import OptionsPage, Popup, downloaded_files

EAST, WEST = "us-east-1", "us-west-2"
ENTRY_KEYS = ["component", "level", "text", "time", "tabId", "exception", "objects", "line", "agentResourceId",
              "loggerId", "contextLayer"]
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
DOWNLOAD_50K_LIMIT_S = 6  # generous for a loaded 2-core machine; the measured times are printed and reported

SEED = """
const [region, count, start, done] = [arguments[0], arguments[1], arguments[2], arguments[arguments.length - 1]];
const t0 = Date.UTC(2026, 10, 24, 1, 0, 0);
const levels = ['INFO', 'DEBUG', 'TRACE', 'WARN', 'INFO'];
let sent = 0;
const next = () => {
  if (sent >= count) { done(true); return; }
  const entries = [];
  for (let i = sent; i < Math.min(count, sent + 1000); i++) {
    const n = start + i;
    entries.push({component: 'ccp', level: levels[n % 5], text: `seed ${region} #${n}`,
                  time: new Date(t0 + n).toISOString(), exception: null, objects: [{n}], line: 0,
                  agentResourceId: null, loggerId: 'seed-logger', contextLayer: 'CRM'});
  }
  sent += entries.length;
  chrome.runtime.sendMessage({type: 'cs:log-batch', region, entries}, () => next());
};
next();
"""


def seed(driver, region, count, start=0):
    """Adds `count` entries ("seed <region> #<n>", levels INFO DEBUG TRACE WARN INFO ...) to a region's log through
    the background's intake, from the extension page the driver is on (it must be in a tab)."""
    driver.set_script_timeout(600)
    driver.execute_async_script(SEED, region, count, start)


def clear_downloads(download_dir, names):
    for name in names:
        if os.path.exists(os.path.join(download_dir, name)):
            os.remove(os.path.join(download_dir, name))


def files_of(download_dir, names):
    """({name: entries}, {name: text}, seconds waited) of downloaded files (dicts keep the file's key order)."""
    texts, waited = downloaded_files(download_dir, names)
    return {name: json.loads(text) for name, text in texts.items()}, texts, waited


def assert_streams_format(text, entries):
    """JSON.stringify(entries, undefined, 4): a JSON array, 4-space indentation, Streams key order, ISO times."""
    assert text == json.dumps(entries, indent=4, ensure_ascii=False)
    for entry in entries:
        assert list(entry) == [key for key in ENTRY_KEYS if key in entry], list(entry)
        assert ISO.match(entry["time"])


def test_one_click_downloads_each_regions_ccp_and_extension_log(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: (host_state(driver) or {}).get("state") == "ready")
    wait_until_both_ccps_connected(driver)
    east = emulator.client.emit_logs(EAST, 3, text="east worker says", level="DEBUG")
    west = emulator.client.emit_logs(WEST, 2, text="west worker says", level="TRACE")
    names = [f"{EAST}-agent-log.txt", f"{WEST}-agent-log.txt"]
    with Popup(driver) as popup:
        popup.wait(lambda s: s["view"] == "status")

        def all_there():
            clear_downloads(driver.download_dir, names)
            driver.find_element("id", "download-logs").click()
            popup.wait(lambda s: s["download"]["state"] in ("done", "error"))
            parsed, texts, _ = files_of(driver.download_dir, names)
            found = [[e["text"] for e in parsed[name]] for name in names]
            return (all(text in found[0] for text in east) and all(text in found[1] for text in west)), parsed, texts
        done = []
        last = []

        def check():
            result = all_there()
            last[:] = [result]
            if result[0]:
                done.append(result)
            return result[0]
        try:
            wait_for(driver, check, timeout=30)
        except Exception:
            seen = [[e["text"] for e in last[0][1][n] if "worker says" in e["text"]] for n in names]
            raise AssertionError(f"the emitted lines {east} {west} never reached the download: {seen}") from None
        _, parsed, texts = done[0]
    for name in names:
        assert_streams_format(texts[name], parsed[name])
    east_entries, west_entries = parsed[names[0]], parsed[names[1]]
    # the CCP's lines (TRACE/DEBUG included: no filter), in their region's file only
    assert [e["level"] for e in east_entries if e["text"] in east] == ["DEBUG"] * 3
    assert [e["level"] for e in west_entries if e["text"] in west] == ["TRACE"] * 2
    assert not any(e["text"] in east for e in west_entries) and not any(e["text"] in west for e in east_entries)
    relayed = next(e for e in east_entries if e["text"] == east[0])
    assert relayed["component"] == "ccp" and relayed["contextLayer"] == "SharedWorker"
    # the extension's own events for each region
    for entries, region in ((east_entries, EAST), (west_entries, WEST)):
        own = [e["text"] for e in entries if e["contextLayer"] == "CRM"]
        assert any(text.startswith(f"CCP frame created for {region}") for text in own), own
        assert any(text.startswith("CCP acknowledged") for text in own), own
    # lines are numbered from INFO up, as Streams numbers them
    numbered = [e["line"] for e in east_entries if e["level"] in ("INFO", "LOG", "WARN", "ERROR")]
    assert numbered == sorted(numbered) and len(set(numbered)) == len(numbered)


# Page messages the extension drops (they are not from a CCP frame) and counts in a log line about once a second;
# then, at once, the tab navigates away.
POST_AND_LEAVE = """
const [count, url] = arguments;
for (let i = 0; i < count; i++) window.postMessage({event: 'log', data: {level: 'INFO', text: 'not a CCP'}}, '*');
setTimeout(() => { location.href = url; }, 0);
"""


def test_a_tab_navigating_away_sends_the_log_lines_it_holds(ccp_browser, emulator):
    """What a tab has logged but not sent yet (its lines go to the background about once a second) is sent when
    the tab is left, not lost with it."""
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: (host_state(driver) or {}).get("state") == "ready")
    reason = "a message came from a window that is not a CCP frame"
    driver.execute_script(POST_AND_LEAVE, 7, emulator.other_url("/hosts/raw-host.html"))

    def counted():
        found = [re.search(r"(\d+)× " + re.escape(reason), text) for text in logged(driver, EAST, reason)]
        return sum(int(match.group(1)) for match in found if match) >= 7
    wait_for(driver, counted)


def test_options_page_download_with_a_custom_name_and_the_level_filter(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    with OptionsPage(driver) as page:
        seed(driver, EAST, 10)
        seed(driver, WEST, 5, start=100)
        name_input = driver.find_element("id", "download-log-name")
        assert name_input.get_attribute("value") == "agent-log"
        name_input.clear()
        name_input.send_keys("../escape")
        driver.find_element("id", "download-logs").click()
        wait_for(driver, lambda: "(rule: log-name-format)" in driver.find_element("id", "download-log-name-error").text)
        name_input.clear()
        name_input.send_keys("shift.2")
        driver.find_element("id", "download-filter").click()
        driver.find_element("id", "download-logs").click()
        names = [f"{EAST}-shift.2.txt", f"{WEST}-shift.2.txt"]
        parsed, texts, _ = files_of(driver.download_dir, names)
        wait_for(driver, lambda: driver.find_element("id", "download-status").get_attribute("data-state") == "done")
        assert driver.find_element("id", "download-status").text == "Saved " + ", ".join(names)
    east, west = parsed[names[0]], parsed[names[1]]
    # INFO and WARN only: the seeded TRACE and DEBUG lines are left out
    assert [e["text"] for e in east] == [f"seed {EAST} #{n}" for n in (0, 3, 4, 5, 8, 9)]
    assert [e["text"] for e in west] == [f"seed {WEST} #{n}" for n in (100, 103, 104)]
    assert [e["line"] for e in east] == [0, 1, 2, 3, 4, 5]
    assert_streams_format(texts[names[0]], parsed[names[0]])


def test_region_keys_with_a_suffix_name_the_files(ccp_browser, emulator):
    driver = ccp_browser
    config = extension_config(emulator)
    config["regions"][0]["region"] = "us-east-1.blue"
    config["regions"][1]["region"] = "us-west-2.green"
    configure(driver, config)
    with Popup(driver) as popup:
        popup.wait(lambda s: s["view"] == "status" and s["regions"][0]["key"] == "us-east-1.blue")
        seed(driver, "us-east-1.blue", 3)
        driver.find_element("id", "download-logs").click()
        names = ["us-east-1.blue-agent-log.txt", "us-west-2.green-agent-log.txt"]
        parsed, _, _ = files_of(driver.download_dir, names)
    assert len(parsed[names[0]]) == 3 and parsed[names[1]] == []


def test_bounded_per_region_oldest_first(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator, logs={"maxEntriesPerRegion": 1000}))
    with Popup(driver) as popup:
        popup.wait(lambda s: s["view"] == "status")
        seed(driver, EAST, 2600)
        seed(driver, WEST, 999, start=5000)
        driver.find_element("id", "download-logs").click()
        names = [f"{EAST}-agent-log.txt", f"{WEST}-agent-log.txt"]
        parsed, _, _ = files_of(driver.download_dir, names)
        chunk_keys = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "chrome.storage.local.get(null, (all) => done(Object.keys(all).filter((k) => k.startsWith('log:'))));")
    assert [e["text"] for e in parsed[names[0]]] == [f"seed {EAST} #{n}" for n in range(1600, 2600)]
    assert len(parsed[names[1]]) == 999
    # storage holds the kept entries' chunks only: used-up chunks were deleted
    assert len([key for key in chunk_keys if key.startswith(f"log:{EAST}:")]) <= 3


def stored_count(driver, region):
    meta = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "chrome.storage.local.get([arguments[0]], (items) => done(items[arguments[0]] || null));", f"log:{region}")
    return 0 if meta is None else sum(meta["counts"]) - meta["skip"]


def restart_extension(driver, page):
    """runtime.reload() from an extension page: the whole extension restarts (background included) and its
    pages close. The page's previous window is first moved off the extension (a browser whose every window
    closes quits), and the driver goes on there."""
    driver.switch_to.window(page.previous)
    driver.get("about:blank")
    page.focus()
    driver.execute_script("chrome.runtime.reload()")
    driver.switch_to.window(page.previous)


def test_logs_survive_a_restart_of_the_extension(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    names = [f"{EAST}-agent-log.txt", f"{WEST}-agent-log.txt"]
    popup = Popup(driver)
    popup.wait(lambda s: s["view"] == "status")
    seed(driver, EAST, 1200)
    seed(driver, WEST, 7, start=50)
    # restart once the entries are written (they are, within one storage write of their arrival)
    wait_for(driver, lambda: stored_count(driver, EAST) == 1200 and stored_count(driver, WEST) == 7)
    restart_extension(driver, popup)

    def reopened():
        try:
            return background_status(driver)["configured"]
        except Exception:  # noqa: BLE001 -- the extension is still starting
            return False
    wait_for(driver, reopened, timeout=30)
    with Popup(driver) as popup:
        popup.wait(lambda s: s["view"] == "status")
        seed(driver, EAST, 1, start=1200)  # and it goes on appending after the restart
        driver.find_element("id", "download-logs").click()
        parsed, _, _ = files_of(driver.download_dir, names)
    assert [e["text"] for e in parsed[names[0]]] == [f"seed {EAST} #{n}" for n in range(1201)]
    assert [e["text"] for e in parsed[names[1]]] == [f"seed {WEST} #{n}" for n in range(50, 57)]


# A timing of the download at its largest, kept for `make reliability` (the bench owns performance figures; the
# download's content and order are checked at smaller sizes above)
@pytest.mark.reliability_only
def test_50k_entries_per_region_download_time(ccp_browser, emulator, record_property):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    names = [f"{EAST}-agent-log.txt", f"{WEST}-agent-log.txt"]
    timings = []
    with Popup(driver) as popup:
        popup.wait(lambda s: s["view"] == "status")
        for region in (EAST, WEST):
            seed(driver, region, 50000)
        for _ in range(3):
            clear_downloads(driver.download_dir, names)
            clicked = time.monotonic()
            driver.find_element("id", "download-logs").click()
            texts, _ = downloaded_files(driver.download_dir, names)
            timings.append(time.monotonic() - clicked)
            popup.wait(lambda s: s["download"]["state"] == "done")
    sizes = [len(text) for text in texts.values()]
    counts = [len(json.loads(text)) for text in texts.values()]
    record_property("download_50k_seconds", timings)
    print(f"\n{driver.browser_name}: 2 x 50,000 entries ({sizes} characters) click -> files on disk: "
          + ", ".join(f"{t:.2f} s" for t in timings))
    assert counts == [50000, 50000]
    assert sorted(timings)[1] < DOWNLOAD_50K_LIMIT_S
