// The content script's first file, run at document_start (before any script of the page) in its isolated world: it
// owns the one capturing `message` listener the extension has on the page's window. Listeners at the target run
// capturing ones first, each kind in the order added, so this one runs before any listener page script can add.
// For each message event it
//   * drops (and counts) an event the browser did not send (isTrusted false): page script can dispatch a
//     MessageEvent of its own, and Chromium lets it name a CCP frame's window as `source`;
//   * takes a message whose source is one of the extension's CCP frame windows, whatever its origin, and stops it
//     there (stopImmediatePropagation): page script never sees the CCPs' messages, so it never learns the frames'
//     windows (`source`) — which it could post to, and which the closed shadow root keeps out of window.frames —
//     nor the extension's request ids, and it cannot keep them from the extension;
//   * leaves every other message to the page (the content script counts it as not a CCP's).
// It changes nothing the page can see: until the background says the page is allowlisted there is no frame, no
// receiver, and nothing is stopped (the script runs on every port of an allowlisted host, boot/content_pre.js).
// The rest of the content script (boot/early_start.js, boot/frame_bridge.js) says which frames are the CCPs' (route)
// and where their messages go (receive); messages that come before a receiver (frames the early start made load
// while the runtime does) are kept, in order, and handed to it.
(function () {
  'use strict';
  if (globalThis.grccpPageGuard) return;  // the browser may inject the file again into the same world
  var KEPT_LIMIT = 10000;  // a bound, not a budget: the early start's frames send a few dozen before Python listens
  var routes = new Map();  // key -> {frame: HTMLIFrameElement, origin: string}
  var receiver = null;     // {ccp(key, data, originOk), other(reason)}
  var kept = [];           // [key, data, originOk] of CCP messages that came before a receiver

  function routeOf(source) {
    if (source === null) return null;
    for (var [key, route] of routes) {
      if (source === route.frame.contentWindow) return [key, route];
    }
    return null;
  }

  addEventListener('message', function (event) {
    if (!event.isTrusted) {
      if (receiver !== null) receiver.other('an untrusted message event (dispatched by a script, not sent)');
      return;
    }
    var found = routeOf(event.source);
    if (found === null) {
      if (receiver !== null) receiver.other('a message came from a window that is not a CCP frame');
      return;
    }
    event.stopImmediatePropagation();
    var originOk = event.origin === found[1].origin;
    if (receiver !== null) {
      receiver.ccp(found[0], event.data, originOk);
    } else if (kept.length < KEPT_LIMIT) {
      kept.push([found[0], event.data, originOk]);
    }
  }, true);

  globalThis.grccpPageGuard = {
    /** Messages from `frame`'s window are the CCP's of `key`, expected from `origin`; call again with a new frame. */
    route: function (key, frame, origin) { routes.set(key, {frame: frame, origin: origin}); },
    routeOf: function (key) { return routes.get(key); },
    /** No frame is the CCPs' any more (the panel was taken off the page): what they sent and is kept goes too. */
    unrouteAll: function () {
      routes.clear();
      kept = [];
    },
    /** ccp(key, data, originOk) for each message of a routed frame, other(reason) for every other message. */
    receive: function (ccp, other) {
      receiver = {ccp: ccp, other: other};
      var waiting = kept;
      kept = [];
      waiting.forEach(function (message) { ccp(message[0], message[1], message[2]); });
    }
  };
})();
