"""The options page end to end in Chromium and Firefox: saving a configuration through the form (with the host
permission request), inline validation messages that name the field and the rule with nothing saved, refused
permissions, import and export, and a stored configuration that is refused.

Permission flow: the test copy of the extension is granted https://*.example.test/* at install
(rig/extension_copy.py), so a request for the emulator's pages resolves true at once after a real click. The
refusal is tested twice: in both browsers a Save that is not a user gesture (a script's click), which the browser
itself refuses; and in Firefox a real prompt for a host outside *.example.test answered "Deny" (and then "Allow")
through the browser's own notification (Chromium's prompt cannot be answered in headless mode)."""
import json
import os
import urllib.parse

import pytest

from grccp.core.config import host_permission_patterns, parse_config

from .conftest import extension_config
from .extension_driver import background_status, configure, open_allowlisted, wait_for
from .ui_pages import OptionsPage, downloaded_files

EAST, WEST = "us-east-1", "us-west-2"


def effective(config_obj):
    return parse_config(config_obj).to_dict()


def fill(page, config):
    page.set("protocol", config.get("protocol", "legacy-dr"))
    for index, region in enumerate(config["regions"]):
        for member in ("region", "ccpUrl", "instanceArn"):
            if member in region:
                page.set(f"regions/{index}/{member}", region[member])
    page.set("loginUrl", config["loginUrl"])
    page.set("allowlist", "\n".join(config["allowlist"]))
    for group in ("timeouts",):
        for member, value in config[group].items():
            page.set(f"{group}/{member}", str(value))


def test_a_valid_form_is_saved_after_the_permission_request(ccp_browser, emulator):
    driver = ccp_browser
    config = extension_config(emulator)
    with OptionsPage(driver) as page:
        assert page.status()["text"] == "Not configured yet."
        assert page.value("timeouts/ccpAckTimeout") == "3000" and page.value("loginPopup") is True  # defaults
        assert page.value("protocol") == "acgr"  # a new configuration starts with ACGR
        fill(page, config)
        page.save()
        status = page.wait_status("saved", "refused", "invalid", "error")
        assert status["state"] == "saved", status
        assert status["origins"].split(" ") == host_permission_patterns(parse_config(config))
        assert effective(page.stored_config()) == effective(config)
    assert background_status(driver)["configured"] is True
    open_allowlisted(driver, emulator.crm_url())  # the background registered the content script for it


def test_an_acgr_form_needs_no_instance_arn_and_a_legacy_one_does(ccp_browser, emulator):
    driver = ccp_browser
    config = extension_config(emulator, protocol="acgr")  # without instance ARNs
    assert not [region for region in config["regions"] if "instanceArn" in region]
    with OptionsPage(driver) as page:
        fill(page, config)
        arn = page.control("regions/0/instanceArn")
        assert arn.get_attribute("required") is None
        assert "Optional" in driver.find_element("id", "f-regions-0-instanceArn-help").text
        page.set("protocol", "legacy-dr")
        wait_for(driver, lambda: arn.get_attribute("required") is not None)
        page.save()
        assert page.wait_status("invalid")["state"] == "invalid"
        assert page.error("regions/0/instanceArn") == "Region 1: instance ARN: is required (rule: required)"
        assert page.stored_config() is None  # nothing saved
        page.set("protocol", "acgr")
        page.save()
        assert page.wait_status("saved", "refused", "invalid")["state"] == "saved"
        assert page.stored_config()["protocol"] == "acgr"
        assert effective(page.stored_config()) == effective(config)
    status = background_status(driver)
    assert status["configured"] is True


