"""`make demo`: the extension on the embedded default (the CCP emulator), in Chromium, with a narrated scenario,
played in each Global Resiliency protocol: ACGR first (what a new deployment uses), then legacy DR.

Builds nothing itself (make builds first); starts the emulator; for each protocol launches Chromium with a
prepared copy of the built extension (a visible window when a display is available, headless otherwise)
configured for the emulator's two instances; opens the CRM demo page and plays:

  1. both CCPs ready                         5. the call ends, after-call work is cleared
  2. an inbound voice call on the active     6. the switch: the new region's CCP is the one shown (ACGR: with
     region, accepted                           the phases detected → pending → initiated → complete)
  3. the active region changes               7. (ACGR) a chat on the new region, the active region changes back,
  4. failover pending shown (popup and          and the agent ends the pending failover with Switch now in the
     badge)                                     popup, after a confirmation naming the chat
                                             8. the logs of both regions downloaded with one click

Prints each step with its timing, writes screenshots and the downloaded logs into dist/demo/<protocol>/, exits 0
only if every step of every protocol played was observed within its deadline (1 otherwise, naming the step).
`python tests/demo --protocol acgr` (or legacy-dr) plays one."""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time

from selenium.common.exceptions import WebDriverException

from e2e.conftest import extension_config
from emulator.config import Timings
from emulator.fixtures import ALLOW_MULTIPLE_DOWNLOADS
from emulator.server import Emulator
from rig import REPO, browsers, extension_copy

DEMO_DIR = os.path.join(REPO, "dist", "demo")
PROTOCOLS = ("acgr", "legacy-dr")
EAST, WEST = "us-east-1", "us-west-2"
LOG_FILES = {region: f"{region}-agent-log.txt" for region in (EAST, WEST)}

HOST_STATE = ("const h = document.getElementById('grccp-ccp-host');"
              "return h ? {state: h.dataset.grccpState, active: h.dataset.grccpActive || null} : null;")
POPUP_STATE = """
const q = (s, r) => (r || document).querySelector(s);
const t = (s, r) => { const n = q(s, r); return n ? n.textContent : null; };
const app = q('#app');
if (!app) return null;
const region = (i) => { const c = q('#region-' + i); return c && {key: t('.region-key', c), role: c.dataset.role,
  health: c.dataset.health, roleText: t('.role', c), healthText: t('.health', c), agent: t('.agent', c)}; };
const failover = q('#failover');
const button = q('#download-logs');
const status = q('#download-status');
const visible = (s) => { const n = q(s); return !!n && !n.hidden && getComputedStyle(n).visibility !== 'hidden'; };
return {view: app.dataset.view, summary: t('#summary'), regions: [region(0), region(1)],
        failover: failover && {phase: failover.dataset.phase, headline: t('#failover-headline'),
                               detail: t('#failover-detail')},
        switchNow: {offered: visible('#switch-now'), confirming: visible('#switch-now-confirm'),
                    question: t('#switch-now-question')},
        timeline: Array.from(document.querySelectorAll('#timeline li')).filter(li => li.dataset.filled === 'yes')
                  .map(li => ({route: t('.route', li), latency: t('.latency', li)})),
        download: {present: Boolean(button), enabled: Boolean(button && !button.disabled),
                   state: status ? status.dataset.state : null, text: status ? status.textContent : null}};
"""
BADGE = """
const done = arguments[arguments.length - 1];
Promise.all([chrome.action.getBadgeText({}), chrome.action.getBadgeBackgroundColor({})])
  .then(([text, color]) => done({text, color: '#' + color.slice(0, 3).map(c => c.toString(16).padStart(2, '0')).join('')}),
        (error) => done({error: String(error)}));
"""


class StepFailed(Exception):
    pass


