/**
 * A node's weight gradient Ãᵀ·D computed in JS for small layers: the bits of tfjs-wasm's own
 * product, which the fast engine used for every layer before and still uses for large ones.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../src/sim/rng.js';
import { initBackend, loadTf, type Tf } from '../../src/train/backend.js';
import { gradientInJs, JS_PRODUCT_LIMIT } from '../../src/train/fast-node-grads.js';

let tf: Tf;

beforeAll(async () => {
  await initBackend('wasm');
  tf = await loadTf();
});

/** Ãᵀ·D by tfjs-wasm: rows start … start + rows − 1 of values [*, width] with a ones column, and of deltas [*, outputs]. */
function byWasm(values: Float32Array, width: number, start: number, rows: number, deltas: Float32Array, outputs: number): Float32Array {
  const aT = new Float32Array((width + 1) * rows);
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < width; p++) aT[p * rows + r] = values[(start + r) * width + p]!;
    aT[width * rows + r] = 1;
  }
  const node = deltas.slice(start * outputs, (start + rows) * outputs);
  return tf.tidy(() => tf.matMul(tf.tensor2d(aT, [width + 1, rows]), tf.tensor2d(node, [rows, outputs])).dataSync() as Float32Array);
}

describe('gradientInJs', () => {
  it('[[1, 2], [3, 4]] with a ones column against δ = [0.5, 0.25]: 1.25, 2 and 0.75, written at the offset only', () => {
    const out = new Float32Array(5).fill(9);
    gradientInJs(new Float32Array([1, 2, 3, 4]), 2, 0, 2, new Float32Array([0.5, 0.25]), 1, out, 1);
    expect([...out]).toEqual([9, 1.25, 2, 0.75, 9]);
  });

  it('gives tfjs-wasm’s product bit for bit, whatever the shape and the node’s first row', () => {
    const rng = makeRng('gradient-bits');
    const draw = (length: number): Float32Array => Float32Array.from({ length }, () => (rng() * 2 - 1) * 10 ** Math.floor(rng() * 6 - 3));
    const shapes: Array<[number, number, number]> = [
      [1, 1, 1], [16, 8, 16], [16, 8, 4], [4, 32, 16], [16, 32, 3], [3, 1, 7], [7, 200, 2], [33, 5, 9], [12, 64, 8],
    ];
    let compared = 0;
    for (const [width, rows, outputs] of shapes) {
      for (const start of [0, 3]) {
        const total = start + rows + 2;
        const values = draw(total * width);
        const deltas = draw(total * outputs);
        const out = new Float32Array((width + 1) * outputs);
        gradientInJs(values, width, start, rows, deltas, outputs, out, 0);
        const want = byWasm(values, width, start, rows, deltas, outputs);
        for (let k = 0; k < out.length; k++) expect(Object.is(out[k], want[k]), `${width}×${rows}×${outputs} from ${start}, value ${k}`).toBe(true);
        compared += out.length;
      }
    }
    expect(compared).toBe(2 * shapes.reduce((sum, [w, , o]) => sum + (w + 1) * o, 0));
  });

  it('zeros, negative zeros, infinities and NaN come out as tfjs-wasm’s do', () => {
    const values = new Float32Array([-1, -0, Infinity, 2, 0, -3]);
    const deltas = new Float32Array([0, -0, 0, 1, Number.NaN, 0]);
    const out = new Float32Array(4 * 2);
    gradientInJs(values, 3, 0, 2, deltas, 2, out, 0);
    const want = byWasm(values, 3, 0, 2, deltas, 2);
    expect([...out].map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual([...want].map((v) => (Object.is(v, -0) ? '-0' : String(v))));
  });

  it('takes the small products only: the benchmark model’s layers (64 → 64 → 10 on 32 rows) stay with tfjs', () => {
    expect(17 * 8 * 16).toBeLessThanOrEqual(JS_PRODUCT_LIMIT);
    expect(65 * 32 * 10).toBeGreaterThan(JS_PRODUCT_LIMIT);
  });
});
