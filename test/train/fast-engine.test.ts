import { beforeAll, describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { makeRng, type Rng } from '../../src/sim/rng.js';
import { initBackend, loadTf, type BackendPreference } from '../../src/train/backend.js';
import type { EngineData, EngineOptions, EngineTask, EvalResult } from '../../src/train/engine.js';
import { CHUNK_ROWS } from '../../src/train/fast-batches.js';
import { createFastEngine } from '../../src/train/fast-engine.js';
import { initParams } from '../../src/train/params.js';
import { createReferenceEngine } from '../../src/train/reference-engine.js';
import { EngineTasks } from '../../src/train/engine-tasks.js';

// ---------------------------------------------------------------------------------------
// Oracle: the straightforward per-node implementation of SPEC §2 S4 in plain JS float64
// (per-sample forward and backward, per-task SGD steps, weighted average), parameters
// [W1, b1, …] as in EngineOptions.initialParams.
// ---------------------------------------------------------------------------------------

type Params64 = Float64Array[];

interface SampleTrace {
  /** inputs of every layer (post-ReLU activations; the features for layer 1) */
  inputs: number[][];
  logits: number[];
}

function traceSample(params: Params64, data: EngineData, sample: number): SampleTrace {
  const inputs: number[][] = [];
  let h = Array.from(data.features.subarray(sample * data.featureCount, (sample + 1) * data.featureCount));
  for (let l = 0; l < params.length; l += 2) {
    inputs.push(h);
    const [kernel, bias] = [params[l]!, params[l + 1]!];
    const z = Array.from(bias, (b, o) => h.reduce((acc, x, i) => acc + x * kernel[i * bias.length + o]!, b));
    h = l + 2 < params.length ? z.map((v) => Math.max(0, v)) : z;
  }
  return { inputs, logits: h };
}

function softmax(logits: number[]): number[] {
  const top = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** ∇ of the mean softmax cross-entropy over `batch`, layer by layer like `params`. */
function gradient64(params: Params64, data: EngineData, batch: Int32Array): Params64 {
  const grads = params.map((p) => new Float64Array(p.length));
  for (const sample of batch) {
    const { inputs, logits } = traceSample(params, data, sample);
    let delta = softmax(logits).map((p, c) => (p - (c === data.labels[sample] ? 1 : 0)) / batch.length);
    for (let l = params.length / 2 - 1; l >= 0; l--) {
      const [kernel, input] = [params[2 * l]!, inputs[l]!];
      const outputs = delta.length;
      input.forEach((x, i) => delta.forEach((d, o) => (grads[2 * l]![i * outputs + o]! += x * d)));
      delta.forEach((d, o) => (grads[2 * l + 1]![o]! += d));
      // ReLU′ of the previous layer: its output (this layer's input) is positive
      delta = input.map((x, i) => (x > 0 ? delta.reduce((acc, d, o) => acc + kernel[i * outputs + o]! * d, 0) : 0));
    }
  }
  return grads;
}

/** One round: every task's SGD steps from θ_t, ‖(θ_t − θ_i) / (lr·K)‖ per task, Σ w_i θ_i. */
function round64(
  theta: Params64,
  data: EngineData,
  tasks: readonly EngineTask[],
  learningRate: number,
  weights: Float64Array,
): { norms: number[]; next: Params64 } {
  const next = theta.map((p) => new Float64Array(p.length));
  const norms = tasks.map((task, i) => {
    let local = theta.map((p) => Float64Array.from(p));
    for (const batch of task.stepBatches) {
      const grads = gradient64(local, data, batch);
      local = local.map((p, j) => p.map((v, k) => v - learningRate * grads[j]![k]!));
    }
    local.forEach((p, j) => p.forEach((v, k) => (next[j]![k]! += weights[i]! * v)));
    const scale = learningRate * task.stepBatches.length;
    return Math.sqrt(theta.reduce((acc, p, j) => acc + p.reduce((s, v, k) => s + ((v - local[j]![k]!) / scale) ** 2, 0), 0));
  });
  return { norms, next };
}

/** Mean cross-entropy and accuracy (first largest logit wins ties, as tfjs argMax). */
function evaluate64(params: Params64, data: EngineData): EvalResult {
  let loss = 0;
  let correct = 0;
  for (let s = 0; s < data.samples; s++) {
    const { logits } = traceSample(params, data, s);
    loss -= Math.log(softmax(logits)[data.labels[s]!]!);
    if (logits.indexOf(Math.max(...logits)) === data.labels[s]) correct++;
  }
  return { loss: loss / data.samples, accuracy: correct / data.samples };
}

// Run every test on cpu, and on wasm too when it loads on this machine.
const BACKENDS: BackendPreference[] = ['cpu', ...((await initBackend('auto')) === 'wasm' ? (['wasm'] as const) : [])];

/** x = [1, 2] → class 0, x = [3, −1] → class 1 (2 features, 2 classes). */
const TINY: EngineData = { features: Float32Array.of(1, 2, 3, -1), labels: Int32Array.of(0, 1), samples: 2, featureCount: 2, classCount: 2 };

function tinyOptions(fields: Partial<EngineOptions> = {}): EngineOptions {
  return { train: TINY, test: TINY, hidden: [], learningRate: 0.1, localSteps: 1, initialParams: [new Float32Array(4), new Float32Array(2)], ...fields };
}

/** 30 samples x = [1, 0]: 27 labelled 0, 3 labelled 1 (an accuracy of 27/30 when class 0 is predicted). */
const TWENTY_SEVEN_OF_THIRTY: EngineData = {
  features: Float32Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 1 : 0)),
  labels: Int32Array.from({ length: 30 }, (_, s) => (s < 27 ? 0 : 1)),
  samples: 30,
  featureCount: 2,
  classCount: 2,
};

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 6): void {
  expect(actual.length).toBe(expected.length);
  Array.from(expected).forEach((value, i) => expect(actual[i]).toBeCloseTo(value, digits));
}

