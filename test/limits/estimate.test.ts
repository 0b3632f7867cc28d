import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BASE_MEMORY_BYTES, estimateRun, estimateSimulatedMs, largestBatch, typicalLatencyMs } from '../../src/limits/estimate.js';
import { parseScenarioText } from '../../src/node/load.js';
import { traceSamples } from '../helpers/trace-samples.js';

const IRIS = { samples: 150, features: 4, classes: 3 };

// Two constant links, softmax regression on iris: 15 parameters, K = 10 samples per window.
const SMALL = parseScenarioText(`
rounds: 10
strategy: s1s4
data: { dataset: iris, testFraction: 0.2 }
model: { hidden: [], localSteps: 1 }
pipeline:
  s1: { intervalMs: 100, windowMs: 1s }
  s2: { standardBatch: 64 }
cluster:
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: { constant: 7 } }
`, 'small.yaml');

/** `nodes` constant-link nodes training an MLP with one hidden layer of 64 at batch 32. */
function mlpCluster(nodes: number) {
  return parseScenarioText(`
rounds: 10
data: { dataset: iris }
model: { hidden: [64] }
pipeline: { s2: { standardBatch: 64 } }
cluster:
  nodes:
    - { id: n, count: ${nodes}, latency: { constant: 5 } }
`, 'mlp.yaml');
}

describe('estimateRun with traces', () => {
  it('looks a trace over for lost samples once, however many nodes replay it; a lost sample makes each of them retry', () => {
    const withLoss = traceSamples([{ timeMs: 0, latencyMs: 3 }, { timeMs: 1, latencyMs: null }]);
    const clean = traceSamples([{ timeMs: 0, latencyMs: 3 }, { timeMs: 1, latencyMs: 4 }]);
    const base = mlpCluster(1000);
    const replaying = (samples: ReturnType<typeof traceSamples>) => ({
      ...base,
      cluster: { ...base.cluster, nodes: base.cluster.nodes.map((node) => ({ ...node, latency: { ...node.latency, process: { kind: 'trace' as const, file: 't.csv', loop: true, samples } } })) },
    });
    const scans = vi.spyOn(Float64Array.prototype, 'some');
    try {
      const lossy = estimateRun(replaying(withLoss), IRIS, { json: false, trace: false });
      const quiet = estimateRun(replaying(clean), IRIS, { json: false, trace: false });
      // each trace scanned once (both estimates ask twice per node: tries and the simulated time)
      expect(scans.mock.contexts.filter((array) => array === withLoss.latenciesMs || array === clean.latenciesMs)).toHaveLength(2);
      // 10 rounds × (1,000 nodes × 20 window samples + tries): 2 a node, + 2 × 20 retries where a sample is lost
      const lookups = (estimate: typeof lossy) => estimate.timeParts.find((part) => part.what.startsWith('latency samples'))!.value;
      expect(lookups(quiet)).toBeCloseTo(10 * (1000 * 20 + 1000 * 2) * 0.5e-6, 12);
      expect(lookups(lossy)).toBeCloseTo(10 * (1000 * 20 + 1000 * (2 + 40)) * 0.5e-6, 12);
    } finally {
      scans.mockRestore();
    }
  });
});

