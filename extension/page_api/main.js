// The page API's main-world part (README "Page API"): registered only for the pages the configuration opts in, at
// document_start in the page's MAIN world, so before any script of the page. Plain JS: it must run synchronously
// before page scripts, and must not put Brython's runtime or globals into the page.
// * It hands one MessagePort to the content script (boot/page_port.js takes it in its capturing listener and stops
//   the event, so no page listener sees it) and keeps the other end in this closure; it offers one again when the
//   content script asks (`port-wanted`: its script may run after the first offer was delivered).
// * Streams runs for real, unmodified, on stand-in CCP windows: its initCCP gets a hidden container whose
//   appendChild turns each iframe Streams makes into a stand-in: its src attribute is removed before insertion
//   (nothing loads; the frame keeps its same-origin about:blank document) and `src` still reads the CCP URL (Streams
//   names its GR conduits after that origin). What Streams posts to a stand-in goes to the content script's relay
//   (core/page_relay.py judges it); what the relay sends back is dispatched on that Streams' window as a
//   MessageEvent whose source is the stand-in's window (Streams' IFrameConduit checks `source` only).
// * ACGR (the registration put Streams before this file): once the content script sends the configuration, one
//   initCCP with enableGlobalResiliency in the top; `connect` is the real Streams with connect.globalResiliency.
// * Legacy DR (no Streams in the top): `globalConnect.core`, connect-streams-dr.js's API, exists from
//   document_start. Each region's Streams runs in a regional realm of its own: a hidden same-origin blank frame
//   named REGION_FRAME + key, into which the background loads Streams (page_api/region_frame.js asks for it, then
//   signals STREAMS_LOADED on that frame's window). The facade reports the extension's decisions (`facade`
//   messages from the relay: core/legacy_dr.LegacyDrPageView), never decides a switch; a hook that throws stops
//   neither the other hooks nor the other region (reported with reportError).
// * Page code waits for `grccpPageApi.ready` (a promise: ACGR's `connect`, legacy's `globalConnect`) or the window
//   event `grccp:page-api-ready`.
(function () {
  'use strict';
  var MARK = 'grccp-page-api-v1';
  var REGION_FRAME = 'grccp-region:';
  var STREAMS_LOADED = 'grccp:streams-loaded';
  if (window.grccpPageApi) return;
  var topStreams = window.connect && window.connect.core && typeof window.connect.core.initCCP === 'function'
    ? window.connect : null;
  var nativeAppendChild = Node.prototype.appendChild;
  var port = null;  // this end of the one channel the content script accepted (it says hello on it)
  var config = null;
  var standIns = [];  // {region, host (the window of the Streams that made it), window, origin}
  var resolveReady;
  var ready = new Promise(function (resolve) { resolveReady = resolve; });
  Object.defineProperty(window, 'grccpPageApi', {value: Object.freeze({ready: ready, version: 1})});
  // The port offer; again when the content script's acceptor asks (it may start after the first offer was
  // delivered: the browser does not order the two worlds' document_start scripts). The first channel it greets on
  // is the one; the other ports are never used.
  function offer() {
    var channel = new MessageChannel();
    channel.port1.onmessage = function (event) {
      if (port === null && event.data && event.data.kind === 'hello') port = channel.port1;
      if (port === channel.port1) onRelay(event.data);
    };
    window.postMessage({[MARK]: 'port'}, location.origin, [channel.port2]);
  }
  window.addEventListener('message', function (event) {
    if (port === null && event.source === window && event.data && event.data[MARK] === 'port-wanted') {
      event.stopImmediatePropagation();
      offer();
    }
  }, true);
  offer();

  function regionByKey(key) {
    return config.regions.filter(function (r) { return r.key === key; })[0] || null;
  }

  function regionOfUrl(url) {
    var origin = new URL(url, location.href).origin;
    return config.regions.filter(function (r) { return r.origin === origin; })[0] || null;
  }

  /** A container in `host`'s document for that Streams' initCCP: every iframe it appends becomes a stand-in of
      the region regionOf(its URL) names. */
  function standInContainer(host, regionOf) {
    var container = host.document.createElement('div');
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
      if (isFrame) adoptStandIn(child, host, regionOf(url));
      return result;
    };
    nativeAppendChild.call(host.document.body || host.document.documentElement, container);
    return container;
  }

  function adoptStandIn(iframe, host, region) {
    if (region === null) return;
    var standIn = {region: region.key, host: host, window: iframe.contentWindow, origin: region.origin};
    // Streams' iframe refresh (_replaceCCPIframe) replaces the region's stand-in
    standIns = standIns.filter(function (s) { return s.region !== region.key; });
    standIns.push(standIn);
    standIn.window.addEventListener('message', function (event) {
      port.postMessage({kind: 'to-ccp', region: region.key, msg: event.data});
    });
  }

  function deliver(regionKey, message) {
    standIns.forEach(function (s) {
      if (s.region !== regionKey) return;
      var host = s.host;
      var data = host === window ? message : host.structuredClone(message);  // objects of Streams' own realm
      host.dispatchEvent(new host.MessageEvent('message', {data: data, origin: s.origin, source: s.window}));
    });
  }

  function onRelay(m) {
    if (!m || typeof m !== 'object') return;
    if (m.kind === 'config' && config === null) {
      config = m;
      if (topStreams) startGlobal(); else facade.start();
    } else if (m.kind === 'to-host' && config !== null) {
      deliver(m.region, m.msg);
    } else if (m.kind === 'facade' && config !== null && facade) {
      facade.hear(m);
    }
  }

  /** The extension's own CCP parameters: sign-in, softphone and the CCPs' configuration are the extension's. */
  function initParams(region) {
    return {ccpUrl: region.ccpUrl, region: region.name, loginUrl: config.loginUrl, loginPopup: false,
            loginOptions: {disableAuthPopupAfterLogout: true}, ccpLoadTimeout: config.timeouts.ccpLoadTimeout,
            ccpAckTimeout: config.timeouts.ccpAckTimeout, ccpSynTimeout: config.timeouts.ccpSynTimeout};
  }

  function announceReady(value) {
    resolveReady(value);
    window.dispatchEvent(new Event('grccp:page-api-ready'));
  }

  // ----- ACGR: one Streams in the top, a stand-in per region --------------------------------------------------

  function startGlobal() {
    var params = initParams(config.regions[0]);
    delete params.region;
    params.secondaryCCPUrl = config.regions[1].ccpUrl;
    params.enableGlobalResiliency = true;
    topStreams.core.initCCP(standInContainer(window, regionOfUrl), params);
    config.regions.forEach(function (r) { port.postMessage({kind: 'host-ready', region: r.key}); });
    announceReady(topStreams);
  }

  // ----- legacy DR: the globalConnect facade over one real Streams per region --------------------------------------

  var facade = topStreams ? null : legacyFacade();
  if (facade) Object.defineProperty(window, 'globalConnect', {value: Object.freeze({core: facade.core})});

  function legacyFacade() {
    var hooks = {init: [], complete: [], pending: []};
    var initialised = [];  // [connect, region name] in the configuration's order
    var connects = {};     // region key -> that region's connect
    var active = null;     // the region key the extension shows
    var started = false;   // both regions' onInit ran
    var waiting = null;    // a failover pending before then: {nextActiveArn}
    var core = {primaryRegion: undefined, secondaryRegion: undefined,
                onInit: function (f) {
                  var off = subscribe(hooks.init, f);
                  initialised.forEach(function (args) { callSafely(f, args); });
                  return off;
                },
                onFailoverComplete: function (f) { return subscribe(hooks.complete, f); },
                onFailoverPending: function (f) { return subscribe(hooks.pending, f); },
                downloadLogs: function (options) {
                  if (port === null) throw new Error('globalConnect.core.downloadLogs: the page API is not ready');
                  var o = options && typeof options === 'object' ? options : {};
                  port.postMessage({kind: 'download-logs', logName: typeof o.logName === 'string' ? o.logName : null,
                                    filterByLogLevel: typeof o.filterByLogLevel === 'boolean'
                                      ? o.filterByLogLevel : null});
                }};

    function subscribe(list, f) {
      if (typeof f !== 'function') throw new TypeError('globalConnect.core: a function is required');
      var entry = {f: f};
      list.push(entry);
      return function () {
        var i = list.indexOf(entry);
        if (i >= 0) list.splice(i, 1);
      };
    }

    function callSafely(f, args) {
      try {
        f.apply(null, args);
      } catch (error) {  // one page hook's exception stops neither the other hooks nor the other region
        window.reportError(error);
      }
    }

    function fire(list, args) {
      list.slice().forEach(function (entry) { callSafely(entry.f, args); });
    }

    function show(key) {
      active = key;
      core.primaryRegion = regionByKey(key).name;
      core.secondaryRegion = config.regions.filter(function (r) { return r.key !== key; })[0].name;
      if (connects[key]) window.connect = connects[key];
    }

    function complete() {
      fire(hooks.complete, [{activeRegion: regionByKey(active).name, activeCcpUrl: regionByKey(active).ccpUrl}]);
    }

    function hear(m) {
      if (m.event === 'complete' && regionByKey(m.region) && m.region !== active) {
        show(m.region);
        waiting = null;
        if (started) complete();  // before, the start reports the region it finds active
      } else if (m.event === 'pending') {
        var event = {nextActiveArn: typeof m.nextActiveArn === 'string' ? m.nextActiveArn : null};
        if (started) fire(hooks.pending, [event]); else waiting = event;
      }
    }

    function start() {
      show(config.active);
      var holder = document.createElement('div');
      holder.style.cssText = 'display:none';
      nativeAppendChild.call(document.body || document.documentElement, holder);
      Promise.all(config.regions.map(function (region) { return regionalRealm(holder, region); }))
        .then(function (realms) {
          config.regions.forEach(function (region, i) { startRegion(region, realms[i]); });
          started = true;
          show(active);
          announceReady(window.globalConnect);
          // as the reference: at init, when the first-listed region is not the active one
          if (active !== config.regions[0].key) complete();
          if (waiting !== null) fire(hooks.pending, [waiting]);
        });
    }

    function startRegion(region, realm) {
      var regional = realm.connect;
      regional.core.initCCP(standInContainer(realm, function () { return region; }), initParams(region));
      connects[region.key] = regional;
      port.postMessage({kind: 'host-ready', region: region.key});
      initialised.push([regional, region.name]);
      fire(hooks.init, [regional, region.name]);
    }

    return {core: core, hear: hear, start: start};
  }

  /** A promise of the window of a hidden same-origin frame once the background loaded Streams into it. */
  function regionalRealm(holder, region) {
    var frame = document.createElement('iframe');
    frame.name = REGION_FRAME + region.key;
    nativeAppendChild.call(holder, frame);
    var realm = frame.contentWindow;
    return new Promise(function (resolve) {
      realm.addEventListener(STREAMS_LOADED, function loaded() {
        if (realm.connect && realm.connect.core && typeof realm.connect.core.initCCP === 'function') {
          realm.removeEventListener(STREAMS_LOADED, loaded);
          resolve(realm);
        }
      });
    });
  }
})();
