"""The trust boundary against page script (issue 15), end to end in Chromium and Firefox: an allowlisted page whose
own first script is hostile (emulator `hosts/hostile-page.js`) tries every route it has to move the region, blind
the extension or learn that the extension is there. Each test is the attack; its assertions are what the extension
lets it achieve (nothing, or — for what no extension can close — exactly what remains, measured)."""
import pytest
from grccp.core.config import content_script_matches, parse_config
from selenium.common.exceptions import TimeoutException

from .conftest import extension_config
from .extension_driver import (background_status, configure, host_state, logged, open_allowlisted, region_log,
                               shows_only, wait_for, wait_until_both_workers_polled)
from .test_config_changes import store
from .test_failover_engine import EAST, WEST, call_in_progress, ready_on


def hostile_url(emulator, **query):
    return emulator.host_page_url("hostile-page.html", **query)


def configure_registered(driver, config):
    """Stores the configuration and waits until the background has registered the content script for it (at
    document_start, the page guard first): a page already open when it became allowlisted gets the content script
    injected after its own scripts (README, "Security") — not the page these tests attack."""
    configure(driver, config)
    wait_for(driver, lambda: driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "chrome.scripting.getRegisteredContentScripts().then(scripts => done(scripts.length === 1 && scripts.every("
        "  s => JSON.stringify([...s.matches].sort()) === JSON.stringify([...arguments[0]].sort()))));",
        content_script_matches(parse_config(config))))


def open_hostile(driver, emulator, **query):
    """Opens the hostile page and waits until the extension shows EAST, ready, and both workers polled."""
    open_allowlisted(driver, hostile_url(emulator, **query))
    try:
        wait_for(driver, lambda: ready_on(driver, EAST))
    except TimeoutException:
        raise AssertionError(f"not ready on {EAST}: host {host_state(driver)}, the page saw {seen_by_page(driver)}, "
                             f"CCP windows {emulator.client.viewports()}, "
                             f"{EAST} log tail {[e['text'] for e in region_log(driver, EAST)[-15:]]}")
    wait_until_both_workers_polled(driver, emulator)


def seen_by_page(driver):
    return driver.execute_script("return {messages: hostile.seen.messages, ccpMessages: hostile.seen.ccpMessages,"
                                 " windows: hostile.seen.windows.length, events: hostile.seen.events,"
                                 " echoes: hostile.echoes(), frames: window.length}")


def agent_state_reaches_the_background(driver, emulator, name):
    """Sentinel: an agent state change in EAST travels worker -> CCP windows -> this page's window -> the
    extension -> the background. Once the background shows it, every message the CCPs posted before it has been
    dispatched on the page's window (and whatever the page's script did on seeing them has been done)."""
    emulator.client.set_agent_state(EAST, name)

    def shown():
        for entry in background_status(driver)["regions"]:
            if entry["key"] == EAST and (entry["agent"] or {}).get("stateName") == name:
                return True
        return False
    wait_for(driver, shown)


def unmoved(driver, emulator):
    status = background_status(driver)
    assert host_state(driver)["active"] == EAST
    assert status["activeRegion"] == EAST and status["failover"] is None and status["timeline"] == []
    assert shows_only(emulator, EAST)


