/**
 * The fast engine's memory-bounded mode (issue 14): above MAX_HELD_VALUES it keeps no U_i and
 * recomputes them chunk by chunk for the aggregate. Forced here with a tiny limit, it must
 * give the held mode's bytes: norms, evaluations, parameters, and a whole run's JSON.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/index.js';
import { scenarioHash } from '../../src/golden/scenario-hash.js';
import { loadScenario } from '../../src/node/load.js';
import { toJsonReport } from '../../src/report/json.js';
import { makeRng, type Rng } from '../../src/sim/rng.js';
import { initBackend, loadTf } from '../../src/train/backend.js';
import type { EngineOptions, EngineTask, TrainEngine } from '../../src/train/engine.js';
import { BOUNDED_CHUNK_VALUES, createFastEngine, MAX_HELD_VALUES, type FastEngineTuning } from '../../src/train/fast-engine.js';
import { MAX_RESERVED_VALUES } from '../../src/train/fast-sizes.js';
import { randomData, randomParams } from './engine-fixture.js';
import { EngineTasks } from '../../src/train/engine-tasks.js';

/** Chunks of 256 tasks of U_i (123 parameters) when they are not held, so that rounds span several. */
const CHUNK_TASKS = 256;
const CHUNK_VALUES = CHUNK_TASKS * 123;

const ROOT = join(import.meta.dirname, '..', '..');

beforeAll(async () => {
  await initBackend('wasm');
});


/** 4 rounds of 1.5 to 3 bounded chunks of tasks (batches of 1 … 8), with their weights. */
function problem(localSteps: number) {
  const rng = makeRng(11, 'bounded-engine', localSteps);
  const train = randomData(rng, 200, 6);
  const initialParams = randomParams(rng, [6, 12, 3]);
  const options: EngineOptions = { train, test: randomData(rng, 40, 6), hidden: [12], learningRate: 0.2, localSteps, initialParams };
  const rounds = [3, 1.5, 2.2, 3].map((chunks) => {
    const count = Math.round(chunks * CHUNK_TASKS);
    const tasks: EngineTask[] = Array.from({ length: count }, () => {
      const batch = 1 + Math.floor(rng() * 8);
      return { stepBatches: Array.from({ length: localSteps }, () => Int32Array.from({ length: batch }, () => Math.floor(rng() * train.samples))) };
    });
    const raw = Float64Array.from({ length: count }, () => 0.1 + rng());
    const total = raw.reduce((a, b) => a + b, 0);
    return { tasks, weights: raw.map((w) => w / total) };
  });
  return { options, rounds };
}

const bytes = (values: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): string =>
  Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('hex');

/** Every number the engine gives, as bytes; getParams straight after aggregate in round 2 (its synchronous path). */
async function run(engine: TrainEngine, rounds: ReturnType<typeof problem>['rounds']): Promise<string[]> {
  const out: string[] = [];
  for (const [r, { tasks, weights }] of rounds.entries()) {
    out.push(bytes(await engine.trainLocal(EngineTasks.of(tasks))));
    engine.aggregate(weights);
    if (r === 1) out.push(...engine.getParams().map(bytes));
    const { loss, accuracy } = await engine.evaluate();
    out.push(bytes(Float64Array.of(loss, accuracy)));
  }
  out.push(...engine.getParams().map(bytes));
  return out;
}

