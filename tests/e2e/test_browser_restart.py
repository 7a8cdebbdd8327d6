"""A browser restart keeps the configuration and the kept logs (Chromium, same profile). Firefox removes a
temporary add-on when it quits, so the same test there would only test the test rig."""
import os

import pytest

from rig import browsers, extension_copy

from .conftest import extension_config
from .extension_driver import background_status, configure, host_state, logged, open_allowlisted, wait_for
from .test_failover_engine import EAST


@pytest.mark.parametrize("browser_name", ["chromium"])
def test_configuration_and_logs_survive_a_browser_restart(browser_name, run_dir, emulator):
    work = os.path.join(run_dir, "restart")
    extension = extension_copy.prepare_extension("chromium", os.path.join(work, "extension"))
    profile = os.path.join(work, "profile")

    def launch():
        return browsers.launch_chromium(certs=emulator.certs, host_names=emulator.host_names, extension_dir=extension,
                                        tmp_dir=work, user_data_dir=profile)

    driver = launch()
    try:
        configure(driver, extension_config(emulator))
        open_allowlisted(driver, emulator.crm_url())
        wait_for(driver, lambda: host_state(driver)["state"] == "ready")
        lines = emulator.client.emit_logs(EAST, 5, text="before the restart")
        wait_for(driver, lambda: len(logged(driver, EAST, "before the restart")) == 5)
    finally:
        driver.quit()
    driver = launch()
    try:
        status = wait_for(driver, lambda: (lambda s: s if s["configured"] else None)(background_status(driver)))
        assert status["activeRegion"] == EAST
        assert logged(driver, EAST, "before the restart") == lines
        open_allowlisted(driver, emulator.crm_url())  # and it works again without being configured again
        wait_for(driver, lambda: host_state(driver)["state"] == "ready")
    finally:
        driver.quit()
