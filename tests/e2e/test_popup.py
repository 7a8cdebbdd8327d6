"""The popup end to end in Chromium and Firefox: every state the engine can be in, driven on the emulator."""
from .conftest import extension_config
from .extension_driver import configure, host_state, open_allowlisted, wait_for
from .ui_pages import Popup

EAST, WEST = "us-east-1", "us-west-2"


def open_ready(driver, emulator):
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: (host_state(driver) or {}).get("state") == "ready")


def test_normal_state(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    with Popup(driver) as popup:
        state = popup.wait(lambda s: s["view"] == "status" and s["regions"][0]["health"] == "ready")
        print(state)


SEED = """
const [region, count, start, done] = [arguments[0], arguments[1], arguments[2], arguments[arguments.length - 1]];
const t0 = Date.UTC(2026, 10, 24, 1, 0, 0);
const levels = ['INFO', 'DEBUG', 'TRACE', 'WARN', 'INFO'];
let sent = 0;
const next = () => {
  if (sent >= count) { done(true); return; }
  const entries = [];
  for (let i = sent; i < Math.min(count, sent + 1000); i++) {
    entries.push({component: 'ccp', level: levels[i % 5], text: `seed ${region} #${start + i}`,
                  time: new Date(t0 + start + i).toISOString(), exception: null, objects: [{n: i}], line: 0,
                  agentResourceId: null, loggerId: 'seed-logger', contextLayer: 'CRM'});
  }
  sent += entries.length;
  chrome.runtime.sendMessage({type: 'cs:log-batch', region, entries}, () => next());
};
next();
"""


def test_download_50k(ccp_browser, emulator):
    import time, json
    from .ui_pages import downloaded_files
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    with Popup(driver) as popup:
        t = time.monotonic()
        for region in (EAST, WEST):
            driver.set_script_timeout(300)
            driver.execute_async_script(SEED, region, 50000, 0)
        print("seeded in", time.monotonic() - t)
        t = time.monotonic()
        driver.find_element("id", "download-logs").click()
        texts, waited = downloaded_files(driver.download_dir, [f"{EAST}-agent-log.txt", f"{WEST}-agent-log.txt"])
        print("downloaded in", time.monotonic() - t, waited)
        for name, text in texts.items():
            entries = json.loads(text)
            print(name, len(entries), len(text))
        print(popup.state()["download"])

