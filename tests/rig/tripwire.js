// Test-only: prepended to the runtime in a copy of the built extension, so it runs first in every context
// (content script, background, extension pages). It counts every call of eval and Function (the product must
// make none) and every CSP violation, and reports the counts where a test can read them.
(function () {
  'use strict';
  var context = typeof document === 'undefined' ? 'background'
    : location.protocol === 'https:' ? 'content'
    : /_generated_background_page|background/.test(location.pathname) ? 'background'
    : location.pathname.replace(/^\/|\.html$/g, '');
  var counts = {eval: 0, Function: 0, csp: 0};
  var where = [];  // first call sites, for a failing test's message
  var api = globalThis.chrome;
  function report() {
    var text = JSON.stringify(counts);
    if (typeof document !== 'undefined' && document.documentElement && context === 'content') {
      document.documentElement.setAttribute('data-grccp-tripwire', text);
    }
    globalThis.__grccpTripwire = counts;
    globalThis.__grccpTripwireWhere = where;
    try { api.storage.local.set({['tripwire:' + context]: counts}); } catch (e) { /* storage not ready */ }
  }
  var realEval = globalThis.eval;
  // A call counts when extension code made it: WebDriver's own script execution (chromedriver wraps scripts in
  // new Function) runs from anonymous frames and is not the product's doing.
  function fromExtension(stack) {
    return String(stack).split('\n').slice(1).some(function (frame) {
      return /(chrome|moz)-extension:\/\//.test(frame) && frame.indexOf('test/tripwire.js') === -1;
    });
  }
  function record(kind) {
    var stack = new Error().stack;
    if (!fromExtension(stack)) { return; }
    counts[kind]++;
    if (where.length < 5) { where.push(stack); }
    report();
  }
  globalThis.eval = function (source) { record('eval'); return realEval(source); };
  var RealFunction = Function;
  var CountingFunction = function () { record('Function'); return RealFunction.apply(this, arguments); };
  CountingFunction.prototype = RealFunction.prototype;
  globalThis.Function = CountingFunction;
  Object.defineProperty(RealFunction.prototype, 'constructor', {value: CountingFunction, configurable: true, writable: true});
  if (typeof addEventListener === 'function') {
    addEventListener('securitypolicyviolation', function () { counts.csp++; report(); });
  }
  report();
})();
