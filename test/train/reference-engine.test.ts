import { beforeAll, describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import type { NodeSpec } from '../../src/scenario/types.js';
import { nodeHost } from '../../src/node/host.js';
import { initBackend, loadTf, type BackendPreference } from '../../src/train/backend.js';
import type { EngineData, EngineOptions } from '../../src/train/engine.js';
import { initParams } from '../../src/train/params.js';
import { makeCursors, prepareTraining } from '../../src/train/prepare.js';
import { createReferenceEngine } from '../../src/train/reference-engine.js';
import { EngineTasks } from '../../src/train/engine-tasks.js';

// Run every test on cpu, and on wasm too when it loads on this machine.
const BACKENDS: BackendPreference[] = ['cpu', ...((await initBackend('auto')) === 'wasm' ? (['wasm'] as const) : [])];

/** x = [1, 2] → class 0, x = [3, −1] → class 1 (2 features, 2 classes). */
const TINY: EngineData = {
  features: Float32Array.of(1, 2, 3, -1),
  labels: Int32Array.of(0, 1),
  samples: 2,
  featureCount: 2,
  classCount: 2,
};

function tinyOptions(fields: Partial<EngineOptions> = {}): EngineOptions {
  return {
    train: TINY,
    test: TINY,
    hidden: [],
    learningRate: 0.1,
    localSteps: 1,
    initialParams: [new Float32Array(4), new Float32Array(2)],
    ...fields,
  };
}

/** 30 samples x = [1, 0]: 27 labelled 0, 3 labelled 1 (an accuracy of 27/30 when class 0 is predicted). */
const TWENTY_SEVEN_OF_THIRTY: EngineData = {
  features: Float32Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 1 : 0)),
  labels: Int32Array.from({ length: 30 }, (_, s) => (s < 27 ? 0 : 1)),
  samples: 30,
  featureCount: 2,
  classCount: 2,
};

function expectClose(actual: ArrayLike<number>, expected: number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, digits));
}

/** Mean softmax cross-entropy of an MLP in float64, for finite-difference gradients. */
function lossF64(params: Float64Array[], data: EngineData): number {
  let total = 0;
  for (let s = 0; s < data.samples; s++) {
    let h = Array.from(data.features.subarray(s * data.featureCount, (s + 1) * data.featureCount));
    for (let l = 0; l < params.length; l += 2) {
      const bias = params[l + 1]!;
      const z = Array.from(bias, (b, o) => b + h.reduce((acc, x, i) => acc + x * params[l]![i * bias.length + o]!, 0));
      h = l + 2 < params.length ? z.map((v) => Math.max(0, v)) : z;
    }
    const top = Math.max(...h);
    const logSum = top + Math.log(h.reduce((acc, v) => acc + Math.exp(v - top), 0));
    total += logSum - h[data.labels[s]!]!;
  }
  return total / data.samples;
}

