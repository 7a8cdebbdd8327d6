"""Shared by every test folder: import paths (tests/ itself, build/ for the toolchain, py_src/ for the core),
one scratch folder per run for browser profiles and downloads (TMPDIR points there too, so geckodriver's and
selenium's leftovers stay in it), and the emulator's fixtures."""
import os
import shutil
import sys
import tempfile

import pytest

TESTS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(TESTS)
for path in (TESTS, os.path.join(REPO, "build"), os.path.join(REPO, "py_src")):
    if path not in sys.path:
        sys.path.insert(0, path)

RUN_DIR = tempfile.mkdtemp(prefix="run-", dir=os.environ.get("GRCCP_TEST_TMP") or None)
os.environ["TMPDIR"] = RUN_DIR
tempfile.tempdir = RUN_DIR

from emulator.fixtures import *  # noqa: E402,F401,F403  (emulator_server, emulator, emulator_client, ...)


@pytest.fixture(scope="session")
def run_dir():
    return RUN_DIR


def pytest_sessionfinish(session, exitstatus):
    if exitstatus == 0 and not os.environ.get("GRCCP_KEEP_TMP"):
        shutil.rmtree(RUN_DIR, ignore_errors=True)
