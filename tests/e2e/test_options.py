"""The options page end to end in Chromium and Firefox."""
from .conftest import extension_config
from .extension_driver import configure, wait_for
from .ui_pages import ExtensionPage


def test_shot(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    with ExtensionPage(driver, "options.html") as page:
        wait_for(driver, lambda: driver.execute_script("return document.getElementById('app').dataset.state") == "ready")
        driver.set_window_size(1000, 2400)
        driver.save_screenshot(f"/work/main/tmp/exp/options-{driver.browser_name}.png")
        print(driver.execute_script("return document.getElementById('status').textContent"))
