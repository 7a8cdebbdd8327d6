// Test helper: runs one compiled entry module of a built package under Node, with the package's own runtime
// and loader, the way a worker context would. Prints what the Python code prints; exit 1 on a Python error.
// With "queued", the files are loaded as the content script loads them (build: python_steps): each must queue
// itself and run only when its step is called (exit 2 otherwise).
// usage: node run_bundle.cjs <package dir> <bundle name> <module> [queued]
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const [pkg, bundle, entry, mode] = process.argv.slice(2);
globalThis.self = globalThis;
globalThis.addEventListener = function () {};
if (mode === 'queued') globalThis.grccpPythonSteps = [];
require(path.join(pkg, 'runtime', 'brython_csp.js'));
for (const file of ['runtime/aot_loader.js', `bundles/${bundle}.js`]) {
  vm.runInThisContext(fs.readFileSync(path.join(pkg, file), 'utf8'), {filename: file});
}
if (mode === 'queued') {
  const steps = globalThis.grccpPythonSteps.splice(0);
  if (globalThis.__BRYTHON__ !== undefined || steps.length !== 3) {
    console.log(`not queued: ${steps.length} steps, the runtime ${globalThis.__BRYTHON__ ? 'ran' : 'did not run'}`);
    process.exit(2);
  }
  steps.forEach((step) => step());
}
const $B = globalThis.__BRYTHON__;
try {
  $B.aot.runMain(entry);
} catch (err) {
  process.exit(1);
}
