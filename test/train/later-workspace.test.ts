/**
 * A node's later local steps in the later-step kernel's memory (src/train/later-workspace.ts):
 * the kernel's loops give the bits of the JavaScript they replace, its arrays lie where the
 * kernel reads them, and growing the memory keeps what it holds. Whole engine runs with and
 * without the workspace are compared in fast-engine-kernel.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { makeRng, type Rng } from '../../src/sim/rng.js';
import { ArrayArena } from '../../src/train/array-arena.js';
import { describeModel } from '../../src/train/fast-layout.js';
import { maskByRelu, relu, transposeWithOnes, withOnesColumn } from '../../src/train/fast-node-math.js';
import { addInto, stepAway, sumOfSquares } from '../../src/train/fast-vector-math.js';
import { GradientKernel } from '../../src/train/kernels/gradient-kernel.js';
import { laterStepValues, LaterWorkspace, PlainLaterVectors } from '../../src/train/later-workspace.js';

function kernel(paramCount = 16): GradientKernel {
  const made = GradientKernel.create(paramCount);
  if (made === null) throw new Error('this Node.js runs WebAssembly SIMD: the kernel must compile');
  return made;
}

/** Values where the two ways could part: both zeros, subnormals, the largest, infinities, NaN, and rounding at every magnitude. */
const SPECIAL = [0, -0, 1e-45, -1e-45, 1.1754942e-38, 3.4028235e38, -3.4028235e38, Infinity, -Infinity, NaN, 1, -1, 0.1, 1 / 3];

function draw(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, (_, k) => (k < SPECIAL.length && rng() < 0.5 ? SPECIAL[k]! : (rng() * 2 - 1) * 10 ** Math.floor(rng() * 9 - 4)));
}

/** Each value the same, told apart by Object.is (so +0 and −0 differ, and NaN is NaN). */
function expectSame(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let k = 0; k < got.length; k++) expect(Object.is(got[k], want[k]), `${what}, value ${k}: ${got[k]} against ${want[k]}`).toBe(true);
}

/** `values` copied into `length`-value views of the kernel's region, one after another. */
function inKernel(k: GradientKernel, ...arrays: Float32Array[]): Float32Array[] {
  const region = k.region(arrays.reduce((total, a) => total + a.length + 4, 0));
  let at = 0;
  return arrays.map((a) => {
    const view = region.subarray(at, at + a.length);
    view.set(a);
    at += a.length + 4;
    return view;
  });
}

