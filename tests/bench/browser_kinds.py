"""What differs between the browsers the bench drives: how a side's browser is launched, what its processes are
(for memory and CPU time by role) and what its versions are. Everything else a side does is the same WebDriver
and page script in both.

Process roles (the same names for both browsers): browser (Chromium's browser process, Firefox's parent), web
(the renderers or content processes of the page, its CCP frames and their SharedWorkers: every test host is one
site, example.test), extension (the extension's own process: Chromium's extension renderer with the service
worker; Firefox's extension process with the event page, shared with Firefox's built-in add-ons), gpu, network,
storage (Chromium's storage service), spare (Firefox's preallocated content processes), other."""
from rig import browsers

from . import machine

# Firefox rounds performance.now() and Date.now() (to 1 ms, with jitter) unless told not to: the bench measures
# differences of a few milliseconds, in the page and in the emulated CCP windows alike.
FIREFOX_PREFS = {"privacy.reduceTimerPrecision": False}
# one click, two files; third-party cookies allowed (bench.topology: a CCP cross-site to its page needs its own
# cookies, and this Chromium build blocks third-party ones by default; no effect on a same-site CCP)
CHROMIUM_PREFS = {"profile.default_content_setting_values.automatic_downloads": 1, "profile.cookie_controls_mode": 0}


class Chromium:
    name = "chromium"
    # What the results measure differently in this browser than a reader would assume.
    notes = {"cookies": "third-party cookies allowed (profile.cookie_controls_mode 0): this build blocks them by "
                        "default, and a CCP cross-site to its page (bench.topology) then cannot read the "
                        "lily-agent-config cookie its own page response set, so the global sign-in check fails "
                        "(LILY_AGENT_CONFIG_MISSING) for Streams and the extension alike"}

    def launch(self, emulator, *, extension_dir, download_dir, tmp_dir):
        return browsers.launch_chromium(certs=emulator.certs, host_names=emulator.host_names,
                                        extension_dir=extension_dir, download_dir=download_dir, tmp_dir=tmp_dir,
                                        prefs=dict(CHROMIUM_PREFS))

    def versions(self, driver):
        caps = driver.capabilities
        return {"chromium": caps.get("browserVersion"),
                "chromedriver": (caps.get("chrome") or {}).get("chromedriverVersion", "").split(" ")[0] or None,
                "chromium_binary": machine.command_version(browsers.CHROMIUM_BINARY, "--version")}

    def process_roles(self, driver):
        """{pid: role} of the browser's processes (chromedriver's descendants, chromedriver itself left out)."""
        driver_pid = driver.service.process.pid
        return {pid: machine.chromium_role(machine.cmdline(pid)) for pid in machine.descendants(driver_pid)
                if pid != driver_pid}

    def memory(self, driver):
        """PSS of the web-content and extension processes after a garbage collection of the page's isolate, and
        the page's JS heap in use (CDP)."""
        driver.execute_cdp_cmd("HeapProfiler.enable", {})
        driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
        heap = driver.execute_cdp_cmd("Runtime.getHeapUsage", {})
        memory = machine.roles_pss(self.process_roles(driver))
        memory["js_heap_used"] = int(heap["usedSize"])
        return memory


# Firefox's process types (ChromeUtils.requestProcInfo) by role.
_FIREFOX_ROLES = {"web": "web", "webIsolated": "web", "webServiceWorker": "web", "webCOOP+COEP": "web",
                  "file": "web", "extension": "extension", "gpu": "gpu", "socket": "network",
                  "preallocated": "spare", "prealloc": "spare"}
_PROC_INFO = ("const done = arguments[arguments.length - 1];"
              "ChromeUtils.requestProcInfo().then(info => done([info.pid, info.children.map(c => [c.pid, c.type])]),"
              " error => done(String(error)));")
_MINIMIZE_MEMORY = ("const done = arguments[arguments.length - 1];"
                    "Cc['@mozilla.org/memory-reporter-manager;1'].getService(Ci.nsIMemoryReporterManager)"
                    ".minimizeMemoryUsage(() => done(true));")


class Firefox:
    name = "firefox"
    notes = {
        "memory_bytes": "PSS of Firefox's content processes of the test site (webIsolated example.test: the page, "
                        "its CCP frames and their SharedWorkers) after about:memory's 'minimize memory usage' (GC "
                        "and cycle collection in every process, which frees more than Chromium's CDP garbage "
                        "collection of the page); extension_processes is Firefox's one extension process, with the "
                        "event page in place of Chromium's service worker, and shared with Firefox's built-in "
                        "add-ons; js_heap_used is not measured (no CDP in Firefox)",
        "switch_3tabs_ms": "measured as in Chromium (Firefox also renders no hidden tab)",
        "payload_bytes": "the Firefox package's content script files",
        "cookies": "Firefox's default (Total Cookie Protection): a CCP cross-site to its page (bench.topology) has "
                   "its cookies partitioned by the page's site and reads the one its own page response set, so the "
                   "global sign-in check passes",
    }

    def launch(self, emulator, *, extension_dir, download_dir, tmp_dir):
        return browsers.launch_firefox(host_names=emulator.host_names, extension_dir=extension_dir,
                                       download_dir=download_dir, tmp_dir=tmp_dir, prefs=dict(FIREFOX_PREFS),
                                       started_profile=False)  # each side starts as the figures always have

    def versions(self, driver):
        caps = driver.capabilities
        return {"firefox": caps.get("browserVersion"), "geckodriver": caps.get("moz:geckodriverVersion"),
                "firefox_binary": machine.command_version(browsers.FIREFOX_BINARY, "--version")}

    def _in_chrome(self, driver, script):
        """Runs an async script with the browser's own privileges (WebDriver's chrome context)."""
        driver.set_context("chrome")
        try:
            return driver.execute_async_script(script)
        finally:
            driver.set_context("content")

    def process_roles(self, driver):
        found = self._in_chrome(driver, _PROC_INFO)
        if not isinstance(found, list):
            raise RuntimeError(f"Firefox's process list: {found}")
        parent, children = found
        roles = {parent: "browser"}
        roles.update({pid: _FIREFOX_ROLES.get(kind, "other") for pid, kind in children})
        return roles

    def memory(self, driver):
        self._in_chrome(driver, _MINIMIZE_MEMORY)
        memory = machine.roles_pss(self.process_roles(driver))
        memory["js_heap_used"] = None
        return memory


KINDS = {"chromium": Chromium, "firefox": Firefox}


def kind(name):
    return KINDS[name]()
