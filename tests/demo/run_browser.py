"""`make run-chrome` / `make run-firefox`: the CCP emulator and a browser with the extension (web-ext run), already
configured for the emulator's two instances, for a person to click through. Ctrl-C (or closing the browser) stops
both.

usage: .venv/bin/python tests/demo/run_browser.py chromium|firefox [--poll-ms 2000] [--check]

  --poll-ms  how often the emulated CCPs poll the active region (production: 60000; default here 2000)
  --check    start, wait until the CRM page shows the active region's CCP, then stop (exit 0): proves the setup

How the configuration gets in without a person typing it:
  Chromium  a profile prepared once per start (a headless Chromium loads the same unpacked copy, so the same
            extension id, and stores the configuration), then handed to web-ext with --keep-profile-changes;
  Firefox   the enterprise-policy path (storage.managed): a managed-storage manifest in a private HOME for the
            browser (the options page then shows it as managed), and a profile that trusts the run's test CA
            (certutil from libnss3-tools, installed with apt if missing).
Without a display the browser runs headless (useful with --check only)."""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from e2e.conftest import extension_config
from emulator.config import Timings
from emulator.server import Emulator
from emulator.waiting import wait_until
from rig import REPO, browsers, extension_copy

WEB_EXT = os.path.join(REPO, "node_modules", ".bin", "web-ext")
FIREFOX_ADDON_UUID = "6f1c2a4e-0000-4000-8000-00000000c0de"  # fixed, so the options page has a known address


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="tests/demo/run_browser.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("browser", choices=("chromium", "firefox"))
    parser.add_argument("--poll-ms", type=int, default=2000)
    parser.add_argument("--check", action="store_true")
    return parser.parse_args(argv)


def start_url(emulator):
    """web-ext installs the extension after the browser opened its start URL: an allowlisted page that reloads
    until the extension's panel is on it, then opens the CRM demo page (static/hosts/start.html)."""
    return emulator.host_page_url("start.html")


def has_display():
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# ----- Chromium ---------------------------------------------------------------------------------------------------
def chromium_profile(emulator, extension_dir, work, config):
    """A Chromium user-data dir in which the unpacked extension at `extension_dir` is configured."""
    profile = os.path.join(work, "chromium-profile")
    driver = browsers.launch_chromium(certs=emulator.certs, host_names=emulator.host_names,
                                      extension_dir=extension_dir, tmp_dir=work,
                                      extra_args=(f"--user-data-dir={profile}",))  # the last one given wins
    try:
        driver.get(driver.extension_base_url + "options.html")
        driver.execute_async_script(
            "const done = arguments[arguments.length - 1]; chrome.storage.local.set({config: arguments[0]}, done);",
            config)
        wait_until(lambda: driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "chrome.scripting.getRegisteredContentScripts().then(s => done(s.length > 0), () => done(false));"),
            30, message="content script registered")
    finally:
        driver.quit()
    return profile, browsers.chromium_extension_id(extension_dir)


def chromium_command(emulator, extension_dir, profile, headless):
    """web-ext run's command line. One start URL: a second one makes headless Chromium exit at start."""
    args = ["--no-sandbox", "--no-first-run", "--disable-quic", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            "--host-resolver-rules=" + ", ".join(f"MAP {h} 127.0.0.1" for h in emulator.host_names),
            f"--ignore-certificate-errors-spki-list={emulator.certs.ca_spki_sha256_b64}"]
    if headless:
        args.append("--headless=new")
    return [WEB_EXT, "run", "--target", "chromium", "--chromium-binary", browsers.CHROMIUM_BINARY,
            "--source-dir", extension_dir, "--chromium-profile", profile, "--keep-profile-changes", "--no-input",
            "--no-reload", "--start-url", start_url(emulator), *[f"--arg={a}" for a in args]], {}


