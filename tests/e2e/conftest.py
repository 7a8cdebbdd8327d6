"""Browser fixtures for end-to-end tests: a fresh browser per test with a prepared copy of the built extension."""
import os
import uuid

import pytest

from rig import browsers, extension_copy, tls
from rig.static_sites import StaticSites

BROWSERS = ("chromium", "firefox")


@pytest.fixture(scope="session")
def sites(run_dir):
    running = StaticSites(tls.TestCertificates(StaticSites.HOSTNAMES, os.path.join(run_dir, "pki")))
    yield running
    running.stop()


@pytest.fixture(params=BROWSERS)
def browser_name(request):
    return request.param


@pytest.fixture
def extension_browser(browser_name, run_dir, sites):
    work = os.path.join(run_dir, f"{browser_name}-{uuid.uuid4().hex[:8]}")
    extension_dir = extension_copy.prepare_extension(browser_name, os.path.join(work, "extension"))
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    driver = browsers.launch(browser_name, certs=sites.certs, host_names=sites.HOSTNAMES,
                             extension_dir=extension_dir, download_dir=downloads, tmp_dir=work)
    driver.download_dir = downloads
    yield driver
    driver.quit()
