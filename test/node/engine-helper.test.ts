/**
 * The default engine's second thread (issue 14): a round of nodes × parameters ≥ the threshold
 * is split with a worker thread (training by units both threads claim, the aggregate by
 * parameter slices; with the U_i not held, every other chunk recomputed there). Its numbers must be one thread's, byte for
 * byte. The worker needs dist/node/engine-worker.js, so this drives the built package. The
 * engines here split every large round (alwaysSplit): whether the helper pays off on this
 * machine is test/train/fast-engine-helper-payoff.test.ts's.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng, type Rng } from '../../src/sim/rng.js';
import type { EngineOptions, EngineTask, TrainEngine } from '../../src/train/engine.js';
import type { EngineHelper } from '../../src/train/engine-helper.js';
import type { FastEngineTuning } from '../../src/train/fast-engine.js';
import { randomData, randomParams } from '../train/engine-fixture.js';
import { loadDist } from './dist.js';
import { EngineTasks } from '../../src/train/engine-tasks.js';

type FastModule = typeof import('../../src/train/fast-engine.js');
type HelperModule = typeof import('../../src/node/engine-helper.js');
type BackendModule = typeof import('../../src/train/backend.js');
type IndexModule = typeof import('../../src/index.js');
type JsonModule = typeof import('../../src/report/json.js');
type HashModule = typeof import('../../src/golden/scenario-hash.js');
type LoadModule = typeof import('../../src/node/load.js');
const ROOT = join(import.meta.dirname, '..', '..');

let fast: FastModule;
let helpers: HelperModule;
let index: IndexModule;
let json: JsonModule;
let hash: HashModule;
let loader: LoadModule;

beforeAll(async () => {
  let backend: BackendModule;
  [fast, helpers, backend, index, json, hash, loader] = await Promise.all([
    loadDist<FastModule>('train/fast-engine.js'),
    loadDist<HelperModule>('node/engine-helper.js'),
    loadDist<BackendModule>('train/backend.js'),
    loadDist<IndexModule>('index.js'),
    loadDist<JsonModule>('report/json.js'),
    loadDist<HashModule>('golden/scenario-hash.js'),
    loadDist<LoadModule>('node/load.js'),
  ]);
  await backend.initBackend('wasm');
});

/** A started helper that counts what it is asked. */
async function countingHelper(options: EngineOptions): Promise<{ helper: EngineHelper; calls: { claim: number; train: number; aggregate: number } }> {
  const start = helpers.helperStarter(options);
  if (start === undefined) throw new Error('no helper offered on the main thread from dist/');
  const inner = await start();
  const calls = { claim: 0, train: 0, aggregate: 0 };
  const helper: EngineHelper = {
    sharedValues: (length) => inner.sharedValues(length),
    sharedFlags: (length) => inner.sharedFlags(length),
    train: (theta, tasks, sums) => (calls.train++, inner.train(theta, tasks, sums)),
    trainClaimed: (theta, tasks, claims, sums) => (calls.claim++, inner.trainClaimed(theta, tasks, claims, sums)),
    aggregateClaimed: (theta, sums, weights, claims, next) => (calls.aggregate++, inner.aggregateClaimed(theta, sums, weights, claims, next)),
    dispose: () => inner.dispose(),
  };
  return { helper, calls };
}


function problem(localSteps: number) {
  const rng = makeRng(5, 'engine-helper', localSteps);
  const train = randomData(rng, 300, 6);
  const initialParams = randomParams(rng, [6, 12, 3]);
  const options: EngineOptions = { train, test: randomData(rng, 40, 6), hidden: [12], learningRate: 0.2, localSteps, initialParams };
  // 700 tasks of 1 … 40 rows: several concatenated chunks, and 3 bounded chunks
  const rounds = [700, 350, 9, 700].map((count) => {
    const tasks: EngineTask[] = Array.from({ length: count }, () => {
      const batch = 1 + Math.floor(rng() * 40);
      return { stepBatches: Array.from({ length: localSteps }, () => Int32Array.from({ length: batch }, () => Math.floor(rng() * train.samples))) };
    });
    const raw = Float64Array.from({ length: count }, () => 0.1 + rng());
    const total = raw.reduce((a, b) => a + b, 0);
    return { tasks, weights: raw.map((w) => w / total) };
  });
  return { options, rounds };
}

