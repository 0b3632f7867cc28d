/**
 * The benchmark workload (the project's performance notes, SPEC issue 3), shared by every
 * contender so that they train on identical data from identical parameters:
 * - N virtual nodes; node i has its own fixed batch of 32 random samples for each of its
 *   `localSteps` local steps (64 standard-normal features, 10 uniformly random classes),
 *   generated once, so data loading is not timed;
 * - MLP 64 → 64 (ReLU) → 10, softmax cross-entropy (mean over the batch), 4,810 parameters,
 *   plain SGD with lr 0.1, every node starting from the global parameters;
 * - aggregation: global = Σ w_i θ_i with w_i = n_i / Σ n = 1 / N.
 * node-steps/s = rounds × N × localSteps / seconds.
 */
import { initParams } from '../dist/train/params.js';

export const FEATURES = 64;
export const HIDDEN = [64];
export const CLASSES = 10;
export const BATCH = 32;
export const LEARNING_RATE = 0.1;
export const INIT_SEED = 1;

/** mulberry32: a tiny seeded generator, so the workload is the same on every run. */
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

/** Standard normal by Box–Muller. */
function normal(random) {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function randomData(samples, random) {
  const features = new Float32Array(samples * FEATURES);
  for (let k = 0; k < features.length; k++) features[k] = normal(random);
  const labels = Int32Array.from({ length: samples }, () => Math.floor(random() * CLASSES));
  return { features, labels, samples, featureCount: FEATURES, classCount: CLASSES };
}

/**
 * The training set (N · localSteps · 32 samples), the test set, each node's step batches
 * (node i, step s: rows (i·K + s)·32 …), the aggregation weights and the initial parameters.
 */
export function makeWorkload(nodes, localSteps) {
  const random = makeRandom(1000 * nodes + localSteps);
  const train = randomData(nodes * localSteps * BATCH, random);
  const test = randomData(256, random);
  const tasks = Array.from({ length: nodes }, (_, i) => ({
    stepBatches: Array.from({ length: localSteps }, (_, s) =>
      Int32Array.from({ length: BATCH }, (_, k) => (i * localSteps + s) * BATCH + k),
    ),
  }));
  const weights = new Float64Array(nodes).fill(1 / nodes);
  return { train, test, tasks, weights, initialParams: initParams(FEATURES, HIDDEN, CLASSES, INIT_SEED) };
}
