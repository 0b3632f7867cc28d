/**
 * A round split with the helper thread: both threads claim its units (unit-claims.ts), this
 * one from the first up, the helper from the last down. Driven with a helper computing
 * in-process with a second engine (in-thread-helper.ts), so that the test can say which
 * thread met which task.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../src/sim/rng.js';
import { initBackend, loadTf } from '../../src/train/backend.js';
import type { EngineOptions } from '../../src/train/engine.js';
import type { EngineHelper } from '../../src/train/engine-helper.js';
import { EngineTasks } from '../../src/train/engine-tasks.js';
import { createFastEngine, type FastEngine, type FastEngineTuning } from '../../src/train/fast-engine.js';
import { unitRanges } from '../../src/train/unit-claims.js';
import { randomData, randomParams } from './engine-fixture.js';
import { InThreadHelper } from './in-thread-helper.js';

beforeAll(async () => {
  await initBackend('wasm');
});

/** 6 → 12 → 3; sample 1's features are huge, so that with lr 1e10 one step on it leaves θ non-finite. */
function problem(keepBatches = false) {
  const rng = makeRng(23, 'claims');
  const train = randomData(rng, 300, 6);
  const options: EngineOptions = { train, test: randomData(rng, 30, 6), hidden: [12], learningRate: 0.2, localSteps: 1, initialParams: randomParams(rng, [6, 12, 3]), keepBatches };
  const features = train.features.slice();
  features.set([-1e30, -1e30, -1e30, -1e30, -1e30, -1e30], 6);
  const broken: EngineOptions = { ...options, train: { ...train, features }, learningRate: 1e10, keepBatches: false };
  // 700 tasks of 1 … 8 rows, samples other than 1
  const tasks = Array.from({ length: 700 }, () => ({ stepBatches: [Int32Array.from({ length: 1 + Math.floor(rng() * 8) }, () => 2 + Math.floor(rng() * 298))] }));
  const raw = Float64Array.from({ length: 700 }, () => 0.1 + rng());
  const total = raw.reduce((a, b) => a + b, 0);
  return { options, broken, tasks, weights: raw.map((w) => w / total) };
}

