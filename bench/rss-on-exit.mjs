// Preloaded (`node --import ./bench/rss-on-exit.mjs …`) into a command the bench times as a
// user runs it: on exit, writes the process's peak RSS and wall time as one JSON line to the
// file named by DTRAIN_BENCH_RSS_FILE (the command's own stdout and stderr stay untouched).
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { peakRssMB } from './peak-rss.mjs';

const file = process.env.DTRAIN_BENCH_RSS_FILE;
if (file) {
  process.on('exit', (code) => {
    appendFileSync(file, `${JSON.stringify({ exitCode: code, wallMs: performance.now(), peakRssMB: peakRssMB() })}\n`);
  });
}
