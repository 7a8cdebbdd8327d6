// Benchmark probe, run first in the background of the bench's copy of the extension after probe_core.js (never
// the product): the Chromium service worker or the Firefox event page. Accounts for the time the background's own
// code runs (each runtime message by type, storage change events, timers, storage and IndexedDB callbacks), how
// late its timers fire, and its storage writes (chrome.storage.local and IndexedDB transactions: how many, how
// long from the call to the browser's answer). For the log lines the bench follows (the last line of a log
// flood), when the cs:log-batch carrying each arrived and when the first storage write of that region's log
// begun after it completed: from then on the line is in storage (the log store writes whatever is pending when a
// write begins, the archive before the meta record). The bench talks to it over BroadcastChannel('grccp-bench')
// from its control page.
(function () {
  'use strict';
  var scope = globalThis;
  var recorder = grccpBenchRecorder(20000);
  var writes = {'storage.local.set': {n: 0, ms: 0}, 'storage.local.remove': {n: 0, ms: 0},
                'indexedDB.readwrite': {n: 0, ms: 0}};
  var watch = {}, received = {}, stored = {};  // followed text -> region; region -> wall clock / {writeStarted, stored}

  function wrote(kind, start, regions) {
    var end = recorder.wall();
    writes[kind].n += 1;
    writes[kind].ms += end - start;
    recorder.remember(['write:' + kind, start, end]);
    (regions || []).forEach(function (region) {
      if (!stored[region]) stored[region] = {writeStarted: start, stored: end};
    });
  }

  function events(event, kind, before) {
    var add = event.addListener, remove = event.removeListener, wrapped = new WeakMap();
    event.addListener = function (listener) {
      var timedListener = recorder.timed(kind, listener, before);
      wrapped.set(listener, timedListener);
      return add.call(event, timedListener);
    };
    event.removeListener = function (listener) { return remove.call(event, wrapped.get(listener) || listener); };
  }

  events(scope.chrome.runtime.onMessage, function (message) { return 'message:' + (message && message.type); },
         function (message) {
           grccpBenchFollowedIn(message, watch).forEach(function (text) {
             var region = watch[text];
             if (!received[region]) received[region] = recorder.wall();
           });
         });
  events(scope.chrome.storage.onChanged, 'storage-changed');
  recorder.timers(scope);

  var local = scope.chrome.storage.local;
  ['set', 'remove'].forEach(function (method) {
    var native = local[method];
    local[method] = function () {
      var args = Array.prototype.slice.call(arguments);
      var start = recorder.wall();
      var regions = [];
      if (method === 'set' && args[0]) {  // a write of a followed region's log, begun after its line arrived
        Object.keys(received).forEach(function (region) {
          if (!stored[region] && ('log:' + region) in args[0]) regions.push(region);
        });
      }
      var last = args.length - 1;
      var finish = function () { wrote('storage.local.' + method, start, regions); };
      if (typeof args[last] === 'function') {
        args[last] = recorder.timed('storage-reply', args[last], finish);
        return native.apply(local, args);
      }
      var result = native.apply(local, args);
      if (result && typeof result.then === 'function') result.then(finish, finish);
      return result;
    };
  });
  var getNative = local.get;
  local.get = function () {
    var args = Array.prototype.slice.call(arguments);
    var last = args.length - 1;
    if (typeof args[last] === 'function') args[last] = recorder.timed('storage-reply', args[last]);
    return getNative.apply(local, args);
  };

  if (scope.IDBDatabase) {
    var idbAdd = IDBTransaction.prototype.addEventListener;
    var transactionNative = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (stores, mode) {
      var transaction = transactionNative.apply(this, arguments);
      if (mode === 'readwrite') {
        var start = recorder.wall();
        idbAdd.call(transaction, 'complete', function () { wrote('indexedDB.readwrite', start); });
      }
      return transaction;
    };
    IDBTransaction.prototype.addEventListener = function (type, listener, options) {
      return idbAdd.call(this, type, typeof listener === 'function' ? recorder.timed('indexedDB-event', listener)
                                                                    : listener, options);
    };
  }

  var channel = new BroadcastChannel('grccp-bench');
  channel.onmessage = function (event) {
    var request = event.data || {};
    if (request.follow) {  // {log line text: region}; forgets what was seen before
      watch = request.follow;
      received = {};
      stored = {};
    }
    var snapshot = Object.assign(recorder.snapshot(request.since), {writes: writes, received: received,
                                                                    stored: stored});
    channel.postMessage({id: request.id, snapshot: snapshot});
  };
})();
