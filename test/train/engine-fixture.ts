/** Random training data and MLP parameters shared by the engine tests (seeded by the caller's rng). */
import type { Rng } from '../../src/sim/rng.js';
import type { EngineData } from '../../src/train/engine.js';

export function randomData(rng: Rng, samples: number, featureCount: number, classCount = 3): EngineData {
  return {
    features: Float32Array.from({ length: samples * featureCount }, () => rng() * 4 - 2),
    labels: Int32Array.from({ length: samples }, () => Math.floor(rng() * classCount)),
    samples,
    featureCount,
    classCount,
  };
}

/** [W1, b1, W2, b2, …] for layer widths [inputs, hidden…, outputs]: weights in ±0.5, biases in ±0.1. */
export function randomParams(rng: Rng, widths: readonly number[]): Float32Array[] {
  const params: Float32Array[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    params.push(Float32Array.from({ length: widths[l]! * widths[l + 1]! }, () => rng() - 0.5));
    params.push(Float32Array.from({ length: widths[l + 1]! }, () => (rng() - 0.5) * 0.2));
  }
  return params;
}
