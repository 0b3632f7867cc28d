import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRng, type Rng } from '../../src/sim/rng.js';
import type { EngineOptions, EngineTask, TrainEngine } from '../../src/train/engine.js';
import { randomData, randomParams } from '../train/engine-fixture.js';
import { loadDist } from './dist.js';
import { EngineTasks } from '../../src/train/engine-tasks.js';

// The parallel engine's workers need dist/node/engine-worker.js, so this test drives the built
// package (npm test builds first); the fast engine and TF.js come from dist/ too, so both
// engines share one backend choice.
type ParallelModule = typeof import('../../src/node/parallel-engine.js');
type FastModule = typeof import('../../src/train/fast-engine.js');
type BackendModule = typeof import('../../src/train/backend.js');
type ErrorsModule = typeof import('../../src/errors.js');

let parallel: ParallelModule;
let fast: FastModule;
let backend: BackendModule;
let errors: ErrorsModule;

beforeAll(async () => {
  [parallel, fast, backend, errors] = await Promise.all([
    loadDist<ParallelModule>('node/parallel-engine.js'),
    loadDist<FastModule>('train/fast-engine.js'),
    loadDist<BackendModule>('train/backend.js'),
    loadDist<ErrorsModule>('errors.js'),
  ]);
  await backend.initBackend('wasm');
});


/** 9 tasks with batches of 1 … 8 samples. */
function randomTasks(rng: Rng, localSteps: number, samples: number): EngineTask[] {
  return Array.from({ length: 9 }, () => {
    const batch = 1 + Math.floor(rng() * 8);
    return { stepBatches: Array.from({ length: localSteps }, () => Int32Array.from({ length: batch }, () => Math.floor(rng() * samples))) };
  });
}

function randomWeights(rng: Rng, count: number): Float64Array {
  const raw = Array.from({ length: count }, () => 0.1 + rng());
  const total = raw.reduce((a, b) => a + b, 0);
  return Float64Array.from(raw, (w) => w / total);
}

function problem(localSteps: number) {
  const rng = makeRng(7, 'parallel-engine', localSteps);
  const train = randomData(rng, 60, 5);
  const test = randomData(rng, 20, 5);
  const initialParams = randomParams(rng, [5, 16, 3]);
  const rounds = Array.from({ length: 5 }, () => ({ tasks: randomTasks(rng, localSteps, train.samples), weights: randomWeights(rng, 9) }));
  const options: EngineOptions = { train, test, hidden: [16], learningRate: 0.3, localSteps, initialParams };
  return { options, rounds };
}

async function run(engine: TrainEngine, rounds: ReturnType<typeof problem>['rounds']) {
  const norms: Float64Array[] = [];
  for (const { tasks, weights } of rounds) {
    norms.push(await engine.trainLocal(EngineTasks.of(tasks)));
    engine.aggregate(weights);
  }
  return { norms, params: engine.getParams(), evaluation: await engine.evaluate() };
}

describe('parallel engine (two worker threads)', () => {
  const engines: TrainEngine[] = [];
  afterAll(() => engines.forEach((engine) => engine.dispose()));

  describe.each([1, 3])('localSteps %i, hidden [16], 9 tasks, 5 rounds', (localSteps) => {
    const { options, rounds } = problem(localSteps);

    it('gives the fast engine’s norms, parameters and evaluation, bit for bit, and twice the same', async () => {
      // Arrange
      const reference = await fast.createFastEngine(options);
      const first = await parallel.createParallelEngine(options);
      const second = await parallel.createParallelEngine(options);
      engines.push(reference, first, second);
      // Act
      const expected = await run(reference, rounds);
      const [a, b] = [await run(first, rounds), await run(second, rounds)];
      // Assert: the parameters moved, and both parallel runs equal the fast engine's
      const moved = Math.max(...expected.params.map((p, j) => Math.max(...p.map((v, k) => Math.abs(v - options.initialParams[j]![k]!)))));
      expect(moved).toBeGreaterThan(1e-2);
      expect(first.backend).toBe('wasm');
      expect(first.paramCount).toBe(reference.paramCount);
      for (const result of [a, b]) {
        expect(result.norms).toEqual(expected.norms);
        expect(result.params).toEqual(expected.params);
        expect(result.evaluation).toEqual(expected.evaluation);
      }
    });
  });

  it('names the failing task by its global index (a task of worker 1)', async () => {
    // Arrange: sample 1 has huge features, so one step on it sends θ to ±∞; it is in task 7
    const { options } = problem(1);
    const features = options.train.features.slice();
    features.set([3e38, -3e38, 3e38, -3e38, 3e38], 5);
    const engine = await parallel.createParallelEngine({ ...options, train: { ...options.train, features }, learningRate: 1e10 });
    engines.push(engine);
    const tasks = Array.from({ length: 9 }, (_, i) => ({ stepBatches: [Int32Array.of(i === 7 ? 1 : 0)] }));
    // Act
    const error = await engine.trainLocal(EngineTasks.of(tasks)).catch((e: unknown) => e);
    // Assert
    expect(error).toBeInstanceOf(errors.DtrainError);
    expect((error as InstanceType<ErrorsModule['DtrainError']>).code).toBe('train.nonFiniteLoss');
    expect((error as Error).message).toBe('non-finite loss in local training (task 7)');
    expect((error as InstanceType<ErrorsModule['DtrainError']>).exitCode).toBe(1);
    expect(() => engine.aggregate(new Float64Array(9))).toThrow('without a preceding trainLocal');
  });

  it('holds no tensors on the main thread, round after round, and leaves θ unchanged on an empty round', async () => {
    const tf = await backend.loadTf();
    const { options, rounds } = problem(3);
    const before = tf.memory().numTensors;
    const engine = await parallel.createParallelEngine({ ...options, keepBatches: true });
    engines.push(engine);
    await run(engine, rounds.slice(0, 1));
    const afterOne = tf.memory().numTensors;
    await run(engine, rounds.slice(1));
    expect(tf.memory().numTensors).toBe(afterOne);
    expect(afterOne).toBe(before);
    const params = engine.getParams();
    expect(await engine.trainLocal(EngineTasks.of([]))).toEqual(new Float64Array(0));
    engine.aggregate(new Float64Array(0));
    expect(engine.getParams()).toEqual(params);
  });
});
