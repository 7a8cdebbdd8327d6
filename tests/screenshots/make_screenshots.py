"""`make screenshots`: pictures of the popup and the options page, made by driving the built extension (headless
Chromium) against the CCP emulator, into dist/screenshots/:

  popup-normal.png, popup-normal-dark.png   both regions answering, agent available
  popup-manual-failover.png                  the administrator's manual failover asking first (outage.manualFailover)
  popup-pending.png                          a failover waiting for the agent's voice call
  popup-not-answering.png                    the active region's CCP stopped answering (after the failover)
  popup-refused-framing.png                  the browser refuses the active region's CCP on the page's site
  popup-not-configured.png                   first start
  options-valid.png, options-errors.png      the options page with a valid configuration, then with mistakes
  options-check.png                          the configuration check naming what to fix

Run from the repository root after `make build` (the Makefile target does both)."""
import os
import shutil
import sys
import tempfile

from e2e.conftest import extension_config
from e2e.extension_driver import configure, host_state, open_allowlisted, wait_for
from e2e.ui_pages import OptionsPage, Popup
from emulator.config import Timings
from emulator.server import Emulator
from rig import REPO, browsers, extension_copy

OUT = os.path.join(REPO, "dist", "screenshots")
EAST, WEST = "us-east-1", "us-west-2"


def shoot_popup(driver, popup, name):
    popup.focus()
    path = os.path.join(OUT, f"{name}.png")
    driver.find_element("tag name", "body").screenshot(path)
    print("  ", os.path.relpath(path, REPO))


def shoot_page(driver, name):
    height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    driver.set_window_size(1000, height + 140)  # the window's frame around the page
    path = os.path.join(OUT, f"{name}.png")
    driver.save_screenshot(path)
    print("  ", os.path.relpath(path, REPO))


def set_dark(driver, dark):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})


def store_config(driver, popup, config):
    """Stores a configuration from the popup's window (the popup loads again)."""
    popup.focus()
    configure(driver, config)


def popup_shots(driver, emulator):
    with Popup(driver) as popup:
        popup.wait(lambda s: s["view"] == "setup")
        shoot_popup(driver, popup, "popup-not-configured")
    configure(driver, extension_config(emulator))
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: (host_state(driver) or {}).get("state") == "ready", timeout=30)
    popup = Popup(driver)
    popup.wait(lambda s: all(r["health"] == "ready" for r in s["regions"]) and s["regions"][0]["agent"] == "Available")
    shoot_popup(driver, popup, "popup-normal")
    set_dark(driver, True)
    shoot_popup(driver, popup, "popup-normal-dark")
    set_dark(driver, False)

    contact = emulator.client.route_contact(EAST, "voice")
    emulator.client.accept(EAST, contact)
    popup.wait(lambda s: "voice call" in s["regions"][0]["agent"])
    store_config(driver, popup, extension_config(emulator, outage={"manualFailover": True}))
    popup.wait(lambda s: s["switchNow"]["kind"] == "manual-failover")
    driver.find_element("id", "switch-now").click()
    popup.wait(lambda s: s["switchNow"]["confirming"])
    shoot_popup(driver, popup, "popup-manual-failover")
    driver.find_element("id", "switch-now-no").click()
    store_config(driver, popup, extension_config(emulator))
    popup.wait(lambda s: not s["switchNow"]["offered"] and not s["switchNow"]["confirming"])
    emulator.client.set_active(WEST)
    popup.wait(lambda s: s["failover"]["phase"] == "pending")
    shoot_popup(driver, popup, "popup-pending")

    emulator.client.hang_up(EAST, contact)
    emulator.client.clear(EAST, contact)
    popup.wait(lambda s: s["failover"]["phase"] == "none" and s["timeline"])
    emulator.client.impair(WEST, no_ack=True)
    popup.wait(lambda s: s["regions"][1]["health"] == "not_answering")
    shoot_popup(driver, popup, "popup-not-answering")
    popup.close()

    emulator.client.clear_impairments(WEST)
    emulator.client.set_framing(WEST, approved_origins=[emulator.crm_url("", site=1)])  # not this page's site
    open_allowlisted(driver, emulator.crm_url())
    wait_for(driver, lambda: (host_state(driver) or {}).get("state") == "refused-framing", timeout=60)
    with Popup(driver) as popup:
        popup.wait(lambda s: s["regions"][1]["health"] == "refused_framing" and s["problems"])
        shoot_popup(driver, popup, "popup-refused-framing")


def options_shots(driver, emulator):
    page = OptionsPage(driver)
    shoot_page(driver, "options-valid")
    page.set("regions/1/instanceArn", emulator.instance_arn(EAST))
    page.set("timeouts/ccpAckTimeout", "3 s")
    page.set("allowlist", page.value("allowlist") + "\nhttp://crm.example.test/*")
    page.save()
    page.wait_status("invalid")
    driver.execute_script("window.scrollTo(0, 0)")
    shoot_page(driver, "options-errors")
    page.close()
    emulator.client.set_framing(EAST, x_frame_options="DENY")
    page = OptionsPage(driver)
    driver.find_element("id", "check-config").click()
    wait_for(driver, lambda: driver.execute_script(
        "return document.getElementById('check-status').dataset.state") == "problems", timeout=30)
    shoot_page(driver, "options-check")
    page.close()


def main():
    if not os.path.exists(os.path.join(REPO, "dist", "chrome", "manifest.json")):
        sys.exit("dist/chrome is not built: run `make build` first")
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="screenshots-", dir=os.path.join(REPO, "tmp") if os.path.isdir(
        os.path.join(REPO, "tmp")) else None)
    os.environ["TMPDIR"] = work
    emulator = Emulator(tmp_dir=work, timings=Timings.fast()).start()
    driver = None
    try:
        extension_dir = extension_copy.prepare_extension("chromium", os.path.join(work, "extension"), tripwire=False)
        driver = browsers.launch("chromium", certs=emulator.certs, host_names=emulator.host_names,
                                 extension_dir=extension_dir, download_dir=os.path.join(work, "downloads"),
                                 tmp_dir=work)
        print("screenshots into", os.path.relpath(OUT, REPO))
        popup_shots(driver, emulator)
        options_shots(driver, emulator)
    finally:
        if driver is not None:
            driver.quit()
        emulator.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
