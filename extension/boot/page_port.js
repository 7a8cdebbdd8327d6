// The page API's port acceptor, in the content script's isolated world at document_start, registered only for the
// pages the configuration opts in (README "Page API"). The page API's main-world script (page_api/main.js) hands
// over one MessagePort with a window.postMessage; this capturing listener, added before any page script's, takes
// it and stops the event, so no page listener sees it; it greets on the port (`hello`) and ignores every later offer
// (page script imitating one, or the main world's second offer, asked for with `port-wanted` below).
// Messages on the port are kept, in order and bounded, until the content script's relay (platform/content/page_api)
// listens; the relay judges every one (core/page_relay): the port carries the page's untrusted input.
(function () {
  'use strict';
  if (globalThis.grccpPagePort) return;  // the browser may inject the file again into the same world
  var MARK = 'grccp-page-api-v1';
  var KEPT_LIMIT = 1000;
  var port = null;
  var receiver = null;
  var kept = [];
  var outgoing = [];  // what the relay sent before the port came
  addEventListener('message', function (event) {
    if (!event.isTrusted || event.source !== window || event.data === null || typeof event.data !== 'object' ||
        event.data[MARK] !== 'port' || event.ports.length !== 1) {
      return;
    }
    event.stopImmediatePropagation();  // every offer: a later one (asked for below, or the page's) is ignored
    if (port !== null) return;
    port = event.ports[0];
    port.onmessage = function (message) {
      if (receiver !== null) receiver(message.data);
      else if (kept.length < KEPT_LIMIT) kept.push(message.data);
    };
    port.postMessage({kind: 'hello'});
    outgoing.forEach(function (message) { port.postMessage(message); });
    outgoing = [];
  }, true);
  // The main-world script may have run first and its offer been delivered before this listener existed: ask again
  // (it answers only while no acceptor greeted it, and stops this message before page listeners see it).
  postMessage({[MARK]: 'port-wanted'}, location.origin);
  globalThis.grccpPagePort = {
    connected: function () { return port !== null; },
    /** receive(data) for each message from the page, those kept first. */
    receive: function (onMessage) {
      receiver = onMessage;
      var waiting = kept;
      kept = [];
      waiting.forEach(onMessage);
    },
    post: function (message) {
      if (port !== null) port.postMessage(message);
      else if (outgoing.length < KEPT_LIMIT) outgoing.push(message);
    },
    stop: function () { receiver = null; }
  };
})();