def test_invalid_input_names_field_and_rule_and_saves_nothing(ccp_browser, emulator):
    driver = ccp_browser
    config = extension_config(emulator)
    configure(driver, config)
    with OptionsPage(driver) as page:
        stored = page.stored_config()
        page.set("regions/1/instanceArn", emulator.instance_arn(EAST))
        page.set("regions/0/ccpUrl", emulator.ccp_url(EAST).replace("https://", "http://"))
        page.set("timeouts/ccpAckTimeout", "3 s")
        page.set("allowlist", "\n".join(config["allowlist"] + ["ftp://files.example.test/*"]))
        page.save()
        status = page.wait_status("invalid")
        assert status["text"].startswith("Not saved: 5 problem(s) to fix. The configuration in force is unchanged")
        assert page.error("regions/1/instanceArn").startswith(
            f'Region 2: instance ARN: region "{EAST}" in the ARN does not match region "{WEST}" '
            "(rule: arn-region-match)")
        assert "(rule: distinct-instances)" in page.error("regions/1/instanceArn")
        assert page.error("regions/0/ccpUrl").startswith("Region 1: CCP URL: \"http://") and \
            page.error("regions/0/ccpUrl").endswith("(rule: https-url)")
        assert page.error("timeouts/ccpAckTimeout") == \
            "Acknowledge timeout (ms): must be an integer, not a string (rule: type)"
        assert page.error("allowlist").startswith("Allowlisted pages, line 3: ") and \
            page.error("allowlist").endswith("(rule: page-pattern)")
        assert page.control("timeouts/ccpAckTimeout").get_attribute("aria-invalid") == "true"
        assert page.error("loginUrl") == ""
        assert page.stored_config() == stored  # nothing saved
        # fixed fields lose their message as they are fixed
        page.set("timeouts/ccpAckTimeout", "2500")
        wait_for(driver, lambda: page.error("timeouts/ccpAckTimeout") == "")
        assert page.error("regions/0/ccpUrl") != ""
        # the two regions must differ
        page.set("regions/1/region", EAST)
        wait_for(driver, lambda: "(rule: distinct-regions)" in page.error("regions/1/region"))
    status = background_status(driver)
    assert status["configured"] and [r["key"] for r in status["regions"]] == [EAST, WEST]  # still in force


def test_a_save_that_is_no_user_gesture_is_refused_by_the_browser(ccp_browser, emulator):
    driver = ccp_browser
    config = extension_config(emulator)
    configure(driver, config)
    with OptionsPage(driver) as page:
        stored = page.stored_config()
        # no real input at all in this page (typing would give it the user activation a script's click lacks)
        driver.execute_script("const c = document.getElementById('f-timeouts-ccpLoadTimeout'); c.value = '9000';"
                              "c.dispatchEvent(new Event('input', {bubbles: true}));"
                              "document.getElementById('save').click();")
        status = page.wait_status("refused", "saved", "error")
        assert status["state"] == "refused", status
        assert status["text"].startswith("Not saved: the browser did not grant access to https://")
        assert "Without it nothing is embedded; the configuration in force is unchanged." in status["text"]
        assert page.stored_config() == stored


FIREFOX_PROMPT = """
const [answer] = arguments;
for (const win of Services.wm.getEnumerator('navigator:browser')) {
  const note = win.PopupNotifications && win.PopupNotifications.getNotification('addon-webext-permissions');
  if (note) {
    if (answer === 'deny') { note.secondaryActions[0].callback(); } else { note.mainAction.callback(); }
    note.remove();
    return true;
  }
}
return false;
"""


def answer_firefox_prompt(driver, answer):
    def answered():
        with driver.context(driver.CONTEXT_CHROME):
            return driver.execute_script(FIREFOX_PROMPT, answer)
    wait_for(driver, answered, message="no permission prompt appeared")


@pytest.mark.parametrize("browser_name", ["firefox"])
def test_firefox_permission_prompt_denied_then_allowed(ccp_browser, emulator):
    driver = ccp_browser
    config = extension_config(emulator)
    configure(driver, config)
    outside = "https://agents.other-crm.test/*"  # not granted to the test copy
    with OptionsPage(driver) as page:
        stored = page.stored_config()
        page.set("allowlist", "\n".join(config["allowlist"] + [outside]))
        page.save()
        page.wait_status("asking")
        answer_firefox_prompt(driver, "deny")
        status = page.wait_status("refused")
        assert "https://agents.other-crm.test/*" in status["text"]
        assert page.stored_config() == stored
        page.save()
        page.wait_status("asking")
        answer_firefox_prompt(driver, "allow")
        assert page.wait_status("saved", "refused")["state"] == "saved"
        assert page.stored_config()["allowlist"][-1] == outside
        assert driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "chrome.permissions.contains({origins: [arguments[0]]}, done);", outside) is True


