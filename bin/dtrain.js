#!/usr/bin/env node
import '../dist/cli/stop-on-signal.js'; // first: a signal while the CLI loads still exits 130
import('../dist/cli.js');