/** 40 samples, 5 features in [−2, 2], 3 classes. */
function randomData(rng: Rng, samples = 40): EngineData {
  return {
    features: Float32Array.from({ length: samples * 5 }, () => 4 * rng() - 2),
    labels: Int32Array.from({ length: samples }, () => Math.floor(3 * rng())),
    samples,
    featureCount: 5,
    classCount: 3,
  };
}

/** Five tasks with batch sizes 1…8 (the first always 1), random samples (repeats allowed). */
function randomTasks(rng: Rng, localSteps: number, samples: number): EngineTask[] {
  return Array.from({ length: 5 }, (_, i) => {
    const batch = i === 0 ? 1 : 1 + Math.floor(8 * rng());
    return { stepBatches: Array.from({ length: localSteps }, () => Int32Array.from({ length: batch }, () => Math.floor(samples * rng()))) };
  });
}

function randomWeights(rng: Rng, count: number): Float64Array {
  const raw = Float64Array.from({ length: count }, () => 0.1 + rng());
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / total);
}

/** Glorot kernels from params.ts plus random biases, so that ∇b matters from round 1. */
function initialFor(hidden: number[], rng: Rng): Float32Array[] {
  return initParams(5, hidden, 3, 17).map((p, j) => (j % 2 === 1 ? p.map(() => 0.2 * rng() - 0.1) : p));
}

