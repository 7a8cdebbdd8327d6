// Extension pages (popup, options): runs the compiled entry point named by this script tag's data-module.
__BRYTHON__.aot.runMain(document.currentScript.dataset.module);