describe('the kernel’s loops over a node’s vectors', () => {
  const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 14, 4810];

  it('θ − lr·U: the bits of the JavaScript (float64 product and difference, rounded once to float32), every length and learning rate', () => {
    const rng = makeRng('later-step-away');
    const k = kernel();
    for (const length of lengths) {
      for (const learningRate of [0.05, 0.3, 1e-3, 1 / 3]) {
        const [theta, sum, out] = inKernel(k, draw(rng, length), draw(rng, length), new Float32Array(length));
        const want = new Float32Array(length);
        stepAway(theta!, sum!, learningRate, want);
        k.stepAway(theta!, sum!, learningRate, out!);
        expectSame(out!, want, `length ${length}, lr ${learningRate}`);
      }
    }
  });

  it('θ − lr·U rounds as float64 does, not as float32: 1 − 0.1 · 2⁻²⁴', () => {
    const k = kernel();
    const [theta, sum, out] = inKernel(k, new Float32Array([1]), new Float32Array([2 ** -24]), new Float32Array(1));
    k.stepAway(theta!, sum!, 0.1, out!);
    // 1 − 0.1·2⁻²⁴ is within half a float32 step below 1 (2⁻²⁵): it rounds back to 1
    expect(out![0]).toBe(1);
    const [t2, s2, o2] = inKernel(k, new Float32Array([1]), new Float32Array([2 ** -23]), new Float32Array(1));
    k.stepAway(t2!, s2!, 0.5, o2!);
    expect(o2![0]).toBe(1 - 2 ** -24); // the float32 just below 1, exactly
    const [t3, s3, o3] = inKernel(k, new Float32Array([1]), new Float32Array([2 ** -23]), new Float32Array(1));
    k.stepAway(t3!, s3!, 0.75, o3!);
    expect(o3![0]).toBe(1 - 2 ** -23); // 1 − 1.5·2⁻²⁴ lies halfway: to the even neighbour
  });

  it('U + g: the bits of the JavaScript, every length', () => {
    const rng = makeRng('later-add-into');
    const k = kernel();
    for (const length of lengths) {
      const [target, values] = inKernel(k, draw(rng, length), draw(rng, length));
      const want = Float32Array.from(target!);
      addInto(want, values!);
      k.addInto(target!, values!);
      expectSame(target!, want, `length ${length}`);
    }
  });

  it('ReLU and its mask: the bits of the JavaScript, +0 for −0 and NaN, every length', () => {
    const rng = makeRng('later-relu');
    const k = kernel();
    for (const length of lengths) {
      const [values, delta, out] = inKernel(k, draw(rng, length), draw(rng, length), new Float32Array(length));
      expectSame(k.relu(values!, out!), relu(values!), `relu, length ${length}`);
      const [masked] = inKernel(k, new Float32Array(length));
      expectSame(k.maskByRelu(delta!, values!, masked!), maskByRelu(delta!, values!), `mask, length ${length}`);
    }
    const [values, out] = inKernel(k, new Float32Array([-0, NaN, -2, 3, Infinity, -Infinity, 2 ** -149]), new Float32Array(7));
    const got = [...k.relu(values!, out!)];
    expect(got).toEqual([0, 0, 0, 3, Infinity, 0, 2 ** -149]); // the smallest subnormal kept
    expect(Object.is(got[0], 0)).toBe(true);
    const [delta, hidden, masked] = inKernel(k, new Float32Array([-0, 5, -6, 7]), new Float32Array([1, 0, NaN, 2]), new Float32Array(4));
    const mask = [...k.maskByRelu(delta!, hidden!, masked!)];
    expect(mask).toEqual([-0, 0, 0, 7]);
    expect(Object.is(mask[0], -0)).toBe(true); // δ passes through as it is where H > 0
  });

  it('Σ v²: the bits of the JavaScript (four partial sums, the tail into the first, (s0 + s1) + (s2 + s3)), every length', () => {
    const rng = makeRng('later-squares');
    const k = kernel();
    for (const length of lengths) {
      const [values] = inKernel(k, draw(rng, length).map((v) => (Number.isNaN(v) ? 0.5 : v)));
      expect(Object.is(k.sumOfSquares(values!), sumOfSquares(values!)), `length ${length}`).toBe(true);
    }
    // s0 = 1e8² + 1² (the tail) = 1e16 (a tie, to even), s1 = s2 = s3 = 1: (s0 + s1) + (s2 + s3) = 1e16 + 2 exactly,
    // where one running sum in order would give 1e16
    const [row] = inKernel(k, new Float32Array([1e8, 1, 1, 1, 1]));
    expect(k.sumOfSquares(row!)).toBe(1e16 + 2);
    expect((((1e16 + 1) + 1) + 1) + 1).toBe(1e16);
  });

  it('refuse arrays outside the kernel’s memory', () => {
    const k = kernel();
    const [inside] = inKernel(k, new Float32Array(4));
    expect(() => k.addInto(inside!, new Float32Array(4))).toThrow("addInto needs two vectors of one length in the kernel's memory");
    expect(() => k.relu(new Float32Array(4), inside!)).toThrow("relu needs two arrays of one length in the kernel's memory");
  });
});

describe('a layer’s weight gradient in the kernel’s memory', () => {
  it('[X | 1]ᵀ·D as Xᵀ·D and then the ones row is the product of X with a ones column, bit for bit', () => {
    const rng = makeRng('later-weight-gradient');
    const k = kernel();
    for (const [inputs, rows, outputs] of [[64, 32, 64], [64, 32, 10], [5, 1, 3], [7, 40, 9], [1, 3, 1]] as const) {
      const x = draw(rng, rows * inputs).map((v) => (Number.isFinite(v) ? v : 0.5));
      const d = draw(rng, rows * outputs).map((v) => (Number.isFinite(v) ? v : -0.25));
      const want = k.product(withOnesColumn(x, rows, inputs), inputs + 1, d, outputs, rows);
      const [xs, ds, out] = inKernel(k, x, d, new Float32Array((inputs + 1) * outputs));
      k.weightGradient(xs!, inputs, ds!, outputs, rows, out!);
      expectSame(out!, want, `${inputs}×${rows}×${outputs}`);
      const [xo, dd, copied] = inKernel(k, withOnesColumn(x, rows, inputs), d, new Float32Array((inputs + 1) * outputs));
      expectSame(k.product(xo!, inputs + 1, dd!, outputs, rows, copied!), want, `${inputs}×${rows}×${outputs} read in place`);
    }
  });

  it('by hand: [[1, 2], [3, 4]] with its ones column, against D = [[1], [10]]: [31, 42, 11]', () => {
    const k = kernel();
    const [x, d, out] = inKernel(k, new Float32Array([1, 2, 3, 4]), new Float32Array([1, 10]), new Float32Array(3));
    k.weightGradient(x!, 2, d!, 1, 2, out!);
    expect([...out!]).toEqual([31, 42, 11]);
  });
});

