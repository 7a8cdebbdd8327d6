// Benchmark probes' shared part, put in front of each probe (content_probe.js, background_probe.js) in the bench's
// copy of the extension by tests/bench/instrument.py (never the product). A recorder of the extension's own tasks:
// timed(kind, callback) wraps a callback so that each run is added to the totals by kind ({n, ms}) and to a ring
// of the last records [kind, start, end]; timers(owner) wraps owner.setTimeout so that timer callbacks are timed
// and their lateness summed. Times: wall clock (timeOrigin + performance.now(): Date.now() is too coarse).
var grccpBenchRecorder = function (ringSize) {
  'use strict';
  var origin = performance.timeOrigin;
  var ring = [], ringAt = 0, depth = 0;
  var recorder = {totals: {}, timersFired: 0, timerLateMs: 0};

  function wall() { return origin + performance.now(); }
  recorder.wall = wall;
  recorder.startedAt = wall();  // a context started again has a new recorder

  recorder.remember = function (record) {
    if (ring.length < ringSize) ring.push(record); else ring[ringAt] = record;
    ringAt = (ringAt + 1) % ringSize;
  };

  function account(kind, start) {
    var end = wall();
    var total = recorder.totals[kind] || (recorder.totals[kind] = {n: 0, ms: 0});
    total.n += 1;
    total.ms += end - start;
    recorder.remember([kind, start, end]);
  }

  // kind: a name, or a function of the callback's arguments giving one; before(...arguments) runs first, untimed
  recorder.timed = function (kind, callback, before) {
    return function () {
      if (before) before.apply(this, arguments);
      if (depth) return callback.apply(this, arguments);  // already inside a timed task
      var start = wall();
      depth += 1;
      try {
        return callback.apply(this, arguments);
      } finally {
        depth -= 1;
        account(typeof kind === 'function' ? kind.apply(this, arguments) : kind, start);
      }
    };
  };

  recorder.timers = function (owner) {
    var native = owner.setTimeout;
    owner.setTimeout = function (callback, delay) {
      if (typeof callback !== 'function') return native.apply(owner, arguments);
      var due = wall() + Math.max(0, Number(delay) || 0);
      var args = Array.prototype.slice.call(arguments, 2);
      return native.call(owner, recorder.timed('timer', callback, function () {
        recorder.timersFired += 1;
        recorder.timerLateMs += Math.max(0, wall() - due);
      }), delay, ...args);
    };
  };

  // what the bench reads: the totals, and the records that end at or after `since`
  recorder.snapshot = function (since) {
    return {startedAt: recorder.startedAt, totals: recorder.totals, timersFired: recorder.timersFired,
            timerLateMs: recorder.timerLateMs, now: wall(),
            records: ring.filter(function (record) { return record[2] >= (since || 0); })};
  };
  return recorder;
};

// The followed log lines ({text: region}) a runtime message carries: the entries of a cs:log-batch, or the lines of
// a cs:relayed-logs (blocks of JSON text, searched for each followed text as a JSON string, not parsed).
var grccpBenchFollowedIn = function (message, watch) {
  var found = [];
  if (message && message.type === 'cs:log-batch' && Array.isArray(message.entries)) {
    message.entries.forEach(function (entry) {
      if (entry && watch[entry.text] !== undefined) found.push(entry.text);
    });
  } else if (message && message.type === 'cs:relayed-logs' && Array.isArray(message.blocks)) {
    Object.keys(watch).forEach(function (text) {
      var quoted = JSON.stringify(text);
      if (message.blocks.some(function (block) {
        return block && typeof block.lines === 'string' && block.lines.indexOf(quoted) >= 0;
      })) found.push(text);
    });
  }
  return found;
};
