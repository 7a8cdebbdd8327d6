// Shortens the shipped JavaScript of Python's run time (the runtime, the loader, the bundles) with the pinned
// terser, at build time: local names mangled, nothing else changed (no compress: what runs is what Brython
// generated, statement for statement). The browsers parse every byte of the content script on every page load.
//
// usage: node minify.cjs <request.json>
// request = [{in: <path>, out: <path>}]
// Exits non-zero naming the file terser could not parse.
'use strict';
const fs = require('fs');
const {minify} = require('terser');

// wrap_func_args, wrap_iife: a function expression given as an argument, or called where it is written (a class
// body), keeps its parentheses: V8's hint to compile it with the code around it instead of pre-parsing it then and
// parsing it again when it is called (a module's body: node/compile_modules.cjs).
const OPTIONS = {compress: false, mangle: true, format: {comments: false, wrap_func_args: true, wrap_iife: true}};

(async function () {
  const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const file of request) {
    let result;
    try {
      result = await minify(fs.readFileSync(file.in, 'utf8'), OPTIONS);
    } catch (error) {
      process.stderr.write(`${file.in}: ${error.message} (line ${error.line}, column ${error.col})\n`);
      process.exit(1);
    }
    fs.writeFileSync(file.out, result.code);
  }
})();
