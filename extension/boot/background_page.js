// Firefox's MV3 event page: the runtime, loader and bundle are listed before this file in the manifest.
__BRYTHON__.aot.runMain('background');
