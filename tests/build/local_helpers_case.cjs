// Test helper: runs build/grccp_build/node/local_helpers.cjs on one case and prints {code} or {error} as JSON.
// usage: node local_helpers_case.cjs <case.json>, case = {runtime: [text], module: name, code: text}
'use strict';
const fs = require('fs');
const path = require('path');
const {stableHelpers, withLocalHelpers} = require(
  path.join(__dirname, '..', '..', 'build', 'grccp_build', 'node', 'local_helpers.cjs'));
const testCase = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
try {
  const code = withLocalHelpers(testCase.code, testCase.module, stableHelpers(testCase.runtime));
  process.stdout.write(JSON.stringify({code}) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({error: err.message}) + '\n');
}
