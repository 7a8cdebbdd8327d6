"""Evidence for the page-API spike (issue 14). Each test proves one finding of README.md, in Chromium and Firefox,
against the CCP emulator; the CRM pages carry a strict CSP (no 'unsafe-eval', no inline script)."""
import pytest

from conftest import SpikePage, build_extension, launch
from emulator.waiting import wait_until

EAST, WEST = "us-east-1", "us-west-2"
STREAMS_VERSION = "2.28.1"  # what the 2.28.2 bundles report (ccp-protocol.md, Sources)
HOST_BROADCASTS = {"log", "server_bound_internal_log", "client_metric", "click_stream_data", "contact::accepted"}


def host_broadcasts_only(names):
    """Every broadcast the relay let through is one Streams' host code sends."""
    return all(n in HOST_BROADCASTS or n.startswith("contact::accepted::") for n in names)

# Page script, run after the page API is up: a violation the CSP must block, in the top document and in each
# regional frame's document, so that "no other violation" below means something.
CONTROL_VIOLATIONS = """
var docs = [document].concat(Array.from(document.querySelectorAll('iframe[name^="grccp-region:"]'))
                              .map(function (f) { return f.contentDocument; }));
docs.forEach(function (doc) {
  var s = doc.createElement('script'); s.textContent = 'window.controlRan = true;'; doc.head.appendChild(s);
});
return docs.length;
"""


def legacy_page(browser, emu, page="legacy", site=0):
    page = SpikePage(browser, emu, page, site).open()
    page.wait_for("init", count=2, timeout_s=15)
    page.wait_for("agent", count=2, timeout_s=15)
    return page


def acgr_page(browser, emu):
    page = SpikePage(browser, emu, "acgr").open()
    page.wait_for("init", timeout_s=15)
    page.wait_for("agent", timeout_s=15)
    return page


def api_calls(emu, region):
    return [c["method"] for c in emu.client.region_state(region)["api_calls"]]


def assert_only_control_violations(page, emu, documents):
    """The probe saw every CSP violation of the page (and regional) documents; the server got every report."""
    control = {"script-src-elem", "script-src"}
    violations = wait_until(lambda: (lambda v: v if len(v) >= documents else None)(
        page.run("return window.__grccpSpikeProbe.violations")), 10, message="control violations seen")
    assert all(v["directive"] in control and "unsafe-eval" not in str(v) for v in violations), violations
    reports = wait_until(lambda: emu.csp_reports if len(emu.csp_reports) >= documents else None, 10,
                         message="control violations reported")
    assert all(r["csp-report"]["violated-directive"].split()[0] in control for r in reports), reports
    assert not any("eval" in str(r).lower() for r in reports), reports


# ----- Q1: the unmodified library in the page's main world, under the page's CSP ---------------------------------

def test_legacy_real_streams_run_in_regional_main_worlds_under_strict_csp(browser, emu):
    page = legacy_page(browser, emu)
    seen = page.run("""
        var core = globalConnect.core;
        return {
          versions: [core.regions['us-east-1'].connect.version, core.regions['us-west-2'].connect.version],
          initialised: [core.regions['us-east-1'].connect.core.initialized, core.regions['us-west-2'].connect.core.initialized],
          distinct: core.regions['us-east-1'].connect !== core.regions['us-west-2'].connect,
          windowConnect: window.connect === core.regions['us-east-1'].connect,
          pageScripts: Array.from(document.scripts).map(function (s) { return new URL(s.src).pathname; }),
          resources: performance.getEntriesByType('resource').map(function (e) { return e.name; })
                       .filter(function (n) { return /streams/i.test(n); })
        };""")
    assert seen["versions"] == [STREAMS_VERSION, STREAMS_VERSION]
    assert seen["initialised"] == [True, True] and seen["distinct"] and seen["windowConnect"]
    assert seen["pageScripts"] == ["/spike/static/spy.js", "/spike/static/crm-legacy.js"]
    assert seen["resources"] == []  # the page fetched no Streams file
    assert page.recorded("first-script")[0]["detail"]["globalConnect"] == "object"  # there before page code
    assert page.run(CONTROL_VIOLATIONS) == 3
    assert_only_control_violations(page, emu, 3)
    assert not page.recorded("page-error")


