/* MAIN world, top frame, opted-in pages only (spike). Runs at document_start, before any page script.
   - Hands one MessagePort to the relay (isolated world); keeps the other end in this closure.
   - Feeds the real, unmodified connect-streams.js: Streams' own initCCP creates its CCP iframe(s) in a container
     whose appendChild makes each one a *stand-in*: the src attribute is removed before insertion (nothing loads;
     the frame stays on its initial same-origin about:blank) and `src` still reads as the CCP URL Streams gave it.
     What Streams posts to a stand-in goes to the relay; what the relay sends back is dispatched on Streams' own
     window as a MessageEvent whose source is the stand-in (IFrameConduit checks `source` only).
   - Legacy mode: no Streams in the top. `globalConnect.core` is a facade; each region's Streams runs in its own
     same-origin about:blank frame (loaded there by the extension), and window.connect follows the shown region.
   - ACGR mode: connect-streams.js was injected just before this file; one initCCP with enableGlobalResiliency. */
(function () {
  'use strict';
  var MARK = 'grccp-page-api-v1';
  var REGION_FRAME_PREFIX = 'grccp-region:';
  var probe = window.__grccpSpikeProbe;  // spike-only measurement
  var topConnect = window.connect && window.connect.core && typeof window.connect.core.initCCP === 'function'
    ? window.connect : null;
  var nativeAppendChild = Node.prototype.appendChild;
  var channel = new MessageChannel();
  var port = channel.port1;
  var config = null;
  var standIns = [];  // {region, hostWindow, window, origin}
  var readyResolve;
  var pageApi = {ready: new Promise(function (resolve) { readyResolve = resolve; })};

  window.postMessage({[MARK]: 'port'}, location.origin, [channel.port2]);
  port.onmessage = function (e) { onRelay(e.data); };
  Object.defineProperty(window, 'grccpPageApi', {value: pageApi});

  function announceReady() {
    if (probe) probe.ready = performance.now();
    readyResolve();
    window.dispatchEvent(new Event('grccp:page-api-ready'));
  }

  // ----- stand-in CCP windows ----------------------------------------------------------------------------------

  function regionOfUrl(url) {
    var origin = new URL(url).origin;
    return config.regions.filter(function (r) { return new URL(r.ccpUrl).origin === origin; })[0];
  }

  /** A container for Streams' initCCP: every iframe Streams appends becomes a stand-in. */
  function standInContainer(doc, hostWindow) {
    var container = doc.createElement('div');
    container.style.cssText = 'display:none';
    container.appendChild = function (child) {
      var isFrame = child && child.localName === 'iframe';
      var url = isFrame ? child.getAttribute('src') : null;
      if (isFrame) {
        child.removeAttribute('src');
        Object.defineProperty(child, 'src', {configurable: true, enumerable: true,
                                             get: function () { return url; },
                                             set: function (value) { url = String(value); }});
      }
      var result = nativeAppendChild.call(this, child);
      if (isFrame) adoptStandIn(child, url, hostWindow);
      return result;
    };
    return container;
  }

  function adoptStandIn(iframe, url, hostWindow) {
    var region = regionOfUrl(url);
    var standIn = {region: region.key, hostWindow: hostWindow, window: iframe.contentWindow,
                   origin: new URL(url).origin};
    // an iframe refresh (Streams' _replaceCCPIframe) replaces the region's stand-in
    standIns = standIns.filter(function (s) { return !(s.region === region.key && s.hostWindow === hostWindow); });
    standIns.push(standIn);
    standIn.window.addEventListener('message', function (e) {
      port.postMessage({kind: 'to-ccp', region: region.key, msg: e.data});
    });
  }

  function deliver(regionKey, msg) {
    standIns.forEach(function (s) {
      if (s.region !== regionKey) return;
      var host = s.hostWindow;
      var data = host === window ? msg : host.structuredClone(msg);  // objects of Streams' own realm, as postMessage
      host.dispatchEvent(new host.MessageEvent('message', {data: data, origin: s.origin, source: s.window}));
    });
  }

  // ----- the relay's messages ----------------------------------------------------------------------------------

  function onRelay(m) {
    if (!m || typeof m !== 'object') return;
    if (m.kind === 'config' && !config) {
      config = m;
      if (topConnect) startAcgr(); else startLegacy();
    } else if (m.kind === 'to-host') {
      deliver(m.region, m.msg);
    } else if (m.kind === 'switch') {
      legacySwitch(m.active);
    } else if (m.kind === 'pending') {
      legacyPending(m.nextActiveArn);
    }
  }

  function initParams(region) {
    // the extension's own timeouts; sign-in is the extension's job (no popup, no re-authentication from here)
    return {ccpUrl: region.ccpUrl, region: region.key.split('.')[0], loginPopup: false,
            loginOptions: {disableAuthPopupAfterLogout: true}, ccpLoadTimeout: config.timeouts.ccpLoadTimeout,
            ccpAckTimeout: config.timeouts.ccpAckTimeout, ccpSynTimeout: config.timeouts.ccpSynTimeout};
  }

  // ----- ACGR: one Streams in the top, two stand-ins ------------------------------------------------------------

  function startAcgr() {
    var container = standInContainer(document, window);
    nativeAppendChild.call(document.body || document.documentElement, container);
    var first = config.regions[0];
    var params = initParams(first);
    params.secondaryCCPUrl = config.regions[1].ccpUrl;
    params.enableGlobalResiliency = true;
    params.loginUrl = config.loginUrl;
    delete params.region;
    topConnect.core.initCCP(container, params);
    config.regions.forEach(function (r) { port.postMessage({kind: 'host-ready', region: r.key}); });
    announceReady();
  }

  // ----- legacy: the globalConnect facade over one real Streams per region ---------------------------------------

  var handlers = {init: [], complete: [], pending: []};
  var initialised = [];  // [connect, regionKey] in configuration order
  var pendingFired = false;
  var core = {primaryRegion: null, secondaryRegion: null, regions: null, ready: pageApi.ready,
              onInit: function (f) {
                return subscribe(handlers.init, f, function () {
                  initialised.forEach(function (args) { callSafely(f, args); });
                });
              },
              onFailoverComplete: function (f) { return subscribe(handlers.complete, f); },
              onFailoverPending: function (f) { return subscribe(handlers.pending, f); },
              downloadLogs: function (options) { port.postMessage({kind: 'download-logs', options: options}); }};
  if (!topConnect) window.globalConnect = {core: core};

  function subscribe(list, f, replay) {
    if (typeof f !== 'function') throw new TypeError('globalConnect.core: a function is required');
    var entry = {f: f};
    list.push(entry);
    if (replay) replay();
    return function () {
      var i = list.indexOf(entry);
      if (i >= 0) list.splice(i, 1);
    };
  }

  function callSafely(f, args) {
    try {
      f.apply(null, args);
    } catch (error) {  // one page handler's exception stops neither the others nor the other region
      console.error('[page API] a handler threw', error);
    }
  }

  function fire(list, args) {
    list.slice().forEach(function (entry) { callSafely(entry.f, args); });
  }

  function ccpUrlOf(key) {
    return config.regions.filter(function (r) { return r.key === key; })[0].ccpUrl;
  }

  function startLegacy() {
    core.primaryRegion = config.shown;
    core.secondaryRegion = config.regions.filter(function (r) { return r.key !== config.shown; })[0].key;
    core.regions = {};
    var holder = document.createElement('div');
    holder.style.cssText = 'display:none';
    nativeAppendChild.call(document.body || document.documentElement, holder);
    var loaded = config.regions.map(function (region) {
      core.regions[region.key] = {ccpParams: initParams(region)};
      var frame = document.createElement('iframe');
      frame.name = REGION_FRAME_PREFIX + region.key;
      nativeAppendChild.call(holder, frame);
      var regionalWindow = frame.contentWindow;
      regionalWindow.document.addEventListener('securitypolicyviolation', function (e) {
        if (probe) probe.violations.push({region: region.key, directive: e.violatedDirective, sample: e.sample});
      }, true);
      return new Promise(function (resolve) {
        regionalWindow.addEventListener('grccp-streams-loaded', function () { resolve(regionalWindow); });
      });
    });
    Promise.all(loaded).then(function (windows) {
      if (probe) probe.regionsLoaded = performance.now();
      config.regions.forEach(function (region, i) { startRegion(region, windows[i]); });
      announceReady();
    });
  }

  function startRegion(region, regionalWindow) {
    var regionalConnect = regionalWindow.connect;
    var container = standInContainer(regionalWindow.document, regionalWindow);
    nativeAppendChild.call(regionalWindow.document.body, container);
    regionalConnect.core.initCCP(container, initParams(region));
    core.regions[region.key].connect = regionalConnect;
    if (region.key === core.primaryRegion) window.connect = regionalConnect;
    port.postMessage({kind: 'host-ready', region: region.key});
    initialised.push([regionalConnect, region.key]);
    fire(handlers.init, [regionalConnect, region.key]);
  }

  function legacySwitch(active) {
    if (!config || active === core.primaryRegion || !core.regions[active]) return;
    core.secondaryRegion = core.primaryRegion;
    core.primaryRegion = active;
    if (core.regions[active].connect) window.connect = core.regions[active].connect;
    pendingFired = false;
    fire(handlers.complete, [{activeRegion: active, activeCcpUrl: ccpUrlOf(active)}]);
  }

  function legacyPending(nextActiveArn) {
    if (pendingFired) return;
    pendingFired = true;
    fire(handlers.pending, [{nextActiveArn: nextActiveArn}]);
  }
})();
