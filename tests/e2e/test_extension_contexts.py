"""The extension's contexts, end to end in Chromium and Firefox: the background registers the content script
for the configured pages only (port included), the content script changes the page and talks to the background,
and no context evaluates a string (tripwire) or violates the CSP."""
import pytest

from .conftest import extension_config
from .extension_driver import configure, host_state, open_allowlisted, read_extension_storage, settle, wait_for

ZERO = {"eval": 0, "Function": 0, "csp": 0}


def tripwire_of_page(driver):
    return driver.execute_script("return JSON.parse(document.documentElement.getAttribute('data-grccp-tripwire'))")


def test_every_context_runs_python_without_eval(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: host_state(driver)["state"] == "ready")
    # the panel lives in a closed shadow root: the page's scripts cannot reach into it
    assert driver.execute_script("return document.getElementById('grccp-ccp-host').shadowRoot") is None
    assert tripwire_of_page(driver) == ZERO
    for page in ("options.html", "popup.html"):
        driver.get(driver.extension_base_url + page)
        wait_for(driver, lambda: driver.execute_script("return !!window.__grccpTripwire"))
    stored = read_extension_storage(driver, ["tripwire:background", "tripwire:options", "tripwire:popup"])
    for context in ("background", "options", "popup"):
        assert stored[f"tripwire:{context}"] == ZERO, context


def test_pages_outside_the_allowlist_get_nothing(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator, allowlist=[f"https://crm.example.test:{emulator.port}/*"]))
    open_allowlisted(driver, emulator.crm_url())
    for url in (emulator.other_url(), emulator.crm_url(site=1)):
        driver.get(url)
        settle(driver)
        # no tripwire marker: no extension file ran on the page at all, not merely nothing drawn
        assert driver.execute_script("return document.documentElement.hasAttribute('data-grccp-tripwire')") is False
        assert host_state(driver) is None


def test_a_page_loading_while_the_configuration_changes_gets_the_panel(ccp_browser, emulator):
    """The background changes its content-script registration in place: a page that loads while the
    allowlist changes (or while the same configuration is stored again) is injected, never caught in a gap."""
    driver = ccp_browser
    crm = f"https://crm.example.test:{emulator.port}/*"
    crm2 = f"https://crm2.example.test:{emulator.port}/*"
    configure(driver, extension_config(emulator, allowlist=[crm]))
    open_allowlisted(driver, emulator.crm_url())
    for allowlist in ([crm, crm2], [crm, crm2], [crm], [crm2, crm], [crm]):
        configure(driver, extension_config(emulator, allowlist=allowlist))
        driver.get(emulator.crm_url())  # at once: the background is applying the change meanwhile
        wait_for(driver, lambda: host_state(driver) is not None, timeout=15,
                 message=f"the panel on the CRM page loaded while the allowlist became {allowlist}")


def test_allowlisted_host_on_another_port_gets_no_panel(ccp_browser, emulator):
    """Match patterns cannot carry a port (Firefox ignores them), so the script runs on the host and checks the
    port itself: a configuration for another port must leave this page alone."""
    driver = ccp_browser
    other_port = 1 if emulator.port != 1 else 2
    configure(driver, extension_config(emulator, allowlist=[f"https://crm.example.test:{other_port}/*"]))
    wait_for(driver, lambda: (driver.get(emulator.crm_url()) or True) and driver.execute_script(
        "return document.documentElement.hasAttribute('data-grccp-tripwire')"), timeout=20)
    # the content script ran (tripwire present), asked the background, found the port wrong and drew nothing
    settle(driver)
    assert host_state(driver) is None


# Firefox's console is not readable over WebDriver classic; there the tripwire's CSP counter covers it.
@pytest.mark.parametrize("browser_name", ["chromium"])
def test_no_csp_errors_in_chromium_console(ccp_browser, emulator):
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: host_state(driver)["state"] == "ready")
    messages = [entry["message"] for entry in driver.get_log("browser")]
    assert not [m for m in messages if "Content Security Policy" in m or "EvalError" in m], messages