def test_acgr_real_streams_runs_in_the_top_main_world_under_strict_csp(browser, emu):
    page = acgr_page(browser, emu)
    seen = page.run("""return {version: connect.version, initialised: connect.core.initialized,
                               grProxy: connect.core.getUpstream() instanceof connect.GRProxyIframeConduit,
                               conduits: connect.core.getUpstream().getAllConduits().map(function (c) { return c.name; }),
                               evaluated: typeof window.__grccpSpikeProbe.libraryEvaluated}""")
    assert seen["version"] == STREAMS_VERSION and seen["initialised"] is True and seen["grProxy"] is True
    assert seen["conduits"] == [emu.origin(f"ccp.{EAST}.example.test"), emu.origin(f"ccp.{WEST}.example.test")]
    assert seen["evaluated"] == "number"
    assert page.recorded("first-script")[0]["detail"] == {"connect": "object", "globalConnect": "undefined",
                                                          "grccpPageApi": "object"}
    assert page.run(CONTROL_VIOLATIONS) == 1
    assert_only_control_violations(page, emu, 1)
    assert not page.recorded("page-error")


@pytest.mark.parametrize("browser_name", ["chromium", "firefox"])
def test_minified_build_serves_the_same_api(emu, browser_name):
    driver = launch(browser_name, emu, build_extension(emu, "min"))
    try:
        page = legacy_page(driver, emu)
        assert page.call_streams("agents[args[0]].setState(agents[args[0]].getAgentStates()[1], callbacks);",
                                 EAST)["ok"] is True
        assert api_calls(emu, EAST)[-1] == "putAgentState"
        assert page.run("return window.__grccpSpikeProbe.violations") == []
    finally:
        driver.quit()


# ----- Q2: the route; relayed API round trips --------------------------------------------------------------------

def test_legacy_api_calls_and_contact_events_round_trip_per_region(browser, emu):
    page = legacy_page(browser, emu)
    contact_id = emu.client.route_contact(EAST)
    assert page.wait_for("connecting")[0]["detail"] == {"region": EAST, "id": contact_id}
    assert page.call_streams("contacts[args[0]].accept(callbacks);", contact_id)["ok"] is True
    page.wait_for("connected", lambda d: d["id"] == contact_id)
    assert api_calls(emu, EAST) == ["acceptContact"]
    emu.client.hang_up(EAST)
    assert page.call_streams("contacts[args[0]].clear(callbacks);", contact_id)["ok"] is True

    offline = page.call_streams("var a = agents[args[0]]; a.setState(a.getAgentStates().filter(function (s) {"
                                " return s.type === 'offline'; })[0], callbacks);", EAST)
    assert offline["ok"] is True
    assert emu.client.agent_state(EAST) == "Offline"
    page.wait_for("agent-state", lambda d: d == {"region": EAST, "state": "Offline"})
    west = page.call_streams("agents[args[0]].setState(agents[args[0]].getAgentStates()[1], callbacks);", WEST)
    assert west["ok"] is True and api_calls(emu, WEST)[-1] == "putAgentState"
    assert api_calls(emu, EAST) == ["acceptContact", "clearContact", "putAgentState"]  # nothing crossed regions

    stats = page.relay_stats()
    assert stats["forwarded"]["api_request"] == 4 and len(stats["apiRoundTripsMs"]) == 4
    assert host_broadcasts_only(stats["forwardedBroadcasts"])
    assert "broadcast:contact::accepted::" + contact_id in stats["forwarded"]


# ----- Q4: the legacy facade over two real Streams, driven by the extension's decisions ---------------------------

def test_legacy_facade_pending_then_complete_rebinds_window_connect(browser, emu):
    page = legacy_page(browser, emu)
    late = page.run("var n = []; globalConnect.core.onInit(function (c, r) { n.push(r); }); return n;")
    assert late == [EAST, WEST]  # handlers registered after init are called for each region at once
    contact_id = emu.client.route_contact(EAST)
    page.wait_for("connecting")
    assert page.call_streams("contacts[args[0]].accept(callbacks);", contact_id)["ok"] is True
    emu.client.set_active(WEST)  # soft: the call goes on in us-east-1
    assert page.wait_for("pending")[0]["detail"] == {"nextActiveArn": emu.instance_arn(WEST)}
    assert page.run("return window.connect === globalConnect.core.regions['us-east-1'].connect") is True
    emu.client.hang_up(EAST)
    assert page.call_streams("contacts[args[0]].clear(callbacks);", contact_id)["ok"] is True
    complete = page.wait_for("complete", timeout_s=15)[0]["detail"]
    assert complete == {"activeRegion": WEST, "activeCcpUrl": emu.ccp_url(WEST), "windowConnectFollows": True,
                        "primaryRegion": WEST}
    wait_until(lambda: emu.client.visible_ccps() == [(WEST, emu.crm_url("/"))], 10,
               message="the extension shows us-west-2")
    assert len(page.recorded("complete")) == 1 and len(page.recorded("pending")) == 1
    assert page.run("return globalConnect.core.secondaryRegion") == EAST


