"""Enterprise policy (storage.managed) end to end, through each browser's real deployment mechanism, no test hook:

* Chromium: a policy file in /etc/chromium/policies/managed/ with the extension's "3rdparty" policy, keyed by the
  test copy's extension id (derived from its unique path, so the file affects this browser's extension only; it
  is removed after the test). Chromium checks it against the package's managed_schema.json.
* Firefox: a managed storage manifest (~/.mozilla/managed-storage/<add-on id>.json, "type": "storage") under a
  HOME of the test's own, set for the browser process only.

The policy's top-level settings replace the local ones; the options page shows them read-only and marked, saving
stores only the rest, and downloads use the policy's log name."""
import json
import os
import uuid

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from rig import browsers, extension_copy

from .conftest import extension_config
from .extension_driver import (background_status, configure, host_state, on_extension_page, open_allowlisted,
                               wait_for)
from .test_logs import files_of, seed
from .ui_pages import OptionsPage, Popup

EAST, WEST = "us-east-1", "us-west-2"
CHROMIUM_POLICY_DIR = "/etc/chromium/policies/managed"
ALLOW_MULTIPLE_DOWNLOADS = {"profile.default_content_setting_values.automatic_downloads": 1}
DIAGNOSED = ("configured", "managedFields", "configErrors", "openTabs", "regions")
KEPT_POLICY = ("const done = arguments[arguments.length - 1];"
               "chrome.storage.local.get('lastPolicy', (items) => done(items.lastPolicy || null));")


@pytest.fixture
def launch_with_policy(browser_name, run_dir, emulator):
    """launch(policy) -> a driver whose extension has `policy` as its enterprise policy."""
    drivers, cleanups = [], []

    def launch(policy):
        work = os.path.join(run_dir, f"{browser_name}-policy-{uuid.uuid4().hex[:8]}")
        extension_dir = extension_copy.prepare_extension(browser_name, os.path.join(work, "extension"))
        downloads = os.path.join(work, "downloads")
        os.makedirs(downloads)
        if browser_name == "chromium":
            extension_id = browsers.chromium_extension_id(extension_dir)
            os.makedirs(CHROMIUM_POLICY_DIR, exist_ok=True)
            path = os.path.join(CHROMIUM_POLICY_DIR, f"grccp-test-{extension_id}.json")
            with open(path, "w") as handle:
                json.dump({"3rdparty": {"extensions": {extension_id: policy}}}, handle)
            cleanups.append(lambda: os.remove(path))
            driver = browsers.launch(browser_name, certs=emulator.certs, host_names=emulator.host_names,
                                     extension_dir=extension_dir, download_dir=downloads, tmp_dir=work,
                                     prefs=ALLOW_MULTIPLE_DOWNLOADS)
        else:
            home = os.path.join(work, "home")
            manifests = os.path.join(home, ".mozilla", "managed-storage")
            os.makedirs(manifests)
            with open(os.path.join(manifests, f"{browsers.FIREFOX_ADDON_ID}.json"), "w") as handle:
                json.dump({"name": browsers.FIREFOX_ADDON_ID, "description": "test policy", "type": "storage",
                           "data": policy}, handle)
            saved_home = os.environ.get("HOME")
            os.environ["HOME"] = home  # inherited by geckodriver and Firefox as they start
            try:
                driver = browsers.launch(browser_name, host_names=emulator.host_names, extension_dir=extension_dir,
                                         download_dir=downloads, tmp_dir=work)
            finally:
                if saved_home is None:
                    del os.environ["HOME"]
                else:
                    os.environ["HOME"] = saved_home
        driver.download_dir = downloads
        drivers.append(driver)
        return driver

    yield launch
    for driver in drivers:
        driver.quit()
    for cleanup in cleanups:
        cleanup()


def wait_for_policy(driver, fields, timeout=30):
    """Waits, with the popup open, until the background applies a policy that sets exactly `fields`.

    With the popup open, as a person would look: Chromium (156) can hold the service worker's storage.managed
    reads until an extension page reads storage.managed (the popup and the options page do), and it loads
    extension policies a few seconds after start-up. Asked once a second."""
    last = []
    with Popup(driver):
        def applied(_driver):
            status = background_status(driver)
            last[:] = [{name: status[name] for name in ("configured", "managedFields", "configErrors")}]
            return status["configured"] and status["managedFields"] == fields
        try:
            WebDriverWait(driver, timeout, poll_frequency=1).until(applied)
        except Exception:
            raise AssertionError(f"the policy was not applied: {last}") from None