def test_page_script_never_sees_a_message_or_window_of_the_extensions_ccps(ccp_browser, emulator):
    """The CCP frames' messages go to their parent, the page's window: the extension's capturing listener, there
    before any page script, takes them and stops them. The page's first listener sees none of them, so it never
    holds a CCP frame's window (event.source), and the frames are not in window.frames (closed shadow root)."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator))
    open_hostile(driver, emulator)
    agent_state_reaches_the_background(driver, emulator, "Break")
    seen = seen_by_page(driver)
    assert seen["ccpMessages"] == 0 and seen["windows"] == 0, seen
    assert seen["frames"] == 0


FLOOD = "hostile::flood"  # an event no host acts on: the messages that are on their way when the panel moves


@pytest.mark.parametrize("back", [False, True], ids=["removed", "put-back"])
def test_page_script_never_sees_what_a_ccp_frame_posted_before_the_page_moved_the_panel(ccp_browser, emulator,
                                                                                        back):
    """A message a CCP frame posted is dispatched on the page's window later, in a task of its own: by then the page
    may have taken the panel out of the document (its frames have no window any more) or put it straight back (its
    frames have new windows). The message comes from a window the frame no longer has (Chromium: that window as
    `source`; Firefox: no source once it is discarded): the page guard stops it too (and counts it in the region's
    log). Made so: the region's worker posts a flood to all its CCP windows (the page's own frame included); on the
    first one from its own frame the page moves the extension's panel, while the extension's frame's copies are
    usually still on their way (not always: the race is the worker's and the browser's)."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator))
    open_hostile(driver, emulator)
    page_frame(driver, EAST)
    driver.execute_script("hostile.moveExtensionPanelOn(arguments[0], arguments[1])", FLOOD, back)
    emulator.client.post_raw(EAST, [{"event": FLOOD, "data": {"n": n}} for n in range(300)])
    wait_for(driver, lambda: driver.execute_script("return hostile.panelMoves()") == 1)
    wait_for(driver, lambda: ready_on(driver, EAST))
    wait_for(driver, lambda: shows_only(emulator, EAST))
    agent_state_reaches_the_background(driver, emulator, "Break")
    seen = seen_by_page(driver)
    assert seen["ccpMessages"] == 0 and seen["windows"] == 0, seen


def test_page_script_never_sees_a_message_or_window_of_a_frame_inside_a_ccp_frame(ccp_browser, emulator):
    """A CCP's document may make frames of its own (Amazon's CCP is a large single-page app), and any of them can
    post to the top window, the page's: from the CCP's origin, but not from the CCP frame's window. The page guard
    stops what comes from inside the extension's frames as it stops the frames' own messages, and leaves to the page
    what comes from inside its own CCP frame (the control: the same hook, in both)."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator))
    open_hostile(driver, emulator)
    page_frame(driver, EAST)
    emulator.client.post_raw(EAST, [{"event": "emulator::inner-frame", "data": {}}])
    wait_for(driver, lambda: driver.execute_script("return hostile.innerFrameSaid(arguments[0])", EAST))
    # the inner frame's message: stopped (and counted in the log), or seen by the page
    wait_for(driver, lambda: logged(driver, EAST, "a message of a frame inside a CCP frame") or
             seen_by_page(driver)["ccpMessages"])
    seen = seen_by_page(driver)
    assert seen["ccpMessages"] == 0 and seen["windows"] == 0, seen


def test_echo_through_a_ccp_window_the_page_saw_moves_nothing(ccp_browser, emulator):
    """The route that moved every tab: the page takes a CCP frame's window from a message's `source` and posts it
    a `broadcast` of disasterRecovery::failover, which the CCP's worker sends to every CCP window of the region."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator))
    open_hostile(driver, emulator, echo=1)
    agent_state_reaches_the_background(driver, emulator, "Break")
    seen = seen_by_page(driver)
    assert seen["echoes"] == 0, seen
    unmoved(driver, emulator)


