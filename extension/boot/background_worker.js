// Chrome's MV3 service worker: static files only, run synchronously so that the listeners the Python code
// registers exist at the top level of the worker (how MV3 wakes a worker for an event).
importScripts('/runtime/brython_csp.js', '/runtime/aot_loader.js', '/bundles/background.js');
__BRYTHON__.aot.runMain('background');
