"""Browser fixtures for end-to-end tests: a fresh browser per test with a prepared copy of the built extension."""
import os
import uuid

import pytest

from rig import browsers, extension_copy

BROWSERS = ("chromium", "firefox")


@pytest.fixture(params=BROWSERS)
def browser_name(request):
    return request.param


PROTOCOLS = ("legacy-dr", "acgr")
# A stress scenario runs in `make test` on one diagonal of browser x protocol (both browsers, both protocols), and
# in `make reliability` in all four variants: they are the slowest tests.
STRESS_DIAGONAL = (("chromium", "acgr"), ("firefox", "legacy-dr"))
# Every other scenario of both browsers and both protocols runs in `make test` in three variants; the fourth,
# Firefox with the deprecated legacy DR protocol, runs in `make reliability`. That pair is still in `make test`, in
# the stress diagonal (keeps `make test` within its time on two cores: a Firefox test costs ~3 s more than a
# Chromium one).
RELIABILITY_ONLY_VARIANT = ("firefox", "legacy-dr")


@pytest.fixture(params=PROTOCOLS)
def protocol(request):
    """A scenario that is the same in both Global Resiliency protocols runs in each (the emulator's controls drive
    either: it speaks what the extension speaks)."""
    return request.param


def extension_config(emulator, protocol=None, **overrides):
    """The extension's configuration for the emulator's two instances, both CRM sites allowlisted: legacy DR
    written as before `protocol` existed (no protocol field), or ACGR (no instance ARNs: ACGR does not use them)."""
    acgr = protocol == "acgr"
    config = {
        "regions": [dict({"region": region, "ccpUrl": emulator.ccp_url(region)},
                         **({} if acgr else {"instanceArn": emulator.instance_arn(region)}))
                    for region in emulator.regions],
        "loginUrl": emulator.login_url,
        "loginPopup": True,
        "loginPopupAutoClose": True,
        "allowlist": [f"https://crm.example.test:{emulator.port}/*", f"https://crm2.example.test:{emulator.port}/*"],
        "timeouts": {"ccpAckTimeout": 1000, "ccpSynTimeout": 500, "ccpLoadTimeout": 3000},
    }
    if protocol is not None:
        config["protocol"] = protocol
    config.update(overrides)
    return config


def launch_extension_browser(browser_name, run_dir, emulator, prefs=None, instrument=None, other_extensions=(),
                             host_permissions=extension_copy.DEFAULT_HOST_PERMISSIONS):
    """A browser with a prepared copy of the extension installed (not yet configured) that reaches every
    emulator host. `prefs`: extra browser preferences; `instrument(extension_dir)`: changes the copy first;
    `other_extensions`: directories of unpacked extensions installed beside it (Chromium); `host_permissions`: what
    the copy is granted (the emulator's hosts)."""
    work = os.path.join(run_dir, f"{browser_name}-{uuid.uuid4().hex[:8]}")
    extension_dir = extension_copy.prepare_extension(browser_name, os.path.join(work, "extension"), host_permissions)
    if instrument is not None:
        instrument(extension_dir)
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    all_prefs = dict(prefs or {})
    if browser_name == "chromium":  # one click saves one file per region: allow several downloads at once
        all_prefs["profile.default_content_setting_values.automatic_downloads"] = 1
    more = {"other_extensions": other_extensions} if other_extensions else {}
    driver = browsers.launch(browser_name, certs=emulator.certs, host_names=emulator.host_names,
                             extension_dir=extension_dir, download_dir=downloads, tmp_dir=work, prefs=all_prefs,
                             **more)
    driver.download_dir = downloads
    return driver


@pytest.fixture
def ccp_browser(browser_name, run_dir, emulator):
    driver = launch_extension_browser(browser_name, run_dir, emulator)
    yield driver
    driver.quit()


def _in_make_test(item):
    params = item.callspec.params if hasattr(item, "callspec") else {}
    variant = (params.get("browser_name"), params.get("protocol"))
    if item.get_closest_marker("stress") is not None:
        return variant in STRESS_DIAGONAL
    return variant != RELIABILITY_ONLY_VARIANT


def pytest_collection_modifyitems(items):
    for item in items:
        if not _in_make_test(item):
            item.add_marker(pytest.mark.reliability_only)