class Narrator:
    def __init__(self):
        self.started = time.monotonic()
        self.last = self.started
        self.number = 0
        self.observed = []

    def say(self, text):
        print(f"           {text}", flush=True)

    def step(self, title, action, deadline_s):
        """Runs action(until) -> detail string; `until(condition, message)` waits for a condition with this step's
        deadline. Prints the step with its own duration and the time since the demo started."""
        self.number += 1
        begun = time.monotonic()
        deadline = begun + deadline_s

        def until(condition, message, interval_s=0.05):
            last = None
            while True:
                try:
                    last = condition()
                except WebDriverException as error:  # a page in the middle of loading: look again
                    last = None
                    if time.monotonic() > deadline:
                        raise StepFailed(f"{message} (browser: {error.msg})") from None
                if last:
                    return last
                if time.monotonic() > deadline:
                    raise StepFailed(f"{message}: not observed within {deadline_s:.0f} s (last seen: {last!r})")
                time.sleep(interval_s)  # polling a condition, not a fixed wait
        print(f"step {self.number}  {title}", flush=True)
        detail = action(until)
        now = time.monotonic()
        self.observed.append((self.number, title, now - begun))
        print(f"           ✔ {detail}  [{(now - begun) * 1000:.0f} ms; t = {now - self.started:.2f} s]", flush=True)
        self.last = now