def test_legacy_complete_fires_at_start_when_the_second_region_is_active(browser, emu):
    emu.client.set_active(WEST)
    page = SpikePage(browser, emu, "legacy").open()
    complete = page.wait_for("complete", timeout_s=15)[0]["detail"]
    assert complete["activeRegion"] == WEST and complete["activeCcpUrl"] == emu.ccp_url(WEST)
    page.wait_for("init", count=2)
    assert page.run("return window.connect === globalConnect.core.regions['us-west-2'].connect") is True


# ----- Q5: ACGR, the real library's GR host logic fed by the extension's decisions ---------------------------------

def test_acgr_real_streams_follows_the_extensions_decisions(browser, emu):
    page = acgr_page(browser, emu)
    assert page.recorded("init")[0]["detail"] == {"activeRegion": EAST}
    contact_id = emu.client.route_contact(EAST)
    assert page.wait_for("connecting")[0]["detail"] == {"id": contact_id, "region": EAST}
    assert page.call_streams("contacts[args[0]].accept(callbacks);", contact_id)["ok"] is True

    emu.client.set_active(WEST)  # soft: pending while the call goes on
    assert page.wait_for("detected")[0]["detail"] == {"nextActiveRegion": WEST}
    assert page.wait_for("pending")[0]["detail"] == {"nextActiveRegion": WEST}
    assert page.run("connect.globalResiliency.forceFailover(); return connect.globalResiliency.getActiveRegion()") == EAST
    emu.client.hang_up(EAST)
    assert page.call_streams("contacts[args[0]].clear(callbacks);", contact_id)["ok"] is True
    complete = page.wait_for("complete", timeout_s=15)[0]["detail"]
    assert complete == {"activeRegion": WEST, "activeCcpUrl": emu.origin(f"ccp.{WEST}.example.test"),
                        "getActiveRegion": WEST}

    # the same connect object and subscriptions, now served by us-west-2
    west_calls, east_calls = len(api_calls(emu, WEST)), len(api_calls(emu, EAST))
    result = page.call_streams("agent.setState(agent.getAgentStates()[1], callbacks);")
    assert result["ok"] is True and api_calls(emu, WEST)[west_calls:] == ["putAgentState"]
    assert len(api_calls(emu, EAST)) == east_calls
    west_contact = emu.client.route_contact(WEST, force=True)
    assert page.wait_for("connecting", lambda d: d["id"] == west_contact)[0]["detail"]["region"] == WEST

    stats = page.relay_stats()
    assert stats["requests"] == {"force-failover": 1}
    assert not any("force_failover" in name for name in stats["forwarded"])
    assert {"globalResiliency::configure_ccp_conduit", "globalResiliency::failover_complete"} <= set(stats["dropped"])
    assert {"globalResiliency::validate_global_signin", "agent::fetch_agent_data_from_ccp"} <= set(stats["answered"])
    assert host_broadcasts_only(stats["forwardedBroadcasts"])


# ----- Q3: the channel and the relay against page script ----------------------------------------------------------

FORGED_UPSTREAM = [
    ["broadcast", {"event": "disasterRecovery::failover", "data": {"isPrimary": False}}],
    ["broadcast", {"event": "disasterRecovery::failover", "data": {"nextActiveArn": "WEST_ARN"}}],
    ["broadcast", {"event": "globalResiliency::failover_initiated", "data": {"activeRegion": WEST}}],
    ["broadcast", {"event": "agent::update", "data": {"snapshot": {"contacts": []}, "configuration": {}}}],
    ["broadcast", {"event": "acknowledge", "data": {"id": "forged"}}],
    ["disasterRecovery::suppress", {"suppress": True, "shouldSendFailoverDownstream": True}],
    ["disasterRecovery::set_offline", {"softFailover": False}],
    ["disasterRecovery::init_disaster_recovery", {"pollForFailover": False, "isPrimary": False}],
    ["globalResiliency::failover_complete", {"activeRegion": WEST}],
    ["close", None],
    ["configure", {"softphone": {"allowFramedSoftphone": False}}],
]


