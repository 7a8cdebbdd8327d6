// Content script helper for the CCP frames' message channel. A cross-origin window cannot be handed to Python:
// Brython inspects every object it receives (it reads `constructor`), which a cross-origin WindowProxy forbids.
// So the windows stay here: Python registers each region's iframe element and origin, and gets only the region
// and the (structured-clone) message data. The filtering rule is the one the Python side documents. Messages with
// an event name the host does not act on are not handed over (Python would convert each of them only to ignore it).
// `log` messages, which come by the thousand, are handed over in batches, in the order they arrived; the other
// messages do not wait for them (a failover comes right after the worker's poll has logged two lines: those are
// handled after the switch, not before it).
(function () {
  'use strict';
  var routes = new Map();  // region -> {frame: HTMLIFrameElement, origin: string}
  var logs = [];  // [region, data] of `log` messages not yet handed over, in arrival order
  var logTimer = null;
  // The listening session's handlers (null: none listens); the DOM listener is added once, for the page's life.
  var session = null;
  function deliverLogs() {
    clearTimeout(logTimer);
    logTimer = null;
    if (logs.length && session !== null) {
      var batch = logs;
      logs = [];
      session.onLogs(batch);
    }
  }
  function onWindowMessage(event) {
    if (session === null) return;
    var current = session;
    for (var [region, route] of routes) {
      if (event.source !== null && event.source === route.frame.contentWindow) {
        if (event.origin === route.origin) {
          var data = event.data;
          var name = data !== null && typeof data === 'object' ? data.event : undefined;
          if (name === 'log' && current.handled.has(name)) {
            logs.push([region, data]);
            if (logs.length >= current.logBatch.size) {
              deliverLogs();
            } else if (logTimer === null) {
              logTimer = setTimeout(deliverLogs, current.logBatch.waitMs);
            }
          } else if (typeof name !== 'string' || current.handled.has(name)) {
            current.onMessage(region, data);  // a message without an event name goes on, to be reported as malformed
          }
        } else {
          current.onDrop('a message from the ' + region + ' frame came from another origin');
        }
        return;
      }
    }
    current.onDrop('a message came from a window that is not a CCP frame');
  }
  var listening = false;
  globalThis.grccpFrameBridge = {
    route: function (region, frame, origin) { routes.set(region, {frame: frame, origin: origin}); },
    // A (new) session's handlers; the previous session's, if any, hear nothing more.
    listen: function (onMessage, onLogBatch, onDrop, handledEvents, logBatch) {
      session = {onMessage: onMessage, onLogs: onLogBatch, onDrop: onDrop, handled: new Set(handledEvents),
                 logBatch: logBatch};
      if (!listening) {
        listening = true;
        addEventListener('message', onWindowMessage);
      }
    },
    // The session ends (its panel is taken off the page): no route, no handler, nothing waiting.
    stop: function () {
      session = null;
      routes.clear();
      logs = [];
      clearTimeout(logTimer);
      logTimer = null;
    },
    deliverLogs: deliverLogs,  // now, whatever the batch's size
    // callback() once, in a task after the next two rendered frames (a frame that lays out a resized iframe
    // reaches the iframe's document in the frame after it), or after fallbackMs if no frame comes (a hidden tab
    // renders none). Here rather than in Python: the frame callbacks then cost the rendering nothing.
    afterRender: function (callback, fallbackMs) {
      var done = false;
      var timer = setTimeout(run, fallbackMs);
      function run() {
        if (!done) { done = true; clearTimeout(timer); callback(); }
      }
      requestAnimationFrame(function () { requestAnimationFrame(function () { setTimeout(run, 0); }); });
    },
    post: function (region, message) {
      var route = routes.get(region);
      var target = route && route.frame.contentWindow;
      if (target) { target.postMessage(message, route.origin); }
    }
  };
})();
