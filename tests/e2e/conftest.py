"""Browser fixtures for end-to-end tests: a fresh browser per test with a prepared copy of the built extension."""
import os
import uuid

import pytest

from rig import browsers, extension_copy

BROWSERS = ("chromium", "firefox")


@pytest.fixture(params=BROWSERS)
def browser_name(request):
    return request.param


def extension_config(emulator, **overrides):
    """The extension's configuration for the emulator's two instances, both CRM sites allowlisted."""
    config = {
        "regions": [{"region": region, "ccpUrl": emulator.ccp_url(region),
                     "instanceArn": emulator.instance_arn(region)} for region in emulator.regions],
        "loginUrl": emulator.login_url,
        "loginPopup": True,
        "loginPopupAutoClose": True,
        "allowlist": [f"https://crm.example.test:{emulator.port}/*", f"https://crm2.example.test:{emulator.port}/*"],
        "timeouts": {"ccpAckTimeout": 1000, "ccpSynTimeout": 500, "ccpLoadTimeout": 3000},
    }
    config.update(overrides)
    return config


@pytest.fixture
def ccp_browser(browser_name, run_dir, emulator):
    """A browser with the extension installed (not yet configured) that reaches every emulator host."""
    work = os.path.join(run_dir, f"{browser_name}-{uuid.uuid4().hex[:8]}")
    extension_dir = extension_copy.prepare_extension(browser_name, os.path.join(work, "extension"))
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    extra = {"prefs": {"profile.default_content_setting_values.automatic_downloads": 1}} \
        if browser_name == "chromium" else {}
    driver = browsers.launch(browser_name, certs=emulator.certs, host_names=emulator.host_names,
                             extension_dir=extension_dir, download_dir=downloads, tmp_dir=work, **extra)
    driver.download_dir = downloads
    yield driver
    driver.quit()
