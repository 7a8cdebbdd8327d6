"""No log line is lost on its way into the log store (issue #16 items 8 and 9), in Chromium and Firefox: a batch the
background did not take is kept by the tab and sent again, and a log archive (IndexedDB) that refuses every write
does not keep the lines out of local storage; once it works again, the closed chunks go to it."""
from .conftest import extension_config
from .extension_driver import (background_status, configure, on_extension_page, region_log,
                               stop_background, wait_for)
from .test_config_changes import store
from .test_failover_engine import EAST, WEST, call_in_progress, open_ready
from .test_logs import seed

LOG_REFUSALS = ("const h = document.getElementById('grccp-ccp-host');"
                "return h ? Number(h.dataset.grccpLogRefusals || 0) : null;")

# A later version of the archive's database, with no store in it: the background (version 1) can no longer open
# it, as after a downgrade of the extension or a database another context broke. The background's connection
# closes on versionchange, so the upgrade is not blocked for long.
BREAK_ARCHIVE = """
const done = arguments[arguments.length - 1];
const request = indexedDB.open('grccp-logs', 2);
request.onsuccess = () => { request.result.close(); done('broken'); };
request.onerror = () => done('not broken: ' + request.error);
"""

REPAIR_ARCHIVE = """
const done = arguments[arguments.length - 1];
const request = indexedDB.deleteDatabase('grccp-logs');
request.onsuccess = () => done('repaired');
request.onerror = () => done('not repaired: ' + request.error);
"""

# Where a download would read each closed chunk of a region: [true if archived, ...] (the export is ended at once).
CHUNKS_ARCHIVED = """
const [region, done] = [arguments[0], arguments[arguments.length - 1]];
chrome.runtime.sendMessage({type: 'popup:download-logs'}, (reply) => {
  chrome.runtime.sendMessage({type: 'popup:log-export-done', exportId: reply.exportId});
  const plan = (reply.files || []).find(f => f.region === region);
  done(plan ? plan.chunks.map((chunk) => !!chunk.archived) : null);
});
"""


def texts(driver, region, fragment):
    return [entry["text"] for entry in region_log(driver, region) if fragment in entry["text"]]


def test_log_lines_the_background_refused_are_sent_again_and_none_is_lost(ccp_browser, emulator):
    """While the stored configuration is unusable, the background takes no log batch ("not configured"); a tab on
    a call keeps its panel meanwhile, and the lines its CCP relays then reach the log once the configuration is
    back. Before: a batch not taken was gone (or stopped shipping for good)."""
    driver = ccp_browser
    config = extension_config(emulator)
    configure(driver, config)
    open_ready(driver, emulator)
    call_in_progress(driver, emulator)
    store(driver, dict(config, regions=[]))
    wait_for(driver, lambda: background_status(driver)["configured"] is False)
    emitted = emulator.client.emit_logs(EAST, 300, text="said while unconfigured")
    wait_for(driver, lambda: driver.execute_script(LOG_REFUSALS) >= 1, timeout=15,
             message="the background took every log batch although it had no configuration")
    store(driver, config)
    wait_for(driver, lambda: texts(driver, EAST, "said while unconfigured") == emitted, timeout=60,
             message="the lines relayed while the background refused them never reached the log")
    refusals = [text for region in (EAST, WEST) for text in texts(driver, region, "the background did not take")]
    assert refusals and all("(not configured)" in text for text in refusals), refusals


def test_a_log_archive_that_refuses_every_write_loses_no_line(ccp_browser, emulator):
    """The archive fails (its database is at a version the background cannot open): closed chunks go to local
    storage, and survive a restart of the background; repaired, the archive takes them. Before: the local write
    waited for the archive's, and nothing was stored while it failed."""
    driver = ccp_browser
    configure(driver, extension_config(emulator, logs={"maxEntriesPerRegion": 100_000}))
    assert on_extension_page(driver, BREAK_ARCHIVE) == "broken"
    seed(driver, EAST, 2_200)  # four closed chunks and an open one
    seeded = [f"seed {EAST} #{n}" for n in range(2_200)]
    assert texts(driver, EAST, f"seed {EAST} #") == seeded  # a download writes what is pending first
    stop_background(driver)  # what is not in storage now is gone
    assert texts(driver, EAST, f"seed {EAST} #") == seeded
    archived = on_extension_page(driver, CHUNKS_ARCHIVED, EAST)
    assert len(archived) >= 4 and not any(archived), archived

    assert on_extension_page(driver, REPAIR_ARCHIVE) == "repaired"
    seed(driver, EAST, 1, start=2_200)  # a write: the archive is tried again once its retry time has come
    wait_for(driver, lambda: all(on_extension_page(driver, CHUNKS_ARCHIVED, EAST) or [False]), timeout=60,
             message="the closed chunks never reached the repaired archive")
    found = texts(driver, EAST, f"seed {EAST} #")
    wanted = seeded + [f"seed {EAST} #2200"]
    assert found == wanted, (len(found), sorted(set(wanted) - set(found))[:5], len(found) - len(set(found)))