describe.each(BACKENDS)('reference engine on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('reports the backend it runs on and its parameter count', async () => {
    const engine = await createReferenceEngine(tinyOptions());
    expect(engine.backend).toBe(backend);
    expect(engine.paramCount).toBe(6);
    engine.dispose();
  });

  it('takes one SGD step as computed by hand (softmax regression, zero init)', async () => {
    // Arrange: p = [½, ½] for both samples, so ∇W = ½ Σ xᵀ(p − y) = [[0.5, −0.5], [−0.75, 0.75]], ∇b = 0
    const engine = await createReferenceEngine(tinyOptions());
    // Act
    const norms = await engine.trainLocal(EngineTasks.of([{ stepBatches: [Int32Array.of(0, 1)] }]));
    engine.aggregate(Float64Array.of(1));
    // Assert: θ = −0.1 · ∇; ‖∇‖ = √(0.25 + 0.25 + 0.5625 + 0.5625) = √1.625
    const [w, b] = engine.getParams();
    expectClose(w!, [-0.05, 0.05, 0.075, -0.075]);
    expectClose(b!, [0, 0]);
    expect(norms[0]).toBeCloseTo(Math.sqrt(1.625), 6);
    engine.dispose();
  });

  it('divides the pseudo-gradient by lr · localSteps (two steps, hand-computed)', async () => {
    const engine = await createReferenceEngine(tinyOptions({ localSteps: 2 }));
    const batch = Int32Array.of(0, 1);
    const norms = await engine.trainLocal(EngineTasks.of([{ stepBatches: [batch, batch] }]));
    engine.aggregate(Float64Array.of(1));
    const [w, b] = engine.getParams();
    expectClose(w!, [-0.0858958148, 0.0858958148, 0.1394846386, -0.1394846386]);
    expectClose(b!, [0.0030402618, -0.0030402618]);
    expect(norms[0]).toBeCloseTo(1.1585184199, 5);
    engine.dispose();
  });

  it('aggregates Σ w_i θ_i with weights [0.25, 0.75]', async () => {
    // Arrange: task A trains on sample 0 only, task B on sample 1 only
    //   θ_A: W = [[0.05, −0.05], [0.1, −0.1]],  b = [0.05, −0.05],  ‖g_A‖ = √3
    //   θ_B: W = [[−0.15, 0.15], [0.05, −0.05]], b = [−0.05, 0.05], ‖g_B‖ = √5.5
    const engine = await createReferenceEngine(tinyOptions());
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

  it('reports accuracy as the exact fraction correct / total: 27 of 30 is 0.9, not float32 0.89999998', async () => {
    // Arrange: every sample is x = [1, 0]; b = [1, 0] predicts class 0; 27 labels are 0, 3 are 1
    const data = TWENTY_SEVEN_OF_THIRTY;
    const engine = await createReferenceEngine(tinyOptions({ train: data, test: data, initialParams: [new Float32Array(4), Float32Array.of(1, 0)] }));
    // Act
    const result = await engine.evaluate();
    // Assert
    expect(result.accuracy).toBe(27 / 30);
    expect(result.accuracy).toBe(0.9);
    engine.dispose();
  });

  it('evaluates loss ln 2 and accuracy ½ at zero init (ties go to class 0)', async () => {
    const engine = await createReferenceEngine(tinyOptions());
    const result = await engine.evaluate();
    expect(result.loss).toBeCloseTo(Math.LN2, 6);
    expect(result.accuracy).toBe(0.5);
    engine.dispose();
  });

  it('leaves θ unchanged after discardLocal, and refuses to aggregate then', async () => {
    const engine = await createReferenceEngine(tinyOptions());
    await engine.trainLocal(EngineTasks.of([{ stepBatches: [Int32Array.of(0, 1)] }]));
    engine.discardLocal();
    expect(engine.getParams()).toEqual([new Float32Array(4), new Float32Array(2)]);
    expect(() => engine.aggregate(Float64Array.of(1))).toThrow('without a preceding trainLocal');
    engine.dispose();
  });

  it('matches a float64 finite-difference gradient for an MLP (hidden [3])', async () => {
    // Arrange
    const data: EngineData = {
      features: Float32Array.of(0.5, -1, 1.5, 0.2, -0.7, 0.9, -1.2, -0.4),
      labels: Int32Array.of(0, 1, 2, 1),
      samples: 4,
      featureCount: 2,
      classCount: 3,
    };
    const initial = initParams(2, [3], 3, 11);
    initial[1] = Float32Array.of(0.1, -0.2, 0.3); // non-zero biases exercise ∇b too
    const lr = 0.01;
    const engine = await createReferenceEngine({ train: data, test: data, hidden: [3], learningRate: lr, localSteps: 1, initialParams: initial });
    // Act
    await engine.trainLocal(EngineTasks.of([{ stepBatches: [Int32Array.of(0, 1, 2, 3)] }]));
    engine.aggregate(Float64Array.of(1));
    const trained = engine.getParams();
    // Assert: θ' = θ − lr · ∇L, ∇L by central differences in float64
    const theta = initial.map((p) => Float64Array.from(p));
    const h = 1e-6;
    theta.forEach((layer, j) => layer.forEach((value, k) => {
      layer[k] = value + h;
      const up = lossF64(theta, data);
      layer[k] = value - h;
      const down = lossF64(theta, data);
      layer[k] = value;
      expect(trained[j]![k]).toBeCloseTo(value - lr * ((up - down) / (2 * h)), 6);
    }));
    engine.dispose();
  });

  it('raises train.nonFiniteLoss naming the task when a parameter overflows', async () => {
    // Arrange: sample 1 has huge features, so one step sends θ to ±∞
    const huge: EngineData = { ...TINY, features: Float32Array.of(1, 2, 3e38, -3e38) };
    const engine = await createReferenceEngine(tinyOptions({ train: huge, learningRate: 1e10 }));
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

  describe('federated training on iris (4 nodes, mean aggregation)', () => {
    const nodes: NodeSpec[] = ['a', 'b', 'c', 'd'].map((id) => ({
      id,
      latency: { process: { kind: 'constant', valueMs: 5 }, loss: 0, down: [] },
      cores: 8, msPerSample: 0.4, parallelFraction: 0.9, ioMsPerBatch: 2, bandwidthBps: 1e9, labelNoise: 0, dataShare: 1,
    }));
    const prepared = prepareTraining({
      data: { dataset: { kind: 'builtin', name: 'iris' }, testFraction: 0.2, partition: { kind: 'iid' } },
      nodes,
      seed: 3,
      hidden: [],
      shipped: nodeHost.shippedDataset,
    });
    const options: EngineOptions = { train: prepared.train, test: prepared.test, hidden: [], learningRate: 0.5, localSteps: 5, initialParams: prepared.initialParams };
    const equal = Float64Array.from(nodes, () => 1 / nodes.length);

    it('raises test accuracy above 0.85 within 30 rounds, without leaking tensors', async () => {
      // Arrange
      const tf = await loadTf();
      const baseline = tf.memory().numTensors;
      const engine = await createReferenceEngine(options);
      const cursors = makeCursors(prepared, 3);
      const tensorsAfterRound: number[] = [];
      let accuracy = 0;
      // Act
      for (let round = 1; round <= 30; round++) {
        await engine.trainLocal(EngineTasks.of(cursors.map((c) => ({ stepBatches: c.nextSteps(16, 5) }))));
        engine.aggregate(equal);
        accuracy = (await engine.evaluate()).accuracy;
        tensorsAfterRound.push(tf.memory().numTensors);
      }
      engine.dispose();
      // Assert
      expect(accuracy).toBeGreaterThan(0.85);
      expect(tensorsAfterRound[9]).toBe(tensorsAfterRound[0]);
      expect(tensorsAfterRound[29]).toBe(tensorsAfterRound[0]);
      expect(tf.memory().numTensors).toBe(baseline);
    });

    it('is deterministic: two engines on the same inputs end with identical parameters', async () => {
      const run = async (): Promise<Float32Array[]> => {
        const engine = await createReferenceEngine(options);
        const cursors = makeCursors(prepared, 3);
        for (let round = 0; round < 3; round++) {
          await engine.trainLocal(EngineTasks.of(cursors.map((c) => ({ stepBatches: c.nextSteps(16, 5) }))));
          engine.aggregate(equal);
        }
        const params = engine.getParams();
        engine.dispose();
        return params;
      };
      expect(await run()).toEqual(await run());
    });
  });
});
