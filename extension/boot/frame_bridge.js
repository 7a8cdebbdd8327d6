// Content script helper for the CCP frames' message channel. A cross-origin window cannot be handed to Python:
// Brython inspects every object it receives (it reads `constructor`), which a cross-origin WindowProxy forbids.
// So the windows stay in JavaScript: Python registers each region's iframe element and origin with the page guard
// (boot/page_guard.js, whose listener takes the frames' messages before any page script could), and gets only the
// region and the (structured-clone) message data. The filtering rule is the one the Python side documents.
// Messages with an event name the host does not act on are not handed over (Python would convert each of them
// only to ignore it). For the same reason this file tells Python when the frames got new windows because the
// page took the panel out of the document (watchPanel).
// `log` messages, which come by the thousand, are only queued when they arrive (the region and the cloned data, no
// other work): the message event must stay that cheap, because a CCP's protocol messages (a failover, an
// acknowledge) queue behind every line it relayed before them in the page's event loop, which the CCP frames share
// when they are of the page's site. The queue is handed over later, in tasks of their own, in slices of at most
// logBatch.sliceMs (then the next slice waits for a later task: a timer set then runs after every message already
// queued) and blocks of at most logBatch.size lines: each region's lines, in the order they arrived, unread, as the
// JSON text of an array of their data, with their count. Python forwards them to the background, which checks and
// converts them (converting thousands of lines a second on the page's thread delayed the heartbeat answers). In a
// 2 x 50,000-line flood (Chromium, same site), turning each line into JSON and handing 200 to Python in the message
// event made a failover wait 2.5-11 s behind the 6,000-8,000 lines before it.
(function () {
  'use strict';
  var guard = globalThis.grccpPageGuard;
  var windows = new Map();  // region -> the routed frame's window when routed (or last seen in the document)
  var watchers = [];  // the panel watch's observers, disconnected when the session stops
  // `log` messages not yet handed over, in arrival order (region, message data), from index logHead on
  var logRegions = [], logData = [], logHead = 0;
  var COMPACT_AT = 4096;  // handed-over entries dropped from the arrays' front this many at a time
  var waitingLines = new Map();  // region -> how many of them
  var logTimer = null;
  // The last `log` message's arrival (Date.now()) and its age then by its own `time` (the worker's clock is this
  // machine's): how far behind the CCPs relay their lines. null until a line with a time came.
  var newestLine = null;
  // The listening session's handlers (null: none listens); the guard's receiver is set once, for the page's life.
  var session = null;
  // The page API's relay (platform/content/page_api), on opted-in pages: {hear(region, data), notHeard: Set}
  var pageRelay = null;
  // A slice of the queue, from a timer: blocks until it took logBatch.sliceMs, then a timer for the rest. In a hidden
  // tab, whose timers the browser runs about once a second (chained ones once a minute, after five minutes), the
  // whole queue at once: slices would fall behind a flood there.
  function deliverLogSlice() {
    logTimer = null;
    if (session === null) return;
    var started = performance.now();
    var budget = document.hidden ? Infinity : session.logBatch.sliceMs;
    while (logHead < logData.length && session !== null && performance.now() - started < budget) {
      deliverLogBlock();
    }
    if (logHead < logData.length && session !== null) logTimer = setTimeout(deliverLogSlice, 0);
  }
  // Everything queued, now (the tab is left).
  function deliverLogs() {
    clearTimeout(logTimer);
    logTimer = null;
    while (logHead < logData.length && session !== null) deliverLogBlock();
  }
  // The first logBatch.size lines queued, each region's as one block.
  function deliverLogBlock() {
    var current = session;
    var end = Math.min(logData.length, logHead + current.logBatch.size);
    var regions = logRegions.slice(logHead, end), data = logData.slice(logHead, end);
    logHead = end;
    if (logHead === logData.length || logHead >= COMPACT_AT) {
      logRegions.splice(0, logHead);
      logData.splice(0, logHead);
      logHead = 0;
    }
    var byRegion = new Map();  // region -> the data of its lines
    regions.forEach(function (region, index) {
      if (!byRegion.has(region)) byRegion.set(region, []);
      byRegion.get(region).push(data[index]);
    });
    byRegion.forEach(function (lines, region) {
      waitingLines.set(region, waitingLines.get(region) - lines.length);
      current.onLogs(region, jsonOfLines(lines), lines.length);
    });
  }
  // The JSON text of an array of lines' data; `null` for a line that has none (a BigInt, a cycle: structured clone
  // carries both), for the background to drop and log.
  function jsonOfLines(lines) {
    try {
      return JSON.stringify(lines);  // an `undefined` is `null` in an array's JSON
    } catch (error) {
      return '[' + lines.map(jsonOf).join(',') + ']';
    }
  }
  function jsonOf(value) {
    try {
      var text = JSON.stringify(value);
      return text === undefined ? 'null' : text;
    } catch (error) {
      return 'null';
    }
  }
  function onCcpMessage(region, data, originOk) {
    if (session === null) return;
    var current = session;
    if (!originOk) {
      current.onDrop('a message from the ' + region + ' frame came from another origin');
      return;
    }
    var name = data !== null && typeof data === 'object' ? data.event : undefined;
    if (pageRelay !== null && !pageRelay.notHeard.has(name)) pageRelay.hear(region, data);
    if (name === 'log' && current.handled.has(name)) {
      logRegions.push(region);
      logData.push(data.data);
      waitingLines.set(region, (waitingLines.get(region) || 0) + 1);
      var stamp = data.data !== null && typeof data.data === 'object' ? data.data.time : null;
      var time = stamp === null || stamp === undefined ? NaN : new Date(stamp).getTime();
      if (time === time) {
        var now = Date.now();
        newestLine = [now, Math.max(0, now - time)];
      }
      if (logTimer === null) logTimer = setTimeout(deliverLogSlice, current.logBatch.waitMs);
    } else if (typeof name !== 'string' || current.handled.has(name)) {
      current.onMessage(region, data);  // a message without an event name goes on, to be reported as malformed
    }
  }
  function onOtherMessage(reason) {
    if (session !== null) session.onDrop(reason);
  }
  var listening = false;
  globalThis.grccpFrameBridge = {
    route: function (region, frame, origin) {
      guard.route(region, frame, origin);
      windows.set(region, frame.contentWindow);
    },
    // Watches the panel's host element. onForeignAttribute() when an attribute other than `ownNames` changed on
    // it; onLeft() after each change of the document while the host is out of it (Python puts it back when it
    // can); onBack() once it is in the document again with new frame windows (removing an iframe from the
    // document ends its window: the CCPs load again, whoever put it back). The panel's own changes happen inside
    // its shadow root, which the document's observer does not see.
    watchPanel: function (host, ownNames, onForeignAttribute, onLeft, onBack) {
      var own = new Set(ownNames);
      var attributes = new MutationObserver(function (records) {
        if (records.some(function (record) { return !own.has(record.attributeName); })) onForeignAttribute();
      });
      attributes.observe(host, {attributes: true});
      var placement = new MutationObserver(function () {
        if (!host.isConnected) {
          onLeft();
          return;
        }
        var renewed = false;
        for (var [region, known] of windows) {
          var current = guard.windowOf(region);
          if (current !== known) { windows.set(region, current); renewed = true; }
        }
        if (renewed) onBack();
      });
      placement.observe(document, {childList: true, subtree: true});
      watchers.push(attributes, placement);
    },
    // A (new) session's handlers; the previous session's, if any, hear nothing more.
    listen: function (onMessage, onLogBatch, onDrop, handledEvents, logBatch) {
      session = {onMessage: onMessage, onLogs: onLogBatch, onDrop: onDrop, handled: new Set(handledEvents),
                 logBatch: logBatch};
    },
    // The session is ready for the CCPs' messages (its conduits started): the first time, the page guard hands
    // over what the frames of the early start (boot/early_start.js) sent before, then everything as it comes.
    open: function () {
      if (!listening) {
        listening = true;
        guard.receive(onCcpMessage, onOtherMessage);
      }
    },
    // The page API's relay hears every message of the routed frames but those named in notHeard (null: none).
    relayToPage: function (hear, notHeard) {
      pageRelay = hear === null ? null : {hear: hear, notHeard: new Set(notHeard)};
    },
    // The session ends (its panel is taken off the page): no route, no watch, no handler, nothing waiting.
    stop: function () {
      session = null;
      pageRelay = null;
      guard.unrouteAll();
      windows.clear();
      watchers.forEach(function (observer) { observer.disconnect(); });
      watchers = [];
      logRegions = [];
      logData = [];
      logHead = 0;
      waitingLines.clear();
      newestLine = null;
      clearTimeout(logTimer);
      logTimer = null;
    },
    deliverLogs: deliverLogs,  // all queued lines, now
    newestLine: function () { return newestLine; },
    // The regions whose CCP relayed lines that are queued, not handed over yet (each such CCP is answering).
    regionsWithQueuedLogs: function () {
      var regions = [];
      waitingLines.forEach(function (count, region) { if (count > 0) regions.push(region); });
      return regions;
    },
    // callback() once a message posted now through the page's own message queue has come back: every message event
    // queued before it has been dispatched by then, the CCP frames' too (the same queue, first in, first out, in
    // Chromium and Firefox), however far behind the page's thread is; a timer would say nothing about that queue
    // (and runs late in a hidden tab, whose messages are not). The heartbeat's check before a miss (ccp_conduit).
    afterQueuedMessages: function (callback) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () {
        channel.port1.close();
        callback();
      };
      channel.port2.postMessage(null);
    },
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
      var route = guard.routeOf(region);
      var target = route && guard.windowOf(region);
      if (target) { target.postMessage(message, route.origin); }
    }
  };
})();