describe.each(BACKENDS)('fast engine on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  describe('hand-computed cases (softmax regression on two samples)', () => {
    it('reports the backend it runs on and its parameter count', async () => {
      const engine = await createFastEngine(tinyOptions());
      expect(engine.backend).toBe(backend);
      expect(engine.paramCount).toBe(6);
      engine.dispose();
    });

    it('takes one SGD step: θ = −lr · ∇, ‖g‖ = ‖∇‖', async () => {
      // Arrange: p = [½, ½] for both samples, so ∇W = ½ Σ xᵀ(p − y) = [[0.5, −0.5], [−0.75, 0.75]], ∇b = 0
      const engine = await createFastEngine(tinyOptions());
      // Act
      const norms = await engine.trainLocal(EngineTasks.of([{ stepBatches: [Int32Array.of(0, 1)] }]));
      engine.aggregate(Float64Array.of(1));
      // Assert: ‖∇‖ = √(0.25 + 0.25 + 0.5625 + 0.5625) = √1.625
      const [w, b] = engine.getParams();
      expectClose(w!, [-0.05, 0.05, 0.075, -0.075]);
      expectClose(b!, [0, 0]);
      expect(norms[0]).toBeCloseTo(Math.sqrt(1.625), 6);
      engine.dispose();
    });

    it('aggregates Σ w_i θ_i with weights [0.25, 0.75]', async () => {
      // Arrange: task A trains on sample 0 only, task B on sample 1 only
      //   θ_A: W = [[0.05, −0.05], [0.1, −0.1]],  b = [0.05, −0.05],  ‖g_A‖ = √3
      //   θ_B: W = [[−0.15, 0.15], [0.05, −0.05]], b = [−0.05, 0.05], ‖g_B‖ = √5.5
      const engine = await createFastEngine(tinyOptions());
      // Act
      const norms = await engine.trainLocal(EngineTasks.of([{ stepBatches: [Int32Array.of(0)] }, { stepBatches: [Int32Array.of(1)] }]));
      engine.aggregate(Float64Array.of(0.25, 0.75));
      // Assert
      expectClose(norms, [Math.sqrt(3), Math.sqrt(5.5)]);
      const [w, b] = engine.getParams();
      expectClose(w!, [-0.1, 0.1, 0.0625, -0.0625]);
      expectClose(b!, [-0.025, 0.025]);
      engine.dispose();
    });

    it('divides the pseudo-gradient by lr · localSteps (two steps on the same batch)', async () => {
      // Step 2 starts from step 1's θ: W = [[−0.05, 0.05], [0.075, −0.075]], b = 0 (values from the reference engine's test)
      const engine = await createFastEngine(tinyOptions({ localSteps: 2 }));
      const batch = Int32Array.of(0, 1);
      const norms = await engine.trainLocal(EngineTasks.of([{ stepBatches: [batch, batch] }]));
      engine.aggregate(Float64Array.of(1));
      const [w, b] = engine.getParams();
      expectClose(w!, [-0.0858958148, 0.0858958148, 0.1394846386, -0.1394846386]);
      expectClose(b!, [0.0030402618, -0.0030402618]);
      expect(norms[0]).toBeCloseTo(1.1585184199, 5);
      engine.dispose();
    });

    it('reports accuracy as the exact fraction correct / total: 27 of 30 is 0.9, not float32 0.89999998', async () => {
    // Arrange: every sample is x = [1, 0]; b = [1, 0] predicts class 0; 27 labels are 0, 3 are 1
    const data = TWENTY_SEVEN_OF_THIRTY;
    const engine = await createFastEngine(tinyOptions({ train: data, test: data, initialParams: [new Float32Array(4), Float32Array.of(1, 0)] }));
    // Act
    const result = await engine.evaluate();
    // Assert
    expect(result.accuracy).toBe(27 / 30);
    expect(result.accuracy).toBe(0.9);
    engine.dispose();
  });

  it('evaluates loss ln 2 and accuracy ½ at zero init (ties go to class 0)', async () => {
      const engine = await createFastEngine(tinyOptions());
      const result = await engine.evaluate();
      expect(result.loss).toBeCloseTo(Math.LN2, 6);
      expect(result.accuracy).toBe(0.5);
      engine.dispose();
    });

    it('leaves θ unchanged after discardLocal, and refuses to aggregate then', async () => {
      const engine = await createFastEngine(tinyOptions());
      await engine.trainLocal(EngineTasks.of([{ stepBatches: [Int32Array.of(0, 1)] }]));
      engine.discardLocal();
      expect(engine.getParams()).toEqual([new Float32Array(4), new Float32Array(2)]);
      expect(() => engine.aggregate(Float64Array.of(1))).toThrow('without a preceding trainLocal');
      engine.dispose();
    });

    it('leaves θ unchanged after a round without tasks', async () => {
      const engine = await createFastEngine(tinyOptions({ initialParams: [Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6)] }));
      const norms = await engine.trainLocal(EngineTasks.of([]));
      engine.aggregate(new Float64Array(0));
      expect(norms).toEqual(new Float64Array(0));
      expect(engine.getParams()).toEqual([Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6)]);
      engine.dispose();
    });

    it('refuses weights that do not match the tasks, and tasks whose step count is not localSteps', async () => {
      const engine = await createFastEngine(tinyOptions());
      await engine.trainLocal(EngineTasks.of([{ stepBatches: [Int32Array.of(0)] }]));
      expect(() => engine.aggregate(Float64Array.of(0.5, 0.5))).toThrow('got 2 weights for 1 tasks');
      await expect(engine.trainLocal(EngineTasks.of([{ stepBatches: [Int32Array.of(0), Int32Array.of(1)] }]))).rejects.toThrow('expected localSteps = 1');
      await expect(engine.trainLocal(EngineTasks.of([{ stepBatches: [new Int32Array(0)] }]))).rejects.toThrow('task 0 has an empty step batch');
      engine.dispose();
    });

    it('raises train.nonFiniteLoss naming the task when a parameter overflows, holding no tensors', async () => {
      // Arrange: sample 1 has huge features, so one step sends θ to ±∞
      const huge: EngineData = { ...TINY, features: Float32Array.of(1, 2, 3e38, -3e38) };
      const engine = await createFastEngine(tinyOptions({ train: huge, learningRate: 1e10 }));
      const tf = await loadTf();
      const before = tf.memory().numTensors;
      // Act
      const error = await engine.trainLocal(EngineTasks.of([{ stepBatches: [Int32Array.of(0)] }, { stepBatches: [Int32Array.of(1)] }])).catch((e: unknown) => e);
      // Assert
      expect(error).toBeInstanceOf(DtrainError);
      expect((error as DtrainError).code).toBe('train.nonFiniteLoss');
      expect((error as DtrainError).message).toBe('non-finite loss in local training (task 1)');
      expect((error as DtrainError).exitCode).toBe(1);
      expect(tf.memory().numTensors).toBe(before);
      engine.dispose();
    });
  });

  describe.each([
    { hidden: [] as number[], localSteps: 1 },
    { hidden: [] as number[], localSteps: 3 },
    { hidden: [16], localSteps: 1 },
    { hidden: [16], localSteps: 3 },
    { hidden: [8, 8], localSteps: 1 },
    { hidden: [8, 8], localSteps: 3 },
  ])('against the float64 per-node oracle, hidden $hidden, localSteps $localSteps', ({ hidden, localSteps }) => {
    const rng = makeRng(5, 'fast-engine', hidden.join('x'), localSteps);
    const train = randomData(rng);
    const test = randomData(rng, 25);
    const initialParams = initialFor(hidden, rng);
    // rounds 4 and 5 repeat round 3's batches, the path where last round's uploads are reused
    const rounds = Array.from({ length: 10 }, () => ({ tasks: randomTasks(rng, localSteps, train.samples), weights: randomWeights(rng, 5) }));
    rounds[3]!.tasks = rounds[4]!.tasks = rounds[2]!.tasks;
    const options: EngineOptions = { train, test, hidden, learningRate: 0.3, localSteps, initialParams };

    it.each([false, true])('matches every round’s gradient norms (1e-4 relative) and every parameter after 10 rounds (1e-5), keepBatches %s', async (keepBatches) => {
      // Arrange
      const engine = await createFastEngine({ ...options, keepBatches });
      let theta: Params64 = initialParams.map((p) => Float64Array.from(p));
      // Act / Assert per round
      for (const { tasks, weights } of rounds) {
        const norms = await engine.trainLocal(EngineTasks.of(tasks));
        engine.aggregate(weights);
        const expected = round64(theta, train, tasks, options.learningRate, weights);
        expected.norms.forEach((norm, i) => expect(Math.abs(norms[i]! - norm) / norm).toBeLessThan(1e-4));
        theta = expected.next;
      }
      // Assert: the parameters moved well beyond the tolerance, and agree within it
      const params = engine.getParams();
      const moved = Math.max(...params.map((p, j) => Math.max(...p.map((v, k) => Math.abs(v - initialParams[j]![k]!)))));
      expect(moved).toBeGreaterThan(1e-2);
      params.forEach((p, j) => p.forEach((v, k) => expect(Math.abs(v - theta[j]![k]!)).toBeLessThan(1e-5)));
      engine.dispose();
    });

    it('evaluates the test split as the oracle does', async () => {
      const engine = await createFastEngine(options);
      for (const { tasks, weights } of rounds.slice(0, 3)) {
        await engine.trainLocal(EngineTasks.of(tasks));
        engine.aggregate(weights);
      }
      const result = await engine.evaluate();
      const expected = evaluate64(engine.getParams().map((p) => Float64Array.from(p)), test);
      expect(result.loss).toBeCloseTo(expected.loss, 5);
      expect(result.accuracy).toBe(expected.accuracy);
      engine.dispose();
    });

    it('holds as many tensors after round 10 as after round 1', async () => {
      const tf = await loadTf();
      const engine = await createFastEngine(options);
      const counts: number[] = [];
      for (const { tasks, weights } of rounds) {
        await engine.trainLocal(EngineTasks.of(tasks));
        engine.aggregate(weights);
        await engine.evaluate();
        counts.push(tf.memory().numTensors);
      }
      expect(counts[9]).toBe(counts[0]);
      engine.dispose();
    });

    it('holds the same number of tensors after every round, whatever the number of tasks', async () => {
      const tf = await loadTf();
      const engine = await createFastEngine(options);
      const counts: number[] = [];
      for (const [r, { tasks }] of rounds.entries()) {
        const some = tasks.slice(0, 1 + (r % tasks.length));
        await engine.trainLocal(EngineTasks.of(some));
        engine.aggregate(Float64Array.from(some, (_, i) => (i === 0 ? 1 : 0)));
        counts.push(tf.memory().numTensors);
      }
      expect(new Set(counts).size).toBe(1);
      engine.dispose();
    });

    it('gives bit-identical norms and parameters in two engines fed the same inputs', async () => {
      const [first, second] = [await createFastEngine(options), await createFastEngine(options)];
      for (const { tasks, weights } of rounds.slice(0, 4)) {
        const [a, b] = [await first.trainLocal(EngineTasks.of(tasks)), await second.trainLocal(EngineTasks.of(tasks))];
        expect(a).toEqual(b);
        first.aggregate(weights);
        second.aggregate(weights);
      }
      expect(first.getParams()).toEqual(second.getParams());
      first.dispose();
      second.dispose();
    });
  });

  it('matches the oracle when the tasks span several concatenated chunks (80 tasks × 60 rows > CHUNK_ROWS)', async () => {
    // Arrange: 4,800 step-1 rows, cut after 4,096 rows at least, so two passes share one round
    expect(80 * 60).toBeGreaterThan(CHUNK_ROWS);
    const rng = makeRng(13, 'fast-chunks');
    const train = randomData(rng, 200);
    const initialParams = initialFor([4], rng);
    const options: EngineOptions = { train, test: train, hidden: [4], learningRate: 0.3, localSteps: 2, initialParams };
    const engine = await createFastEngine(options);
    let theta: Params64 = initialParams.map((p) => Float64Array.from(p));
    // Act / Assert
    for (let round = 0; round < 2; round++) {
      const tasks = Array.from({ length: 80 }, () => ({
        stepBatches: [0, 1].map(() => Int32Array.from({ length: 60 }, () => Math.floor(train.samples * rng()))),
      }));
      const weights = randomWeights(rng, tasks.length);
      const norms = await engine.trainLocal(EngineTasks.of(tasks));
      engine.aggregate(weights);
      const expected = round64(theta, train, tasks, options.learningRate, weights);
      expected.norms.forEach((norm, i) => expect(Math.abs(norms[i]! - norm) / norm).toBeLessThan(1e-4));
      theta = expected.next;
    }
    engine.getParams().forEach((p, j) => p.forEach((v, k) => expect(Math.abs(v - theta[j]![k]!)).toBeLessThan(1e-5)));
    engine.dispose();
  });

  it('agrees with the reference engine within 1e-5 in every parameter after 10 rounds (hidden [16], 2 local steps)', async () => {
    // Arrange
    const rng = makeRng(9, 'fast-vs-reference');
    const train = randomData(rng);
    const options: EngineOptions = { train, test: train, hidden: [16], learningRate: 0.3, localSteps: 2, initialParams: initialFor([16], rng) };
    const [fast, reference] = [await createFastEngine(options), await createReferenceEngine(options)];
    // Act
    for (let round = 0; round < 10; round++) {
      const tasks = randomTasks(rng, 2, train.samples);
      const weights = randomWeights(rng, tasks.length);
      const [a, b] = [await fast.trainLocal(EngineTasks.of(tasks)), await reference.trainLocal(EngineTasks.of(tasks))];
      a.forEach((norm, i) => expect(Math.abs(norm - b[i]!) / b[i]!).toBeLessThan(1e-4));
      fast.aggregate(weights);
      reference.aggregate(weights);
    }
    // Assert
    const expected = reference.getParams();
    fast.getParams().forEach((p, j) => p.forEach((v, k) => expect(Math.abs(v - expected[j]![k]!)).toBeLessThan(1e-5)));
    fast.dispose();
    reference.dispose();
  });
});