describe('estimateRun', () => {
  it('memory: the sum of its parts, each computed from the scenario (hand-computed)', () => {
    const estimate = estimateRun(SMALL, IRIS, { json: false, trace: false });
    const parts = Object.fromEntries(estimate.memoryParts.map((p) => [p.what, p.value]));
    expect(parts).toEqual({
      'Node.js and TF.js': BASE_MEMORY_BYTES,
      'per-node round records (20 node-rounds)': 20 * 3000,
      'the JSON report': 0,
      // a shipped dataset's rows and the training set copied out of them, and 96 B a row of indices, labels and targets
      'the training data (150 × 4 features)': 150 * (4 * 4 * 2 + 96),
      'model copies (15 parameters × 2 nodes)': 15 * 4 * (2 + 8),
      // one thread (2 × 15 values < 2^20), one step: the first step's kernel (2 copies) and 4 of past rounds
      "the gradient kernels' memory and rounds not yet collected (6 model copies: one engine thread)": 15 * 4 * (2 + 4),
      "one round's batches (2 nodes × 1 step × batch 32)": 2 * 1 * 32 * (4 + 3 + 1) * 4 * 3,
      'S1 window samples (2 nodes × 10)': 2 * 10 * 8,
      'burst latency chains (0 grid slots)': 0,
      'latency traces (0 samples)': 0,
      // the default window of 5 norms (10 rounds), 8 B each and a 4 B length, per node
      "S4's norm histories (2 nodes × 5 norms)": 2 * (5 * 8 + 4),
      // 2 KiB a round whatever the outputs
      "the rounds' summaries (10 rounds)": 10 * 2048,
      // with --quiet (tables: false) none
      'the terminal tables, kept until the run ends (10 rounds; --quiet leaves them out)': 0,
      // 1,550 B of a round's short-lived objects per node, up to 3 × 64 MiB
      "V8's young generation (a round's short-lived objects)": 2 * 1550,
    });
    expect(estimate.memoryBytes).toBe(209_715_200 + 60_000 + 19_200 + 600 + 360 + 6144 + 160 + 88 + 20_480 + 3100);
  });

  it('--engine reference: 0.25 ms a node-step and 2 GFLOP/s for its training (hand-computed)', () => {
    const training = (engine?: string) => estimateRun(mlpCluster(100), IRIS, { json: false, trace: false, ...(engine === undefined ? {} : { engine }) }).timeParts.find((p) => p.what.startsWith('training'))!;
    // iris 4 → 64 → 3: 5 × 64 + 65 × 3 = 515 parameters; 100 nodes × 10 rounds × 1 step at batch 32;
    // evaluation of the 30 test rows each round at 4 GFLOP/s, as for the fast engine
    const evaluations = (10 * 30 * 515 * 2) / 4e9;
    const reference = training('reference');
    expect(reference.what).toBe('training on the reference engine (1,000 node-steps at batch ≤ 32, 515 parameters)');
    expect(reference.value).toBeCloseTo(1000 * (0.25e-3 + (32 * 515 * 6) / 2e9) + evaluations, 12);
    expect(training().what).toBe('training (1,000 node-steps at batch ≤ 32, 515 parameters)');
    expect(training('fast')).toEqual(training());
    expect(training().value).toBeLessThan(reference.value / 10);
  });

  it('the terminal tables without --quiet: 8 KiB + 400 B a node row (16 rows at most) kept, and 0.05 ms + 0.02 ms a row, per round', () => {
    const tables = (scenario: ReturnType<typeof mlpCluster>, what: 'memoryParts' | 'timeParts') =>
      estimateRun(scenario, IRIS, { json: false, trace: false, tables: true })[what].find((p) => p.what.startsWith('the terminal tables'))!.value;
    // SMALL: 2 nodes, 10 rounds
    expect(tables(SMALL, 'memoryParts')).toBe(10 * (8192 + 2 * 400));
    expect(tables(SMALL, 'timeParts')).toBeCloseTo(10 * (0.05e-3 + 2 * 0.02e-3), 12);
    // 100 nodes: 16 rows shown
    expect(tables(mlpCluster(100), 'memoryParts')).toBe(10 * (8192 + 16 * 400));
    expect(tables(mlpCluster(100), 'timeParts')).toBeCloseTo(10 * (0.05e-3 + 16 * 0.02e-3), 12);
    // --quiet: nothing
    expect(estimateRun(SMALL, IRIS, { json: false, trace: false }).timeParts.find((p) => p.what.startsWith('the terminal tables'))!.value).toBe(0);
    // past 64 MiB the rounds go to a temporary file, 8 B a round held: 100,000 rounds × 2 strategies of 100 nodes
    // would be 200,000 × 14,592 B = 2.9 GB held; 64 MiB + 200,000 × 8 B
    const long = { ...mlpCluster(100), rounds: 100_000 };
    expect(tables({ ...long, strategies: [...long.strategies, ...long.strategies] }, 'memoryParts')).toBe(64 * 1024 * 1024 + 200_000 * 8);
    // the time is every round's
    expect(tables(long, 'timeParts')).toBeCloseTo(100_000 * (0.05e-3 + 16 * 0.02e-3), 9);
    // 4,598 rounds are 67,094,016 B, under 64 MiB (67,108,864 B): all held; 4,600 are 67,123,200 B, over it
    expect(tables({ ...long, rounds: 4598 }, 'memoryParts')).toBe(4598 * 14_592);
    expect(tables({ ...long, rounds: 4600 }, 'memoryParts')).toBe(64 * 1024 * 1024 + 4600 * 8);
  });

  it("S4's norm histories: the window's norms, or the rounds' when fewer, per node, a long window counted in full", () => {
    const histories = (yaml: string) => estimateRun(parseScenarioText(yaml, 'h.yaml'), IRIS, { json: false, trace: false }).memoryParts
      .find((p) => p.what.startsWith("S4's norm histories"));
    const cluster = 'data: { dataset: iris }\ncluster:\n  nodes:\n    - { id: n, count: 1000, latency: { constant: 5 } }\n';
    expect(histories(`rounds: 3\n${cluster}`)).toEqual({ what: "S4's norm histories (1,000 nodes × 3 norms)", value: 1000 * (3 * 8 + 4) });
    expect(histories(`rounds: 50\npipeline: { s4: { window: 20 } }\n${cluster}`)).toEqual({ what: "S4's norm histories (1,000 nodes × 20 norms)", value: 1000 * (20 * 8 + 4) });
    // 1,000 nodes × 100,000 norms of 8 B: 0.8 GB of histories alone
    expect(histories(`rounds: 100000\npipeline: { s4: { window: 100000 } }\n${cluster}`)!.value).toBe(1000 * (100_000 * 8 + 4));
  });

  it('the window helper thread from 2^18 window samples a round, its rounds ahead without --trace, and the young generation up to 192 MiB', () => {
    const helperOf = (n: number, trace = false) => {
      const parts = estimateRun(mlpCluster(n), { samples: 32 * n, features: 64, classes: 10 }, { json: false, trace }).memoryParts;
      return Object.fromEntries(parts.filter((p) => /helper|young/.test(p.what)).map((p) => [p.what, p.value]));
    };
    // 13,107 nodes × 20 samples = 262,140, under 2^18 = 262,144: no helper
    expect(helperOf(13_107)).toEqual({ "V8's young generation (a round's short-lived objects)": 13_107 * 1550 });
    // 13,108 × 20 = 262,160: the helper, 32 MiB + 1,500 B and 20 samples of 8 B per node (no burst chains)
    // and its rounds ahead: 1,900 B per node, and 600 more for the round it holds
    expect(helperOf(13_108)).toEqual({
      'the window helper thread (its copy of the network)': 32 * 1024 ** 2 + 13_108 * (1500 + 20 * 8),
      'the rounds the helper simulates ahead (a round of plans and times on each thread)': 13_108 * 1900,
      'the round after it, held on the helper until the one before is taken': 13_108 * 600,
      "V8's young generation (a round's short-lived objects)": 13_108 * 1550,
    });
    // with --trace the rounds stay on the main thread
    expect(helperOf(13_108, true)).toEqual({
      'the window helper thread (its copy of the network)': 32 * 1024 ** 2 + 13_108 * (1500 + 20 * 8),
      "V8's young generation (a round's short-lived objects)": 13_108 * 1550,
    });
    // 3 × 64 MiB is 129,888.1 nodes' 1,550 B: 129,888 nodes are under it, 129,889 at it
    const young = (n: number) => {
      const groups = `    - { id: a, count: 100000, latency: { constant: 5 } }\n    - { id: b, count: ${n - 100_000}, latency: { constant: 5 } }`;
      const scenario = parseScenarioText(`rounds: 1\ndata: { dataset: iris }\ncluster:\n  nodes:\n${groups}\n`, 'young.yaml');
      return estimateRun(scenario, IRIS, { json: false, trace: false }).memoryParts.find((p) => p.what.startsWith("V8's young"))!.value;
    };
    expect(young(129_888)).toBe(129_888 * 1550);
    expect(young(129_889)).toBe(3 * 64 * 1024 ** 2);
  });

  it('the engine at 100,000 nodes of 4,810 parameters: two chunks of per-node updates and of batches, a helper thread', () => {
    // Arrange: MLP 64 → 64 → 10 at batch 32: 4.8·10^8 values of U_i, over 2^26, so none held
    const scenario = mlpCluster(100_000);
    // Act
    const parts = estimateRun(scenario, { samples: 3_200_000, features: 64, classes: 10 }, { json: false, trace: false }).memoryParts;
    const engine = Object.fromEntries(parts.filter((p) => /model copies|batches|engine thread/.test(p.what)).map((p) => [p.what, p.value]));
    // Assert: two chunks of ⌊2^20 / 4,810⌋ = 217 updates and 8 model vectors; 2 × (4,096 + 32) rows of 64 + 64 + 10 values and a ones column, 3 times
    expect(engine).toEqual({
      'model copies (4,810 parameters × 434 of 100,000 nodes at a time)': 4810 * 4 * (434 + 8),
      'batches, two chunks at a time (8,256 of 3,200,000 rows × 1 step)': 8256 * 1 * 139 * 4 * 3,
      'the second engine thread (its own TF.js)': 128 * 1024 ** 2,
      // two threads × the first step's kernel (one step: no later kernel) + 4 copies of past rounds
      "the gradient kernels' memory and rounds not yet collected (8 model copies: both engine threads)": 4810 * 4 * (2 * 2 + 4),
    });
  });

  it('no second engine thread for a model whose every product is done in JS, unless it has later local steps', () => {
    // 4 → 16 → 3 (131 parameters) at batch ≤ 32 (standardBatch 64): (4 + 1) · 32 · 16 = 2,560 and (16 + 1) · 32 · 3 = 1,632, both ≤ 6,144
    const small = (steps: number) => parseScenarioText(`
rounds: 10
data: { dataset: iris }
model: { hidden: [16], localSteps: ${steps} }
pipeline: { s2: { standardBatch: 64 } }
cluster:
  nodes:
    - { id: n, count: 8005, latency: { constant: 5 } }
`, 'small.yaml');
    const thread = (steps: number) => estimateRun(small(steps), IRIS, { json: false, trace: false }).memoryParts.find((p) => p.what === 'the second engine thread (its own TF.js)');
    expect(8005 * 131).toBeGreaterThanOrEqual(2 ** 20);
    expect(thread(1)).toBeUndefined();
    expect(thread(2)).toEqual({ what: 'the second engine thread (its own TF.js)', value: 128 * 1024 ** 2 });
  });

  it('training takes twice the node-steps when the updates are not held (they are recomputed for the aggregate)', () => {
    const training = (n: number) =>
      estimateRun(mlpCluster(n), { samples: 32 * n, features: 64, classes: 10 }, { json: false, trace: false }).timeParts.find((p) => p.what.startsWith('training'))!;
    // node-steps (each a node's first) × batch 32 × 4,810 × 6 flop at 24 GFLOP/s + 4 µs a node-step
    // (twice when recomputed), + 10 evaluations of the test rows (32·n samples × the test fraction
    // 0.2) × 4,810 × 2 flop at 4 GFLOP/s, + 1 µs a parameter to start the strategy's engine
    const cost = (n: number, passes: number) => (passes * 10 * n * 32 * 4810 * 6) / 24e9 + (10 * Math.round(32 * n * 0.2) * 4810 * 2) / 4e9 + passes * 10 * n * 4e-6 + 4810 * 1e-6;
    const [held, recomputed] = [training(13_951), training(13_952)];
    expect(held.what).toBe('training (139,510 node-steps at batch ≤ 32, 4,810 parameters)');
    expect(held.value).toBeCloseTo(cost(13_951, 1), 9);
    expect(recomputed.what).toBe('training (139,520 node-steps at batch ≤ 32, 4,810 parameters; twice: too many to keep, the updates are recomputed for the aggregate)');
    expect(recomputed.value).toBeCloseTo(cost(13_952, 2), 9);
  });

  it('training: step 1 at 24 GFLOP/s plus 4 µs, its products the kernel\'s however large; a later step 6 µs plus each layer by the kernel', () => {
    const training = (features: number, hidden: string, classes: number, localSteps: number) => estimateRun(parseScenarioText(`
rounds: 10
data: { dataset: iris }
model: { hidden: [${hidden}], localSteps: ${localSteps} }
pipeline: { s2: { standardBatch: 16 } }
cluster:
  nodes:
    - { id: n, count: 100, latency: { constant: 5 } }
`, 'dispatch.yaml'), { samples: 3200, features, classes }, { json: false, trace: false }).timeParts.find((p) => p.what.startsWith('training'))!;
    // 1,000 node-rounds at batch 8, their first steps at 24 GFLOP/s plus 4 µs each; 640 test rows evaluated 10 times at 4;
    // the strategy's engine started at 1 µs a parameter
    const first = (params: number) => (1000 * 8 * params * 6) / 24e9 + 1000 * 4e-6 + (10 * 640 * params * 2) / 4e9 + params * 1e-6;
    // 16 → 16 → 4 (340 parameters): 8,000 × 340 × 6 / 24e9 = 0.68 ms + 4 ms + 10 × 640 × 340 × 2 / 4e9 = 1.088 ms + 0.34 ms
    const small = training(16, '16', 4, 1);
    expect(small.what).toBe('training (1,000 node-steps at batch ≤ 8, 340 parameters)');
    expect(small.value).toBeCloseTo(0.00068 + 0.004 + 0.001088 + 0.00034, 12);
    // a later step: 6 µs + (2 µs + 3 · 2,176 · 0.1 ns) + (2 µs + 3 · 544 · 0.1 ns) = 10.816 µs
    expect(training(16, '16', 4, 3).value).toBeCloseTo(first(340) + 1000 * 2 * 10.816e-6, 12);
    // 16 → 16 → 8 → 4 (17 × 16 + 17 × 8 + 9 × 4 = 444 parameters): 6 µs + 3 · 2 µs + 3 · (2,176 + 1,088 + 288) · 0.1 ns = 13.0656 µs
    expect(training(16, '16, 8', 4, 3).value).toBeCloseTo(first(444) + 1000 * 2 * 13.0656e-6, 12);
    // 64 → 64 → 10 (4,810 parameters): its products (65 × 8 × 64 = 33,280 multiply-adds, too large for
    // JS) are the kernel's, counted in the flops: nothing more for them
    expect(training(64, '64', 10, 1).value).toBeCloseTo(first(4810), 12);
    // a later step: 6 µs + 2 · 2 µs + 3 · (33,280 + 5,200) · 0.1 ns = 21.544 µs
    expect(training(64, '64', 10, 2).value).toBeCloseTo(first(4810) + 1000 * 21.544e-6, 12);
  });

  it('two layers of 2,048 (4,349,962 parameters): a layer over 2^18 values at 0.25 ns a multiply-add and its W_lᵀ at 5 ns a value; 20 model copies more for the kernels', () => {
    const big = parseScenarioText(`
rounds: 10
compare: [s1s4, sync-sgd]
data: { dataset: digits }
model: { hidden: [2048, 2048], localSteps: 5 }
cluster:
  defaults: { bandwidth: 100Mbps, latency: { constant: 5 } }
  nodes:
    - { id: n, count: 4 }
`, 'big.yaml');
    const estimate = estimateRun(big, { samples: 1797, features: 64, classes: 10 }, { json: true, trace: false, report: true, streamed: true });
    const params = 65 * 2048 + 2049 * 2048 + 2049 * 10;
    expect(params).toBe(4_349_962);
    // a later step at batch 32: 6 µs; 64 → 2,048 (133,120 values: small) 2 µs + 3 · 133,120 · 32 · 0.1 ns;
    // 2,048 → 2,048 (4,196,352 values: large) 2 µs + 3 · 4,196,352 · 32 · 0.25 ns + 2,048 · 2,048 · 5 ns;
    // 2,048 → 10 (20,490: small) 2 µs + 3 · 20,490 · 32 · 0.1 ns
    const later = 6e-6 + (2e-6 + 3 * 133_120 * 32 * 0.1e-9) + (2e-6 + 3 * 4_196_352 * 32 * 0.25e-9 + 2048 * 2048 * 5e-9) + (2e-6 + 3 * 20_490 * 32 * 0.1e-9);
    expect(later * 1000).toBeCloseTo(123.17, 2);
    // 80 node-rounds: first steps at 24 GFLOP/s and 4 µs, 4 later steps each; 2 × 10 evaluations of 359 test rows
    // at 4 GFLOP/s; two strategies' engines started at 1 µs a parameter
    const training = (80 * 32 * params * 6) / 24e9 + 80 * 4e-6 + 80 * 4 * later + (20 * 359 * params * 2) / 4e9 + 2 * params * 1e-6;
    expect(estimate.timeParts.find((p) => p.what.startsWith('training'))!.value).toBeCloseTo(training, 9);
    // 2.78 + 39.41 + 15.62 + 8.70 s: 66.5 s, where the run took 63.0 s of user and system time
    expect(training).toBeCloseTo(66.52, 1);
    // both engine threads (4 × 4,349,962 ≥ 2^20, later steps) × (2 + 6) + 4: 20 copies of 17.4 MB
    expect(estimate.memoryParts.find((p) => p.what.startsWith("the gradient kernels'"))).toEqual({
      what: "the gradient kernels' memory and rounds not yet collected (20 model copies: both engine threads)", value: params * 4 * 20,
    });
  });

  it('the engine holds every update while nodes × parameters ≤ 2^26 (13,951 nodes of 4,810 parameters)', () => {
    const copies = (n: number) =>
      estimateRun(mlpCluster(n), { samples: 32 * n, features: 64, classes: 10 }, { json: false, trace: false }).memoryParts.find((p) => p.what.startsWith('model copies'))!;
    expect(copies(13_951)).toEqual({ what: 'model copies (4,810 parameters × 13,951 nodes)', value: 4810 * 4 * (13_951 + 8) });
    expect(copies(13_952).what).toBe('model copies (4,810 parameters × 434 of 13,952 nodes at a time)');
  });

  it('time: start-up, training flops and overhead, latency lookups, planning (hand-computed)', () => {
    const estimate = estimateRun(SMALL, IRIS, { json: false, trace: false });
    const parts = Object.fromEntries(estimate.timeParts.map((p) => [p.what, p.value]));
    // 20 node-steps (first steps) × 32 × 15 × 6 flop at 24 GFLOP/s + 10 evaluations × 30 test rows × 15 × 2
    // at 4; 4 µs a node-step; the engine started at 1 µs a parameter
    expect(parts['training (20 node-steps at batch ≤ 32, 15 parameters)']).toBeCloseTo(57_600 / 24e9 + 9000 / 4e9 + 20 * 4e-6 + 15e-6, 15);
    // 10 rounds × (2 nodes × 10 samples + 2 × 2 transfer tries) × 0.5 µs
    expect(parts['latency samples (10 per node-round)']).toBeCloseTo(10 * 24 * 0.5e-6, 15);
    expect(parts['planning and records']).toBeCloseTo(20 * 5e-6, 15);
    expect(parts['starting Node.js and TF.js']).toBe(1);
    // iris: 150 samples × 4 features at 30 ns a value and 1 µs a sample; nothing generated
    expect(parts['preparing the data (split, standardised, shared out to 2 nodes)']).toBeCloseTo(600 * 30e-9 + 150 * 1e-6, 15);
    expect(estimate.timeParts.some((p) => p.what.startsWith('generating'))).toBe(false);
    // training 57,600 / 24e9 + 9,000 / 4e9 + 20 × 4 µs + 15 parameters × 1 µs = 0.00009965 s
    expect(estimate.seconds).toBeCloseTo(1 + 0.000168 + 0.00009965 + 0.00012 + 0.0001, 12);
  });

  it('time: generated data costs 70 ns a value to make, and every dataset 30 ns a value and 1 µs a sample to prepare, once a run', () => {
    const blobs = { samples: 200_000, features: 1000, classes: 10 };
    const scenario = { ...SMALL, strategies: [...SMALL.strategies, ...SMALL.strategies], data: { ...SMALL.data, dataset: { kind: 'blobs' as const, samples: 200_000, features: 1000, classes: 10, spread: 1 } } };
    const parts = estimateRun(scenario, blobs, { json: false, trace: false }).timeParts;
    // 2e8 values × 70 ns = 14 s; 2e8 × 30 ns + 2e5 × 1 µs = 6.2 s, whatever the number of strategies
    expect(parts.slice(1, 3)).toEqual([
      { what: 'generating the data (200,000 × 1,000 features)', value: expect.closeTo(14, 9) as unknown },
      { what: 'preparing the data (split, standardised, shared out to 2 nodes)', value: expect.closeTo(6.2, 9) as unknown },
    ]);
  });

  it('--json and --trace: ~760 B per node-round plus 12 B per sample, held twice in memory', () => {
    const estimate = estimateRun(SMALL, IRIS, { json: true, trace: true });
    expect(estimate.jsonBytes).toBe(20 * (760 + 10 * 12) + 10 * 200);
    expect(estimate.memoryParts.find((p) => p.what === 'the JSON report')!.value).toBe(2 * 19_600);
    expect(estimate.memoryParts.find((p) => p.what.startsWith('per-node round records'))!.value).toBe(20 * (3000 + 10 * 16));
  });

  it('a golden check holds the golden\'s text and both reports parsed (6 × the JSON) and takes 58 ns a JSON byte; an update does not read the golden', () => {
    const update = estimateRun(SMALL, IRIS, { json: true, trace: true, jsonFlag: '--expect' });
    const check = estimateRun(SMALL, IRIS, { json: true, trace: true, jsonFlag: '--expect', goldenCheck: true });
    // the JSON of the test above: 19,600 bytes
    expect(check.memoryParts.find((p) => p.what === 'the golden file and both reports, parsed to compare')).toEqual({ what: 'the golden file and both reports, parsed to compare', value: 6 * 19_600, flag: '--json' });
    expect(check.timeParts.find((p) => p.what === 'the golden comparison')!.value).toBeCloseTo(19_600 * 58e-9, 15);
    expect(check.memoryBytes - update.memoryBytes).toBe(6 * 19_600);
    expect(check.seconds - update.seconds).toBeCloseTo(19_600 * 58e-9, 15);
    expect([check.jsonFlag, update.jsonFlag, estimateRun(SMALL, IRIS, { json: true, trace: false }).jsonFlag]).toEqual(['--expect', '--expect', '--json']);
  });

  it('simulated time: rounds × the slowest node (2 × (latency + transfer) + step at B/2, base resources)', () => {
    // b: 2 · (7 + 60 B · 8 / 1 Gbps = 0.00048 ms) + 32 · 0.4 · (0.1 + 0.9 / 4) = 18.16096 ms per round
    expect(estimateSimulatedMs(SMALL, 15)).toBeCloseTo(10 * (2 * (7 + 0.00048) + 32 * 0.4 * 0.325), 9);
  });

  it('a link that can lose samples waits out every try but the last of both transfers (the schedule’s own model)', () => {
    // maxRetries 20, retryMs 100: 2 × 19 × 100 ms of failed tries on top of b's 18.16096 ms
    const lossy = { ...SMALL, cluster: { ...SMALL.cluster, nodes: SMALL.cluster.nodes.map((node) => ({ ...node, latency: { ...node.latency, loss: 0.1 } })) } };
    expect(estimateSimulatedMs(lossy, 15)).toBeCloseTo(10 * (2 * 19 * 100 + 2 * (7 + 0.00048) + 32 * 0.4 * 0.325), 9);
  });

  it('a group of nodes counts as one of them, and nodes that differ in one setting each count', () => {
    // the same as SMALL's b, 300 times, beside one node like it on a 1 Mbps link:
    // 2 · (7 + 60 B · 8 / 1 Mbps = 0.48 ms) + 32 · 0.4 · 0.325 = 19.12 ms per round
    const groups = (extra: string) => parseScenarioText(`
rounds: 10
data: { dataset: iris, testFraction: 0.2 }
model: { hidden: [] }
pipeline:
  s1: { intervalMs: 100, windowMs: 1s }
  s2: { standardBatch: 64 }
cluster:
  nodes:
    - { id: a, count: 300, latency: { constant: 7 } }
${extra}`, 'groups.yaml');
    expect(estimateSimulatedMs(groups(''), 15)).toBeCloseTo(estimateSimulatedMs(SMALL, 15), 9);
    expect(estimateSimulatedMs(groups('    - { id: slow, bandwidth: 1Mbps, latency: { constant: 7 } }'), 15)).toBeCloseTo(10 * (2 * (7 + 0.48) + 32 * 0.4 * 0.325), 9);
  });

  it('a round timeout caps the simulated round', () => {
    const capped = { ...SMALL, cluster: { ...SMALL.cluster, roundTimeoutMs: 10 } };
    expect(estimateSimulatedMs(capped, 15)).toBe(100);
  });

  it('burst chains cost 600 B a chain and a byte per 128 grid slots from −windowMs to the end', () => {
    const scenario = parseScenarioText(`
rounds: 10
data: { dataset: iris }
model: { hidden: [] }
pipeline: { s1: { intervalMs: 100, windowMs: 1s } }
cluster:
  nodes:
    - { id: a, latency: { burst: { good: 5, bad: 400, toBad: 0.1, toGood: 0.3 } } }
`, 'burst.yaml');
    const estimate = estimateRun(scenario, IRIS, { json: false, trace: false });
    // 10 · (2 · (400 + 0.00048) + 4.16) = 8041.6096 ms, plus the 1 s window, over 100 ms slots
    const slots = (8041.6096 + 1000) / 100;
    expect(estimate.memoryParts.find((p) => p.what.startsWith('burst'))!.value).toBeCloseTo(600 + slots / 128, 9);
  });

  it('simulated time: with a server link, at least the link carrying every model down and every update up', () => {
    const crowded = (bandwidth: string) => parseScenarioText(`
rounds: 10
data: { dataset: iris }
model: { hidden: [], transferBytes: 100MB }
cluster:
  server: { bandwidth: ${bandwidth} }
  nodes:
    - { id: n, count: 1000, latency: { constant: 5 } }
`, 'crowded.yaml');
    // 2 · 1,000 · 1e8 B · 8 / 100 Gbps = 16,000 ms a round, above a node's own 2 · (5 + 800) + its step
    expect(estimateSimulatedMs(crowded('100Gbps'), 15)).toBeCloseTo(10 * 16_000, 6);
    // 1,000 Tbps: the link carries them all in 1.6 ms; the node's own 1 Gbps link sets the round
    const alone = estimateSimulatedMs(crowded('1000Tbps'), 15);
    expect(alone).toBeGreaterThan(10 * 2 * (5 + 800));
    expect(alone).toBeLessThan(10 * 16_000 / 8);
  });

  it('a node whose rounds overflow (a latency of 1e308): no burst node, no chain and a finite estimate; a burst node, chains without bound; the node named', () => {
    const overflowing = (first: string) => parseScenarioText(`
rounds: 2
data: { dataset: iris }
model: { hidden: [] }
cluster:
  nodes:
    - { id: a, latency: { ${first} } }
    - { id: z, latency: { constant: 1e308 } }
`, 'overflow.yaml');
    const plain = estimateRun(overflowing('constant: 5'), IRIS, { json: false, trace: false });
    // 0 burst nodes × an unbounded time was NaN, and NaN is over no budget
    expect(plain.simulatedMs).toBe(Number.POSITIVE_INFINITY);
    expect(plain.unboundedBy).toBe('z');
    expect(plain.memoryParts.find((p) => p.what.startsWith('burst'))).toEqual({ what: 'burst latency chains (0 grid slots)', value: 0 });
    expect(Number.isFinite(plain.memoryBytes) && Number.isFinite(plain.seconds)).toBe(true);
    // the memory is that of the same nodes on ordinary links (only burst chains grow with simulated time)
    const ordinary = parseScenarioText('rounds: 2\ndata: { dataset: iris }\nmodel: { hidden: [] }\ncluster:\n  nodes:\n    - { id: a, latency: { constant: 5 } }\n    - { id: z, latency: { constant: 5 } }\n', 'ordinary.yaml');
    expect(plain.memoryBytes).toBe(estimateRun(ordinary, IRIS, { json: false, trace: false }).memoryBytes);

    const burst = estimateRun(overflowing('burst: { good: 5, bad: 400, toBad: 0.1, toGood: 0.3 }'), IRIS, { json: false, trace: false });
    expect(burst.memoryParts.find((p) => p.what.startsWith('burst'))).toEqual({ what: 'burst latency chains (a grid slot per step of simulated time)', value: Number.POSITIVE_INFINITY });
    expect([burst.memoryBytes, burst.seconds, burst.unboundedBy]).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 'z']);
    // a finite simulated time names no node
    expect(estimateRun(SMALL, IRIS, { json: false, trace: false }).unboundedBy).toBeNull();
  });

  it('trace files cost ~56 B a sample (16 B of it their two columns), each file once however many nodes, phases or slowdowns replay it; ~32 B more on the window helper', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-estimate-traces-'));
    writeFileSync(join(dir, 'a.csv'), 'time_ms,latency_ms\n0,5\n100,7\n200,\n');
    writeFileSync(join(dir, 'b.csv'), 'time_ms,latency_ms\n0,1\n50,2\n');
    const scenario = (count: number) => parseScenarioText(`
rounds: 2
data: { dataset: iris }
cluster:
  nodes:
    - { id: g, count: ${count}, latency: { trace: a.csv } }
    - { id: p, latency: { phases: [ { until: 1s, trace: a.csv }, { trace: b.csv } ] }, slowdown: { trace: b.csv } }
`, join(dir, 's.yaml'));
    const traces = (count: number) => estimateRun(scenario(count), IRIS, { json: false, trace: false }).memoryParts;
    // a.csv's 3 samples and b.csv's 2, once each
    expect(traces(3).find((p) => p.what.startsWith('latency traces'))).toEqual({ what: 'latency traces (5 samples)', value: 5 * 56 });
    // 20,000 nodes × 20 window samples: the helper thread, with its copy of the 5 samples
    const helper = (count: number) => traces(count).find((p) => p.what.startsWith('the window helper'))!.value;
    expect(helper(20_000) - helper(19_999)).toBe(1500 + 20 * 8);
    expect(helper(20_000)).toBe(32 * 1024 ** 2 + 20_001 * (1500 + 20 * 8) + 5 * 32);
  });

  it('a lossy node is charged 2 · maxRetries transfer tries per round', () => {
    const lossy = parseScenarioText(`
rounds: 1
data: { dataset: iris }
model: { hidden: [] }
pipeline: { s1: { intervalMs: 100, windowMs: 100 } }
cluster:
  maxRetries: 1000
  nodes:
    - { id: a, latency: { constant: 5, loss: 0.1 } }
`, 'lossy.yaml');
    const estimate = estimateRun(lossy, IRIS, { json: false, trace: false });
    expect(estimate.timeParts.find((p) => p.what.startsWith('latency'))!.value).toBeCloseTo((1 + 2 + 2000) * 0.5e-6, 15);
  });
});

