"""CCP emulator: two Amazon Connect instances (CCP pages, SharedWorkers, agent state, active-region endpoint),
a global login page and CRM demo sites, all over HTTPS on loopback, driven by a control API.

Import root is `tests/` (as for `rig`): `from emulator.server import Emulator`."""
