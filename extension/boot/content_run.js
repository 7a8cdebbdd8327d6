// Last file of the content script: runs the compiled Python entry point once per page, even if the browser
// injects the files again into the same isolated world.
if (!globalThis.__grccpContentStarted) {
  globalThis.__grccpContentStarted = true;
  __BRYTHON__.aot.runMain('content_script');
}
