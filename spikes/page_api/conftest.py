"""Fixtures of the page-API spike: the emulator with the spike's CRM pages, the spike extension assembled with the
pinned connect-streams.js from node_modules (never copied into the repository), and Chromium / Firefox with it.
(tests/ is on the environment's import path, build/setup.sh; pytest puts this folder there for its modules.)"""
import json
import os
import shutil
import tempfile

import pytest
from rig import REPO

SPIKE = os.path.dirname(os.path.abspath(__file__))
SCRATCH = os.environ.get("GRCCP_TEST_TMP") or os.path.join(REPO, "tmp")
os.makedirs(SCRATCH, exist_ok=True)
RUN_DIR = tempfile.mkdtemp(prefix="spike-page-api-", dir=SCRATCH)
os.environ["TMPDIR"] = RUN_DIR
tempfile.tempdir = RUN_DIR

from emulator.config import Timings  # noqa: E402
from emulator.host_page import HostPage  # noqa: E402
from emulator.waiting import wait_until  # noqa: E402
from rig.browsers import launch_chromium, launch_firefox  # noqa: E402
from spike_server import SpikeEmulator  # noqa: E402

STREAMS_RELEASE = os.path.join(REPO, "node_modules", "amazon-connect-streams", "release")
STREAMS_BUILDS = {"full": "connect-streams.js", "min": "connect-streams-min.js"}


@pytest.fixture(scope="session")
def spike_server():
    server = SpikeEmulator(tmp_dir=RUN_DIR, timings=Timings.fast()).start()
    yield server
    server.stop()


@pytest.fixture
def emu(spike_server):
    spike_server.client.reset()
    spike_server.csp_reports.clear()
    return spike_server


def build_extension(emulator, streams_build="full", page_api=True):
    """The spike extension in a scratch folder, configured for this emulator: crm.example.test and
    crm2.example.test allowlisted; /spike/legacy/ and /spike/acgr/ on crm.example.test opted in (none of them
    when `page_api` is false: the relay alone, as the product is today)."""
    target = os.path.join(RUN_DIR, f"extension-{streams_build}" + ("" if page_api else "-no-page-api"))
    if os.path.isdir(target):
        return target
    shutil.copytree(os.path.join(SPIKE, "extension"), target)
    os.makedirs(os.path.join(target, "vendor"))
    shutil.copyfile(os.path.join(STREAMS_RELEASE, STREAMS_BUILDS[streams_build]),
                    os.path.join(target, "vendor", "connect-streams.js"))
    config = {
        "regions": [{"key": i.region, "ccpUrl": emulator.ccp_url(i.region), "instanceArn": i.arn}
                    for i in emulator.instances],
        "loginUrl": emulator.login_url,
        "allowlist": ["https://crm.example.test/*", "https://crm2.example.test/*"],
        "pageApi": [{"pattern": "https://crm.example.test/spike/legacy/*", "mode": "legacy"},
                    {"pattern": "https://crm.example.test/spike/acgr/*", "mode": "acgr"}] if page_api else [],
        "streamsFile": "vendor/connect-streams.js",
        "timeouts": {"ccpLoadTimeout": 2000},  # short, so that Streams' iframe refresh path is quick to test
    }
    with open(os.path.join(target, "spike_config.js"), "w", encoding="utf-8") as handle:
        handle.write("self.SPIKE_CONFIG = " + json.dumps(config, indent=2) + ";\n")
    return target


def launch(browser_name, emulator, extension_dir):
    if browser_name == "chromium":
        driver = launch_chromium(certs=emulator.certs, host_names=emulator.host_names, extension_dir=extension_dir,
                                 tmp_dir=RUN_DIR)
    else:
        driver = launch_firefox(host_names=emulator.host_names, extension_dir=extension_dir, tmp_dir=RUN_DIR)
    wait_registered(driver)
    return driver


def wait_registered(driver):
    driver.get(driver.extension_base_url + "status.html")
    wait_until(lambda: driver.execute_script("return typeof spikeRegistered === 'function'"), 10,
               message="spike status page")
    answer = wait_until(lambda: run_async(driver, "spikeRegistered().then(done, function (e) { done(String(e)); });"),
                        10, message="content scripts registered")
    assert answer["ok"] is True, answer
    return answer


def run_async(driver, script, *args):
    return driver.execute_async_script("var done = arguments[arguments.length - 1];" + script, *args)


@pytest.fixture(params=["chromium", "firefox"])
def browser(request, emu):
    driver = launch(request.param, emu, build_extension(emu))
    yield driver
    driver.quit()


class SpikePage(HostPage):
    """A spike CRM page in the browser; relay counters come from the extension's status page (another tab)."""

    def __init__(self, driver, emulator, page, site=0):
        super().__init__(driver, emulator.spike_url(page, site))
        self.emulator = emulator

    def call_streams(self, script, *args):
        return self.run_async("var args = arguments; callStreams(function (callbacks) {" + script + "}).then(done);",
                              *args)

    def relay_stats(self):
        driver = self.driver
        home = driver.current_window_handle
        driver.switch_to.new_window("tab")
        try:
            driver.get(driver.extension_base_url + "status.html")
            wait_until(lambda: driver.execute_script("return typeof spikeStats === 'function'"), 10,
                       message="status page")
            return run_async(driver, "spikeStats(arguments[0]).then(done, function (e) { done({error: String(e)}); });",
                             self.url)
        finally:
            driver.close()
            driver.switch_to.window(home)


def pytest_sessionfinish(session, exitstatus):
    if exitstatus == 0 and not os.environ.get("GRCCP_KEEP_TMP"):
        shutil.rmtree(RUN_DIR, ignore_errors=True)
