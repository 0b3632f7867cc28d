/**
 * A later local step's small products in JS: the bits of tfjs-wasm's own matMul, which the
 * engine used for every later step before and still uses for large ones.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../src/sim/rng.js';
import { initBackend, loadTf, type Tf } from '../../src/train/backend.js';
import { matMulInJs } from '../../src/train/node-products-js.js';

let tf: Tf;

beforeAll(async () => {
  await initBackend('wasm');
  tf = await loadTf();
});

/** a ([rows, inner], with a ones column when asked) · b[bOffset …] ([inner (+ 1), cols]) by tfjs-wasm. */
function byWasm(a: Float32Array, rows: number, inner: number, b: Float32Array, bOffset: number, cols: number, onesColumn: boolean): Float32Array {
  const width = inner + (onesColumn ? 1 : 0);
  const left = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    left.set(a.subarray(r * inner, (r + 1) * inner), r * width);
    if (onesColumn) left[r * width + inner] = 1;
  }
  const right = b.slice(bOffset, bOffset + width * cols);
  return tf.tidy(() => tf.matMul(tf.tensor2d(left, [rows, width]), tf.tensor2d(right, [width, cols])).dataSync() as Float32Array);
}

const show = (values: Float32Array): string[] => [...values].map((v) => (Object.is(v, -0) ? '-0' : String(v)));

describe('matMulInJs', () => {
  it('[[1, 2], [3, 4]] · [[0.5], [0.25]] = [1, 2.5]; with a ones column and a bias row of 10: [11, 12.5]; read from the offset', () => {
    const out = new Float32Array(2);
    matMulInJs(new Float32Array([1, 2, 3, 4]), 2, 2, new Float32Array([9, 0.5, 0.25, 10]), 1, 1, false, out);
    expect([...out]).toEqual([1, 2.5]);
    matMulInJs(new Float32Array([1, 2, 3, 4]), 2, 2, new Float32Array([9, 0.5, 0.25, 10]), 1, 1, true, out);
    expect([...out]).toEqual([11, 12.5]);
  });

  it('gives tfjs-wasm’s product bit for bit, whatever the shape, with and without the ones column', () => {
    const rng = makeRng('later-step-products');
    const draw = (length: number): Float32Array => Float32Array.from({ length }, () => (rng() * 2 - 1) * 10 ** Math.floor(rng() * 6 - 3));
    // [rows, inner, cols]: forward products of small layers (ones column), backward D·Wᵀ (none)
    const shapes: Array<[number, number, number]> = [
      [1, 1, 1], [8, 16, 16], [8, 16, 4], [8, 4, 16], [32, 12, 32], [32, 16, 3], [5, 7, 9], [3, 33, 2], [16, 64, 5], [64, 20, 4], [2, 100, 1],
    ];
    let compared = 0;
    for (const [rows, inner, cols] of shapes) {
      for (const onesColumn of [true, false]) {
        const a = draw(rows * inner);
        const b = draw(3 + (inner + 1) * cols);
        const out = new Float32Array(rows * cols);
        matMulInJs(a, rows, inner, b, 3, cols, onesColumn, out);
        const want = byWasm(a, rows, inner, b, 3, cols, onesColumn);
        for (let k = 0; k < out.length; k++) expect(Object.is(out[k], want[k]), `${rows}×${inner}×${cols} (ones: ${onesColumn}), value ${k}`).toBe(true);
        compared += out.length;
      }
    }
    expect(compared).toBe(2 * shapes.reduce((sum, [rows, , cols]) => sum + rows * cols, 0));
  });

  it('zeros, negative zeros, infinities and NaN come out as tfjs-wasm’s do', () => {
    const a = new Float32Array([-1, -0, Infinity, 2, 0, -3]);
    const b = new Float32Array([0, -0, 0, 1, Number.NaN, 0, -0, -0]);
    for (const onesColumn of [false, true]) {
      const out = new Float32Array(4);
      matMulInJs(a, 2, 3, b, 0, 2, onesColumn, out);
      expect(show(out)).toEqual(show(byWasm(a, 2, 3, b, 0, 2, onesColumn)));
    }
  });
});