describe('a layer’s forward product in the kernel’s memory', () => {
  it('Ã·W̃ read from A in place, then the biases added, is the product of Ãᵀ by W̃, bit for bit (blocks of 4 rows and 8 columns, and what is left)', () => {
    const rng = makeRng('later-forward');
    const k = kernel();
    for (const [inputs, rows, outputs] of [[64, 32, 64], [64, 32, 10], [5, 1, 3], [7, 40, 9], [1, 3, 1], [33, 6, 17]] as const) {
      const a = draw(rng, rows * inputs).map((v) => (Number.isFinite(v) ? v : 2));
      const w = draw(rng, (inputs + 1) * outputs).map((v) => (Number.isFinite(v) ? v : -3));
      const want = k.product(transposeWithOnes(a, 0, rows, inputs), rows, w, outputs, inputs + 1);
      const [as, ws, out] = inKernel(k, a, w, new Float32Array(rows * outputs));
      expectSame(k.layerForward(as!, inputs, rows, ws!, outputs, out!), want, `${inputs}×${rows}×${outputs}`);
    }
  });

  it('by hand: [[1, 2], [3, 4]] by W = [[1, 0, 2], [0, 1, 3]] and b = [0.5, −1, 0]: [[1.5, 1, 8], [3.5, 3, 18]]', () => {
    const k = kernel();
    const [a, w, out] = inKernel(k, new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 2, 0, 1, 3, 0.5, -1, 0]), new Float32Array(6));
    expect([...k.layerForward(a!, 2, 2, w!, 3, out!)]).toEqual([1.5, 1, 8, 3.5, 3, 18]);
  });

  it('adds the biases last, as the ones row does: (1e8 + 1) − 1e8 is 0 in float32, so is Z = 1e8·1 + 1·1 then + (−1e8)', () => {
    const k = kernel();
    // A = [[1e8, 1]], W = [[1], [1]], b = [−1e8]: ((0 + 1e8) + 1) + (−1e8) = 0; 1 + (1e8 − 1e8) would be 1
    const [a, w, out] = inKernel(k, new Float32Array([1e8, 1]), new Float32Array([1, 1, -1e8]), new Float32Array(1));
    expect([...k.layerForward(a!, 2, 1, w!, 1, out!)]).toEqual([0]);
  });
});

describe('the workspace', () => {
  it('makes room for a step of 64 → 64 → 10 on 32 rows: 28,672 values (by hand), at most', () => {
    // softmax 32·10; layer 1: 2·32·65 + 3·32·64 + 64·64 + 2·32·64; layer 2: 2·32·65 + 3·32·10 + 64·10 + 2·32·64
    expect(laterStepValues(describeModel(64, [64], 10), 32)).toBe(320 + (4160 + 6144 + 4096 + 4096) + (4160 + 960 + 640 + 4096));
  });

  it('keeps θ where it was when the memory grows for more rows, steps U_i in and out, and hands out arrays in the kernel’s memory', () => {
    const layout = describeModel(6, [5], 3);
    const k = kernel(layout.paramCount);
    const workspace = new LaterWorkspace(k, layout);
    const theta = Float32Array.from({ length: layout.paramCount }, (_, p) => p / 7);
    workspace.setTheta(theta);
    const sum = new Float32Array(layout.paramCount).fill(0.5);
    workspace.begin(sum, 2);
    const before = workspace.local.buffer;
    workspace.begin(sum, 100_000); // far beyond the first pages
    expect(workspace.local.buffer).not.toBe(before);
    workspace.stepAway(0.5);
    expectSame(workspace.local, theta.map((v) => Math.fround(v - 0.25)), 'θ − 0.5 · 0.5 after growing');
    workspace.gradient.fill(1);
    workspace.addGradient();
    expect(workspace.end(sum)).toBe(2.25 * layout.paramCount); // ‖U_i‖², U_i all 1.5
    expect(sum.every((v) => v === 1.5)).toBe(true);
    workspace.arena.reset();
    const taken = workspace.arena.take(laterStepValues(layout, 100_000));
    expect(k.holdsAll(taken, workspace.local, workspace.gradient)).toBe(true);
    expect(() => workspace.arena.take(1)).toThrow("a step's arrays need more than the " + laterStepValues(layout, 100_000) + ' values made room for');
  });

  it('without the kernel: the same steps on JavaScript arrays, U_i the node’s own row', () => {
    const vectors = new PlainLaterVectors(3);
    vectors.setTheta(new Float32Array([1, 2, 3]));
    const sum = new Float32Array([2, 4, 6]);
    vectors.begin(sum);
    vectors.stepAway(0.25);
    expect([...vectors.local]).toEqual([0.5, 1, 1.5]);
    vectors.gradient.set([1, 1, 1]);
    vectors.addGradient();
    expect(vectors.end()).toBe(9 + 25 + 49);
    expect([...sum]).toEqual([3, 5, 7]);
  });
});

describe('an arena over a given region', () => {
  it('hands out views of it only, and throws rather than make a buffer of its own', () => {
    const region = new Float32Array(10);
    const arena = new ArrayArena(region);
    const a = arena.take(6);
    expect(a.buffer).toBe(region.buffer);
    expect(() => arena.take(5)).toThrow("a step's arrays need more than the 10 values made room for");
    arena.place(new Float32Array(20));
    expect(arena.take(15).length).toBe(15);
    expect(() => new ArrayArena().place(region)).toThrow('only an arena over a given region is placed');
  });
});
