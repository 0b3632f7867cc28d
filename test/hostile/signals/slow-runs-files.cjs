// Preloaded (--require) into the CLI by the sweep and study tests of a signal after planning:
// makes the fs call DTRAIN_TEST_SLOW (lstatSync: checking the files the command would write;
// openSync: reading the results stored by an earlier run) take 2 ms more on a run's file in
// --out, as on a slow network file system, and says on stderr, once, when the command first
// makes it. The command's loop over its runs' files then lasts seconds, during which a signal
// must be answered at once, not once the loop is done.
const fs = require('node:fs');
const name = process.env.DTRAIN_TEST_SLOW;
const original = fs[name];
const RUN_FILE = /[0-9a-f]{16}[^/]*\.json$/;
let said = false;
fs[name] = function slow(path, ...rest) {
  if (typeof path === 'string' && RUN_FILE.test(path)) {
    if (!said) process.stderr.write(`[${name}]\n`);
    said = true;
    const until = performance.now() + 2;
    while (performance.now() < until);
  }
  return original.call(this, path, ...rest);
};
