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

function instanceOf(region) {
  return window.EMULATOR.instances.filter(function (i) { return i.region === region; })[0];
}

window.addEventListener('error', function (e) { record('page-error', String(e.message)); });