def test_a_first_page_listener_that_stops_every_message_does_not_blind_the_extension(ccp_browser, emulator,
                                                                                     protocol):
    """stopImmediatePropagation in the page's first listener: the extension's listener comes before it (it was
    registered at document_start), so the CCPs still answer the extension, and a real failover still switches
    (in ACGR too, whose switch needs the extension's relay between the two CCPs)."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator, protocol))
    open_hostile(driver, emulator, stop=1)
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    wait_for(driver, lambda: shows_only(emulator, WEST))
    assert [(e["from"], e["to"]) for e in background_status(driver)["timeline"]] == [(EAST, WEST)]
    assert seen_by_page(driver)["ccpMessages"] == 0


def expose_extension_frame_window(driver, region):
    """Chromium (DevTools): puts the extension's `region` CCP frame window into the page's main world as
    window.__extensionFrame — what page script would hold had it learnt the window some other way. DevTools
    reaches into closed shadow roots; page script cannot."""
    document = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1, "pierce": True})["root"]

    def find(node):
        attributes = node.get("attributes", [])
        if node.get("nodeName") == "IFRAME" and "data-region" in attributes and \
                attributes[attributes.index("data-region") + 1] == region:
            return node
        for child in node.get("children", []) + node.get("shadowRoots", []) + (
                [node["contentDocument"]] if "contentDocument" in node else []):
            found = find(child)
            if found:
                return found
        return None
    node = find(document)
    assert node is not None, "the extension's frame was not found"
    remote = driver.execute_cdp_cmd("DOM.resolveNode", {"backendNodeId": node["backendNodeId"]})["object"]
    driver.execute_cdp_cmd("Runtime.callFunctionOn", {
        "objectId": remote["objectId"],
        "functionDeclaration": "function () { window.__extensionFrame = this.contentWindow; }"})


def untrusted_drops_counted(driver, at_least):
    reason = "an untrusted message event"

    def counted():
        total = 0
        for text in logged(driver, EAST, reason):
            for part in text.split("dropped messages: ")[1].split(", "):
                if reason in part:
                    total += int(part.split("×")[0])
        return total if total >= at_least else None
    return wait_for(driver, counted)


def test_a_synthetic_message_event_from_the_page_is_dropped_and_counted(ccp_browser, emulator, browser_name):
    """Page script dispatches `new MessageEvent('message', {source, origin, data})` on its window. Chromium
    accepts a cross-origin window as `source`: with the real CCP frame's window and origin, one forged failover
    used to switch the tab and the background. Firefox refuses such an event. In both, an event not sent by the
    browser (isTrusted false) is dropped and counted."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator))
    open_hostile(driver, emulator)
    origin = driver.execute_script("return hostile.ccpOrigin(arguments[0])", EAST)
    if browser_name == "chromium":
        expose_extension_frame_window(driver, EAST)
        outcome = driver.execute_script(
            "return hostile.synthetic(hostile.failoverToSecond(), arguments[0], window.__extensionFrame)", origin)
        assert outcome == "dispatched"
    else:
        driver.execute_async_script("hostile.frame(arguments[0]).then(arguments[arguments.length - 1])", EAST)
        outcome = driver.execute_script(
            "return hostile.synthetic(hostile.failoverToSecond(), arguments[0], hostile.ownWindow(arguments[1]))",
            origin, EAST)
        assert outcome == "TypeError"  # Firefox: a cross-origin window cannot be a synthetic event's source
    # and without a source (both browsers): untrusted, dropped before any comparison
    for _ in range(3):
        assert driver.execute_script("return hostile.synthetic(hostile.failoverToSecond(), arguments[0], null)",
                                     origin) == "dispatched"
    untrusted_drops_counted(driver, 4 if browser_name == "chromium" else 3)
    unmoved(driver, emulator)


def test_a_page_on_another_port_of_an_allowlisted_host_learns_nothing(ccp_browser, emulator):
    """Match patterns cannot carry a port, so the content script runs on every port of an allowlisted host and
    asks the background. Until the answer says the page is allowlisted, nothing the page can observe happens: no
    performance mark, no change to its document."""
    driver = ccp_browser
    other_port = 1 if emulator.port != 1 else 2
    configure_registered(driver, extension_config(emulator, allowlist=[f"https://crm.example.test:{other_port}/*"]))
    wait_for(driver, lambda: (driver.get(hostile_url(emulator)) or True) and driver.execute_script(
        "return document.documentElement.hasAttribute('data-grccp-tripwire')"), timeout=20)
    assert driver.execute_script("return hostile.observed") == {"marks": [], "mutations": []}
    # the background's answer: it refused the page (and said so in the log)
    wait_for(driver, lambda: logged(driver, EAST, "cs:hello from https://crm.example.test"))
    observed = driver.execute_script("return hostile.observed")
    assert observed == {"marks": [], "mutations": []}
    assert host_state(driver) is None


