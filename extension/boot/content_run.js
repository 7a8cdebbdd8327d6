// Last file of the content script: runs the compiled Python entry point once per page, even if the browser
// injects the files again into the same isolated world, and only behind the page guard. A page whose load began
// while the registrations were being made or changed can get this part without boot/page_guard.js (registered
// apart, at document_start): its scripts ran before any guard, so the extension stays out of that page until it
// loads again.
if (!globalThis.grccpPageGuard) {
  console.warn('Global Resiliency CCP: this page loaded while the extension was being set up: reload it.');
} else if (!globalThis.__grccpContentStarted) {
  globalThis.__grccpContentStarted = true;
  __BRYTHON__.aot.runMain('content_script');
}
