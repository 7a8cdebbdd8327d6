// Last file of the content script: runs the compiled Python entry point once per page, even if the browser
// injects the files again into the same isolated world, and only behind the page guard. A page whose load began
// while the registrations were being made or changed can get this part without boot/page_guard.js (registered
// apart, at document_start): its scripts ran before any guard, so the extension stays out of that page until it
// loads again.
// Python (the runtime, the loader, the bundle: the steps queued since boot/content_pre.js) starts once the early
// start has made the CCP frames or heard the background (boot/early_start.js, decided): started at once, it would
// hold the page's thread for its whole start (~0.2-0.5 s), and the early start's storage read and the background's
// answer, so the frames, would wait behind it.
(function () {
  'use strict';
  var steps = globalThis.grccpPythonSteps.splice(0);  // this injection's (a second one's are never run)
  if (!globalThis.grccpPageGuard) {
    console.warn('Global Resiliency CCP: this page loaded while the extension was being set up: reload it.');
  } else if (!globalThis.__grccpContentStarted) {
    globalThis.__grccpContentStarted = true;
    globalThis.grccpEarlyStart.decided(function () {
      steps.forEach(function (step) { step(); });
      __BRYTHON__.aot.runMain('content_script');
    });
  }
})();