def test_page_script_cannot_drive_the_extension_through_its_streams(browser, emu):
    page = legacy_page(browser, emu)
    forged = [[event, data if not isinstance(data, dict) else
               {**data, **({"data": {"nextActiveArn": emu.instance_arn(WEST)}} if "WEST_ARN" in str(data) else {})}]
              for event, data in FORGED_UPSTREAM]
    page.run("""
        var upstream = globalConnect.core.regions['us-east-1'].connect.core.getUpstream();
        arguments[0].forEach(function (m) { upstream.sendUpstream(m[0], m[1] === null ? undefined : m[1]); });
        // and straight into the stand-in window, bypassing Streams
        var regional = document.querySelector('iframe[name="grccp-region:us-east-1"]').contentDocument;
        var standIn = regional.querySelector('iframe').contentWindow;
        arguments[0].forEach(function (m) { standIn.postMessage({event: m[0], data: m[1]}, '*'); });""", forged)
    # the relay handles the page's messages in order: once this call is answered, every forged one was judged
    assert page.call_streams("agents[args[0]].setState(agents[args[0]].getAgentStates()[0], callbacks);",
                             EAST)["ok"] is True
    stats = page.relay_stats()
    assert stats["switches"] == [] and stats["shown"] == EAST
    assert host_broadcasts_only(stats["forwardedBroadcasts"])
    expected = {}
    for event, data in FORGED_UPSTREAM:  # each one twice: through Streams and straight into the stand-in
        name = f"broadcast:{data['event']}" if event == "broadcast" else event
        expected[name] = expected.get(name, 0) + 2
    assert {name: stats["dropped"].get(name) for name in expected} == expected
    assert emu.client.visible_ccps() == [(EAST, emu.crm_url("/"))]
    assert emu.client.agent_state(EAST) == "Available" and api_calls(emu, EAST) == ["putAgentState"]
    assert page.recorded("complete") == [] and page.recorded("pending") == []


def test_page_script_cannot_forge_ccp_events_or_take_the_channel(browser, emu):
    page = legacy_page(browser, emu)
    east_origin = emu.origin(f"ccp.{EAST}.example.test")
    attempts = page.run("""
        var origin = arguments[0], outcome = {};
        var forged = {event: 'disasterRecovery::failover', data: {isPrimary: false}};
        // 1. a synthetic MessageEvent claiming to come from the real us-east-1 CCP window
        try {
          window.dispatchEvent(new MessageEvent('message', {data: forged, origin: origin,
                                                            source: window.ccpWindows[origin]}));
          outcome.synthetic = 'dispatched';
        } catch (e) { outcome.synthetic = 'refused: ' + e.name; }
        // 2. a port offered as if it were the page API's own, then forged relay messages on it
        var channel = new MessageChannel();
        window.fakePortReceived = [];
        channel.port1.onmessage = function (e) { window.fakePortReceived.push(e.data); };
        window.postMessage({'grccp-page-api-v1': 'port'}, '*', [channel.port2]);
        channel.port1.postMessage({kind: 'to-ccp', region: 'us-east-1', msg: {event: 'broadcast', data: forged}});
        channel.port1.postMessage({kind: 'host-ready', region: 'us-east-1'});
        // 3. the page fooling its own Streams: a CCP event into the regional window, from the stand-in
        var frame = document.querySelector('iframe[name="grccp-region:us-east-1"]');
        var standIn = frame.contentDocument.querySelector('iframe').contentWindow;
        frame.contentWindow.dispatchEvent(new frame.contentWindow.MessageEvent('message',
            {data: forged, origin: origin, source: standIn}));
        return outcome;""", east_origin)
    assert page.call_streams("agents[args[0]].setState(agents[args[0]].getAgentStates()[0], callbacks);",
                             EAST)["ok"] is True
    stats = page.relay_stats()
    assert stats["switches"] == [] and stats["malformedFromPage"] == 0
    assert not any("failover" in name for name in stats["forwarded"])
    assert page.run("return window.fakePortReceived") == []
    assert emu.client.visible_ccps() == [(EAST, emu.crm_url("/"))]
    assert page.recorded("complete") == []
    # no page listener ever saw the real hand-over (only the page's own fake offer carries the marker)
    observed = page.run("return window.observedMessages")
    assert [m for m in observed if m["ports"] or "grccp-page-api-v1" in m["keys"]] == \
           [{"ports": 1, "keys": ["grccp-page-api-v1"], "event": None, "fromSelf": True}]
    print("forged synthetic event:", browser.browser_name, attempts)


