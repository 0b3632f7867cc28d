#!/usr/bin/env -S node --max-semi-space-size=64
// The flag: a young generation of up to 64 MiB per semi-space (V8's default is 16), so that a
// round's short-lived objects die young instead of being copied and promoted; it can only be
// set as Node starts (docs/hostile-input-and-limits.md, under "Limits").
import '../dist/cli/stop-on-signal.js'; // first: a signal while the CLI loads still exits 130
import('../dist/cli.js');
