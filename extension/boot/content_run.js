// Last file of the content script: runs the compiled Python entry point once per page, even if the browser
// injects the files again into the same isolated world, and only behind the page guard. A page whose load began
// while the registrations were being made or changed can get this part without boot/page_guard.js (registered
// apart, at document_start): its scripts ran before any guard, so the extension stays out of that page until it
// loads again.
// Python's steps (the runtime, the loader, the bundle: queued since boot/content_pre.js; then the entry point) run
// each in a task of its own: the early start's storage read and the background's answer (boot/early_start.js),
// which make the CCP frames, come in tasks too, and run between the steps instead of after Python's whole start
// (0.3-0.5 s of the page's thread, which the frames waited for when it ran at once).
(function () {
  'use strict';
  var steps = globalThis.grccpPythonSteps.splice(0);  // this injection's (a second one's are never run)
  if (!globalThis.grccpPageGuard) {
    console.warn('Global Resiliency CCP: this page loaded while the extension was being set up: reload it.');
  } else if (!globalThis.__grccpContentStarted) {
    globalThis.__grccpContentStarted = true;
    steps.push(function () { __BRYTHON__.aot.runMain('content_script'); });
    var next = function () {
      steps.shift()();
      if (steps.length) setTimeout(next, 0);
    };
    setTimeout(next, 0);
  }
})();
