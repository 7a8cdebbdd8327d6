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
//   * stops and drops (counts) what one of those frames posted before it lost its window: a message is dispatched
//     in a task of its own, after its window posted it, and by then the frame may be out of the document (no
//     window), back in it (a new window), replaced by another (a re-route) or no longer the CCPs' (unrouteAll).
//     Chromium gives such a message the old window as `source`: the frames' windows are remembered when routed and
//     whenever looked at, so the old one is known. Firefox gives it no source (null) once that window is
//     discarded. And whatever the browser keeps of a window's identity, a window whose frame left the document is
//     in no page (its parent is null): a message without a source, or from a window in no page, from an origin the
//     frames were routed for is stopped, whoever sent it (a page's own frame of that origin is as gone, and a
//     listener that knows its frames by their window, as Streams does, ignores it). Either says nothing the
//     extension may act on (its CCP is gone, it cannot be answered), and it would give page script the CCP's
//     messages, and in Chromium that window;
//   * stops and drops (counts) what a window inside one of those frames posted (a frame the CCP's document made
//     itself): it comes from the CCP's origin too, and page script would learn that window;
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
  var routes = new Map();  // key -> {frame: HTMLIFrameElement, origin: string, window: the frame's, as last seen}
  var gone = new WeakSet();  // the windows routed frames had before (weakly held: a gone window is not kept alive)
  var origins = new Set();   // every origin a frame was routed for, in this page's life
  var receiver = null;     // {ccp(key, data, originOk), other(reason)}
  var kept = [];           // [key, data, originOk] of CCP messages that came before a receiver

  // The route's frame's window now (null while the frame is out of the document); the one it had before is gone.
  function look(route) {
    var current = route.frame.contentWindow;
    if (current !== route.window) {
      if (route.window !== null) gone.add(route.window);
      route.window = current;
    }
    return current;
  }

  // The route's frame is no longer the CCPs': its window, now and before, is gone.
  function retire(route) {
    if (look(route) !== null) gone.add(route.window);
  }

  function routeOf(source) {
    if (source === null) return null;
    for (var [key, route] of routes) {
      if (source === look(route)) return [key, route];
    }
    return null;
  }

  // Where `source` (not a routed frame's window) is: INSIDE a routed frame (one is among its ancestors), GONE (no
  // window, or one in no page any more: its parent is null once its frame is out of the document, and Firefox
  // may refuse to touch a discarded one), or null: anywhere else (this page's own frames, its opener, its parent).
  var INSIDE = 'inside', GONE = 'gone', ANCESTORS_LOOKED_AT = 16;
  function placeOf(source) {
    if (source === null) return GONE;
    try {
      for (var child = source, depth = 0; depth < ANCESTORS_LOOKED_AT; depth++) {
        var parent = child.parent;
        if (parent === null) return GONE;
        if (parent === child || parent === window) return null;  // a top window, or one of this page's frames
        if (routeOf(parent) !== null) return INSIDE;
        child = parent;
      }
    } catch (error) {
      return GONE;
    }
    return null;
  }

  // Why a message that is not from a routed frame's window is to be stopped all the same, or null: it comes from
  // inside a CCP frame (a frame the CCP's document made: page script would learn its window), or it is what one of
  // the frames posted before it lost its window (the window is remembered as gone, or, from a routed origin, it is
  // in no page any more: a window's identity is the browser's to keep, its place in the frame tree is not).
  function stopReason(event) {
    if (gone.has(event.source)) {
      return 'a late message of a CCP frame: from a window the frame no longer has (taken out of the page,' +
             ' replaced, or no longer a CCP frame)';
    }
    var place = placeOf(event.source);
    if (place === INSIDE) return 'a message of a frame inside a CCP frame';
    if (place === GONE && origins.has(event.origin)) {
      return 'a late message of a CCP frame (or of another frame of its origin): from a window that no longer exists';
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
      var stopped = stopReason(event);
      if (stopped !== null) event.stopImmediatePropagation();
      if (receiver !== null) receiver.other(stopped || 'a message came from a window that is not a CCP frame');
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
    /** Messages from `frame`'s window are the CCP's of `key`, expected from `origin`; call again with a new frame
        (the window of the one it replaces is gone). */
    route: function (key, frame, origin) {
      var before = routes.get(key);
      if (before !== undefined) {
        if (before.frame === frame) look(before); else retire(before);
      }
      routes.set(key, {frame: frame, origin: origin, window: frame.contentWindow});
      origins.add(origin);
    },
    routeOf: function (key) { return routes.get(key); },
    /** The window of the frame routed for `key` now (null while the frame is out of the document). Looking at it
        after each change of the document remembers a new window before it can post anything. */
    windowOf: function (key) { return look(routes.get(key)); },
    /** No frame is the CCPs' any more (the panel was taken off the page): what they sent and is kept goes too, and
        their windows are gone. */
    unrouteAll: function () {
      routes.forEach(retire);
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
