// Test helper: runs one compiled entry module of a built package under Node, with the package's own runtime
// and loader, the way a worker context would. Prints what the Python code prints; exit 1 on a Python error.
// usage: node run_bundle.cjs <package dir> <bundle name> <module>
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const [pkg, bundle, entry] = process.argv.slice(2);
globalThis.self = globalThis;
globalThis.addEventListener = function () {};
const $B = require(path.join(pkg, 'runtime', 'brython_csp.js')).__BRYTHON__;
globalThis.__BRYTHON__ = $B;
for (const file of ['runtime/aot_loader.js', `bundles/${bundle}.js`]) {
  vm.runInThisContext(fs.readFileSync(path.join(pkg, file), 'utf8'), {filename: file});
}
try {
  $B.aot.runMain(entry);
} catch (err) {
  process.exit(1);
}