# ----- Q6: a page that is not opted in ------------------------------------------------------------------------------

@pytest.mark.parametrize("site, page_name", [(1, "plain"), (0, "plain"), (1, "legacy")])
def test_pages_not_opted_in_see_nothing(browser, emu, site, page_name):
    """crm2.example.test is allowlisted but opted in nowhere; /spike/plain/ on crm.example.test is not opted in."""
    page = SpikePage(browser, emu, page_name, site).open()
    wait_until(lambda: (EAST, emu.crm_url("/", site)) in emu.client.visible_ccps(), 15,
               message="the extension's own CCP is up on the page")
    assert page.recorded("first-script")[0]["detail"] == {"globalConnect": "undefined", "connect": "undefined",
                                                          "grccpPageApi": "undefined"}
    seen = page.run("""return {globals: [typeof globalConnect, typeof connect, typeof grccpPageApi,
                                         typeof __grccpSpikeProbe],
                               frames: window.frames.length, iframes: document.querySelectorAll('iframe').length,
                               messages: window.observedMessages.filter(function (m) {
                                 return m.ports || m.keys.indexOf('grccp-page-api-v1') >= 0; }).length}""")
    assert seen == {"globals": ["undefined"] * 4, "frames": 0, "iframes": 0, "messages": 0}  # shadow-tree frames are not in window.frames
    stats = page.relay_stats()
    assert stats["mode"] is None and stats["portAccepted"] is False


# ----- Q2: Streams' own recovery paths keep working with stand-ins ------------------------------------------------

MARK_STAND_IN = """var doc = document.querySelector('iframe[name="grccp-region:us-east-1"]').contentDocument;
                   var frames = doc.querySelectorAll('iframe');
                   if (arguments[0]) frames[0].dataset.first = '1';
                   return {count: frames.length, first: frames[0].dataset.first === '1'};"""


def test_streams_iframe_refresh_replaces_the_stand_in_until_the_region_answers(browser, emu):
    """No ACK from us-east-1 within ccpLoadTimeout: Streams' own refresh cycle replaces its (stand-in) iframe; once
    the region's real CCP acknowledges, the page's Streams gets its first ACK on the newest stand-in."""
    emu.client.impair(EAST, no_ack=True)
    page = SpikePage(browser, emu, "legacy").open()
    page.wait_for("init", count=2, timeout_s=15)
    page.wait_for("agent", lambda d: d["region"] == WEST, timeout_s=15)
    assert page.run(MARK_STAND_IN, True) == {"count": 1, "first": True}
    wait_until(lambda: page.run(MARK_STAND_IN, False) == {"count": 1, "first": False}, 10,
               message="Streams refreshed its us-east-1 iframe")
    assert page.recorded("agent", lambda d: d["region"] == EAST) == []
    emu.client.clear_impairments(EAST)
    page.wait_for("agent", lambda d: d["region"] == EAST, timeout_s=15)
    assert page.call_streams("agents[args[0]].setState(agents[args[0]].getAgentStates()[1], callbacks);",
                             EAST)["ok"] is True
    assert page.run(MARK_STAND_IN, False)["count"] == 1  # the old stand-ins are gone, as Streams removes them


# ----- Q4: why not the real connect-streams-dr.js -----------------------------------------------------------------

def test_connect_streams_dr_cannot_run_its_regional_streams_under_the_pages_csp(browser, emu):
    """The DR artifact runs Streams in srcdoc frames through inline <script>s (connect-streams-dr.js 1700-1730);
    srcdoc documents inherit the page's CSP, so on a page without 'unsafe-inline' no regional Streams exists —
    whoever loads the artifact (the page itself here; an extension's main-world injection changes nothing)."""
    page = SpikePage(browser, emu, "dr").open()
    errors = page.wait_for("page-error", timeout_s=15)
    assert any("init" in e["detail"] for e in errors), errors  # contentWindow.init() is not defined
    reports = wait_until(lambda: [r for r in emu.csp_reports if r["csp-report"]["blocked-uri"] == "inline"]
                         if len(emu.csp_reports) >= 2 else None, 10, message="inline scripts blocked")
    assert len(reports) >= 2
    assert page.recorded("init") == [] and page.recorded("resolved") == []
    assert page.run("return typeof document.getElementById('globalCCP').contentDocument"
                    ".getElementById('us-east-1').contentWindow.connect") == "undefined"
