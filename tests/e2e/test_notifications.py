"""Notifications (issue 17 item 4; outage.notifications, off by default), in Chromium and Firefox, read through the
browser's own notifications API (getAll) from an extension page that is not the popup: with the permission
granted, a soft failover tells "pending" once; its completion, which happens while the popup is open, is not told
(the popup shows it); the stand-by region signed out afterwards is told (a failover then would strand the agent).
Without the option, nothing is told."""
import json
import os

import pytest

from .conftest import extension_config, launch_extension_browser
from .extension_driver import QUIET_PAGE, configure, on_extension_page, wait_for
from .test_failover_engine import EAST, WEST, open_ready
from .ui_pages import Popup

NOTIFICATION_IDS = ("const done = arguments[arguments.length - 1];"
                    "chrome.notifications.getAll((all) => done(Object.keys(all || {}).sort()));")
QUIET_STATUS = ("const done = arguments[arguments.length - 1];"
                "chrome.runtime.sendMessage({type: 'popup:get-status'}, (reply) => done(reply.status));")


def grant_notifications(extension_dir):
    """The optional permission granted at install, as the options page's Save asks for it."""
    path = os.path.join(extension_dir, "manifest.json")
    with open(path) as handle:
        manifest = json.load(handle)
    manifest["permissions"].append("notifications")
    with open(path, "w") as handle:
        json.dump(manifest, handle, indent=1)


# headless Firefox has no system notification service (a notification it shows is gone at once): its own alert
# windows instead, kept open until the test reads them
FIREFOX_ALERTS = {"alerts.useSystemBackend": False, "alerts.totalOpenTime": 600_000}


@pytest.fixture
def notifying_browser(browser_name, run_dir, emulator):
    driver = launch_extension_browser(browser_name, run_dir, emulator, instrument=grant_notifications,
                                      prefs=FIREFOX_ALERTS if browser_name == "firefox" else None)
    yield driver
    driver.quit()


def shown(driver):
    return on_extension_page(driver, NOTIFICATION_IDS, page=QUIET_PAGE)


def quiet_status(driver):
    return on_extension_page(driver, QUIET_STATUS, page=QUIET_PAGE)


def blocking_contacts(status, region):
    agent = next(entry["agent"] for entry in status["regions"] if entry["key"] == region) or {}
    return [contact["contactId"] for contact in agent.get("blockingContacts", [])]


def pending_on_a_call(driver, emulator):
    contact = emulator.client.route_contact(EAST)
    emulator.client.accept(EAST, contact)
    wait_for(driver, lambda: blocking_contacts(quiet_status(driver), EAST) == [contact])
    emulator.client.set_active(WEST)  # soft: the failover waits for the call
    return contact


def test_a_failover_and_a_signed_out_stand_by_are_told_but_not_what_the_popup_showed(notifying_browser, emulator):
    driver = notifying_browser
    configure(driver, extension_config(emulator, outage={"notifications": True}))
    open_ready(driver, emulator)
    assert shown(driver) == []
    contact = pending_on_a_call(driver, emulator)
    wait_for(driver, lambda: shown(driver) != [], message="no notification of the pending failover")
    assert [key.rsplit(":", 1)[0] for key in shown(driver)] == [f"pending:{WEST}"]
    with Popup(driver) as popup:
        emulator.client.hang_up(EAST, contact)
        emulator.client.clear(EAST, contact)
        popup.wait(lambda s: s["failover"]["phase"] == "none" and s["timeline"])
    assert not [key for key in shown(driver) if key.startswith("complete:")]
    emulator.client.expire_session(EAST)  # the stand-by now
    wait_for(driver, lambda: f"standby-signed-out:{EAST}" in shown(driver),
             message="the signed-out stand-by was not told")


def test_nothing_is_told_unless_the_configuration_says_so(notifying_browser, emulator):
    driver = notifying_browser
    configure(driver, extension_config(emulator))
    open_ready(driver, emulator)
    pending_on_a_call(driver, emulator)
    wait_for(driver, lambda: (quiet_status(driver)["failover"] or {}).get("phase") == "pending")
    assert shown(driver) == []