const bytes = (values: { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): string => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('hex');

/** A round first whose result is dropped (the helper joins from the next one), then every number as bytes. */
async function run(engine: TrainEngine, rounds: ReturnType<typeof problem>['rounds']): Promise<string[]> {
  const out: string[] = [];
  await engine.trainLocal(EngineTasks.of(rounds[1]!.tasks));
  engine.discardLocal();
  for (const { tasks, weights } of rounds) {
    out.push(bytes(await engine.trainLocal(EngineTasks.of(tasks))));
    engine.aggregate(weights);
    const { loss, accuracy } = await engine.evaluate();
    out.push(bytes(Float64Array.of(loss, accuracy)));
  }
  out.push(...engine.getParams().map(bytes));
  return out;
}

describe('fast engine with a helper thread', () => {
  describe.each([1, 3])('localSteps %i, rounds of 9 to 700 tasks', (localSteps) => {
    const { options, rounds } = problem(localSteps);

    it.each<[string, FastEngineTuning]>([
      ['U_i held', {}],
      ['U_i not held', { maxHeldValues: 1, chunkValues: 200 * 123 }],
    ])('gives one thread’s norms, evaluations and parameters, byte for byte: %s', async (_, tuning) => {
      // Arrange
      const alone = await fast.createFastEngine(options, tuning);
      const { helper, calls } = await countingHelper(options);
      const split = await fast.createFastEngine(options, { ...tuning, parallelMinValues: 10 * 123, alwaysSplit: true, startHelper: async () => helper });
      try {
        // Act
        const [expected, actual] = [await run(alone, rounds), await run(split, rounds)];
        // Assert: the helper took part in the large rounds (not in the round of 9 tasks), and nothing differs
        expect(await split.helperReady()).toBe(true);
        expect(calls.claim).toBe(3);
        if (tuning.maxHeldValues === undefined) expect([calls.train, calls.aggregate]).toEqual([0, 3]);
        else expect([calls.train >= 3, calls.aggregate]).toEqual([true, 0]);
        expect(expected.at(-1)).not.toBe(bytes(options.initialParams[3]!));
        expect(actual).toEqual(expected);
      } finally {
        alone.dispose();
        split.dispose();
      }
    }, 60_000);
  });

  it.each<[string, number]>([
    ['task 600, near the end (the helper’s side)', 600],
    ['task 100, near the start (this thread’s side), before 600', 100],
  ])('names the first failing task by its index among all tasks: %s', async (_, first) => {
    // Arrange: sample 1 has huge features, so one step on it sends θ to ±∞
    const { options } = problem(1);
    const features = options.train.features.slice();
    features.set([-1e30, -1e30, -1e30, -1e30, -1e30, -1e30], 6);
    const broken = { ...options, train: { ...options.train, features }, learningRate: 1e10 };
    const { helper, calls } = await countingHelper(broken);
    const engine = await fast.createFastEngine(broken, { parallelMinValues: 1, alwaysSplit: true, startHelper: async () => helper });
    const alone1 = await fast.createFastEngine(broken);
    const tasks = Array.from({ length: 700 }, (_, i) => ({ stepBatches: [Int32Array.of(i === first || i === 600 ? 1 : 0)] }));
    try {
      await engine.trainLocal(EngineTasks.of(tasks.slice(0, 1)));
      expect(await engine.helperReady()).toBe(true);
      // Act
      const error = await engine.trainLocal(EngineTasks.of(tasks)).catch((e: unknown) => e);
      const alone = await alone1.trainLocal(EngineTasks.of(tasks)).catch((e: unknown) => e);
      // Assert
      expect(calls.claim).toBe(1);
      expect((error as Error).message).toBe(`non-finite loss in local training (task ${first})`);
      expect((alone as Error).message).toBe((error as Error).message);
      expect((error as { code?: string }).code).toBe('train.nonFiniteLoss');
    } finally {
      engine.dispose();
      alone1.dispose();
    }
  });

  it.each(['large-cluster', 'data-matters'])('gives one thread’s JSON report, byte for byte, for the bundled %s', async (name) => {
    // Arrange
    const scenario = await loader.loadScenario(join(ROOT, 'scenarios', `${name}.yaml`));
    const report = async (tuning: FastEngineTuning): Promise<string> => {
      const result = await index.runScenario(scenario, { backend: 'wasm', engine: (o) => fast.createFastEngine(o, tuning) });
      return json.toJsonReport(result, { version: 'test', trace: false, timing: false, scenarioHash: hash.scenarioHash(scenario) });
    };
    const used: Array<{ claim: number; train: number; aggregate: number }> = [];
    const withHelper = (maxHeldValues?: number) => async (o: EngineOptions) => {
      const { helper, calls } = await countingHelper(o);
      used.push(calls);
      return fast.createFastEngine(o, { maxHeldValues, chunkValues: 4096, parallelMinValues: 1, alwaysSplit: true, startHelper: async () => helper });
    };
    const runWith = async (factory: (o: EngineOptions) => Promise<TrainEngine>): Promise<string> => {
      const result = await index.runScenario(scenario, { backend: 'wasm', engine: factory });
      return json.toJsonReport(result, { version: 'test', trace: false, timing: false, scenarioHash: hash.scenarioHash(scenario) });
    };
    // Act
    const alone = await report({});
    const [held, bounded] = [await runWith(withHelper()), await runWith(withHelper(1))];
    // Assert
    expect(used.every((calls) => calls.claim > 0)).toBe(true);
    expect(used.length).toBeGreaterThan(0);
    expect(held).toBe(alone);
    expect(bounded).toBe(alone);
  }, 120_000);
});
