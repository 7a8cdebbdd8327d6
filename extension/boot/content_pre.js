// First file of the content script's Python part (after boot/page_guard.js and boot/early_start.js). Content
// scripts have no document.currentScript, so the runtime is told where the extension lives before it loads. The
// moment the content script starts is kept, not marked: a performance mark is visible to the page, and the script
// runs on every port of an allowlisted host, so nothing the page can observe may happen before the background says
// the page is allowlisted. The tab session marks it then (grccp-content-start, with this start time: the
// benchmark reads it).
globalThis.grccpContentStart = performance.now();
if (!globalThis.__BRYTHON__) {
  globalThis.__BRYTHON__ = {brython_path: chrome.runtime.getURL('/')};
}
// The runtime, the loader and the bundle that follow queue themselves here (build: python_steps.QUEUE) instead of
// running: boot/content_run.js runs them.
globalThis.grccpPythonSteps = [];
