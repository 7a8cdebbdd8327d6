"""Nobody but the extension itself is heard by its background: another extension's messages find no receiver,
and web pages have no way to message it at all."""
import json
import os

import pytest

from rig import browsers, extension_copy

from .conftest import extension_config
from .extension_driver import background_status, configure, open_allowlisted, wait_for
from .test_failover_engine import EAST, ready_on

ROGUE_WORKER = """
const target = %s;
const probes = [
  {type: 'popup:get-status'},
  {type: 'cs:switch-complete', region: 'us-west-2', fromRegion: 'us-east-1', epoch: 9e15},
  {type: 'options:save-config', config: {}},
  {type: 'popup:switch-now', region: 'us-west-2'},
  {type: 'cs:failover-initiated', region: 'us-west-2', epoch: 9e15},
];
Promise.all(probes.map(message => new Promise(resolve => chrome.runtime.sendMessage(target, message, reply =>
  resolve({reply: reply === undefined ? null : reply, error: chrome.runtime.lastError ? chrome.runtime.lastError.message : null})))))
  .then(results => chrome.storage.local.set({results}));
"""


def rogue_extension(directory, target_id):
    os.makedirs(directory)
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump({"manifest_version": 3, "name": "rogue", "version": "1.0", "permissions": ["storage"],
                   "background": {"service_worker": "rogue.js"}}, f)
    with open(os.path.join(directory, "rogue.js"), "w") as f:
        f.write(ROGUE_WORKER % json.dumps(target_id))
    with open(os.path.join(directory, "results.html"), "w") as f:
        f.write("<!doctype html><title>results</title>")
    return directory


@pytest.mark.parametrize("browser_name", ["chromium"])  # Firefox: same API rule, one browser proves the design
def test_other_extensions_and_pages_cannot_message_the_background(browser_name, run_dir, emulator):
    work = os.path.join(run_dir, "foreign")
    ours = extension_copy.prepare_extension("chromium", os.path.join(work, "ours"))
    our_id = browsers.chromium_extension_id(ours)
    rogue = rogue_extension(os.path.join(work, "rogue"), our_id)
    driver = browsers.launch_chromium(certs=emulator.certs, host_names=emulator.host_names, extension_dir=ours,
                                      other_extensions=[rogue], tmp_dir=work)
    try:
        configure(driver, extension_config(emulator))
        open_allowlisted(driver, emulator.crm_url())
        wait_for(driver, lambda: ready_on(driver, EAST))
        # a web page has no runtime to message any extension with (no externally_connectable)
        assert driver.execute_script("return !!(window.chrome && chrome.runtime && chrome.runtime.sendMessage)") is False
        driver.get(f"chrome-extension://{browsers.chromium_extension_id(rogue)}/results.html")
        results = wait_for(driver, lambda: driver.execute_async_script(
            "const done = arguments[0]; chrome.storage.local.get('results', r => done(r.results || null));"))
        assert len(results) == 5
        for result in results:
            assert result["reply"] is None and "Receiving end does not exist" in result["error"]
        status = background_status(driver)
        assert status["activeRegion"] == EAST and status["timeline"] == []
    finally:
        driver.quit()
