// First file of the content script. Content scripts have no document.currentScript, so the runtime is told
// where the extension lives before it loads; and the time origin of the content script is marked.
performance.mark('grccp-content-start');
if (!globalThis.__BRYTHON__) {
  globalThis.__BRYTHON__ = {brython_path: chrome.runtime.getURL('/')};
}
