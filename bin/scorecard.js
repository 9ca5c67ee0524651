#!/usr/bin/env node
// The `scorecard` command: runs the compiled CLI in lib/ (built by `npm ci` through the prepare script).
const path = require('path');
let cli;
try {
  cli = require(path.join(__dirname, '..', 'lib', 'cli', 'main.js'));
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('scorecard: the command line is not built; run "npm run build:cli" (npm ci does it)\n');
    process.exit(2);
  }
  throw e;
}
cli.main(process.argv).then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`scorecard: ${e && e.message ? e.message : e}\n`);
  process.exitCode = 1;
});
