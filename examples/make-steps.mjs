#!/usr/bin/env node
/**
 * Writes examples/steps.csv: synthetic step times of examples/calibrate-cluster.yaml's nodes,
 * drawn from known values of the time model (Amdahl with a per-step overhead) with seeded
 * noise, so that `dtrain calibrate … --from examples/steps.csv` can be checked against the
 * truth (test/calibrate/recovery.test.ts does). See examples/README.md.
 *
 *   node examples/make-steps.mjs [--seed N] [--noise SIGMA] [--out FILE]
 *
 * Same arguments ⇒ the same file, byte for byte.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The truth, per node entry of examples/calibrate-cluster.yaml (`gpu` is a group of 4). */
export const TRUE_VALUES = {
  a: { msPerSample: 0.4, parallelFraction: 0.9, stepOverheadMs: 2 },
  b: { msPerSample: 1.5, parallelFraction: 0.6, stepOverheadMs: 5 },
  gpu: { msPerSample: 0.05, parallelFraction: 0.97, stepOverheadMs: 0.8 },
};
/** Which ids the rows name: plain nodes by their id; the group by member ids and by its own id. */
const ROW_NAMES = { a: ['a'], b: ['b'], gpu: ['gpu-1', 'gpu-2', 'gpu-3', 'gpu-4', 'gpu'] };
export const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128];
export const THREADS = [1, 2, 4, 8];
export const DEFAULT_SEED = 13;
/** standard deviation of the multiplicative noise's logarithm (0.01 ≈ ±1 %) */
export const DEFAULT_NOISE = 0.01;

/** mulberry32: a tiny seeded generator, the same on every platform. */
function makeRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random) {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function trueStepMs({ msPerSample, parallelFraction: p, stepOverheadMs }, batch, threads) {
  return stepOverheadMs + batch * msPerSample * (1 - p + p / threads);
}

/** The CSV text: one row per node entry, batch and thread count, in a seeded shuffled order (as a log would interleave them). */
export function makeSteps({ seed = DEFAULT_SEED, noise = DEFAULT_NOISE } = {}) {
  const random = makeRandom(seed);
  const rows = [];
  for (const [entry, truth] of Object.entries(TRUE_VALUES)) {
    const names = ROW_NAMES[entry];
    let k = 0;
    for (const batch of BATCHES) {
      for (const threads of THREADS) {
        const stepMs = trueStepMs(truth, batch, threads) * Math.exp(noise * normal(random));
        rows.push({ node: names[k++ % names.length], batch, threads, stepMs });
      }
    }
  }
  // Fisher–Yates with the same stream
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const lines = ['node,batch,threads,stepMs'];
  for (const row of rows) lines.push(`${row.node},${row.batch},${row.threads},${row.stepMs.toFixed(4)}`);
  return `${lines.join('\n')}\n`;
}

function parseArgs(argv) {
  const options = { seed: DEFAULT_SEED, noise: DEFAULT_NOISE, out: fileURLToPath(new URL('steps.csv', import.meta.url)) };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${argv[i]} needs a value`);
    if (argv[i] === '--seed') options.seed = Number(value);
    else if (argv[i] === '--noise') options.noise = Number(value);
    else if (argv[i] === '--out') options.out = value;
    else throw new Error(`unknown option ${argv[i]} (use --seed N, --noise SIGMA, --out FILE)`);
  }
  return options;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  writeFileSync(options.out, makeSteps(options));
  process.stderr.write(`wrote ${options.out}\n`);
}