class Demo:
    def __init__(self, work, headless, protocol):
        self.work = work
        self.headless = headless
        self.protocol = protocol
        self.out = os.path.join(DEMO_DIR, protocol)
        self.emulator = None
        self.driver = None
        self.page = None
        self.popup = None
        self.shots = 0

    # ----- plumbing ----------------------------------------------------------------------------------------------
    def start(self, narrator):
        self.emulator = Emulator(tmp_dir=self.work, timings=Timings.fast()).start()
        narrator.say(f"emulator: {EAST} {self.emulator.ccp_url(EAST)}")
        narrator.say(f"          {WEST} {self.emulator.ccp_url(WEST)}")
        narrator.say(f"          CRM page {self.emulator.crm_url('/')}; control API {self.emulator.control_url}")
        extension = extension_copy.prepare_extension("chromium", os.path.join(self.work, "extension"),
                                                     tripwire=False)
        self.driver = browsers.launch_chromium(certs=self.emulator.certs, host_names=self.emulator.host_names,
                                               extension_dir=extension, download_dir=self.out, tmp_dir=self.work,
                                               prefs=dict(ALLOW_MULTIPLE_DOWNLOADS), headless=self.headless)
        version = self.driver.capabilities.get("browserVersion")
        narrator.say(f"Chromium {version} ({'headless' if self.headless else 'visible window'}), "
                     f"extension from dist/chrome at {self.driver.extension_base_url}")

    def stop(self):
        if self.driver is not None:
            try:
                self.driver.quit()
            except WebDriverException:
                pass
        if self.emulator is not None:
            self.emulator.stop()

    def screenshot(self, handle, name):
        self.shots += 1
        path = os.path.join(self.out, f"{self.shots:02d}-{name}.png")
        self.driver.switch_to.window(handle)
        self.driver.get_screenshot_as_file(path)
        return os.path.relpath(path, REPO)

    def on_page(self, script, *args):
        self.driver.switch_to.window(self.page)
        return self.driver.execute_script(script, *args)

    def on_popup(self, script, *args, asynchronous=False):
        self.driver.switch_to.window(self.popup)
        run = self.driver.execute_async_script if asynchronous else self.driver.execute_script
        return run(script, *args)

    def popup_state(self):
        return self.on_popup(POPUP_STATE)

    def popup_agent(self, region, words):
        """The popup's agent line for `region` if it contains `words` (case-insensitive), else None."""
        state = self.popup_state()
        for card in (state or {}).get("regions") or []:
            if card and card["key"] == region and words.lower() in (card["agent"] or "").lower():
                return card["agent"]
        return None

    def badge(self):
        return self.on_popup(BADGE, asynchronous=True)

    def open_popup(self):
        """The popup in a window of its own (as a person opens it from the toolbar), so the CRM tab stays the
        visible tab of its window."""
        self.driver.switch_to.window(self.page)
        self.driver.switch_to.new_window("window")
        self.driver.set_window_size(420, 720)
        self.popup = self.driver.current_window_handle
        self.driver.get(self.driver.extension_base_url + "popup.html")

    # ----- the scenario ------------------------------------------------------------------------------------------
    def configure(self, until):
        config = extension_config(self.emulator, self.protocol, loginPopup=False)
        self.driver.get(self.driver.extension_base_url + "options.html")
        self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1]; chrome.storage.local.set({config: arguments[0]}, done);",
            config)
        until(lambda: self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "chrome.scripting.getRegisteredContentScripts().then(s => done(s.length > 0), () => done(false));"),
            "the background registered the content script for the CRM sites")
        return (f"protocol {self.protocol}; configured for both instances; allowlisted "
                + ", ".join(config["allowlist"]))

    def both_ready(self, until):
        self.driver.get(self.emulator.crm_url("/"))
        self.page = self.driver.current_window_handle
        until(lambda: (self.on_page(HOST_STATE) or {}).get("state") == "ready", "the panel says ready")
        until(lambda: self.emulator.client.visible_ccps() == [(EAST, self.emulator.crm_url("/"))],
              f"only the {EAST} CCP visible on the page")
        self.open_popup()
        state = until(lambda: (lambda s: s if s and s["view"] == "status" and all(
            r and r["health"] == "ready" for r in s["regions"]) else None)(self.popup_state()),
            "the popup shows both CCPs answering")
        roles = ", ".join(f"{r['key']} {r['roleText']} ({r['healthText']})" for r in state["regions"])
        shot = self.screenshot(self.page, "both-ccps-ready")
        return f"{roles}; {shot}"

    def inbound_call(self, until):
        client = self.emulator.client
        contact = client.route_contact(EAST, "voice", phone_number="+15555550100")
        until(lambda: any(c["contactId"] == contact for c in client.contacts(EAST)), "the call rings")
        client.accept(EAST, contact)
        until(lambda: any(c["contactId"] == contact and c["state"]["type"] == "connected"
                          for c in client.contacts(EAST)), "the call is connected")
        agent = until(lambda: self.popup_agent(EAST, "voice call"), "the popup shows the agent on a call")
        self.contact = contact
        shot = self.screenshot(self.page, "inbound-call")
        return f"voice contact {contact} connected on {EAST}; popup: {agent!r}; {shot}"

    def region_changes(self, until):
        self.emulator.client.set_active(WEST)  # TerminateActiveContacts false: a soft failover
        until(lambda: self.emulator.client.state()["active"]["region"] == WEST, "the emulator's active region")
        return f"traffic distribution group now names {WEST} (soft failover: active contacts are kept)"

    def failover_pending(self, until):
        state = until(lambda: (lambda s: s if s and s["failover"] and s["failover"]["phase"] == "pending"
                               else None)(self.popup_state()), "the popup shows the failover pending")
        badge = until(lambda: (lambda b: b if b and b.get("text") and not b.get("error") else None)(self.badge()),
                      "the badge shows the pending failover")
        page = until(lambda: (lambda h: h if h and h["state"] == "pending" else None)(self.on_page(HOST_STATE)),
                     "the panel says pending")
        if page["active"] != EAST or self.emulator.client.visible_ccps() != [(EAST, self.emulator.crm_url("/"))]:
            raise StepFailed(f"switched during the call: panel {page}, visible {self.emulator.client.visible_ccps()}")
        shots = [self.screenshot(self.popup, "pending-popup"), self.screenshot(self.page, "pending-page")]
        return (f"popup: {state['failover']['headline']!r} ({state['failover']['detail']!r}); badge "
                f"{badge['text']!r} {badge['color']}; {EAST} still shown; {', '.join(shots)}")

    def call_ends(self, until):
        client = self.emulator.client
        client.hang_up(EAST, self.contact)
        until(lambda: any(c["state"]["type"] == "ended" for c in client.contacts(EAST)), "after-call work")
        agent = until(lambda: self.popup_agent(EAST, "after"), "the popup shows after-call work")
        still = self.popup_state()
        if still["failover"]["phase"] != "pending" or self.on_page(HOST_STATE)["active"] != EAST:
            raise StepFailed("the switch did not wait for after-call work to be cleared")
        client.clear(EAST, self.contact)
        until(lambda: not client.contacts(EAST), "the contact leaves the agent's snapshot")
        return (f"hung up → popup {agent!r}, failover still pending, {EAST} still shown → after-call work "
                "cleared")

    def switched_to(self, until, region, name):
        """The panel, the visible CCP and the popup all on `region`: (popup state, screenshots, badge)."""
        until(lambda: (self.on_page(HOST_STATE) or {}).get("active") == region, f"the panel shows {region}")
        until(lambda: self.emulator.client.visible_ccps() == [(region, self.emulator.crm_url("/"))],
              f"only the {region} CCP visible")
        state = until(lambda: (lambda s: s if s and s["failover"]["phase"] == "none" and s["timeline"] and any(
            r["key"] == region and r["role"] == "active" for r in s["regions"]) else None)(
            self.popup_state()), "the popup shows the new active region")
        shots = [self.screenshot(self.page, f"{name}-page"), self.screenshot(self.popup, f"{name}-popup")]
        return state, shots, self.badge()

    def switch(self, until):
        state, shots, badge = self.switched_to(until, WEST, "switched")
        return (f"{WEST} shown, {EAST} stand-by; popup {state['summary']!r}; last failover "
                f"{state['timeline'][0]['route']!r}: {state['timeline'][0]['latency']!r}; badge "
                f"{badge.get('text')!r} {badge.get('color')}; {', '.join(shots)}")

    def switch_now(self, until):
        """ACGR: a chat on the new region, the active region changes back, and the agent ends the pending
        failover from the popup: the confirmation names the chat that will be cut off."""
        client = self.emulator.client
        client.set_agent_state(WEST, "Available")  # the agent makes themselves available in the new region
        chat = client.route_contact(WEST, "chat")
        client.accept(WEST, chat)
        until(lambda: self.popup_agent(WEST, "chat"), "the popup shows the agent on a chat")
        client.set_active(EAST)
        state = until(lambda: (lambda s: s if s and s["switchNow"]["offered"] else None)(self.popup_state()),
                      "the popup offers Switch now while the failover waits for the chat")
        pending = state["failover"]["detail"]
        self.driver.switch_to.window(self.popup)
        self.driver.find_element("id", "switch-now").click()
        state = until(lambda: (lambda s: s if s["switchNow"]["confirming"] else None)(self.popup_state()),
                      "the popup asks for confirmation")
        question = state["switchNow"]["question"]
        if chat not in question or "chat" not in question:
            raise StepFailed(f"the confirmation does not name the chat {chat}: {question!r}")
        shot = self.screenshot(self.popup, "switch-now-confirm")
        self.driver.switch_to.window(self.popup)
        self.driver.find_element("id", "switch-now-yes").click()
        state, shots, _ = self.switched_to(until, EAST, "switched-now")
        return (f"pending: {pending!r}; asked {question!r} ({shot}); confirmed → {EAST} shown; last failover "
                f"{state['timeline'][0]['route']!r}; {', '.join(shots)}")

    def download_logs(self, until):
        state = until(lambda: (lambda s: s if s and s["download"]["present"] and s["download"]["enabled"] else None)(
            self.popup_state()), "the popup's download button")
        if state["download"]["state"] not in ("idle", "done", None):
            raise StepFailed(f"download status before the click: {state['download']}")
        self.driver.switch_to.window(self.popup)
        self.driver.find_element("id", "download-logs").click()
        paths = {region: os.path.join(self.out, name) for region, name in LOG_FILES.items()}

        def written():
            listing = os.listdir(self.out)
            if any(name.endswith((".crdownload", ".part")) for name in listing):
                return None
            return all(os.path.isfile(p) and os.path.getsize(p) > 0 for p in paths.values())
        until(written, "both log files written", interval_s=0.02)
        status = until(lambda: (lambda s: s["download"] if s["download"]["state"] in ("done", "error") else None)(
            self.popup_state()), "the popup reports the download")
        if status["state"] != "done":
            raise StepFailed(f"the popup reports: {status['text']}")
        counts = []
        for region, path in paths.items():
            with open(path, encoding="utf-8") as handle:
                entries = json.load(handle)
            counts.append(f"{os.path.relpath(path, REPO)} ({len(entries)} entries, {os.path.getsize(path)} bytes)")
        shot = self.screenshot(self.popup, "logs-downloaded")
        return f"one click: {'; '.join(counts)}; {shot}"


