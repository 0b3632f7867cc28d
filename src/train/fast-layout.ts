/**
 * Where each layer of the MLP lives in the fast engine's flat parameter vector.
 *
 * The fast engine keeps θ as one Float32Array: layer by layer, the kernel W_l (in × out,
 * row-major) immediately followed by the bias b_l (out). Read as a matrix that is
 * W̃_l = [W_l; b_l] of shape (in + 1) × out, the "augmented" kernel: a row of inputs with a
 * trailing 1 times W̃_l is x·W_l + b_l, and the gradient of a batch, Ãᵀ·D (Ã the inputs
 * with a ones column, D the output deltas), comes out in this very layout, bias row
 * included. So the flat vector is exactly the concatenation of `initialParams` (engine.ts).
 */
import { layerWidths } from './params.js';

export interface LayerSlot {
  /** input width of the layer (without the ones column) */
  inputs: number;
  outputs: number;
  /** index of W_l[0][0] in the flat vector; b_l starts at offset + inputs · outputs */
  offset: number;
  /** (inputs + 1) · outputs */
  size: number;
}

export interface ModelLayout {
  layers: LayerSlot[];
  paramCount: number;
  featureCount: number;
  classCount: number;
}

export function describeModel(featureCount: number, hidden: readonly number[], classCount: number): ModelLayout {
  const widths = layerWidths(featureCount, hidden, classCount);
  const layers: LayerSlot[] = [];
  let offset = 0;
  for (let l = 1; l < widths.length; l++) {
    const slot = { inputs: widths[l - 1]!, outputs: widths[l]!, offset, size: (widths[l - 1]! + 1) * widths[l]! };
    layers.push(slot);
    offset += slot.size;
  }
  return { layers, paramCount: offset, featureCount, classCount };
}

/** [W1, b1, …] → one flat vector; throws when a piece has the wrong length. */
export function flattenParams(layout: ModelLayout, params: readonly Float32Array[]): Float32Array {
  if (params.length !== 2 * layout.layers.length) {
    throw new Error(`expected ${2 * layout.layers.length} parameter arrays [W1, b1, …], got ${params.length}`);
  }
  const flat = new Float32Array(layout.paramCount);
  layout.layers.forEach((slot, l) => {
    const kernel = params[2 * l]!;
    const bias = params[2 * l + 1]!;
    if (kernel.length !== slot.inputs * slot.outputs || bias.length !== slot.outputs) {
      throw new Error(
        `layer ${l + 1} expects a ${slot.inputs}×${slot.outputs} kernel and ${slot.outputs} biases, ` +
          `got ${kernel.length} and ${bias.length} values`,
      );
    }
    flat.set(kernel, slot.offset);
    flat.set(bias, slot.offset + slot.inputs * slot.outputs);
  });
  return flat;
}

/** Flat vector → fresh copies [W1, b1, …]. */
export function unflattenParams(layout: ModelLayout, flat: Float32Array): Float32Array[] {
  return layout.layers.flatMap((slot) => {
    const biasStart = slot.offset + slot.inputs * slot.outputs;
    return [flat.slice(slot.offset, biasStart), flat.slice(biasStart, slot.offset + slot.size)];
  });
}