const bytes = (values: { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): string => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('hex');

/** An engine that splits every round with `helper`, once it has joined. */
async function joined(options: EngineOptions, helper: EngineHelper, tuning: FastEngineTuning = {}): Promise<FastEngine> {
  const engine = await createFastEngine(options, { ...tuning, parallelMinValues: 1, alwaysSplit: true, startHelper: async () => helper });
  await engine.trainLocal(EngineTasks.of([{ stepBatches: [Int32Array.of(2)] }]));
  engine.discardLocal();
  expect(await engine.helperReady()).toBe(true);
  return engine;
}

async function withHelper(options: EngineOptions): Promise<{ engine: FastEngine; helper: InThreadHelper }> {
  const helper = new InThreadHelper(await createFastEngine(options));
  return { engine: await joined(options, helper), helper };
}

describe('a round split by claimed units', () => {
  it.each([false, true])('is trained by both threads, each task once, with one thread’s numbers (batches kept: %s)', async (keepBatches) => {
    // Arrange
    const tf = await loadTf();
    const tensorsBefore = tf.memory().numTensors;
    const { options, tasks, weights } = problem(keepBatches);
    // alone, θ_{t+1}'s sums in JavaScript
    const alone = await createFastEngine(options, { sumKernel: false });
    const { engine, helper } = await withHelper(options);
    const [expected, actual]: string[][] = [[], []];
    try {
      // Act: the same round three times, then a round of half the tasks (fewer units)
      for (const round of [tasks, tasks, tasks, tasks.slice(0, 350)]) {
        for (const [e, out] of [[alone, expected], [engine, actual]] as const) {
          out.push(bytes(await e.trainLocal(EngineTasks.of(round))));
          e.aggregate(weights.slice(0, round.length));
          out.push(...e.getParams().map(bytes));
        }
      }
      // Assert: the helper trained the last tasks of each round, this thread the first ones
      expect(helper.claimed.map((c) => c.from + c.norms.length)).toEqual([700, 700, 700, 350]);
      expect(helper.claimed.every((c) => c.from > 0)).toBe(true);
      expect(actual).toEqual(expected);
    } finally {
      alone.dispose();
      engine.dispose();
    }
    // no unit's kept batches outlive the engine
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 60_000);

  it.each([
    ['by the sum kernel, on this thread alone', {}, 0],
    ['in JavaScript, on both threads', { sumKernel: false }, 2],
  ])('forms θ_{t+1} of a split round %s, with one thread’s numbers', async (_, tuning, aggregates) => {
    // Arrange
    const { options, tasks, weights } = problem(false);
    const alone = await createFastEngine(options, { sumKernel: false });
    const helper = new InThreadHelper(await createFastEngine(options));
    const engine = await createFastEngine(options, { ...tuning, parallelMinValues: 1, alwaysSplit: true, startHelper: async () => helper });
    await engine.trainLocal(EngineTasks.of([{ stepBatches: [Int32Array.of(2)] }]));
    engine.discardLocal();
    expect(await engine.helperReady()).toBe(true);
    try {
      // Act: three rounds, each θ_{t+1} formed when the next round starts, the last by getParams
      for (const e of [alone, engine]) {
        for (let round = 0; round < 3; round++) {
          await e.trainLocal(EngineTasks.of(tasks));
          e.aggregate(weights);
        }
      }
      // Assert
      expect(engine.getParams().map(bytes)).toEqual(alone.getParams().map(bytes));
      expect(helper.claimed).toHaveLength(3);
      expect(helper.aggregates).toBe(aggregates);
    } finally {
      alone.dispose();
      engine.dispose();
    }
  });

  it.each<[string, number[], number]>([
    ['in the helper’s units (its first, the last)', [650], 650],
    ['in this thread’s units and the helper’s: this thread’s, the lower', [30, 650], 30],
  ])('names the lowest failing task among all tasks: %s', async (_, failing, reported) => {
    // Arrange
    const { broken, tasks } = problem();
    const round = tasks.map((task, i) => (failing.includes(i) ? { stepBatches: [Int32Array.of(1)] } : task));
    const alone = await createFastEngine(broken);
    const { engine } = await withHelper(broken);
    try {
      // Act
      const error = await engine.trainLocal(EngineTasks.of(round)).catch((e: unknown) => e);
      const aloneError = await alone.trainLocal(EngineTasks.of(round)).catch((e: unknown) => e);
      // Assert
      expect((error as Error).message).toBe(`non-finite loss in local training (task ${reported})`);
      expect((aloneError as Error).message).toBe((error as Error).message);
    } finally {
      alone.dispose();
      engine.dispose();
    }
  });

  it('stops the helper once this thread fails: it finishes the unit it is on and claims no other', async () => {
    // Arrange: the two take turns at each pass: the helper takes the last unit, this thread
    // the first, the helper the one before last, then this thread fails in the first
    const { broken, tasks } = problem();
    const round = tasks.map((task, i) => (i === 30 ? { stepBatches: [Int32Array.of(1)] } : task));
    const units = unitRanges(EngineTasks.of(round));
    const { engine, helper } = await withHelper(broken);
    try {
      // Act
      const error = await engine.trainLocal(EngineTasks.of(round)).catch((e: unknown) => e);
      // Assert
      expect((error as Error).message).toBe('non-finite loss in local training (task 30)');
      expect(units.length).toBe(10);
      expect(helper.claimed.map((c) => c.from)).toEqual([units[8]![0]]);
    } finally {
      engine.dispose();
    }
  });

  // the aggregate is split by slices only where the sum kernel does not form it: JS sums here
  it('holds up nothing while the helper has not started: this thread takes every unit and slice, and does not wait', async () => {
    // Arrange: a helper whose answers never come and which never takes a unit (its core busy)
    const { options, tasks, weights } = problem();
    const asked: string[] = [];
    const stalled: EngineHelper = {
      sharedValues: (length) => new Float32Array(length),
      sharedFlags: (length) => new Int32Array(length),
      train: () => new Promise(() => {}),
      trainClaimed: () => (asked.push('claim'), new Promise(() => {})),
      aggregateClaimed: () => (asked.push('aggregate'), new Promise(() => {})),
      dispose: () => undefined,
    };
    const alone = await createFastEngine(options);
    const engine = await joined(options, stalled, { sumKernel: false });
    try {
      // Act
      const [expected, actual]: string[][] = [[], []];
      for (let round = 0; round < 3; round++) {
        for (const [e, out] of [[alone, expected], [engine, actual]] as const) {
          out.push(bytes(await e.trainLocal(EngineTasks.of(tasks))));
          e.aggregate(weights);
          const { loss, accuracy } = await e.evaluate();
          out.push(bytes(Float64Array.of(loss, accuracy)));
        }
      }
      expected.push(...alone.getParams().map(bytes));
      actual.push(...engine.getParams().map(bytes));
      // Assert: asked for its share of 3 rounds and 3 aggregates, waited for none
      expect(asked).toEqual(['claim', 'aggregate', 'claim', 'aggregate', 'claim', 'aggregate']);
      expect(actual).toEqual(expected);
    } finally {
      alone.dispose();
      engine.dispose();
    }
  });

  it('gives each round its own flags: a helper that comes to a finished round, once the next has begun, finds nothing left to take', async () => {
    // Arrange: a helper that does a round's share only when asked for the next round's (the
    // round's units when asked for the next one's, the aggregate likewise)
    const { options, tasks, weights } = problem();
    const inner = await createFastEngine(options);
    const pending: Record<'claim' | 'aggregate', Array<() => Promise<number>>> = { claim: [], aggregate: [] };
    const done: Array<Promise<number>> = [];
    const catchUp = (kind: 'claim' | 'aggregate'): void => {
      done.push(...pending[kind].splice(0).map((work) => work()));
    };
    const late: EngineHelper = {
      sharedValues: (length) => new Float32Array(length),
      sharedFlags: (length) => new Int32Array(length),
      train: () => new Promise(() => {}),
      trainClaimed: (theta, round, claims, sums) => {
        catchUp('claim');
        pending.claim.push(async () => (await inner.trainClaimed(theta, round, claims, sums)).from);
        return new Promise(() => {});
      },
      aggregateClaimed: (theta, sums, w, claims, next) => {
        catchUp('aggregate');
        pending.aggregate.push(async () => (inner.aggregateClaimed(theta, sums, w, claims, next), -1));
        return new Promise(() => {});
      },
      dispose: () => inner.dispose(),
    };
    const alone = await createFastEngine(options);
    const engine = await joined(options, late, { sumKernel: false });
    try {
      const [expected, actual]: string[][] = [[], []];
      // Act
      for (const count of [700, 500, 700, 700]) {
        for (const [e, out] of [[alone, expected], [engine, actual]] as const) {
          out.push(bytes(await e.trainLocal(EngineTasks.of(tasks.slice(0, count)))));
          e.aggregate(weights.slice(0, count));
          const { loss, accuracy } = await e.evaluate();
          out.push(bytes(Float64Array.of(loss, accuracy)));
        }
      }
      expected.push(...alone.getParams().map(bytes));
      actual.push(...engine.getParams().map(bytes));
      // Assert: each late share found its round taken (a round's tasks all trained here, or -1
      // for an aggregate), and nothing it did changed a number
      expect(await Promise.all(done)).toEqual([700, -1, 500, -1, 700, -1]);
      expect(actual).toEqual(expected);
    } finally {
      alone.dispose();
      engine.dispose();
    }
  });
});
