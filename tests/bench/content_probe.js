// Benchmark probe, put in front of the content script of the bench's copy of the extension after probe_core.js
// (never the product): accounts for the time the content script's own code runs (every listener, timer, frame and
// runtime callback it registers through window, document and chrome.runtime), how late its timers fire, the
// cs:log-batch messages it sends, and when the log lines the bench follows (the last line of a log flood) reach
// it and leave it. The bench reads globalThis.__grccpBench through chrome.scripting (the content script's world).
(function () {
  'use strict';
  if (globalThis.__grccpBench) return;
  var recorder = grccpBenchRecorder(20000);
  var logBatches = 0, logEntriesSent = 0;
  var watch = {}, seen = {};  // a followed line's text -> its region; region -> {relayed, sent} (wall clock)

  function followed(data) {
    var entry = data && data.event === 'log' ? data.data : null;
    var region = entry && typeof entry.text === 'string' ? watch[entry.text] : undefined;
    if (region !== undefined && !seen[region]) seen[region] = {relayed: recorder.wall()};
  }

  var wrappedListeners = new WeakMap();
  function listeners(target, name) {
    var add = target.addEventListener, remove = target.removeEventListener;
    target.addEventListener = function (type, listener, options) {
      if (typeof listener !== 'function') return add.call(this, type, listener, options);
      var wrapped = wrappedListeners.get(listener);
      if (!wrapped) {
        wrapped = recorder.timed(name + ':' + type, listener,
                                 type === 'message' ? function (event) { followed(event.data); } : null);
        wrappedListeners.set(listener, wrapped);
      }
      return add.call(this, type, wrapped, options);
    };
    target.removeEventListener = function (type, listener, options) {
      return remove.call(this, type, wrappedListeners.get(listener) || listener, options);
    };
  }
  listeners(window, 'window');
  listeners(document, 'document');
  recorder.timers(window);
  var frameNative = window.requestAnimationFrame;
  window.requestAnimationFrame = function (callback) {
    return frameNative.call(window, recorder.timed('frame', callback));
  };

  var runtime = chrome.runtime;
  var sendNative = runtime.sendMessage;
  runtime.sendMessage = function () {
    var args = Array.prototype.slice.call(arguments);
    var message = args[0];
    var type = message && message.type;
    if (type === 'cs:log-batch' || type === 'cs:relayed-logs') {
      logBatches += 1;
      if (Array.isArray(message.entries)) logEntriesSent += message.entries.length;
      grccpBenchFollowedIn(message, watch).forEach(function (text) {
        var region = watch[text];
        if (seen[region] && !seen[region].sent) seen[region].sent = recorder.wall();
      });
    }
    var last = args.length - 1;
    if (typeof args[last] === 'function') args[last] = recorder.timed('runtime-reply:' + type, args[last]);
    return sendNative.apply(runtime, args);
  };
  var onMessage = runtime.onMessage, addNative = onMessage.addListener, removeNative = onMessage.removeListener;
  var wrappedHandlers = new WeakMap();
  onMessage.addListener = function (listener) {
    var wrapped = recorder.timed(function (message) { return 'runtime-message:' + (message && message.type); },
                                 listener);
    wrappedHandlers.set(listener, wrapped);
    return addNative.call(onMessage, wrapped);
  };
  onMessage.removeListener = function (listener) {
    return removeNative.call(onMessage, wrappedHandlers.get(listener) || listener);
  };

  globalThis.__grccpBench = {
    // texts: {log line text: region}; forgets what was seen before
    follow: function (texts) { watch = texts; seen = {}; return {following: Object.keys(texts).length}; },
    snapshot: function (since) {
      return Object.assign(recorder.snapshot(since), {logBatches: logBatches, logEntriesSent: logEntriesSent,
                                                      seen: seen});
    }
  };
})();
