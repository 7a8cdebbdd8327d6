"""Pytest fixtures for tests that need the emulator. Import them from a conftest:
`from emulator.fixtures import *  # noqa: F401,F403`.

  emulator_server   (session) the running Emulator, fast timings (poll 400 ms), certificates made for this run
  emulator          (function) the same, reset to its initial state for this test (both agents Available,
                    no contacts, signed in, no impairments, us-east-1 active, TerminateActiveContacts false)
  emulator_client   (function) its control client (EmulatorClient)
  emulator_chromium (function) headless Chromium reaching every emulator host; `.download_dir` is per test
  emulator_firefox  (function) the same in Firefox ESR
"""
import os

import pytest

from rig.browsers import launch_chromium, launch_firefox

from .config import Timings
from .server import Emulator

__all__ = ["emulator_server", "emulator", "emulator_client", "emulator_tmp_dir", "emulator_chromium", "emulator_firefox"]


@pytest.fixture(scope="session")
def emulator_tmp_dir(tmp_path_factory):
    """Per-run folder for the emulator's certificates and the browser profiles of its tests."""
    return str(tmp_path_factory.mktemp("emulator-run"))


@pytest.fixture(scope="session")
def emulator_server(emulator_tmp_dir):
    server = Emulator(tmp_dir=emulator_tmp_dir, timings=Timings.fast()).start()
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server):
    emulator_server.client.reset()
    return emulator_server


@pytest.fixture
def emulator_client(emulator):
    return emulator.client


def _browser(launch, emulator, tmp_dir, download_dir, **extra):
    os.makedirs(download_dir)
    driver = launch(host_names=emulator.host_names, download_dir=download_dir, tmp_dir=tmp_dir, **extra)
    driver.download_dir = download_dir
    return driver


# A page that saves several files at once (connect-streams-dr.js downloadLogs(): one per region) would otherwise
# hit Chromium's "download multiple files" prompt, which headless mode cannot answer.
ALLOW_MULTIPLE_DOWNLOADS = {"profile.default_content_setting_values.automatic_downloads": 1}


@pytest.fixture
def emulator_chromium(emulator, emulator_tmp_dir, tmp_path):
    driver = _browser(launch_chromium, emulator, emulator_tmp_dir, str(tmp_path / "downloads"), certs=emulator.certs,
                      prefs=ALLOW_MULTIPLE_DOWNLOADS)
    yield driver
    driver.quit()


@pytest.fixture
def emulator_firefox(emulator, emulator_tmp_dir, tmp_path):
    driver = _browser(launch_firefox, emulator, emulator_tmp_dir, str(tmp_path / "downloads"))
    yield driver
    driver.quit()
