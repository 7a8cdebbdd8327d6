// The page API's main-world part (README "Page API"): registered only for the pages the configuration opts in, at
// document_start in the page's MAIN world, right after the real, unmodified Amazon Connect Streams
// (vendor/connect-streams-min.js), so before any script of the page. Plain JS: it must run synchronously before
// page scripts, and must not put Brython's runtime or globals into the page.
// * It hands one MessagePort to the content script (boot/page_port.js takes it in its capturing listener and stops
//   the event, so no page listener sees it) and keeps the other end in this closure; it offers one again when the
//   content script asks (`port-wanted`: its script may run after the first offer was delivered).
// * Once the content script sends the configuration, it runs Streams' own initCCP with enableGlobalResiliency in a
//   hidden container whose appendChild turns each iframe Streams makes into a stand-in: its src attribute is removed
//   before insertion (nothing loads; the frame keeps its same-origin about:blank document) and `src` still reads
//   the CCP URL (Streams names its GR conduits after that origin). What Streams posts to a stand-in goes to the
//   content script's relay (core/page_relay.py judges it); what the relay sends back is dispatched on this window
//   as a MessageEvent whose source is the stand-in's window (Streams' IFrameConduit checks `source` only).
// * Page code waits for `grccpPageApi.ready` (a promise) or the window event `grccp:page-api-ready`; then
//   `connect` is the real Streams with connect.globalResiliency.
(function () {
  'use strict';
  var MARK = 'grccp-page-api-v1';
  var streams = window.connect;
  if (!streams || !streams.core || typeof streams.core.initCCP !== 'function' || window.grccpPageApi) return;
  var nativeAppendChild = Node.prototype.appendChild;
  var port = null;  // this end of the one channel the content script accepted (it says hello on it)
  var config = null;
  var standIns = [];  // {region, window, origin}
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

  function regionOfUrl(url) {
    var origin = new URL(url, location.href).origin;
    return config.regions.filter(function (r) { return r.origin === origin; })[0] || null;
  }

  /** A container for Streams' initCCP: every iframe Streams appends becomes a stand-in. */
  function standInContainer() {
    var container = document.createElement('div');
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
      if (isFrame) adoptStandIn(child, url);
      return result;
    };
    return container;
  }

  function adoptStandIn(iframe, url) {
    var region = regionOfUrl(url);
    if (region === null) return;
    var standIn = {region: region.key, window: iframe.contentWindow, origin: region.origin};
    // Streams' iframe refresh (_replaceCCPIframe) replaces the region's stand-in
    standIns = standIns.filter(function (s) { return s.region !== region.key; });
    standIns.push(standIn);
    standIn.window.addEventListener('message', function (event) {
      port.postMessage({kind: 'to-ccp', region: region.key, msg: event.data});
    });
  }

  function deliver(regionKey, message) {
    standIns.forEach(function (s) {
      if (s.region === regionKey) {
        window.dispatchEvent(new MessageEvent('message', {data: message, origin: s.origin, source: s.window}));
      }
    });
  }

  function onRelay(m) {
    if (!m || typeof m !== 'object') return;
    if (m.kind === 'config' && config === null) {
      config = m;
      start();
    } else if (m.kind === 'to-host' && config !== null) {
      deliver(m.region, m.msg);
    }
  }

  function start() {
    var container = standInContainer();
    nativeAppendChild.call(document.body || document.documentElement, container);
    var first = config.regions[0];
    // The extension's own CCP parameters: sign-in, softphone and the CCPs' configuration are the extension's.
    streams.core.initCCP(container, {
      ccpUrl: first.ccpUrl, secondaryCCPUrl: config.regions[1].ccpUrl, enableGlobalResiliency: true,
      loginUrl: config.loginUrl, loginPopup: false, loginOptions: {disableAuthPopupAfterLogout: true},
      ccpLoadTimeout: config.timeouts.ccpLoadTimeout, ccpAckTimeout: config.timeouts.ccpAckTimeout,
      ccpSynTimeout: config.timeouts.ccpSynTimeout});
    config.regions.forEach(function (r) { port.postMessage({kind: 'host-ready', region: r.key}); });
    resolveReady(streams);
    window.dispatchEvent(new Event('grccp:page-api-ready'));
  }
})();
