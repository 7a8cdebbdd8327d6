"""Fixtures shared by every test folder."""
from emulator.fixtures import *  # noqa: F401,F403  (emulator_server, emulator, emulator_client, emulator_chromium)
