/**
 * The evaluation's logits by the gradient kernel, the test rows read a chunk at a time where
 * they lie, against tfjs's forward over the rows uploaded whole: the same logits, loss and
 * accuracy, bit for bit, on test splits smaller than a chunk, of exactly one, and of several with a
 * partial last one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../src/sim/rng.js';
import { initBackend, loadTf, type Tf } from '../../src/train/backend.js';
import { logitsByKernel, TestSet } from '../../src/train/fast-evaluate.js';
import { forwardMlp } from '../../src/train/fast-forward.js';
import { describeModel, flattenParams } from '../../src/train/fast-layout.js';
import { GradientKernel } from '../../src/train/kernels/gradient-kernel.js';
import { randomData, randomParams } from './engine-fixture.js';

let tf: Tf;

beforeAll(async () => {
  await initBackend('wasm');
  tf = await loadTf();
});

const bits = (result: { loss: number; accuracy: number }): string => Buffer.from(Float64Array.of(result.loss, result.accuracy).buffer).toString('hex');

describe('TestSet with the gradient kernel', () => {
  it.each([
    ['64 → 64 → 10, 50 rows', [64, 64, 10], 50],
    ['16 → 16 → 4, 1 row', [16, 16, 4], 1],
    ['6 → 5 → 4 → 3, 4,096 rows (one whole chunk)', [6, 5, 4, 3], 4096],
    ['40 → 32 → 3, 9,000 rows (two chunks and 808 rows)', [40, 32, 3], 9000],
  ])('%s: the bits of tfjs’s forward, round after round', async (_, widths, rows) => {
    const rng = makeRng(3, 'evaluate', widths.join('-'), rows);
    const data = randomData(rng, rows, widths[0]!, widths.at(-1)!);
    const layout = describeModel(widths[0]!, widths.slice(1, -1), widths.at(-1)!);
    const kernel = GradientKernel.create(layout.paramCount)!;
    expect(kernel).not.toBeNull();
    const byKernel = new TestSet(tf, data, kernel);
    const byTfjs = new TestSet(tf, data);
    try {
      for (let round = 0; round < 3; round++) {
        const theta = flattenParams(layout, randomParams(rng, widths));
        // the logits themselves (a loss summed in float32 can hide a difference in one of them)
        const logits = logitsByKernel(kernel, layout, theta, data, new Float32Array(rows * widths.at(-1)!));
        const expected = tf.tidy(() => forwardMlp(tf, layout, theta, tf.tensor2d(data.features, [rows, widths[0]!])).logits.dataSync() as Float32Array);
        expect(Buffer.from(logits.buffer).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))).toBe(true);
        const kernelResult = await byKernel.evaluate(layout, theta);
        const tfjsResult = await byTfjs.evaluate(layout, theta);
        expect(bits(kernelResult)).toBe(bits(tfjsResult));
        expect(kernelResult.loss).toBeGreaterThan(0);
        expect(Number.isFinite(kernelResult.loss)).toBe(true);
      }
    } finally {
      byKernel.dispose();
      byTfjs.dispose();
    }
  });
});
