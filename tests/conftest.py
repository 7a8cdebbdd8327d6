"""Shared by every test folder: one scratch folder per run for browser profiles and downloads (TMPDIR points
there too, so geckodriver's and selenium's leftovers stay in it), and the emulator's fixtures. (The import roots
tests/, build/ and py_src/ are on the environment's path: build/setup.sh.)"""
import os
import shutil
import tempfile

import pytest

RUN_DIR = tempfile.mkdtemp(prefix="run-", dir=os.environ.get("GRCCP_TEST_TMP") or None)
os.environ["TMPDIR"] = RUN_DIR
tempfile.tempdir = RUN_DIR

from emulator.fixtures import *  # noqa: F401,F403  (emulator_server, emulator, emulator_client, ...)


@pytest.fixture(scope="session")
def run_dir():
    return RUN_DIR


def pytest_sessionfinish(session, exitstatus):
    if exitstatus == 0 and not os.environ.get("GRCCP_KEEP_TMP"):
        shutil.rmtree(RUN_DIR, ignore_errors=True)
