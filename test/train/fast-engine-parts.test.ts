import { describe, expect, it } from 'vitest';
import { describeModel, flattenParams, unflattenParams } from '../../src/train/fast-layout.js';
import { maskByRelu, relu, softmaxDelta, transposedKernel, transposeWithOnes, withOnesColumn } from '../../src/train/fast-node-math.js';
import { addInto, largestMagnitude, staysFinite, sumOfSquares, weightedSum } from '../../src/train/fast-vector-math.js';

describe('fast engine parameter layout', () => {
  it('places each layer as [W; b] one after the other (2 → 3 → 2: 9 + 8 values)', () => {
    const layout = describeModel(2, [3], 2);
    expect(layout.layers).toEqual([
      { inputs: 2, outputs: 3, offset: 0, size: 9 },
      { inputs: 3, outputs: 2, offset: 9, size: 8 },
    ]);
    expect(layout.paramCount).toBe(17);
  });

  it('flattens [W1, b1, W2, b2] by concatenation and unflattens to equal copies', () => {
    const layout = describeModel(2, [], 2);
    const params = [Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6)];
    const flat = flattenParams(layout, params);
    expect(flat).toEqual(Float32Array.of(1, 2, 3, 4, 5, 6));
    const back = unflattenParams(layout, flat);
    expect(back).toEqual(params);
    back[0]![0] = 99;
    expect(flat[0]).toBe(1);
  });

  it('rejects parameters of the wrong shape, naming the layer', () => {
    const layout = describeModel(2, [], 2);
    expect(() => flattenParams(layout, [new Float32Array(3), new Float32Array(2)])).toThrow('layer 1 expects a 2×2 kernel and 2 biases, got 3 and 2 values');
    expect(() => flattenParams(layout, [new Float32Array(4)])).toThrow('expected 2 parameter arrays');
  });
});

describe('fast engine per-node array helpers', () => {
  it('transposes a node’s rows and appends a ones row', () => {
    // rows 1…2 of [[0, 0], [1, 2], [3, 4]] → [[1, 3], [2, 4], [1, 1]]
    expect(transposeWithOnes(Float32Array.of(0, 0, 1, 2, 3, 4), 1, 2, 2)).toEqual(Float32Array.of(1, 3, 2, 4, 1, 1));
  });

  it('appends a ones column', () => {
    expect(withOnesColumn(Float32Array.of(1, 2, 3, 4), 2, 2)).toEqual(Float32Array.of(1, 2, 1, 3, 4, 1));
  });

  it('applies ReLU and masks deltas where the activation is not positive', () => {
    expect(relu(Float32Array.of(-1, 0, 2))).toEqual(Float32Array.of(0, 0, 2));
    expect(maskByRelu(Float32Array.of(5, 6, 7), Float32Array.of(0, 1, 0))).toEqual(Float32Array.of(0, 6, 0));
  });

  it('gives (softmax − onehot) / rows, stable for huge logits', () => {
    // row 1: logits [0, 0] → p = [½, ½], label 0 → [−½, ½] / 2; row 2: [1000, 1000] behaves the same, label 1
    const delta = softmaxDelta(Float32Array.of(0, 0, 1000, 1000), Int32Array.of(0, 1), 2);
    expect(delta).toEqual(Float32Array.of(-0.25, 0.25, 0.25, -0.25));
  });

  it('transposes the kernel part of a layer and leaves the bias out', () => {
    // W = [[1, 2, 3], [4, 5, 6]] (2 inputs, 3 outputs), b = [7, 8, 9]
    const slot = describeModel(2, [], 3).layers[0]!;
    expect(transposedKernel(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), slot)).toEqual(Float32Array.of(1, 4, 2, 5, 3, 6));
  });
});

describe('fast engine vector loops', () => {
  it('sums squares over any length (7 values: one unrolled block and three left over)', () => {
    expect(sumOfSquares(Float32Array.of(1, 2, 3, 4, 5, 6, 7))).toBe(140);
    expect(sumOfSquares(Float32Array.of(1, Number.NaN))).toBeNaN();
  });

  it('weighs five rows (four at a time, then one) in float64', () => {
    // rows [1, 10], [2, 20], …, [5, 50] with weights 0.1 … 0.5: Σ w_i·i = 5.5
    const rows = Float32Array.of(1, 10, 2, 20, 3, 30, 4, 40, 5, 50);
    const sum = weightedSum(rows, Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5), 2);
    expect(sum[0]).toBeCloseTo(5.5, 12);
    expect(sum[1]).toBeCloseTo(55, 12);
  });

  it('adds vectors and finds the largest magnitude', () => {
    const target = Float32Array.of(1, 2);
    addInto(target, Float32Array.of(3, -4));
    expect(target).toEqual(Float32Array.of(4, -2));
    expect(largestMagnitude(Float32Array.of(1, -7, 3))).toBe(7);
  });

  it('judges θ − lr·U finite in float32: fine below the float32 maximum, not beyond it', () => {
    const theta = Float32Array.of(1, 1);
    expect(staysFinite(theta, Float32Array.of(1, 1), 0.1, 2, 1)).toBe(true);
    // lr·U = 1e39 overflows float32 although it is finite in float64
    expect(staysFinite(theta, Float32Array.of(1e30, 0), 1e9, 1e60, 1)).toBe(false);
    // the bound lr·‖U‖ = 4.2e38 exceeds the maximum, but each value (−3e38) fits: checked one by one
    expect(staysFinite(theta, Float32Array.of(3e29, 3e29), 1e9, 1.8e59, 1)).toBe(true);
    expect(staysFinite(theta, Float32Array.of(Number.NaN, 0), 0.1, Number.NaN, 1)).toBe(false);
  });
});
