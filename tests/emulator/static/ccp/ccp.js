/* Emulated CCP page (stand-in for Amazon's CCP web app, which runs Streams' CCP side). It relays every worker
   message to its parent and every well-formed parent message to the worker (ccp-protocol.md 1.1), asks for
   `configure` if none came (1.3-6), and keeps the CCP's own log. The Global Resiliency protocols are parts that
   observe this core: ccp-dr.js (legacy DR, 5.2) and ccp-gr.js (ACGR, 7.1). Exposes `CCP` for them and for the
   page's own UI (ccp-ui.js); the page calls CCP.start() once the protocol parts are in place (ccp-start.js). */
'use strict';

var CCP = (function () {
  var EV = CcpProtocol.EVENTS;
  var PROXY_METHODS = ['qrIntegrationExists', 'qrSearchQuickResponses', 'startScreenSharing'];  // answered here
  var LOG_KEPT = 5000;  // the CCP's own log (what download_log_from_ccp saves), newest entries kept
  var framed = window.parent !== window;
  var port = new SharedWorker('worker.js', {name: 'emulated-ccp'}).port;
  var ownRequests = {};  // requestId -> callback, for this page's own API / master requests
  var agent = null;      // last {snapshot, configuration}
  var agentWaiters = [];
  var destroyHooks = {}; // contactId -> [callback], fired when the contact leaves the snapshot
  var listeners = [];
  var hostObservers = [];    // protocol parts: every well-formed host message
  var workerObservers = [];  // protocol parts: every worker message, internal ones included
  var postedObservers = [];  // protocol parts: every message this window posted to its host
  var status = {region: null, acknowledged: false, signedOut: false, windows: 0, lastFailover: null,
                instanceState: null};
  var configured = false;
  var logEntries = [];
  var logLine = 0;
  var loggerId = CcpProtocol.randomId();
  var windowId = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  var config = fetch('/api/worker-config', {cache: 'no-store'}).then(function (r) { return r.json(); });

  var started = false;

  /** From now on worker messages (the first ACK among them: until then the port holds them) reach this window and
      its host, and host messages reach the worker and the protocol parts. The real CCP sets up its worker conduit
      and every listener, init_disaster_recovery's too, in one task (connect.core.initSharedWorker). Listening
      before a protocol part's script had run let the host answer the ACK of a worker that was already running
      before that part was listening: an additional window's init_disaster_recovery was lost, it never polled. */
  function start() {
    if (started) return;
    started = true;
    port.addEventListener('message', function (event) {
      var msg = event.data;
      if (!(CcpProtocol.isObject(msg) && CcpProtocol.isInternal(msg.event)) && framed) relayToHost(msg);
      onWorkerMessage(msg);
    });
    window.addEventListener('message', function (event) {
      // Streams accepts only its direct parent, by window identity (never by origin), and only well-formed messages.
      if (!framed || event.source !== parent || !CcpProtocol.isWellFormed(event.data)) return;
      if (CcpProtocol.isInternal(event.data.event)) return;  // the window-worker channel is not the host's
      onHostMessage(event.data);
    });
    port.start();
  }
  window.addEventListener('pagehide', function () { port.postMessage(CcpProtocol.message(EV.CLOSE)); });

  // Test observability: how large this CCP window is inside its host, reported to the emulator. It is the ground
  // truth of which CCP an agent can see, even when the host keeps its frames out of reach (a closed shadow root).
  // `at` (this machine's wall clock, ms) says when the window saw that size, for the benchmark (tests/bench);
  // `painted_at`, reported again once known, when the frame at that size was laid out and painted (a task queued
  // from requestAnimationFrame runs after that frame), unless the size changed meanwhile.
  var viewportReports = 0;
  var reportedSize = null;  // "width x height" of the last report
  function reportViewport(closed) {
    var view = {window_id: windowId, width: innerWidth, height: innerHeight, host: document.referrer, closed: closed,
                at: Date.now()};
    var number = ++viewportReports;
    reportedSize = view.width + 'x' + view.height;
    report('/api/viewport', view);
    if (closed || !view.width || !view.height) return;
    requestAnimationFrame(function () {
      setTimeout(function () {
        if (number !== viewportReports) return;
        view.painted_at = Date.now();
        report('/api/viewport', view);
      }, 0);
    });
  }
  /** Something this window lived through, for tests and the benchmark (never part of the protocol). */
  function report(path, body) {
    navigator.sendBeacon(path, JSON.stringify(body));
  }
  // Benchmark observability (ACGR): when this window started or stopped being shown in its host's viewport, from an
  // IntersectionObserver, which also sees a frame hidden and shown again with display:none (as Streams hides the
  // inactive CCP in ACGR): such a window keeps its size, so no resize says it. It watches a 1 px sentinel, not the
  // page: a target of no area (the page of a 0 x 0 frame) counts as wholly intersecting. `at`: when the browser
  // computed it, on the wall clock as it reads now, as every other report's: performance.timeOrigin + entry.time was
  // seen ~130 ms behind Date.now() in a Firefox CCP window that had been through dozens of switches (a switch's end
  // then came before its start, and the bench waited for it in vain).
  function observeShown() {
    var sentinel = document.createElement('div');
    sentinel.style.cssText = 'position: fixed; left: 0; top: 0; width: 1px; height: 1px; pointer-events: none;';
    document.body.appendChild(sentinel);
    var shown = null;
    new IntersectionObserver(function (entries) {
      var entry = entries[entries.length - 1];
      var now = entry.isIntersecting && entry.intersectionRatio > 0;
      if (now === shown) return;
      shown = now;
      report('/api/mark', {window_id: windowId, kind: now ? 'shown' : 'hidden', host: document.referrer,
                           at: Math.round(Date.now() - (performance.now() - entry.time))});
    }, {threshold: [0, 1]}).observe(sentinel);
  }
  // A window whose script ran before its frame's first size reached it (Chromium sizes a cross-site frame's window
  // asynchronously; a fast server lets the CCP's script run first) read 0 x 0 and got no resize event when the size
  // came (the reference's active CCP then never said it was shown, 1 bench run in 6): a viewport-sized sentinel's
  // ResizeObserver reports every size the window lays out at, and the size is reported whenever it differs.
  function observeSize() {
    var sentinel = document.createElement('div');
    sentinel.style.cssText = 'position: fixed; left: 0; top: 0; width: 100vw; height: 100vh; visibility: hidden;' +
                             ' pointer-events: none;';
    document.body.appendChild(sentinel);
    new ResizeObserver(function () {
      if (innerWidth + 'x' + innerHeight !== reportedSize) reportViewport(false);
    }).observe(sentinel);
  }
  // Test observability: what an agent did in this window (tests/e2e/test_standby_ccp.py: the stand-by CCP must take
  // neither): `focused` when anything in it took the keyboard focus, `pointer` when a pointer was pressed in it.
  function reportActed(kind) {
    report('/api/mark', {window_id: windowId, kind: kind, host: document.referrer, at: Date.now()});
  }
  if (framed) {
    window.addEventListener('focus', function () { reportActed('focused'); }, true);
    window.addEventListener('pointerdown', function () { reportActed('pointer'); }, true);
    document.addEventListener('DOMContentLoaded', observeShown);
    document.addEventListener('DOMContentLoaded', observeSize);
    reportViewport(false);
    window.addEventListener('resize', function () { reportViewport(false); });
    window.addEventListener('pagehide', function () { reportViewport(true); });
  }

  config.then(function (cfg) {
    status.region = cfg.region;
    changed();
    if (framed) {
      setTimeout(function () {
        if (!configured) postToHost(CcpProtocol.message(EV.REQUEST_CONFIGURE));
      }, cfg.timings.configure_wait_ms);
    }
  });

  /** Posted to the host as it is, whatever the instance state (Streams' CCP answers with sendDownstream). */
  function postToHost(msg) {
    parent.postMessage(msg, '*');  // target '*' as Streams does
    postedObservers.forEach(function (observer) { observer(msg); });
  }

  /** A worker message passed down: an inactive ACGR conduit passes only its allowlist (src/streams.js 295-321). */
  function relayToHost(msg) {
    if (status.instanceState === 'inactive' && !(CcpProtocol.isObject(msg) && CcpProtocol.passesInactive(msg.event))) {
      return;
    }
    postToHost(msg);
  }

  function onHostMessage(msg) {
    if (msg.event === EV.API_REQUEST && PROXY_METHODS.indexOf(msg.data.method) >= 0) {
      postToHost(CcpProtocol.message(EV.API_RESPONSE,
        {requestId: msg.data.requestId, err: msg.data.method + ' is not available in the emulated CCP'}));
      return;
    }
    // Everything else goes on to the worker (the protocol messages too), except what an inactive conduit blocks.
    if (status.instanceState !== 'inactive' || CcpProtocol.passesInactive(msg.event)) port.postMessage(msg);
    if (msg.event === EV.CONFIGURE) configured = true;
    hostObservers.forEach(function (observer) { observer(msg); });
  }

  function onWorkerMessage(msg) {
    if (!CcpProtocol.isObject(msg)) return;
    var data = msg.data;
    switch (msg.event) {
      case EV.ACK:
        if (data && data.id) status.acknowledged = true;
        break;
      case 'emulator::navigate':  // test hook (a raw message): the CCP window goes to another page
        if (data && typeof data.url === 'string') location.href = data.url;
        break;
      case 'emulator::inner-frame':  // test hook (a raw message): the CCP's document makes a frame of its own
        var inner = document.createElement('iframe');
        inner.src = 'inner-frame.html';
        inner.style.cssText = 'width: 0; height: 0; border: 0;';
        document.body.appendChild(inner);
        break;
      case EV.AGENT_UPDATE:
        // the worker's own snapshots are always whole; a malformed one (a test's raw message) is only relayed
        if (CcpProtocol.isObject(data) && CcpProtocol.isObject(data.snapshot) && CcpProtocol.isObject(data.configuration)) {
          updateAgent(data);
        }
        break;
      case EV.API_RESPONSE:
      case EV.MASTER_RESPONSE:
        var callback = data && ownRequests[data.requestId];
        if (callback) { delete ownRequests[data.requestId]; callback(data); }
        break;
      case EV.AUTH_FAIL:
        // Like the real CCP app, leave for the sign-in view (the server serves it while signed out): the
        // window stops acknowledging, so the host's refresh cycle runs until the agent signs in again.
        status.signedOut = true;
        setTimeout(function () { location.reload(); }, 0);
        break;
      case EV.CONNECTED_CCPS:
        status.windows = data.length;
        break;
      case EV.LOG:
        if (CcpProtocol.isObject(data)) keepLogEntry(data);
        break;
    }
    workerObservers.forEach(function (observer) { observer(msg); });
    if (msg.event !== EV.LOG) changed();  // a relayed log line changes nothing shown (a flood brings thousands)
  }

  function updateAgent(data) {
    var before = contactIds();
    agent = data;
    var after = contactIds();
    before.filter(function (id) { return after.indexOf(id) < 0; }).forEach(function (id) {
      var hooks = destroyHooks[id] || [];
      delete destroyHooks[id];
      hooks.forEach(function (hook) { hook(); });
    });
    var waiters = agentWaiters;
    agentWaiters = [];
    waiters.forEach(function (waiter) { waiter(); });
  }

  function contactIds() {
    return agent ? agent.snapshot.contacts.map(function (c) { return c.contactId; }) : [];
  }

  /** Runs `callback` once agent data is known (like connect.agent(...)). */
  function whenAgentReady(callback) {
    if (agent) callback(); else agentWaiters.push(callback);
  }

  function onContactGone(contactId, callback) {
    (destroyHooks[contactId] = destroyHooks[contactId] || []).push(callback);
  }

  function request(event, body, callback) {
    var requestId = CcpProtocol.randomId();
    ownRequests[requestId] = callback;
    body.event = event;
    body.requestId = requestId;
    port.postMessage(CcpProtocol.message(event, body));
  }

  /** A CTI call from this CCP page; callback(err, data) with err a JSON string or null. */
  function callApi(method, params, callback) {
    request(EV.API_REQUEST, {method: method, params: params}, function (response) {
      if (callback) callback(response.err || null, response.data);
    });
  }

  function ifFailoverMaster(callback) {
    request(EV.MASTER_REQUEST, {method: 'checkMaster', params: {topic: CcpProtocol.FAILOVER_MASTER_TOPIC}},
      function (response) { if (response.data && response.data.isMaster) callback(); });
  }

  // ----- the CCP's own log: what its logger holds, as Streams' LogEntry objects (ccp-protocol.md 4.1) ------------

  // Trimmed LOG_KEPT entries at a time: trimming one a line moved all the others each time (~160 us a line in a
  // flood of relayed worker logs, on the page's thread when the CCP is of the page's site).
  function keepLogEntry(entry) {
    logEntries.push(entry);
    if (logEntries.length >= 2 * LOG_KEPT) logEntries = logEntries.slice(-LOG_KEPT);
  }

  function log(level, text) {
    keepLogEntry({component: 'ccp', level: level, text: text, time: new Date(), exception: null, objects: [],
                  line: logLine++, agentResourceId: null, loggerId: loggerId, contextLayer: 'CCP'});
  }

  // ----- for the protocol parts and the page's UI ---------------------------------------------------------------

  function changed() {
    listeners.forEach(function (listener) { listener(); });
  }

  return {
    start: start,
    framed: framed,
    windowId: windowId,
    config: config,
    sendToWorker: function (msg) { port.postMessage(msg); },
    postToHost: postToHost,
    onHostMessage: function (observer) { hostObservers.push(observer); },
    onWorkerMessage: function (observer) { workerObservers.push(observer); },
    onPostedToHost: function (observer) { postedObservers.push(observer); },
    setInstanceState: function (state) { status.instanceState = state; changed(); },
    setRegion: function (region) { status.region = region; changed(); },
    setLastFailover: function (data) { status.lastFailover = data; changed(); },
    report: report,
    log: log,
    logEntries: function () { return logEntries.slice(-LOG_KEPT); },
    callApi: callApi,
    ifFailoverMaster: ifFailoverMaster,
    whenAgentReady: whenAgentReady,
    onContactGone: onContactGone,
    onChange: function (listener) { listeners.push(listener); listener(); },
    status: function () { return status; },
    agent: function () { return agent; }
  };
})();