describe('largestBatch', () => {
  it('is ⌈B/2⌉ clamped to [minBatch, maxBatch]: S2 never gives more than B·1/(1+1)', () => {
    expect(largestBatch({ standardBatch: 64, rounding: 'floor', minBatch: 0, maxBatch: null })).toBe(32);
    expect(largestBatch({ standardBatch: 63, rounding: 'ceil', minBatch: 0, maxBatch: null })).toBe(32);
    expect(largestBatch({ standardBatch: 64, rounding: 'floor', minBatch: 50, maxBatch: null })).toBe(50);
    expect(largestBatch({ standardBatch: 64, rounding: 'floor', minBatch: 0, maxBatch: 10 })).toBe(10);
  });

  it("is the cap, maxBatch or B, for a plug-in's batch stage (which may give any batch up to it); the run's estimate counts it so", () => {
    expect(largestBatch({ standardBatch: 64, rounding: 'floor', minBatch: 0, maxBatch: null }, true)).toBe(64);
    expect(largestBatch({ standardBatch: 64, rounding: 'floor', minBatch: 0, maxBatch: 500 }, true)).toBe(500);
    const plugin = { ...SMALL, strategies: [{ name: 'mine', batch: 'median-split', resources: 'fixed', aggregation: 'mean' }] };
    const parts = Object.fromEntries(estimateRun(plugin, IRIS, { json: false, trace: false }).memoryParts.map((p) => [p.what, p.value]));
    expect(parts["one round's batches (2 nodes × 1 step × batch 64)"]).toBe(2 * 1 * 64 * (4 + 3 + 1) * 4 * 3);
  });
});