def test_export_then_import(ccp_browser, emulator, tmp_path):
    driver = ccp_browser
    config = extension_config(emulator)
    configure(driver, config)
    with OptionsPage(driver) as page:
        stored = page.stored_config()
        driver.find_element("id", "export").click()
        texts, _ = downloaded_files(driver.download_dir, ["gr-ccp-configuration.json"])
        exported = json.loads(texts["gr-ccp-configuration.json"])
        assert effective(exported) == effective(config)
        wait_for(driver, lambda: driver.find_element("id", "transfer-status").get_attribute("data-state") ==
                 "exported")

        changed = dict(exported, timeouts=dict(exported["timeouts"], ccpLoadTimeout=7777))
        good = tmp_path / "good.json"
        good.write_text(json.dumps(changed))
        driver.find_element("id", "import-file").send_keys(str(good))
        wait_for(driver, lambda: driver.find_element("id", "transfer-status").get_attribute("data-state") ==
                 "imported")
        assert page.value("timeouts/ccpLoadTimeout") == "7777"
        assert page.stored_config() == stored  # an import only fills the form
        page.save()
        assert page.wait_status("saved", "refused", "invalid")["state"] == "saved"
        assert page.stored_config()["timeouts"]["ccpLoadTimeout"] == 7777

        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(dict(changed, regions=[changed["regions"][0], dict(
            changed["regions"][1], instanceArn=emulator.instance_arn(EAST))], surplus=True)))
        driver.find_element("id", "import-file").send_keys(str(bad))
        wait_for(driver, lambda: driver.find_element("id", "transfer-status").get_attribute("data-state") ==
                 "invalid")
        transfer = driver.find_element("id", "transfer-status").text
        assert transfer.startswith("Imported bad.json with 3 problem(s)")
        assert "(rule: arn-region-match)" in page.error("regions/1/instanceArn")
        assert "surplus: is not a known setting (rule: unknown-property)" in driver.find_element(
            "id", "form-errors").text
        assert page.stored_config()["timeouts"]["ccpLoadTimeout"] == 7777

        junk = tmp_path / "junk.json"
        junk.write_text("{not json")
        driver.find_element("id", "import-file").send_keys(str(junk))
        wait_for(driver, lambda: driver.find_element("id", "transfer-status").text.startswith(
            "Not imported: junk.json: not JSON"))


def test_a_stored_configuration_that_is_refused_is_shown_with_its_problems(ccp_browser, emulator):
    driver = ccp_browser
    config = extension_config(emulator)
    config["regions"][1]["instanceArn"] = emulator.instance_arn(EAST)
    config["placement"] = {"mode": "selector"}
    configure(driver, config)
    with OptionsPage(driver) as page:
        banner = driver.find_element("id", "stored-errors")
        assert banner.is_displayed() and banner.text.startswith("The saved configuration is not in force")
        assert "(rule: arn-region-match)" in page.error("regions/1/instanceArn")
        assert page.error("placement/selector") == 'CSS selector: is required when mode is "selector" (rule: required)'
        page.set("regions/1/instanceArn", emulator.instance_arn(WEST))
        page.set("placement/selector", "#crm-title")
        page.save()
        assert page.wait_status("saved", "refused", "invalid")["state"] == "saved"
        wait_for(driver, lambda: not driver.find_element("id", "stored-errors").is_displayed())
    assert background_status(driver)["configured"] is True



def test_configuration_holes_are_refused_naming_the_field(ccp_browser, emulator):
    """Issue 16 item 6, in both contexts that check a configuration with the Public Suffix List the build wrote
    (data/public_suffixes.js): the background refuses a stored one, the options page a form."""
    driver = ccp_browser
    config = extension_config(emulator)
    east = urllib.parse.urlsplit(emulator.ccp_url(EAST))
    east_origin = f"{east.scheme}://{east.netloc}"
    holes = dict(config, allowlist=config["allowlist"] + ["https://*.co.uk/*"])
    configure(driver, holes)
    with OptionsPage(driver) as page:
        banner = driver.find_element("id", "stored-errors")
        assert banner.is_displayed() and banner.text.startswith("The saved configuration is not in force")
        assert 'line 3: "*.co.uk" reaches into the public suffix "co.uk"' in page.error("allowlist")
        assert "(rule: public-suffix-wildcard)" in page.error("allowlist")
        stored = page.stored_config()
        page.set("regions/1/ccpUrl", east_origin + "/ccp-v2-west/")
        page.set("allowlist", "\n".join(config["allowlist"] + ["https://*.github.io/*", east_origin + "/*"]))
        page.save()
        page.wait_status("invalid")
        assert "(rule: distinct-ccp-origins)" in page.error("regions/1/ccpUrl")
        allowlist = page.error("allowlist")
        assert "line 3: " in allowlist and "(rule: public-suffix-wildcard)" in allowlist, allowlist
        assert "line 4: " in allowlist and "(rule: allowlist-not-ccp-origin)" in allowlist, allowlist
        assert page.stored_config() == stored  # nothing saved
    assert background_status(driver)["configured"] is False

@pytest.mark.parametrize("browser_name", ["chromium"])
def test_options_page_has_no_console_errors(ccp_browser, emulator):
    """No CSP violation (no inline script or style) and no error while it loads, checks and saves."""
    driver = ccp_browser
    configure(driver, extension_config(emulator))
    with OptionsPage(driver) as page:
        page.set("timeouts/ccpAckTimeout", "x")
        page.save()
        page.wait_status("invalid")
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
