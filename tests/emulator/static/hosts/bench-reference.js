/* Benchmark instrumentation of the reference page (bench-reference.html), read by tests/bench through WebDriver.
   Times are this page's performance.now() (ms since navigation start) unless named *At (wall clock, Date.now()). */
'use strict';

window.bench = {
  scriptsEvaluated: performance.now(),  // connect-streams-dr-min.js has been fetched, parsed and run by now
  scriptFetched: (performance.getEntriesByType('resource').filter(function (e) {
    return /connect-streams-dr-min\.js$/.test(e.name);
  })[0] || {}).responseEnd || null,
  ready: {},          // region -> first ACKNOWLEDGE processed by that region's Streams (connect.core.onInitialized)
  initHandlers: {},   // region -> globalConnect.core.onInit fired (regional frame created, Streams initCCP called)
  primaryResolved: null,
  clickAt: null,      // Date.now() of the download button's click
  errors: []
};

window.addEventListener('error', function (e) { window.bench.errors.push(String(e.message)); });

globalConnect.core.onInit(function (regionalConnect, region) {
  window.bench.initHandlers[region] = performance.now();
  regionalConnect.core.onInitialized(function () {
    if (!(region in window.bench.ready)) window.bench.ready[region] = performance.now();
  });
});

/** Entries in each region's Streams logger (what downloadLogs() writes). */
window.bench.logCounts = function () {
  var counts = {};
  Object.keys(globalConnect.core.regions || {}).forEach(function (region) {
    var logger = globalConnect.core.regions[region].connect.getLog();
    counts[region] = logger._logs.length + logger._rolledLogs.length;
  });
  return counts;
};

/** When the reference made a regional frame visible (its style, set by connect-streams-dr.js): wall clock. */
window.bench.shownAt = {};
globalConnect.core.onInit(function () {
  var global = document.getElementById('globalCCP');
  if (!global || global.dataset.benchObserved) return;
  global.dataset.benchObserved = '1';
  new MutationObserver(function (records) {
    var at = performance.timeOrigin + performance.now();
    records.forEach(function (record) {
      var frame = record.target;
      if (frame.id && /100%/.test(frame.getAttribute('style') || '')) window.bench.shownAt[frame.id] = at;
    });
  }).observe(global.contentDocument.body, {attributes: true, attributeFilter: ['style'], subtree: true});
});
