/* ISOLATED world, top frame of every allowlisted page (spike). Two jobs:
   1. a stand-in for the extension's engine: the two real CCP frames in a closed shadow root, their conduits
      (trusted events from the frame's window and origin only), the host handshake, a keep-alive, and the
      reference's legacy DR host rules (ccp-protocol.md 6.6) deciding which region is shown;
   2. on opted-in pages, the page-API relay: one MessagePort from the page's main world (handed over once, before
      any page script runs), checked by RelayRules; the page's Streams gets its first ACK, keep-alive ACKs,
      the real CCPs' traffic and the extension's decisions — never the other way round. */
'use strict';

(function () {
  var api = globalThis.browser || globalThis.chrome;
  var CFG = self.SPIKE_CONFIG;
  var MARK = 'grccp-page-api-v1';
  var ALIVE_MS = 5000;  // a region answers keep-alives for the page while its real CCP acknowledged this recently
  var MAX_TRACKED = 500;

  var mode = (CFG.pageApi.filter(function (p) { return matches(location.href, p.pattern); })[0] || {}).mode || null;
  var regions = CFG.regions.map(function (r) {
    return {key: r.key, ccpUrl: r.ccpUrl, arn: r.instanceArn, origin: new URL(r.ccpUrl).origin, frame: null,
            portId: null, lastAck: 0, agent: null, connectedCcps: null, hostReady: false, hostAcked: false};
  });
  var shown = regions[0];
  var pendingReported = false;
  var pagePort = null;
  var tracked = {};      // requestId -> {region, at}: the page's own API/master requests
  var trackedOrder = [];
  var stats = {mode: mode, portAccepted: false, forwarded: {}, dropped: {}, answered: {}, requests: {}, toPage: {},
               unroutedResponses: 0, malformedFromPage: 0, switches: [], pendings: 0, apiRoundTripsMs: [],
               forwardedBroadcasts: [], shown: shown.key};

  function matches(url, pattern) {
    var re = new RegExp('^' + pattern.split('*').map(function (s) {
      return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }).join('.*') + '$');
    return re.test(url.replace(/^(https:\/\/[^/:]+):\d+/, '$1'));
  }

  function count(bucket, key) {
    bucket[key] = (bucket[key] || 0) + 1;
  }

  function regionByKey(key) {
    return regions.filter(function (r) { return r.key === key; })[0] || null;
  }

  function other(region) {
    return regions[regions.indexOf(region) === 0 ? 1 : 0];
  }

  // ----- the page-API channel ------------------------------------------------------------------------------------

  if (mode) {
    // Registered at document_start before any page script: this listener runs first and stops the hand-over
    // event, so no page listener ever sees the port.
    window.addEventListener('message', function (e) {
      if (pagePort || e.source !== window || !e.data || e.data[MARK] !== 'port' || !e.ports || e.ports.length !== 1) {
        return;
      }
      e.stopImmediatePropagation();
      pagePort = e.ports[0];
      pagePort.onmessage = function (event) { onPageMessage(event.data); };
      stats.portAccepted = true;
      pagePort.postMessage({kind: 'config', mode: mode, loginUrl: CFG.loginUrl, shown: shown.key,
                            timeouts: CFG.timeouts || {},
                            regions: regions.map(function (r) {
                              return {key: r.key, ccpUrl: r.ccpUrl, instanceArn: r.arn};
                            })});
    }, true);
  }

  function toPage(region, msg) {
    count(stats.toPage, msg.event);
    pagePort.postMessage({kind: 'to-host', region: region.key, msg: msg});
  }

  function onPageMessage(m) {
    var region = m && typeof m === 'object' && typeof m.region === 'string' ? regionByKey(m.region) : null;
    if (!m || typeof m.kind !== 'string') { stats.malformedFromPage++; return; }
    if (m.kind === 'host-ready' && region) {
      region.hostReady = true;
      ackHostIfReady(region);
    } else if (m.kind === 'to-ccp' && region) {
      // before its first ACK the page's Streams talks to a CCP that is not there yet: lost, as with a loading CCP
      if (region.hostAcked) fromHost(region, m.msg); else count(stats.dropped, 'before-ack');
    } else if (m.kind === 'download-logs') {
      count(stats.requests, 'download-logs');
    } else {
      stats.malformedFromPage++;
    }
  }

  /** The page's Streams gets its first ACK (with the real CCP window's port id) once both sides are up, then the
      region's latest data, as a newly connected CCP window gets it from the worker. */
  function ackHostIfReady(region) {
    if (!pagePort || !region.hostReady || !region.portId || region.hostAcked) return;
    region.hostAcked = true;
    toPage(region, {event: 'acknowledge', data: {id: region.portId}});
    if (region.connectedCcps) toPage(region, {event: 'update_connected_ccps', data: region.connectedCcps});
    if (region.agent && (mode === 'legacy' || region === shown)) toPage(region, {event: 'agent::update', data: region.agent});
  }

  function fromHost(region, msg) {
    var verdict = RelayRules.hostToCcp(msg);
    var name = msg && msg.event === 'broadcast' && msg.data ? 'broadcast:' + msg.data.event : String(msg && msg.event);
    switch (verdict.action) {
      case 'forward':
        if (verdict.track) track(verdict.track, region);
        if (msg.event === 'broadcast') stats.forwardedBroadcasts.push(msg.data.event);
        count(stats.forwarded, name);
        region.frame.contentWindow.postMessage(msg, region.origin);
        break;
      case 'answer':
        count(stats.answered, name);
        toPage(region, verdict.reply);
        break;
      case 'answer-keepalive':
        count(stats.answered, name);
        if (Date.now() - region.lastAck < ALIVE_MS) toPage(region, {event: 'acknowledge'});
        break;
      case 'answer-agent-data':
        count(stats.answered, name);
        if (region.agent) toPage(region, {event: 'agent::fetch_agent_data_from_ccp', data: region.agent});
        break;
      case 'request':
        // Streams sends force_failover / download_log_from_ccp to every stand-in: one wish, the active one's copy
        if (mode !== 'acgr' || region === shown) count(stats.requests, verdict.what);
        break;
      default:
        count(stats.dropped, name);
    }
    if (mode === 'acgr' && msg && msg.event === 'globalResiliency::validate_global_signin') {
      toPage(region, {event: 'globalResiliency::init', data: {instanceRegion: region.key, activeRegion: shown.key,
                                                              instanceState: region === shown ? 'active' : 'inactive'}});
    }
  }

  function track(requestId, region) {
    tracked[requestId] = {region: region.key, at: performance.now()};
    trackedOrder.push(requestId);
    if (trackedOrder.length > MAX_TRACKED) delete tracked[trackedOrder.shift()];
  }

  function relayToPage(region, msg) {
    if (!pagePort || !region.hostAcked) return;
    var verdict = RelayRules.ccpToHost(msg, {mode: mode, active: region === shown});
    if (verdict === 'route') {
      var request = msg.data && tracked[msg.data.requestId];
      if (!request || request.region !== region.key) { stats.unroutedResponses++; return; }
      delete tracked[msg.data.requestId];
      if (msg.event === 'api_response') stats.apiRoundTripsMs.push(performance.now() - request.at);
      toPage(region, msg);
    } else if (verdict === 'forward') {
      toPage(region, msg);
    }
  }

  // ----- the extension's decisions, told to the page API -----------------------------------------------------------

  function tellSwitch(previous) {
    if (!pagePort) return;
    if (mode === 'legacy') {
      pagePort.postMessage({kind: 'switch', active: shown.key});
    } else if (shown.hostAcked) {
      toPage(previous, {event: 'globalResiliency::failover_detected', data: {activeRegion: shown.key}});
      toPage(shown, {event: 'globalResiliency::failover_initiated', data: {activeRegion: shown.key}});
      if (shown.agent) toPage(shown, {event: 'agent::update', data: shown.agent});  // completes the failover
    }
  }

  function tellPending(nextActiveArn) {
    if (!pagePort) return;
    if (mode === 'legacy') {
      pagePort.postMessage({kind: 'pending', nextActiveArn: nextActiveArn});
    } else if (shown.hostAcked) {
      var next = regions.filter(function (r) { return r.arn === nextActiveArn; })[0] || other(shown);
      toPage(shown, {event: 'globalResiliency::failover_detected', data: {activeRegion: next.key}});
      toPage(shown, {event: 'globalResiliency::failover_pending', data: {activeRegion: next.key}});
    }
  }

  // ----- stand-in engine: real frames, conduits, handshake, DR host rules --------------------------------------------

  function post(region, event, data) {
    region.frame.contentWindow.postMessage(data === undefined ? {event: event} : {event: event, data: data},
                                           region.origin);
  }

  function handshake(region) {
    var params = {ccpUrl: region.ccpUrl, region: region.key, instanceArn: region.arn, otherArn: other(region).arn,
                  loginUrl: CFG.loginUrl, pollForFailover: true, disasterRecoveryOn: true,
                  isPrimary: region === shown};
    post(region, 'configure', {softphone: {allowFramedSoftphone: true}, disasterRecoveryOn: true});
    post(region, 'disasterRecovery::init_disaster_recovery', params);
    post(region, 'outer_context_info', {streamsVersion: 'grccp-spike'});
    setInterval(function () { post(region, 'synchronize'); }, 1000);
  }

  function show(region) {
    regions.forEach(function (r) {
      r.frame.style.cssText = r === region ? 'border:0;width:100%;height:100%;display:block'
                                           : 'border:0;width:0;height:0;display:block';
    });
  }

  function switchTo(region) {
    var previous = shown;
    shown = region;
    stats.shown = region.key;
    pendingReported = false;
    stats.switches.push(region.key);
    post(region, 'disasterRecovery::suppress', {suppress: false, shouldSendFailoverDownstream: false});
    show(region);
    tellSwitch(previous);
  }

  function onFailover(region, data) {
    var target = other(shown);
    if (data.nextActiveArn && data.nextActiveArn === target.arn) switchTo(target);
    else if (data.isPrimary === false && region === shown) switchTo(target);
  }

  function onCcpMessage(region, msg) {
    if (!msg || typeof msg !== 'object' || typeof msg.event !== 'string') return;
    var data = msg.data;
    switch (msg.event) {
      case 'acknowledge':
        region.lastAck = Date.now();
        if (data && data.id && !region.portId) {
          region.portId = data.id;
          handshake(region);
          ackHostIfReady(region);
        }
        break;
      case 'request_configure':
        post(region, 'configure', {softphone: {allowFramedSoftphone: true}, disasterRecoveryOn: true});
        break;
      case 'agent::update':
        region.agent = data;
        break;
      case 'update_connected_ccps':
        region.connectedCcps = data;
        break;
      case 'disasterRecovery::failover':
        if (data && typeof data === 'object') onFailover(region, data);
        break;
      case 'disasterRecovery::failover_pending':
        if (!pendingReported) {
          pendingReported = true;
          stats.pendings++;
          tellPending(data && data.nextActiveArn);
        }
        break;
    }
    relayToPage(region, msg);
  }

  window.addEventListener('message', function (e) {
    if (!e.isTrusted) return;  // a page-made MessageEvent, whatever its source says
    for (var i = 0; i < regions.length; i++) {
      var region = regions[i];
      if (region.frame && e.source === region.frame.contentWindow && e.origin === region.origin) {
        onCcpMessage(region, e.data);
        return;
      }
    }
  });

  function mount() {
    var host = document.createElement('div');
    host.style.cssText = 'position:fixed;right:8px;bottom:8px;width:340px;height:480px;z-index:2147483647;';
    var root = host.attachShadow({mode: 'closed'});
    regions.forEach(function (region) {
      var frame = document.createElement('iframe');
      frame.src = region.ccpUrl;
      frame.allow = 'microphone; camera; autoplay; clipboard-write; identity-credentials-get';
      root.appendChild(frame);
      region.frame = frame;
    });
    show(shown);
    document.documentElement.appendChild(host);
  }

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, {once: true});

  api.runtime.onMessage.addListener(function (message, sender, sendResponse) {
    if (message && message.kind === 'stats' && sender.id === api.runtime.id) {
      sendResponse(JSON.parse(JSON.stringify(stats)));
    }
    return false;
  });
})();