# ----- Firefox ------------------------------------------------------------------------------------------------------
def ensure_certutil():
    if shutil.which("certutil"):
        return
    print("run-firefox: installing libnss3-tools (certutil) from apt, to trust the emulator's test CA", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + ["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=600", "libnss3-tools"],
                   check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def firefox_setup(emulator, work, config):
    """A profile trusting the run's CA, and a private HOME whose managed-storage manifest carries the
    configuration (Firefox reads ~/.mozilla/managed-storage/<add-on id>.json as the add-on's storage.managed)."""
    ensure_certutil()
    profile = os.path.join(work, "firefox-profile")
    os.makedirs(profile)
    subprocess.run(["certutil", "-N", "-d", f"sql:{profile}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-n", "grccp-emulator-test-ca", "-t", "C,,", "-i", emulator.certs.ca_pem_path,
                    "-d", f"sql:{profile}"], check=True)
    home = os.path.join(work, "home")
    managed = os.path.join(home, ".mozilla", "managed-storage")
    os.makedirs(managed)
    with open(os.path.join(managed, f"{browsers.FIREFOX_ADDON_ID}.json"), "w") as handle:
        json.dump({"name": browsers.FIREFOX_ADDON_ID, "description": "CCP emulator configuration (run-firefox)",
                   "type": "storage", "data": config}, handle, indent=1)
    return profile, home


def firefox_command(emulator, extension_dir, profile, home, headless):
    addon_uuid = FIREFOX_ADDON_UUID
    prefs = {"network.dns.localDomains": ",".join(emulator.host_names),
             "extensions.webextensions.uuids": json.dumps({browsers.FIREFOX_ADDON_ID: addon_uuid})}
    env = {"HOME": home}
    if headless:
        env["MOZ_HEADLESS"] = "1"
    command = [WEB_EXT, "run", "--target", "firefox-desktop", "--firefox", browsers.FIREFOX_BINARY,
               "--source-dir", extension_dir, "--firefox-profile", profile, "--keep-profile-changes", "--no-input",
               "--no-reload", "--start-url", start_url(emulator)]
    for key, value in prefs.items():
        command += ["--pref", f"{key}={value}"]
    return command, env


def _interrupt(*_):
    raise KeyboardInterrupt


# ----- main ---------------------------------------------------------------------------------------------------------
def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.makedirs(os.path.join(REPO, "tmp"), exist_ok=True)
    work = tempfile.mkdtemp(prefix=f"run-{args.browser}-", dir=os.path.join(REPO, "tmp"))
    os.environ["TMPDIR"] = work
    tempfile.tempdir = work
    headless = not has_display()
    signal.signal(signal.SIGTERM, _interrupt)  # `kill <pid>` cleans up as Ctrl-C does
    timings = Timings.fast()
    timings.dr_poll_interval_ms = args.poll_ms
    emulator = Emulator(tmp_dir=work, timings=timings).start()
    process = None
    try:
        config = extension_config(emulator, loginPopup=True)
        extension_dir = extension_copy.prepare_extension(args.browser, os.path.join(work, "extension"),
                                                         tripwire=False)
        if args.browser == "chromium":
            profile, extension_id = chromium_profile(emulator, extension_dir, work, config)
            command, env = chromium_command(emulator, extension_dir, profile, headless)
            pages = f"chrome-extension://{extension_id}/options.html"
        else:
            profile, home = firefox_setup(emulator, work, config)
            command, env = firefox_command(emulator, extension_dir, profile, home, headless)
            pages = (f"moz-extension://{FIREFOX_ADDON_UUID}/options.html (the configuration is managed: shown "
                     "read-only)")
        print(emulator.describe())
        print(f"Active-region poll every {args.poll_ms} ms. Drive a scenario with the control API, e.g.:")
        print(f"  curl -X POST {emulator.control_url}/contacts -d '{{\"region\": \"us-east-1\"}}'")
        print(f"  curl -X POST {emulator.control_url}/contacts/accept -d '{{\"region\": \"us-east-1\"}}'")
        print(f"  curl -X POST {emulator.control_url}/active -d '{{\"region\": \"us-west-2\"}}'")
        print(f"  curl -X POST {emulator.control_url}/contacts/hang_up -d '{{\"region\": \"us-east-1\"}}'")
        print(f"  curl -X POST {emulator.control_url}/contacts/clear -d '{{\"region\": \"us-east-1\"}}'")
        print(f"Extension options: {pages}")
        print(f"Starting {args.browser} with web-ext ({'headless: no display' if headless else 'visible'}); "
              "Ctrl-C stops it and the emulator.", flush=True)
        process = subprocess.Popen(command, env=dict(os.environ, **env), start_new_session=True)
        crm = emulator.crm_url("/")
        if args.check:
            wait_until(lambda: process.poll() is None and any(
                region == "us-east-1" and host == crm for region, host in emulator.client.visible_ccps()), 90,
                interval_s=0.2, message="the CRM page shows the us-east-1 CCP")
            print(f"check: {args.browser} shows the us-east-1 CCP on {crm} (visible CCPs: "
                  f"{emulator.client.visible_ccps()})", flush=True)
            return 0
        try:
            while process.poll() is None:
                time.sleep(0.5)  # waiting for the person to close the browser (or Ctrl-C)
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # web-ext and the browser it started: our own process group
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        emulator.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
