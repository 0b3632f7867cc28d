/**
 * The default engine's second thread (issue 14): a round of nodes × parameters ≥ the threshold
 * is split with a worker thread (training by units both threads claim; the aggregate by
 * parameter slices where the sum kernel does not form it alone; with the U_i not held, every
 * other chunk recomputed there). Its numbers must be one thread's, byte for
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
import { unitRanges } from '../../src/train/unit-claims.js';

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
    finish: (ms) => inner.finish!(ms),
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
      ['U_i held (θ_{t+1} by the sum kernel, on this thread)', {}],
      ['U_i held, θ_{t+1} in JavaScript (by slices on both threads)', { sumKernel: false }],
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
        if (tuning.maxHeldValues !== undefined) expect([calls.train >= 3, calls.aggregate]).toEqual([true, 0]);
        else expect([calls.train, calls.aggregate]).toEqual([0, tuning.sumKernel === false ? 3 : 0]);
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

  it('moves a round’s packed tasks to the helper rather than copying them, and still gets one thread’s norms', async () => {
    // Arrange: the tasks' packed copy is kept here to look at after the request is posted
    const { options, rounds } = problem(1);
    const tasks = EngineTasks.of(rounds[0]!.tasks);
    const packed = tasks.packed();
    const moved = Object.assign(EngineTasks.of(rounds[0]!.tasks), { packed: () => packed });
    const { helper } = await countingHelper(options);
    const alone = await fast.createFastEngine(options);
    try {
      const expected = await alone.trainLocal(tasks);
      // Act
      const answer = helper.trainClaimed(flatten(options), moved, helper.sharedFlags(unitRanges(tasks).length), null);
      // Assert: posting detached both arrays (a moved ArrayBuffer is empty on this side)
      expect([packed.indices.byteLength, packed.offsets.byteLength]).toEqual([0, 0]);
      const { from, norms } = await answer;
      expect(from).toBe(0);
      expect(bytes(norms)).toBe(bytes(expected));
    } finally {
      alone.dispose();
      helper.dispose();
    }
  }, 60_000);

  describe('finish: the helper’s answer through shared memory, before its reply message', () => {
    /**
     * Whether `promise` had settled before this call: it settles within a few microtasks then,
     * while a reply message needs a turn of the event loop, which never comes between microtasks.
     */
    async function settledAlready<T>(promise: Promise<T>): Promise<boolean> {
      const late = Symbol('late');
      let sentinel: Promise<symbol> = Promise.resolve(late);
      for (let k = 0; k < 10; k++) sentinel = sentinel.then((value) => value);
      return (await Promise.race([promise.then(() => true, () => true), sentinel])) !== late;
    }

    it('a round the helper trains alone: finish is true, the promise already holds one thread’s norms', async () => {
      // Arrange: every unit is the helper's (this thread claims none)
      const { options, rounds } = problem(1);
      const tasks = EngineTasks.of(rounds[0]!.tasks);
      const { helper } = await countingHelper(options);
      const alone = await fast.createFastEngine(options);
      try {
        const expected = await alone.trainLocal(tasks);
        const flags = helper.sharedFlags(unitRanges(tasks).length);
        // Act
        const answer = helper.trainClaimed(flatten(options), tasks, flags, null);
        const finished = helper.finish!(60_000);
        // Assert
        expect(flags.length).toBeGreaterThan(2);
        expect(finished).toBe(true);
        expect(await settledAlready(answer)).toBe(true);
        const { from, norms } = await answer;
        expect(from).toBe(0);
        expect(bytes(norms)).toBe(bytes(expected));
        expect([...flags].every((flag) => flag === 1)).toBe(true);
      } finally {
        alone.dispose();
        helper.dispose();
      }
    }, 60_000);

    it('a helper that fails: finish is false, and the promise rejects with the task it names', async () => {
      // Arrange: sample 1's huge features send θ to ±∞ at task 650
      const { options } = problem(1);
      const features = options.train.features.slice();
      features.set([-1e30, -1e30, -1e30, -1e30, -1e30, -1e30], 6);
      const broken = { ...options, train: { ...options.train, features }, learningRate: 1e10 };
      const tasks = EngineTasks.of(Array.from({ length: 700 }, (_, i) => ({ stepBatches: [Int32Array.of(i === 650 ? 1 : 0)] })));
      const { helper } = await countingHelper(broken);
      try {
        // Act
        const answer = helper.trainClaimed(flatten(broken), tasks, helper.sharedFlags(unitRanges(tasks).length), null);
        const finished = helper.finish!(60_000);
        // Assert
        expect(finished).toBe(false);
        await expect(answer).rejects.toThrow('non-finite loss in local training (task 650)');
      } finally {
        helper.dispose();
      }
    }, 60_000);

    it('an aggregate the helper forms alone: finish is true, the promise has resolved and θ_{t+1} is written', async () => {
      // Arrange: U_i of 3 tasks, all 1; weights ¼, ¼, ½; θ = 0, lr 0.2: θ_{t+1} = −0.2 everywhere
      const { options } = problem(1);
      const count = flatten(options).length;
      const { helper } = await countingHelper(options);
      try {
        const sums = helper.sharedValues(3 * count).fill(1);
        const next = helper.sharedValues(count);
        const flags = helper.sharedFlags(16);
        // Act
        const answer = helper.aggregateClaimed(new Float32Array(count), sums, Float64Array.of(0.25, 0.25, 0.5), flags, next);
        const finished = helper.finish!(60_000);
        // Assert
        expect(finished).toBe(true);
        expect(await settledAlready(answer)).toBe(true);
        expect([...next].every((v) => v === Math.fround(-0.2))).toBe(true);
        expect([...flags].every((flag) => flag === 1)).toBe(true);
      } finally {
        helper.dispose();
      }
    }, 60_000);

    it('without a request, or twice for one, finish is false at once', async () => {
      const { options } = problem(1);
      const { helper } = await countingHelper(options);
      try {
        expect(helper.finish!(60_000)).toBe(false);
        const answer = helper.aggregateClaimed(new Float32Array(flatten(options).length), helper.sharedValues(flatten(options).length), Float64Array.of(1), helper.sharedFlags(16), helper.sharedValues(flatten(options).length));
        expect(helper.finish!(60_000)).toBe(true);
        expect(helper.finish!(60_000)).toBe(false);
        await answer;
      } finally {
        helper.dispose();
      }
    }, 60_000);
  });
});

/** The engine's flat θ from the options' [W1, b1, W2, b2]. */
function flatten(options: EngineOptions): Float32Array {
  const parts = options.initialParams;
  const flat = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    flat.set(part, at);
    at += part.length;
  }
  return flat;
}