def test_a_full_policy_configures_the_extension_read_only(launch_with_policy, emulator):
    config = extension_config(emulator)
    policy = {name: config[name] for name in ("regions", "loginUrl", "allowlist")}
    policy["logs"] = {"logName": "policy-log"}
    driver = launch_with_policy(policy)
    # a policy written before `protocol` existed (regions, no protocol) sets legacy DR (effective_config)
    wait_for_policy(driver, ["protocol", "regions", "loginUrl", "allowlist", "logs"])
    open_allowlisted(driver, emulator.crm_url())  # the policy's pages get the panel
    wait_for(driver, lambda: (host_state(driver) or {}).get("state") == "ready")

    with Popup(driver) as popup:
        state = popup.wait(lambda s: s["view"] == "status")
        assert state["managedNote"] == "Some settings are managed by your organisation."
        seed(driver, EAST, 2)
        driver.find_element("id", "download-logs").click()
        parsed, _, _ = files_of(driver.download_dir, [f"{EAST}-policy-log.txt", f"{WEST}-policy-log.txt"])
        assert [entry["text"] for entry in parsed[f"{EAST}-policy-log.txt"] if entry["loggerId"] == "seed-logger"] \
            == [f"seed {EAST} #0", f"seed {EAST} #1"]

    with OptionsPage(driver) as page:
        assert driver.find_element("id", "managed-banner").is_displayed()
        assert page.value("protocol") == "legacy-dr"
        for path in ("protocol", "regions/0/region", "regions/1/instanceArn", "loginUrl", "allowlist",
                     "logs/logName"):
            assert page.control(path).get_attribute("disabled") is not None, path
            wrapper = driver.find_element("css selector", f'.field[data-path="{path}"]')
            assert wrapper.get_attribute("data-managed") == "yes"
            assert wrapper.find_element("css selector", ".managed-tag").is_displayed()
        assert page.value("regions/1/region") == WEST and page.value("logs/logName") == "policy-log"
        for path in ("timeouts/ccpAckTimeout", "placement/width", "loginPopup"):
            assert page.control(path).get_attribute("disabled") is None, path
        page.set("timeouts/ccpLoadTimeout", "12000")
        page.save()
        assert page.wait_status("saved", "refused", "invalid", "error")["state"] == "saved"
        stored = page.stored_config()
    # only what the policy does not set is stored; the policy's settings stay in force
    assert set(stored) == {"loginPopup", "loginPopupAutoClose", "placement", "softphone", "pageOptions", "timeouts",
                           "outage", "pageApi", "pageApiForceFailover"}
    assert stored["timeouts"]["ccpLoadTimeout"] == 12000
    wait_for_policy(driver, ["protocol", "regions", "loginUrl", "allowlist", "logs"], timeout=5)


def test_a_partial_policy_overrides_those_settings_of_the_local_configuration(launch_with_policy, emulator):
    driver = launch_with_policy({"logs": {"logName": "policy-log", "filterByLogLevel": True},
                                 "timeouts": {"ccpLoadTimeout": 20000}})
    configure(driver, extension_config(emulator, logs={"logName": "local-log"}))
    wait_for_policy(driver, ["timeouts", "logs"])
    with OptionsPage(driver) as page:
        wait_for(driver, lambda: page.value("logs/logName") == "policy-log")
        assert page.value("logs/filterByLogLevel") is True and page.value("timeouts/ccpLoadTimeout") == "20000"
        assert page.value("timeouts/ccpAckTimeout") == "3000"  # the policy replaces the whole timeouts setting
        assert page.control("logs/logName").get_attribute("disabled") is not None
        assert page.control("regions/0/region").get_attribute("disabled") is None
        assert page.value("regions/0/region") == EAST
        # the log download defaults follow the configuration in force
        assert driver.find_element("id", "download-log-name").get_attribute("value") == "policy-log"
        assert driver.find_element("id", "download-filter").is_selected()
        stored_before = page.stored_config()
        page.set("placement/width", "400")
        page.save()
        assert page.wait_status("saved", "refused", "invalid", "error")["state"] == "saved"
        stored = page.stored_config()
    # what was stored for the policy's settings stays stored (not in force); the rest is saved from the form
    assert stored["logs"] == stored_before["logs"] == {"logName": "local-log"}
    assert stored["timeouts"] == stored_before["timeouts"] and stored["placement"]["width"] == 400


@pytest.mark.parametrize("browser_name", ["chromium"])  # Firefox removes a temporary add-on when it quits
def test_the_last_policy_is_in_force_from_the_first_page_after_a_browser_restart(browser_name, run_dir, emulator):
    """A deployment configured by policy alone. After a browser restart the first thing to wake the background is
    an allowlisted page, with no extension page open: Chromium loads extension policies seconds after start-up
    and holds storage.managed reads until then (or until an extension page reads it). The policy last seen is in
    force from that first page."""
    config = extension_config(emulator)
    policy = {name: config[name] for name in ("regions", "loginUrl", "allowlist")}
    work = os.path.join(run_dir, f"policy-restart-{uuid.uuid4().hex[:8]}")
    extension_dir = extension_copy.prepare_extension(browser_name, os.path.join(work, "extension"))
    extension_id = browsers.chromium_extension_id(extension_dir)
    os.makedirs(CHROMIUM_POLICY_DIR, exist_ok=True)
    policy_path = os.path.join(CHROMIUM_POLICY_DIR, f"grccp-test-{extension_id}.json")
    with open(policy_path, "w") as handle:
        json.dump({"3rdparty": {"extensions": {extension_id: policy}}}, handle)

    def launch():
        return browsers.launch_chromium(certs=emulator.certs, host_names=emulator.host_names,
                                        extension_dir=extension_dir, tmp_dir=work,
                                        user_data_dir=os.path.join(work, "profile"))
    try:
        driver = launch()
        try:
            wait_for_policy(driver, ["protocol", "regions", "loginUrl", "allowlist"])
            wait_for(driver, lambda: on_extension_page(driver, KEPT_POLICY) == policy,
                     message="the background did not keep the policy it read")
        finally:
            driver.quit()
        driver = launch()
        try:
            driver.get(emulator.crm_url())  # once: the first page, not a later reload, gets the panel
            seen = []

            def ready():
                seen[:] = [host_state(driver)]
                return (seen[0] or {}).get("state") == "ready"
            try:
                wait_for(driver, ready)
            except Exception:
                raise AssertionError(f"the first page after the restart got no ready panel: {seen}, background "
                                     f"{ {k: v for k, v in background_status(driver).items() if k in DIAGNOSED} }") \
                    from None
        finally:
            driver.quit()
    finally:
        os.remove(policy_path)
