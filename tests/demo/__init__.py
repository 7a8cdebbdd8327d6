"""The narrated demo on the CCP emulator (`make demo`): `python tests/demo`."""
