// Last file of the content script (document_start, after the page guard and the early start): runs the compiled
// Python entry point once per page, even if the browser injects the files again into the same isolated world.
// Python's steps (the runtime, the loader, the bundle: queued since boot/content_pre.js) run each in a task of its
// own while the page loads: the page's parser, the early start's storage read and the background's answer
// (boot/early_start.js), which make the CCP frames, run between them instead of after Python's whole start (0.3-0.5
// s of the page's thread). The entry point runs once they have and the document is parsed (it places the panel).
(function () {
  'use strict';
  var steps = globalThis.grccpPythonSteps.splice(0);  // this injection's (a second one's are never run)
  if (globalThis.__grccpContentStarted) return;
  globalThis.__grccpContentStarted = true;
  var runMain = function () { __BRYTHON__.aot.runMain('content_script'); };
  var next = function () {
    steps.shift()();
    if (steps.length) setTimeout(next, 0);
    else globalThis.grccpEarlyStart.whenParsed(function () { setTimeout(runMain, 0); });
  };
  setTimeout(next, 0);
})();
