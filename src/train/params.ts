/**
 * Initial model parameters, in pure JS so that every engine (reference, fast, any backend)
 * starts from bit-identical values (SPEC §2 "All strategies in one run share … initial
 * weights"; stream `<seed>/init`).
 *
 * Layout (engine.ts `EngineOptions.initialParams`): W1 (in × h1, row-major like a tfjs Dense
 * kernel), b1, …, W_last (h_last × classes), b_last. Kernels are Glorot-uniform
 * (U(−l, l), l = √(6 / (fanIn + fanOut)), the tfjs Dense default), drawn layer by layer in
 * row-major order from one stream; biases are zero.
 */
import { makeRng } from '../sim/rng.js';

/** Layer widths from input to output: [featureCount, ...hidden, classCount]. */
export function layerWidths(featureCount: number, hidden: readonly number[], classCount: number): number[] {
  return [featureCount, ...hidden, classCount];
}

/** Shapes of [W1, b1, …, W_last, b_last]: kernels [in, out], biases [out]. */
export function paramShapes(featureCount: number, hidden: readonly number[], classCount: number): number[][] {
  const widths = layerWidths(featureCount, hidden, classCount);
  return widths.slice(1).flatMap((out, l) => [[widths[l]!, out], [out]]);
}

/** Number of trainable parameters (kernels plus biases). */
export function countParams(featureCount: number, hidden: readonly number[], classCount: number): number {
  const widths = layerWidths(featureCount, hidden, classCount);
  let count = 0;
  for (let l = 1; l < widths.length; l++) count += widths[l - 1]! * widths[l]! + widths[l]!;
  return count;
}

export function initParams(featureCount: number, hidden: readonly number[], classCount: number, seed: number): Float32Array[] {
  const rng = makeRng(seed, 'init');
  const widths = layerWidths(featureCount, hidden, classCount);
  const params: Float32Array[] = [];
  for (let l = 1; l < widths.length; l++) {
    const fanIn = widths[l - 1]!;
    const fanOut = widths[l]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const kernel = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < kernel.length; i++) kernel[i] = (2 * rng() - 1) * limit;
    params.push(kernel, new Float32Array(fanOut));
  }
  return params;
}
