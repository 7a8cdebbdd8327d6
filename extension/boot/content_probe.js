// Run in an open tab before the background injects the content script there (platform/background/open_tabs):
// its value says whether the content script already runs in the page (registered and still starting, or
// injected before), so that the runtime is never loaded a second time over a running one.
Boolean(globalThis.__grccpContentStarted);