describe('typicalLatencyMs', () => {
  const of = (process: object) => typicalLatencyMs({ process, loss: 0, down: [] } as never);
  it('takes the mean of a process, or its worse state or phase', () => {
    expect(of({ kind: 'constant', valueMs: 5 })).toBe(5);
    expect(of({ kind: 'uniform', minMs: 1, maxMs: 9 })).toBe(5);
    expect(of({ kind: 'normal', meanMs: 30, stdMs: 15 })).toBe(30);
    expect(of({ kind: 'lognormal', medianMs: 20, sigma: 0 })).toBe(20);
    expect(of({ kind: 'spikes', baseMs: 5, spikeMs: 300, probability: 0.2 })).toBe(65);
    expect(of({ kind: 'burst', goodMs: 5, badMs: 400, toBad: 0.1, toGood: 0.3 })).toBe(400);
    expect(of({ kind: 'periodic', baseMs: 20, amplitudeMs: 15, periodMs: 1000 })).toBe(35);
    expect(of({ kind: 'trace', file: 'x', loop: true, samples: traceSamples([{ timeMs: 0, latencyMs: 3 }, { timeMs: 1, latencyMs: null }, { timeMs: 2, latencyMs: 9 }]) })).toBe(9);
    expect(of({ kind: 'phases', phases: [{ untilMs: 10, latency: { process: { kind: 'constant', valueMs: 5 }, loss: 0, down: [] } }, { untilMs: null, latency: { process: { kind: 'constant', valueMs: 50 }, loss: 0, down: [] } }] })).toBe(50);
  });
});
