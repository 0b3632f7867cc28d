/**
 * The WebAssembly kernel that computes every node's weight gradients (src/train/kernels/):
 * the bits of tfjs-wasm's own products, which it replaces, and its bytes those of its source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWat, bytesModule } from '../../scripts/build-kernels.mjs';
import { makeRng, type Rng } from '../../src/sim/rng.js';
import { initBackend, loadTf, type Tf } from '../../src/train/backend.js';
import { EngineTasks } from '../../src/train/engine-tasks.js';
import { buildChunk, disposeChunk } from '../../src/train/fast-batches.js';
import { PassBuffers, runConcatPass } from '../../src/train/fast-concat-pass.js';
import { describeModel, flattenParams } from '../../src/train/fast-layout.js';
import { concatNodeGradient } from '../../src/train/fast-node-grads.js';
import { sumOfSquares } from '../../src/train/fast-vector-math.js';
import { GradientKernel } from '../../src/train/kernels/gradient-kernel.js';
import { compileKernel } from '../../src/train/kernels/kernel-module.js';
import { randomData, randomParams } from './engine-fixture.js';

const KERNELS = path.join(import.meta.dirname, '..', '..', 'src', 'train', 'kernels');

let tf: Tf;

beforeAll(async () => {
  await initBackend('wasm');
  tf = await loadTf();
});

function kernel(paramCount = 16): GradientKernel {
  const made = GradientKernel.create(paramCount);
  if (made === null) throw new Error('this Node.js runs WebAssembly SIMD: the kernel must compile');
  return made;
}

/** Xᵀ·D by tfjs-wasm (XNNPACK) from row-major X [rows, width] and D [rows, outputs], as the engine computed it before. */
function byTfjs(x: Float32Array, width: number, d: Float32Array, outputs: number, rows: number): Float32Array {
  const xT = new Float32Array(width * rows);
  for (let r = 0; r < rows; r++) for (let p = 0; p < width; p++) xT[p * rows + r] = x[r * width + p]!;
  return tf.tidy(() => tf.matMul(tf.tensor2d(xT, [width, rows]), tf.tensor2d(d, [rows, outputs])).dataSync() as Float32Array);
}

/** Values spread over seven orders of magnitude and both signs, so that rounding shows. */
function draw(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, () => (rng() * 2 - 1) * 10 ** Math.floor(rng() * 7 - 3));
}

describe('the kernel’s bytes', () => {
  it('are those its .wat compiles to (run `npm run kernels` after editing it)', async () => {
    const wat = fs.readFileSync(path.join(KERNELS, 'gradient.wat'), 'utf8');
    const bytes = await compileWat('gradient.wat', wat);
    expect(fs.readFileSync(path.join(KERNELS, 'gradient-wasm.ts'), 'utf8')).toBe(bytesModule('gradient.wat', bytes));
  });

  it('compile to nothing where they cannot run: the engine then keeps tfjs’s products', () => {
    expect(compileKernel(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff]))).toBeNull();
    expect(GradientKernel.create(10, null)).toBeNull();
  });
});