describe('fast engine, memory-bounded mode', () => {
  it('holds the U_i up to 2^26 values (256 MiB of float32) per round, then recomputes them in chunks of 2^20', () => {
    expect(MAX_HELD_VALUES).toBe(67_108_864);
    expect(BOUNDED_CHUNK_VALUES).toBe(1_048_576);
  });

  describe.each([1, 3])('localSteps %i, up to 768 tasks per round', (localSteps) => {
    const { options, rounds } = problem(localSteps);

    it.each<[string, FastEngineTuning]>([
      ['never held', { maxHeldValues: 1, chunkValues: CHUNK_VALUES }],
      ['never held, one chunk per round', { maxHeldValues: 1 }],
      ['held in the smaller rounds only', { maxHeldValues: 600 * 123, chunkValues: CHUNK_VALUES }],
    ])('gives the held mode’s norms, evaluations and parameters, byte for byte: %s', async (_, tuning) => {
      // Arrange
      const held = await createFastEngine(options);
      const bounded = await createFastEngine(options, tuning);
      try {
        // Act
        const [expected, actual] = [await run(held, rounds), await run(bounded, rounds)];
        // Assert: θ moved, and every byte agrees
        expect(held.paramCount).toBe(123);
        expect(expected.at(-1)).not.toBe(bytes(options.initialParams[3]!));
        expect(actual).toEqual(expected);
      } finally {
        held.dispose();
        bounded.dispose();
      }
    });
  });

  it('holds as many tensors after every round as before the first', async () => {
    // Arrange
    const tf = await loadTf();
    const { options, rounds } = problem(2);
    const engine = await createFastEngine(options, { maxHeldValues: 1, chunkValues: CHUNK_VALUES });
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    // Act
    for (const { tasks, weights } of rounds) {
      await engine.trainLocal(EngineTasks.of(tasks));
      engine.aggregate(weights);
      await engine.evaluate();
      counts.push(tf.memory().numTensors - before);
    }
    engine.dispose();
    // Assert
    expect(counts).toEqual([0, 0, 0, 0]);
  });

  it('names the first failing task, as the held mode does', async () => {
    // Arrange: sample 1 has huge features, so one step on it sends θ to ±∞; tasks 300 and 500 use it
    const { options } = problem(1);
    const features = options.train.features.slice();
    features.set([3e38, -3e38, 3e38, -3e38, 3e38, -3e38], 6);
    const engine = await createFastEngine({ ...options, train: { ...options.train, features }, learningRate: 1e10 }, { maxHeldValues: 1, chunkValues: CHUNK_VALUES });
    const tasks = Array.from({ length: 600 }, (_, i) => ({ stepBatches: [Int32Array.of(i === 300 || i === 500 ? 1 : 0)] }));
    // Act
    const error = await engine.trainLocal(EngineTasks.of(tasks)).catch((e: unknown) => e);
    engine.dispose();
    // Assert
    expect((error as Error).message).toBe('non-finite loss in local training (task 300)');
  });

  it.each(['large-cluster', 'data-matters'])('gives the same JSON report, byte for byte, for the bundled %s', async (name) => {
    // Arrange
    const scenario = await loadScenario(join(ROOT, 'scenarios', `${name}.yaml`));
    const json = async (tuning: FastEngineTuning | null): Promise<string> => {
      const engine = tuning === null ? 'fast' : (o: EngineOptions) => createFastEngine(o, tuning);
      const result = await runScenario(scenario, { backend: 'wasm', engine });
      return toJsonReport(result, { version: 'test', trace: false, timing: false, scenarioHash: scenarioHash(scenario) });
    };
    // Act
    const [held, bounded] = [await json(null), await json({ maxHeldValues: 1, chunkValues: 4096 })];
    // Assert
    expect(held.length).toBeGreaterThan(10_000);
    expect(bounded).toBe(held);
  }, 60_000);
});

describe('fast engine, room for the U_i made as it starts (EngineOptions.maxTasks)', () => {
  const { options, rounds } = problem(1);
  // 6 → 12 → 3: 123 parameters; the largest round has 768 tasks
  const values = 768 * 123;

  it('holds room for maxTasks × parameters values from the start, and none without maxTasks', async () => {
    const reserved = await createFastEngine({ ...options, maxTasks: 768 });
    // the sum kernel's memory grows by 64 KiB pages: the room asked for, less than a page more
    expect(reserved.heldCapacity).toBeGreaterThanOrEqual(values);
    expect(reserved.heldCapacity).toBeLessThan(values + 16_384);
    reserved.dispose();
    const plain = await createFastEngine({ ...options, maxTasks: 768 }, { sumKernel: false });
    expect(plain.heldCapacity).toBe(values);
    plain.dispose();
    const none = await createFastEngine(options);
    expect(none.heldCapacity).toBe(0);
    none.dispose();
  });

  it('makes room for at most 2^24 values (64 MiB), the first round growing it further', async () => {
    expect(MAX_RESERVED_VALUES).toBe(16_777_216);
    const capped = await createFastEngine({ ...options, maxTasks: 768 }, { sumKernel: false, maxReservedValues: 500 * 123 });
    expect(capped.heldCapacity).toBe(500 * 123);
    const late = await createFastEngine(options);
    expect(await run(capped, rounds)).toEqual(await run(late, rounds));
    expect(capped.heldCapacity).toBe(values);
    capped.dispose();
    late.dispose();
  });

  it('makes no room for a round too large to hold, or for none', async () => {
    for (const [maxTasks, tuning] of [[768, { maxHeldValues: values - 1 }], [0, {}]] as const) {
      const engine = await createFastEngine({ ...options, maxTasks }, tuning);
      expect(engine.heldCapacity).toBe(0);
      engine.dispose();
    }
  });

  it('gives the same bytes as an engine that makes room in its first round', async () => {
    for (const localSteps of [1, 3]) {
      const steps = problem(localSteps);
      const late = await createFastEngine(steps.options);
      const early = await createFastEngine({ ...steps.options, maxTasks: 768 });
      expect(await run(early, steps.rounds)).toEqual(await run(late, steps.rounds));
      late.dispose();
      early.dispose();
    }
  });
});