def test_reports_from_a_page_no_longer_allowlisted_are_refused(ccp_browser, emulator):
    """Every content-script message is checked against the allowlist with the sender's URL as the browser gives
    it, not only the first. A page taken off the allowlist loses its panel, except while a call is in progress
    there: the panel stays until the call ends (core.tab_config), and what it reports meanwhile counts for nothing."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator))
    open_hostile(driver, emulator)
    call_in_progress(driver, emulator)
    store(driver, extension_config(
        emulator, allowlist=[f"https://crm2.example.test:{emulator.port}/*"]))
    wait_for(driver, lambda: host_state(driver)["notice"])  # the panel stays for the call
    emulator.client.set_active(WEST)  # soft: the tab's CCP says the failover is detected, then pending on the call
    wait_for(driver, lambda: logged(driver, EAST, "refused cs:failover-pending from https://crm.example.test"))
    status = background_status(driver)
    assert status["failover"] is None and status["activeRegion"] == EAST and status["timeline"] == []


HIDING_CSS = """
#grccp-ccp-host, html > *:not(head), body > * {
  display: none !important; opacity: 0 !important; visibility: hidden !important; pointer-events: none !important;
  transform: scale(0) !important; translate: 10000px !important; filter: opacity(0) !important;
  clip-path: inset(50%) !important; mask: linear-gradient(transparent, transparent) !important;
  z-index: -1 !important; width: 0 !important; height: 0 !important; position: absolute !important;
  left: -10000px !important; content-visibility: hidden !important; zoom: 0.01 !important;
  mix-blend-mode: multiply !important; rotate: 90deg !important; scale: 0 !important;
}
@layer hostile { #grccp-ccp-host { display: none !important; opacity: 0 !important; } }
#grccp-ccp-host::part(panel), #grccp-ccp-host::part(frame) { display: none !important; }
"""

HOST_LOOK = """
const host = document.getElementById('grccp-ccp-host');
const style = getComputedStyle(host);
const box = host.getBoundingClientRect();
const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
return {display: style.display, opacity: style.opacity, visibility: style.visibility,
        pointerEvents: style.pointerEvents, transform: style.transform, translate: style.translate,
        rotate: style.rotate, scale: style.scale, filter: style.filter, clipPath: style.clipPath,
        mask: style.maskImage, zIndex: style.zIndex, contentVisibility: style.contentVisibility, zoom: style.zoom,
        mixBlendMode: style.mixBlendMode, width: Math.round(box.width), height: Math.round(box.height),
        hit: hit === host};
"""


def shown_untouched(driver, emulator):
    look = driver.execute_script(HOST_LOOK)
    assert look["display"] == "block" and look["opacity"] == "1" and look["visibility"] == "visible", look
    assert look["pointerEvents"] == "auto" and look["transform"] == "none" and look["filter"] == "none", look
    assert look["translate"] in ("none", "0px") and look["rotate"] == "none" and look["scale"] == "none", look
    assert look["clipPath"] == "none" and look["mask"] == "none" and look["contentVisibility"] == "visible", look
    assert look["zoom"] in ("1", "normal") and look["mixBlendMode"] == "normal", look
    assert look["zIndex"] == "2147483646" and look["width"] >= 320 and look["height"] >= 460, look
    assert look["hit"], look
    wait_for(driver, lambda: shows_only(emulator, EAST))


def test_page_css_and_page_script_styles_cannot_hide_the_panel(ccp_browser, emulator):
    """Page stylesheets with !important rules (layered too), ::part, and page script writing the host's own style
    attribute (with !important) or its hidden attribute: the panel keeps its place, size and look, takes the
    clicks, and the CCP stays shown at full size."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator))
    open_hostile(driver, emulator)
    driver.execute_script("const s = document.createElement('style'); s.textContent = arguments[0];"
                          "document.head.appendChild(s);", HIDING_CSS)
    shown_untouched(driver, emulator)
    driver.execute_script("const host = document.getElementById('grccp-ccp-host');"
                          "host.style.cssText = 'display: none !important; opacity: 0 !important;"
                          " visibility: hidden !important';"
                          "host.hidden = true; host.setAttribute('inert', '');")
    shown_untouched(driver, emulator)
    assert driver.execute_script("const h = document.getElementById('grccp-ccp-host');"
                                 "return [h.hidden, h.inert]") == [False, False]


def test_a_panel_the_page_removes_is_mounted_again_logged_and_warned(ccp_browser, emulator):
    """A single-page app that re-renders the body, or a script that removes the host: the extension notices, puts
    the panel back (its CCP frames load again: a call in progress would drop), logs it and warns in the popup."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator))
    open_hostile(driver, emulator)
    driver.execute_script("document.getElementById('grccp-ccp-host').remove()")
    wait_for(driver, lambda: ready_on(driver, EAST))
    wait_for(driver, lambda: shows_only(emulator, EAST))
    wait_for(driver, lambda: logged(driver, EAST, "the page removed the CCP panel"))
    warnings = wait_for(driver, lambda: background_status(driver)["warnings"])
    assert any("removed the CCP panel" in warning["text"] for warning in warnings), warnings
    # and it still fails over
    emulator.client.set_active(WEST)
    wait_for(driver, lambda: host_state(driver)["active"] == WEST)
    wait_for(driver, lambda: shows_only(emulator, WEST))


def test_a_re_rendered_container_gets_the_panel_back(ccp_browser, emulator):
    """Selector placement: the page replaces the container the panel lives in (a re-render); the panel goes into
    the new container once it exists."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator, placement={"mode": "selector", "selector": "#ccp-slot"}))
    open_hostile(driver, emulator)
    driver.execute_script("const slot = document.getElementById('ccp-slot'); slot.remove();"
                          "setTimeout(() => { const fresh = document.createElement('div'); fresh.id = 'ccp-slot';"
                          " fresh.style.cssText = 'width: 360px; height: 520px'; document.body.appendChild(fresh); },"
                          " 300);")
    wait_for(driver, lambda: driver.execute_script(
        "const h = document.getElementById('grccp-ccp-host'); return !!h && h.parentElement.id === 'ccp-slot'"))
    wait_for(driver, lambda: ready_on(driver, EAST))
    wait_for(driver, lambda: shows_only(emulator, EAST))
    wait_for(driver, lambda: logged(driver, EAST, "the page removed the CCP panel"))


def test_attributes_the_page_sets_on_the_panel_as_it_arrives_are_removed(ccp_browser, emulator):
    """The page's script sees the panel arrive in its container (made by the content script's early start, before
    the Python side runs it: boot/early_start.js) and hides it and makes it inert at once: the attributes are
    removed when the panel starts, and logged."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator, placement={"mode": "selector", "selector": "#ccp-slot"}))
    open_hostile(driver, emulator, arrival="attributes")
    wait_for(driver, lambda: shows_only(emulator, EAST))
    assert driver.execute_script("const h = document.getElementById('grccp-ccp-host');"
                                 "return [h.hidden, h.inert, h.getAttribute('style')]") == [False, False, None]
    wait_for(driver, lambda: logged(driver, EAST, "the page changed the CCP panel's attributes"))


def test_a_container_re_rendered_before_the_panel_starts_gets_the_one_panel(ccp_browser, emulator):
    """The page replaces the panel's container as soon as it is parsed, taking the panel the early start made
    there with it: the panel starts in the new container with new frames, and it is the only one (the early one's
    frames and what they sent are gone)."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator, placement={"mode": "selector", "selector": "#ccp-slot"}))
    open_hostile(driver, emulator, arrival="container")
    wait_for(driver, lambda: shows_only(emulator, EAST))
    assert driver.execute_script(
        "const hosts = [...document.querySelectorAll('#ccp-slot > div')];"
        "return [hosts.length, document.getElementById('grccp-ccp-host') === hosts[0],"
        " document.querySelectorAll('iframe').length]") == [1, True, 0]
    unmoved(driver, emulator)


def page_frame(driver, region):
    """The page's own frame of `region`'s CCP, acknowledged by the region's worker."""
    driver.execute_async_script("hostile.frame(arguments[0]).then(arguments[arguments.length - 1])", region)


def failover_log_tail(driver, region):
    """The region's last 20 log lines but the counts of dropped messages, which the page's own CCP frame (not one
    of the extension's) causes every second and which would fill the tail."""
    return [entry["text"] for entry in region_log(driver, region)
            if not entry["text"].startswith("dropped messages:")][-20:]


# What the page's own CCP frame has the worker echo: each protocol's event that switches a tab at once.
FORGED_SWITCH = {"legacy-dr": "hostile.failoverToSecond()",
                 "acgr": f"{{event: 'globalResiliency::failover_initiated', data: {{activeRegion: '{WEST}'}}}}"}


@pytest.mark.stress
def test_a_ccp_frame_made_by_the_page_echoes_a_failover_that_the_next_poll_undoes(ccp_browser, emulator, protocol):
    """What no extension can close: the page frames the CCP itself (the instance approves the page's origin,
    since the extension's frames sit on it) and posts its own frame a broadcast; the worker sends the inner event
    to every CCP window of the region, the extension's included, from the real frame with the right origin — the
    same message the worker sends itself. The extension switches: legacy DR's disasterRecovery::failover, or
    ACGR's failover_initiated (which the extension, as Streams does, also relays to the other region's CCP). The
    next poll of the region shown by mistake undoes it: legacy DR's worker, unsuppressed by the switch, finds the
    other region active and fails back; the emulated ACGR CCP that was made to take over finds it is not the
    active region and hands back. Measured here (emulator poll every 400 ms); production polls every 60 s."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator, protocol))
    open_hostile(driver, emulator)
    page_frame(driver, EAST)
    driver.execute_script(f"const forged = {FORGED_SWITCH[protocol]};"
                          f" hostile.broadcast(arguments[0], forged.event, forged.data)", EAST)
    # the timeline, not the tab, is waited on: the switch back may come before a look at the tab could see WEST
    seen = []

    def switched_there_and_back():
        seen[:] = [background_status(driver)]
        return seen[0] if len(seen[0]["timeline"]) == 2 and seen[0]["activeRegion"] == EAST else None
    try:
        status = wait_for(driver, switched_there_and_back)
    except TimeoutException:
        raise AssertionError(f"not switched there and back: background {seen}, host {host_state(driver)}, "
                             f"{EAST} log tail {failover_log_tail(driver, EAST)}, "
                             f"{WEST} log tail {failover_log_tail(driver, WEST)}")
    wait_for(driver, lambda: host_state(driver)["active"] == EAST)
    wait_for(driver, lambda: shows_only(emulator, EAST))
    first, second = sorted(status["timeline"], key=lambda entry: entry["completeMs"])
    assert (first["from"], first["to"], second["from"], second["to"]) == (EAST, WEST, WEST, EAST)
    print(f"\n{protocol}: forged failover shown for {second['completeMs'] - first['completeMs']} ms "
          f"(emulator poll {emulator.timings.dr_poll_interval_ms} ms)")


def test_a_forged_pending_failover_cannot_be_completed_over_a_live_call(ccp_browser, emulator):
    """Legacy DR (the one protocol whose trait COMPLETES_STUCK_FAILOVER is set; ACGR's CCPs initiate every switch
    themselves): a failover pending on a call whose CCP window went away is completed by the background once the
    contact is gone. The page can forge both halves through its own CCP frame: failover_pending, then agent::update with no
    contact (echoed again and again). The background completes only if the region's CCP answers the extension's
    own request (an api_request whose id the page never sees) that no contact the failover waits for is left."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator))
    open_hostile(driver, emulator)
    call_in_progress(driver, emulator)
    page_frame(driver, EAST)
    wait_for(driver, lambda: driver.execute_script("return hostile.hasAgentUpdate(arguments[0])", EAST))
    west_arn = emulator.instance_arn(WEST)
    driver.execute_script("hostile.broadcast(arguments[0], 'disasterRecovery::failover_pending',"
                          " {nextActiveArn: arguments[1]}); window.stopEchoes = hostile.keepEchoingEmptyAgent("
                          "arguments[0], 100);", EAST, west_arn)
    # the forged pending is taken (what remains: the popup says a failover is pending); the completion is not
    wait_for(driver, lambda: logged(driver, EAST, "failover to us-west-2 pending"))
    refusal = "not completed: the us-east-1 CCP says a contact it waits for is still there"
    wait_for(driver, lambda: background_status(driver)["timeline"] or logged(driver, EAST, refusal), timeout=40)
    driver.execute_script("window.stopEchoes()")
    status = background_status(driver)
    assert status["timeline"] == [] and status["activeRegion"] == EAST and host_state(driver)["active"] == EAST
    assert shows_only(emulator, EAST)


def test_a_panel_the_page_takes_away_before_its_container_is_parsed_is_made_anew_there(
        ccp_browser, browser_name, emulator):
    """In Chromium the early start holds the panel at the top of the document until its container is parsed
    (boot/early_start.js); the page's script removes it from there at once: the panel starts in its container all
    the same, the only one. Firefox holds no panel (the page finds nothing to remove)."""
    driver = ccp_browser
    configure_registered(driver, extension_config(emulator, placement={"mode": "selector", "selector": "#ccp-slot"}))
    open_hostile(driver, emulator, arrival="held")
    wait_for(driver, lambda: shows_only(emulator, EAST))
    removed = driver.execute_script("return hostile.heldRemoved()")
    assert removed == 1 if browser_name == "chromium" else removed == 0
    assert driver.execute_script(
        "const hosts = [...document.querySelectorAll('#ccp-slot > div')];"
        "return [hosts.length, document.getElementById('grccp-ccp-host') === hosts[0]]") == [1, True]
