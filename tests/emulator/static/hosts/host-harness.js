/* Shared by the host harness pages: a record of what happened (read by tests through WebDriver) and the page's
   query options. `window.EMULATOR` (from /emulator/config.js) says where the emulated instances are. */
'use strict';

window.recorded = [];

function record(kind, detail) {
  window.recorded.push({kind: kind, detail: detail === undefined ? null : detail, at: Date.now()});
}

function recordedOf(kind) {
  return window.recorded.filter(function (r) { return r.kind === kind; });
}

var pageOptions = (function () {
  var query = new URLSearchParams(location.search);
  var number = function (name) { return query.has(name) ? Number(query.get(name)) : undefined; };
  return {
    get: function (name, fallback) { return query.has(name) ? query.get(name) : fallback; },
    timeouts: function () {
      return {ccpLoadTimeout: number('ccpLoadTimeout'), ccpAckTimeout: number('ccpAckTimeout'),
              ccpSynTimeout: number('ccpSynTimeout')};
    },
    loginPopup: query.get('loginPopup') === '1'  // off unless asked: no stray windows in tests
  };
})();

/** A message's data as WebDriver can return it: Dates written as {$date: <ISO>}, undefined as null. */
function plainCopy(value) {
  if (value instanceof Date) return {$date: value.toISOString()};
  if (Array.isArray(value)) return value.map(plainCopy);
  if (value && typeof value === 'object') {
    var copy = {};
    Object.keys(value).forEach(function (k) { copy[k] = plainCopy(value[k]); });
    return copy;
  }
  return value === undefined ? null : value;
}

/** For tests of Streams API calls: `run(callbacks)` gets {success, failure}; resolves {ok, err} once one fires. */
function callStreams(run) {
  return new Promise(function (resolve) {
    run({success: function () { resolve({ok: true}); }, failure: function (err) { resolve({ok: false, err: String(err)}); }});
  });
}

function instanceOf(region) {
  return window.EMULATOR.instances.filter(function (i) { return i.region === region; })[0];
}

window.addEventListener('error', function (e) { record('page-error', String(e.message)); });