describe('Xᵀ·D', () => {
  it('[[1, 2], [3, 4]]ᵀ · [[0.5, 0.25, 1], [2, −1, 0]] = [[6.5, −2.75, 1], [9, −3.5, 2]] by hand', () => {
    const out = kernel().product(new Float32Array([1, 2, 3, 4]), 2, new Float32Array([0.5, 0.25, 1, 2, -1, 0]), 3, 2);
    expect([...out]).toEqual([6.5, -2.75, 1, 9, -3.5, 2]);
  });

  it('sums the rows in order from +0: ((0 + 1e8) + 1) − 1e8 is 0 in float32 (1 + (1e8 − 1e8) would be 1), and −0 · 1 gives +0', () => {
    const x = new Float32Array([1e8, 1, -1e8]);
    const d = new Float32Array([1, 1, 1]);
    expect([...kernel().product(x, 1, d, 1, 3)]).toEqual([0]);
    expect(Object.is(kernel().product(new Float32Array([-0]), 1, new Float32Array([1]), 1, 1)[0], 0)).toBe(true);
  });

  it('gives tfjs-wasm’s product bit for bit, whatever the widths (blocks of 4 rows and 8 columns, and what is left)', () => {
    const rng = makeRng('gradient-kernel-bits');
    const k = kernel();
    const shapes: Array<[number, number, number]> = [
      [1, 1, 1], [3, 7, 5], [4, 8, 8], [5, 9, 9], [64, 32, 64], [65, 32, 10], [64, 32, 10], [17, 33, 23], [12, 200, 7], [2, 1, 16], [129, 31, 3],
    ];
    let compared = 0;
    for (const [width, rows, outputs] of shapes) {
      const x = draw(rng, rows * width);
      const d = draw(rng, rows * outputs);
      const got = k.product(x, width, d, outputs, rows);
      const want = byTfjs(x, width, d, outputs, rows);
      expect(got.length).toBe(width * outputs);
      for (let v = 0; v < got.length; v++) expect(Object.is(got[v], want[v]), `${width}×${rows}×${outputs}, value ${v}`).toBe(true);
      compared += got.length;
    }
    expect(compared).toBe(shapes.reduce((sum, [w, , o]) => sum + w * o, 0));
  });

  it('over no rows is zeros', () => {
    expect([...kernel().product(new Float32Array(0), 2, new Float32Array(0), 3, 0)]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('grows its memory for arrays larger than it has, and computes there as well', () => {
    const k = kernel();
    const rows = 20_000; // 20,000 × (40 + 8) floats: 3.7 MiB, beyond the first pages
    const x = new Float32Array(rows * 40).fill(0.5);
    const d = new Float32Array(rows * 8).fill(0.25);
    const out = k.product(x, 40, d, 8, rows);
    expect(out.length).toBe(320);
    expect(out.every((v) => v === 2500)).toBe(true); // 20,000 × 0.125, exact in float32
  });
});

describe('a node’s gradient from a pass in the kernel’s memory', () => {
  it('is the gradient tfjs’s products give, for every node of a two-layer pass (rows of 1 to 40)', async () => {
    const rng = makeRng('gradient-kernel-pass');
    const widths = [24, 20, 6];
    const layout = describeModel(widths[0]!, [widths[1]!], widths[2]!);
    const data = randomData(rng, 400, widths[0]!, widths[2]!);
    const theta = flattenParams(layout, randomParams(rng, widths));
    const rowCounts = [1, 7, 40, 32, 3, 16, 33, 9];
    let next = 0;
    const tasks = EngineTasks.of(rowCounts.map((rows) => ({ stepBatches: [Int32Array.from({ length: rows }, () => next++ % 400)] })));
    const built = buildChunk(tf, data, tasks, 0, tasks.count);
    try {
      const placed = await runConcatPass(tf, layout, theta, built.chunk, new PassBuffers(kernel(layout.paramCount)));
      const plain = await runConcatPass(tf, layout, theta, built.chunk, new PassBuffers(null));
      expect(placed.placed).not.toBeNull();
      expect(plain.placed).toBeNull();
      for (let j = 0; j < tasks.count; j++) {
        const start = built.chunk.offsets[j]!;
        const got = new Float32Array(layout.paramCount);
        const want = new Float32Array(layout.paramCount);
        const squares = concatNodeGradient(tf, layout, placed, start, rowCounts[j]!, null, got);
        expect(concatNodeGradient(tf, layout, plain, start, rowCounts[j]!, null, want)).toBeNull();
        expect(Object.is(squares, sumOfSquares(want)), `node ${j}: its ‖G‖² with the bits of sumOfSquares`).toBe(true);
        expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `node ${j}`).toBe(true);
        expect(got.some((v) => v !== 0)).toBe(true);
      }
    } finally {
      disposeChunk(tf, built);
    }
  });
});

describe('a pass in the kernel’s memory', () => {
  /** `values` copied into a kernel's memory (a fresh region of `arrays` each call) */
  function placed(k: GradientKernel, ...values: Float32Array[]): Float32Array[] {
    const { views } = k.arrays(values.map((v) => v.length));
    views.forEach((view, i) => view.set(values[i]!));
    return views;
  }
  const bits = (values: Float32Array): string[] => Array.from(values, (v) => (Object.is(v, -0) ? '-0' : String(v)));

  it('fused forward: each sum starts from the bias, 1e8 + (1 · −1e8) + 1 · 1 = 1 in float32 (with the bias added last it would be 0), then ReLU', () => {
    const k = kernel();
    const [a, weights, out] = placed(k, Float32Array.of(1, 1, 1, 1), Float32Array.of(-1e8, -1, 1, 1, 1e8, -3), new Float32Array(4));
    k.fusedForward(a!, 2, 2, weights!, 2, false, out!);
    expect(bits(out!)).toEqual(['1', '-3', '1', '-3']);
    k.fusedForward(a!, 2, 2, weights!, 2, true, out!);
    expect(bits(out!)).toEqual(['1', '0', '1', '0']);
  });

  it('fused forward: tf.fused.matMul’s bits with bias, linear and ReLU, whatever the widths (blocks of 4 rows and 8 columns, and what is left)', () => {
    const rng = makeRng('fused-forward');
    const k = kernel();
    for (const [rows, inputs, outputs] of [[1, 1, 1], [3, 5, 7], [8, 16, 16], [33, 64, 10], [6, 13, 9]] as const) {
      for (const relu of [false, true]) {
        const a = draw(rng, rows * inputs);
        const weights = draw(rng, (inputs + 1) * outputs);
        const [pa, pw, out] = placed(k, a, weights, new Float32Array(rows * outputs));
        k.fusedForward(pa!, inputs, rows, pw!, outputs, relu, out!);
        const want = tf.tidy(() => tf.fused.matMul({
          a: tf.tensor2d(a, [rows, inputs]), b: tf.tensor2d(weights.subarray(0, inputs * outputs), [inputs, outputs]),
          bias: tf.tensor1d(weights.subarray(inputs * outputs)), activation: relu ? 'relu' : 'linear',
        }).dataSync() as Float32Array);
        expect(bits(out!), `${rows}×${inputs}→${outputs}${relu ? ', ReLU' : ''}`).toEqual(bits(want));
      }
    }
  });

  it('output delta: (S − T) · 1/b by hand, [0.25, 0.75] and [1, 0] against labels 1 and 0 at b = 2 and 4', () => {
    const k = kernel();
    const [s, t, scale, out] = placed(k, Float32Array.of(0.25, 0.75, 1, 0), Float32Array.of(0, 1, 1, 0), Float32Array.of(0.5, 0.25), new Float32Array(4));
    k.outputDelta(s!, t!, scale!, 2, 2, out!);
    expect(bits(out!)).toEqual(['0.125', '-0.125', '0', '0']);
  });

  it('hidden delta: [1, 2]·[[1, 0, −1], [2, 1, 0]] = [5, 2, −1], masked by step([3, 0, 0]) to [5, 0, −0] by hand', () => {
    const k = kernel();
    const [d, wT, h, out] = placed(k, Float32Array.of(1, 2), Float32Array.of(1, 0, -1, 2, 1, 0), Float32Array.of(3, 0, 0), new Float32Array(3));
    k.hiddenDelta(d!, 2, wT!, 3, h!, 1, out!);
    expect(bits(out!)).toEqual(['5', '0', '-0']);
  });

  it('hidden delta: ∞ masked by step(0) is NaN and by step(NaN) NaN, as tf.mul by tf.step gives (five values: four SIMD lanes and one more)', () => {
    const k = kernel();
    const [d, wT, h, out] = placed(k, Float32Array.of(Infinity), Float32Array.of(1, 1, -1, 2, 1), Float32Array.of(0, 2, Number.NaN, 0, Number.NaN), new Float32Array(5));
    k.hiddenDelta(d!, 1, wT!, 5, h!, 1, out!);
    expect(bits(out!)).toEqual(['NaN', 'Infinity', 'NaN', 'NaN', 'NaN']);
    const [d2, w2, h2, out2] = placed(k, Float32Array.of(1), Float32Array.of(1, 1, 1, 1, 1), Float32Array.of(Number.NaN, 1, 0, 1, Number.NaN), new Float32Array(5));
    k.hiddenDelta(d2!, 1, w2!, 5, h2!, 1, out2!);
    expect(bits(out2!)).toEqual(['NaN', '1', '0', '1', 'NaN']);
  });

  it('gives the bits of tf.sub, tf.mul, tf.matMul and tf.step on ±0, ±∞, NaN and subnormals, every length (SIMD lanes and the rest)', () => {
    const k = kernel();
    const special = [0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -3e-39, 2.5, -7, 1e30];
    for (const rows of [1, 3, 5]) {
      for (const cols of [1, 4, 7]) {
        const n = rows * cols;
        const pick = (i: number, shift: number): number => special[(i * 7 + shift) % special.length]!;
        const s = Float32Array.from({ length: n }, (_, i) => pick(i, 0));
        const t = Float32Array.from({ length: n }, (_, i) => pick(i, 3));
        const scale = Float32Array.from({ length: rows }, (_, r) => pick(r, 5));
        const [ps, pt, pscale, pout] = placed(k, s, t, scale, new Float32Array(n));
        k.outputDelta(ps!, pt!, pscale!, rows, cols, pout!);
        const want = tf.tidy(() => tf.mul(tf.sub(tf.tensor2d(s, [rows, cols]), tf.tensor2d(t, [rows, cols])), tf.tensor2d(scale, [rows, 1])).dataSync() as Float32Array);
        expect(bits(pout!), `output delta ${rows}×${cols}`).toEqual(bits(want));

        const width = cols + 2;
        // finite deltas and weights (so a NaN or ∞ in H is what decides), the specials in H
        const finite = [2.5, -7, 1e-45, -0, 0.3, -1e30];
        const d = Float32Array.from({ length: rows * cols }, (_, i) => finite[(i * 5 + 1) % finite.length]! / 3);
        const wT = Float32Array.from({ length: cols * width }, (_, i) => finite[(i * 3 + 2) % finite.length]! / 5);
        const h = Float32Array.from({ length: rows * width }, (_, i) => pick(i, 4));
        const [pd, pw, ph, pback] = placed(k, d, wT, h, new Float32Array(rows * width));
        k.hiddenDelta(pd!, cols, pw!, width, ph!, rows, pback!);
        const back = tf.tidy(() => tf.mul(tf.matMul(tf.tensor2d(d, [rows, cols]), tf.tensor2d(wT, [cols, width])), tf.step(tf.tensor2d(h, [rows, width]))).dataSync() as Float32Array);
        expect(bits(pback!), `hidden delta ${rows}×${cols}→${width}`).toEqual(bits(back));
      }
    }
  });

  it('gives a whole pass’s activations and deltas with the bits of the pass by tfjs (three layers, rows of 1 to 40)', async () => {
    const rng = makeRng('placed-pass');
    const widths = [20, 24, 9, 6];
    const layout = describeModel(widths[0]!, widths.slice(1, -1), widths[3]!);
    const data = randomData(rng, 300, widths[0]!, widths[3]!);
    const theta = flattenParams(layout, randomParams(rng, widths));
    let next = 0;
    const tasks = EngineTasks.of([1, 40, 7, 33, 16].map((rows) => ({ stepBatches: [Int32Array.from({ length: rows }, () => next++ % 300)] })));
    const built = buildChunk(tf, data, tasks, 0, tasks.count);
    try {
      const inKernel = await runConcatPass(tf, layout, theta, built.chunk, new PassBuffers(kernel(layout.paramCount)));
      const byTf = await runConcatPass(tf, layout, theta, built.chunk, new PassBuffers(null));
      expect(inKernel.placed).not.toBeNull();
      expect(inKernel.deltas.length).toBe(3);
      [...inKernel.hidden, ...inKernel.deltas].forEach((values, k) => {
        const want = [...byTf.hidden, ...byTf.deltas][k]!;
        expect(values.length).toBe(want.length);
        expect(Buffer.from(values.buffer, values.byteOffset, values.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength)), `array ${k}`).toBe(true);
      });
      expect(inKernel.deltas[0]!.some((v) => v !== 0)).toBe(true);
    } finally {
      disposeChunk(tf, built);
    }
  });
});