def play(protocol, headless):
    """Plays the scenario in `protocol`; returns (steps observed, seconds, failure or None)."""
    work = tempfile.mkdtemp(prefix=f"demo-{protocol}-", dir=os.path.join(REPO, "tmp"))
    os.environ["TMPDIR"] = work
    tempfile.tempdir = work
    print(f"Global Resiliency CCP — demo on the CCP emulator (two Connect instances, us-east-1 active), "
          f"protocol {protocol}", flush=True)
    narrator = Narrator()
    demo = Demo(work, headless, protocol)
    os.makedirs(demo.out)
    failed = None
    steps = [
        ("configure the extension for the emulator's two instances", demo.configure, 30),
        ("open the CRM demo page: both CCPs ready, us-east-1 shown", demo.both_ready, 60),
        ("an inbound voice call on the active region (us-east-1), accepted", demo.inbound_call, 30),
        ("the active region changes to us-west-2", demo.region_changes, 10),
        ("failover pending shown (popup and badge); the call goes on in us-east-1", demo.failover_pending, 30),
        ("the call ends and after-call work is cleared", demo.call_ends, 30),
        ("the switch: us-west-2's CCP shown", demo.switch, 30),
    ]
    if protocol == "acgr":
        steps.append(("a chat on us-west-2, the active region changes back, Switch now in the popup",
                      demo.switch_now, 60))
    steps.append(("the logs of both regions downloaded with one click (popup)", demo.download_logs, 60))
    try:
        demo.start(narrator)
        for title, action, deadline_s in steps:
            narrator.step(title, action, deadline_s)
    except StepFailed as problem:
        failed = f"step {narrator.number} not observed: {problem}"
    except Exception as problem:  # noqa: BLE001 -- any other failure fails the demo with its reason
        failed = f"step {narrator.number} failed: {type(problem).__name__}: {problem}"
    finally:
        if failed and demo.driver is not None and demo.page is not None:
            try:
                print(f"           screenshot of the failure: {demo.screenshot(demo.page, 'failure')}")
            except WebDriverException:
                pass
        demo.stop()
    total = time.monotonic() - narrator.started
    if failed:
        print(f"(browser profile and emulator certificates kept in {os.path.relpath(work, REPO)})")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return len(narrator.observed), total, failed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tests/demo", description="The narrated demo on the CCP emulator.")
    parser.add_argument("--protocol", choices=PROTOCOLS + ("both",), default="both",
                        help="the Global Resiliency protocol to play (default: both, ACGR first)")
    args = parser.parse_args(argv)
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    os.makedirs(DEMO_DIR)
    os.makedirs(os.path.join(REPO, "tmp"), exist_ok=True)
    results = []
    for protocol in (PROTOCOLS if args.protocol == "both" else (args.protocol,)):
        observed, total, failed = play(protocol, headless)
        results.append((protocol, observed, total, failed))
        print(f"{'DEMO FAILED' if failed else 'demo ok'} ({protocol}): {observed} steps observed in {total:.1f} s"
              + (f" — {failed}" if failed else ""), flush=True)
    failures = [r for r in results if r[3]]
    if failures:
        print("DEMO FAILED: " + "; ".join(f"{protocol}: {failed}" for protocol, _, _, failed in failures),
              flush=True)
        return 1
    print(f"DEMO OK: {', '.join(f'{p} {n} steps in {t:.1f} s' for p, n, t, _ in results)}; screenshots and logs in "
          f"{os.path.relpath(DEMO_DIR, REPO)}/<protocol>/", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
