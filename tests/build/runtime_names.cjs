// Test helper: loads a Brython runtime under Node and prints the names it defines on __BRYTHON__, and the
// modules and builtins it provides, as one JSON line.
// usage: node runtime_names.cjs <runtime.js>
'use strict';
const path = require('path');
globalThis.self = globalThis;
globalThis.addEventListener = function () {};
const $B = require(path.resolve(process.argv[2])).__BRYTHON__;
process.stdout.write(JSON.stringify({
  names: Object.keys($B), modules: Object.keys($B.imported), builtins: Object.keys($B.builtins)}) + '\n');
