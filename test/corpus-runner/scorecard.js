#!/usr/bin/env node
// The `scorecard` command run straight from src/ (through tsx), for the corpus test: no build step, no stale lib/.
require('tsx/cjs');
const { main } = require('../../src/cli/main.ts');
main(process.argv).then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`scorecard: ${e && e.message ? e.message : e}\n`);
  process.exitCode = 1;
});
