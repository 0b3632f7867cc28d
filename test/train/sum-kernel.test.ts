/**
 * The WebAssembly kernel that adds Σ w_i U_i's groups of four rows (src/train/kernels/sum-kernel.ts):
 * the bits of weighted-sum.ts's JavaScript loop, on memory of its own or shared with another
 * thread, and its bytes those of its source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelModule } from '../../scripts/build-kernels.mjs';
import { makeRng } from '../../src/sim/rng.js';
import { weightedSum } from '../../src/train/fast-vector-math.js';
import { SumKernel } from '../../src/train/kernels/sum-kernel.js';
import { finishSlice, WeightedSum } from '../../src/train/weighted-sum.js';

const KERNELS = path.join(import.meta.dirname, '..', '..', 'src', 'train', 'kernels');
const hex = (values: Float64Array | Float32Array): string => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('hex');

function made(kernel: SumKernel | null): SumKernel {
  if (kernel === null) throw new Error('this Node.js runs WebAssembly SIMD and shared memory: the kernel must be made');
  return kernel;
}

/** Rows spread over eight orders of magnitude and both signs, so that any change in the order of additions shows in the bits. */
function problem(tasks: number, count: number, seed: number) {
  const rng = makeRng(seed, 'sum-kernel', tasks, count);
  const rows = Float32Array.from({ length: tasks * count }, () => (rng() - 0.5) * 10 ** Math.floor(rng() * 8 - 4));
  const weights = Float64Array.from({ length: tasks }, () => rng() / tasks);
  return { rows, weights };
}

describe('the sum kernel’s bytes', () => {
  it('are those its .wat compiles to, plain and with a shared memory (run `npm run kernels` after editing it)', async () => {
    const wat = fs.readFileSync(path.join(KERNELS, 'weighted-sum.wat'), 'utf8');
    const module = fs.readFileSync(path.join(KERNELS, 'weighted-sum-wasm.ts'), 'utf8');
    expect(module).toBe(await kernelModule('weighted-sum.wat', wat));
    expect(module).toContain('export const WASM_SHARED_BASE64 =');
  });

  it('of the gradient kernel are still one build only', async () => {
    const wat = fs.readFileSync(path.join(KERNELS, 'gradient.wat'), 'utf8');
    const module = fs.readFileSync(path.join(KERNELS, 'gradient-wasm.ts'), 'utf8');
    expect(module).toBe(await kernelModule('gradient.wat', wat));
    expect(module).not.toContain('WASM_SHARED_BASE64');
  });
});

describe('Σ w_i U_i by the kernel', () => {
  it.each([
    ['37 values (odd), 11 rows, all at once', 11, 37, [11]],
    ['38 values (even), 13 rows in pieces that cut the groups of four', 13, 38, [5, 8]],
    ['1 value, 9 rows', 9, 1, [9]],
    ['4,810 values (the benchmark’s model), 24 rows', 24, 4810, [24]],
  ])('gives weightedSum’s bytes: %s', (_, tasks, count, pieces) => {
    // Arrange
    const { rows, weights } = problem(tasks, count, count);
    const expected = weightedSum(rows, weights, count);
    const kernel = made(SumKernel.create(count));
    const held = kernel.rows(tasks * count);
    held.set(rows);
    // Act
    const sum = new WeightedSum(0, count, kernel);
    let first = 0;
    for (const size of pieces) {
      sum.add(held.subarray(first * count, (first + size) * count), count, weights.subarray(first, first + size));
      first += size;
    }
    // Assert
    expect(hex(sum.finish())).toBe(hex(expected));
  });

  it('gives the same θ_{t+1} slice by slice over shared memory', () => {
    // Arrange
    const [tasks, count] = [22, 101];
    const { rows, weights } = problem(tasks, count, 7);
    const theta = Float32Array.from(rows.subarray(0, count), (v) => v * 3);
    const expected = new Float32Array(count);
    const whole = new WeightedSum(0, count);
    whole.add(rows, count, weights);
    finishSlice(theta, whole, weights, 0.1, expected);
    const kernel = made(SumKernel.createShared(count, tasks * count));
    const held = kernel.rows(tasks * count);
    held.set(rows);
    expect(kernel.holds(held)).toBe(true);
    // Act
    const next = new Float32Array(count);
    for (const [start, end] of [[0, 30], [30, 31], [31, 77], [77, 101]]) {
      const sum = new WeightedSum(start, end, kernel);
      sum.add(held, count, weights);
      finishSlice(theta, sum, weights, 0.1, next);
    }
    // Assert
    expect(hex(next)).toBe(hex(expected));
  });

  it('adds rows it does not hold in JavaScript, with the same bytes', () => {
    const { rows, weights } = problem(8, 21, 3);
    const kernel = made(SumKernel.create(21));
    expect(kernel.holds(rows)).toBe(false);
    const sum = new WeightedSum(0, 21, kernel);
    sum.add(rows, 21, weights);
    expect(hex(sum.finish())).toBe(hex(weightedSum(rows, weights, 21)));
  });
});

describe('the sum kernel’s memory', () => {
  it('grows to hold a larger round when it is its own, and keeps what it held', () => {
    const kernel = made(SumKernel.create(10));
    const small = kernel.rows(4);
    small.set([1, 2, 3, 4]);
    const before = kernel.memory.buffer.byteLength;
    const large = kernel.rows(100_000);
    expect(kernel.memory.buffer.byteLength).toBeGreaterThan(before);
    expect([...large.subarray(0, 4)]).toEqual([1, 2, 3, 4]);
    expect(large.byteOffset).toBe(80); // after ten float64 sums
  });

  it('is made of the size asked when shared, and refuses a larger round', () => {
    const kernel = made(SumKernel.createShared(10, 1000));
    expect(kernel.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(kernel.rows(1000)).toHaveLength(1000);
    expect(() => kernel.rows(20_000)).toThrow('shared sum memory holds 16364 values, 20000 asked');
  });

  it('refuses a slice outside the model', () => {
    const kernel = made(SumKernel.create(10));
    expect(() => kernel.sums(4, 11)).toThrow('bad parameter slice 4 … 11');
  });
});
