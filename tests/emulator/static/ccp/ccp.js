/* Emulated CCP page (stand-in for Amazon's CCP web app, which runs Streams' CCP side). It relays every worker
   message to its parent and every well-formed parent message to the worker (ccp-protocol.md 1.1), asks for
   `configure` if none came (1.3-6), and runs the CCP half of legacy disaster recovery (5.2).
   Exposes `CCP` for the page's own UI (ccp-ui.js). */
'use strict';

var CCP = (function () {
  var EV = CcpProtocol.EVENTS;
  var PROXY_METHODS = ['qrIntegrationExists', 'qrSearchQuickResponses', 'startScreenSharing'];  // answered here
  var framed = window.parent !== window;
  var port = new SharedWorker('worker.js', {name: 'emulated-ccp'}).port;
  var ownRequests = {};  // requestId -> callback, for this page's own API / master requests
  var agent = null;      // last {snapshot, configuration}
  var agentWaiters = [];
  var destroyHooks = {}; // contactId -> [callback], fired when the contact leaves the snapshot
  var listeners = [];
  var status = {region: null, acknowledged: false, signedOut: false, windows: 0, lastFailover: null};
  var configured = false;
  var drStarted = false;

  port.onmessage = function (event) {
    if (framed) {
      parent.postMessage(event.data, '*');  // passed down unchanged, target '*' as Streams does
      if (CcpProtocol.isObject(event.data) && event.data.event === EV.DR_FAILOVER) mark('failover-relayed');
    }
    onWorkerMessage(event.data);
  };
  port.start();

  window.addEventListener('message', function (event) {
    // Streams accepts only its direct parent, by window identity (never by origin), and only well-formed messages.
    if (!framed || event.source !== parent || !CcpProtocol.isWellFormed(event.data)) return;
    onHostMessage(event.data);
  });
  window.addEventListener('pagehide', function () { port.postMessage(CcpProtocol.message(EV.CLOSE)); });

  // Test observability: how large this CCP window is inside its host, reported to the emulator. It is the ground
  // truth of which CCP an agent can see, even when the host keeps its frames out of reach (a closed shadow root).
  // `at` (this machine's wall clock, ms) says when the window saw that size, for the benchmark (tests/bench).
  var windowId = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  function reportViewport(closed) {
    navigator.sendBeacon('/api/viewport', JSON.stringify({window_id: windowId, width: innerWidth, height: innerHeight,
                                                          host: document.referrer, closed: closed, at: Date.now()}));
  }
  /** Benchmark observability: a moment this window lived through (e.g. it relayed disasterRecovery::failover to
      its host), with the wall clock then. Outside the protocol: the host never sees it. */
  function mark(kind) {
    navigator.sendBeacon('/api/mark', JSON.stringify(
      {window_id: windowId, kind: kind, host: document.referrer, at: Date.now()}));
  }
  if (framed) {
    reportViewport(false);
    window.addEventListener('resize', function () { reportViewport(false); });
    window.addEventListener('pagehide', function () { reportViewport(true); });
  }

  fetch('/api/worker-config', {cache: 'no-store'}).then(function (r) { return r.json(); }).then(function (cfg) {
    status.region = cfg.region;
    changed();
    if (framed) {
      setTimeout(function () {
        if (!configured) parent.postMessage(CcpProtocol.message(EV.REQUEST_CONFIGURE), '*');
      }, cfg.timings.configure_wait_ms);
    }
  });

  function onHostMessage(msg) {
    if (msg.event === EV.API_REQUEST && PROXY_METHODS.indexOf(msg.data.method) >= 0) {
      parent.postMessage(CcpProtocol.message(EV.API_RESPONSE,
        {requestId: msg.data.requestId, err: msg.data.method + ' is not available in the emulated CCP'}), '*');
      return;
    }
    port.postMessage(msg);  // everything else goes on to the worker, including the DR messages handled below
    if (msg.event === EV.CONFIGURE) configured = true;
    else if (msg.event === EV.DR_INIT) startDisasterRecovery(msg.data);
    else if (msg.event === EV.DR_SET_OFFLINE && drStarted) {
      var soft = Boolean(msg.data && msg.data.softFailover);
      ifFailoverMaster(function () { forceOffline(soft); });
    }
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
      case EV.DR_FAILOVER:
        status.lastFailover = data;
        break;
      case EV.DR_FORCE_OFFLINE:
        if (drStarted) {
          ifFailoverMaster(function () { forceOffline(Boolean(data && data.softFailover), data && data.nextActiveArn); });
        }
        break;
    }
    changed();
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

  // ----- legacy disaster recovery, CCP side (ccp-protocol.md 5.2) ---------------------------------------------

  function startDisasterRecovery(params) {
    if (drStarted) return;  // Streams does this once per host lifetime
    drStarted = true;
    status.region = params.region || status.region;
    ifFailoverMaster(function () { console.info('[Disaster Recovery] this window is the failover master'); });
    if (params.pollForFailover) {
      port.postMessage(CcpProtocol.message(EV.DR_INIT_POLLING,
        {instanceArn: params.instanceArn, otherArn: params.otherArn, authToken: params.authToken}));
    } else if (!params.isPrimary) {
      suppressContacts(true);
      forceOffline(false);
    } else {
      suppressContacts(false);
    }
  }

  function suppressContacts(suppress) {
    port.postMessage(CcpProtocol.message(EV.DR_SUPPRESS, {suppress: suppress, shouldSendFailoverDownstream: false}));
  }

  function reportForceOffline(offline, nextActiveArn) {
    port.postMessage(CcpProtocol.message(EV.DR_FORCE_OFFLINE, {offline: offline, nextActiveArn: nextActiveArn}));
  }

  function goOffline() {
    var offline = agent.configuration.agentStates.filter(function (s) { return s.type === 'offline'; })[0];
    callApi('putAgentState', {state: offline, enqueueNextState: false});
  }

  /** Soft: voice contacts are waited for (failover_pending to this window's host, retry when the contact is
      destroyed); everything else is disconnected. Hard: all contacts are disconnected. Then report and go Offline. */
  function forceOffline(soft, nextActiveArn) {
    whenAgentReady(function () {
      var contacts = agent.snapshot.contacts.slice();
      if (!contacts.length) {
        reportForceOffline(false, nextActiveArn);
        goOffline();
        return;
      }
      var closed = 0;
      var failed = false;
      contacts.forEach(function (contact) {
        if (soft && CcpProtocol.VOICE_TYPES.indexOf(contact.type) >= 0) {
          if (framed) {
            parent.postMessage(CcpProtocol.message(EV.DR_FAILOVER_PENDING, {nextActiveArn: nextActiveArn}), '*');
          }
          (destroyHooks[contact.contactId] = destroyHooks[contact.contactId] || []).push(function () {
            forceOffline(true, nextActiveArn);
          });
          return;
        }
        var connection = contact.connections.filter(function (c) { return c.type === 'agent'; })[0];
        callApi('destroyConnection', {contactId: contact.contactId, connectionId: connection.connectionId},
          function (err) {
            if (err) {
              if (!failed) { failed = true; reportForceOffline(true, nextActiveArn); }  // the worker will retry
            } else if (++closed === contacts.length) {
              reportForceOffline(false, nextActiveArn);
              goOffline();
            }
          });
      });
    });
  }

  // ----- for the page's UI ------------------------------------------------------------------------------------

  function changed() {
    listeners.forEach(function (listener) { listener(); });
  }

  return {
    callApi: callApi,
    onChange: function (listener) { listeners.push(listener); listener(); },
    status: function () { return status; },
    agent: function () { return agent; }
  };
})();
