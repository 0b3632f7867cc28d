import { describe, expect, it } from 'vitest';
import { addLabelNoise, noisyLabelCount } from '../../src/train/label-noise.js';

/** A copy of `labels` with the node's noise applied (the setup applies it in place, to the node's part of the training set). */
function applyLabelNoise(labels: Int32Array, classCount: number, fraction: number, seed: number, nodeId: string): Int32Array {
  const noisy = Int32Array.from(labels);
  addLabelNoise(noisy, classCount, fraction, seed, nodeId);
  return noisy;
}

const LABELS = Int32Array.from({ length: 40 }, (_, i) => i % 4);

function changed(a: Int32Array, b: Int32Array): number[] {
  return Array.from(a.keys()).filter((i) => a[i] !== b[i]);
}

describe('noisyLabelCount', () => {
  it('is round(f · m), half up', () => {
    expect(noisyLabelCount(0.3, 40)).toBe(12);
    expect(noisyLabelCount(0.25, 10)).toBe(3); // 2.5 → 3
    expect(noisyLabelCount(0.24, 10)).toBe(2);
    expect(noisyLabelCount(0, 10)).toBe(0);
    expect(noisyLabelCount(1, 10)).toBe(10);
  });
});

describe('applyLabelNoise', () => {
  it('changes exactly round(f · m) labels, each to a different class in range', () => {
    // Act
    const noisy = applyLabelNoise(LABELS, 4, 0.3, 7, 'd-1');
    // Assert
    const flipped = changed(LABELS, noisy);
    expect(flipped).toHaveLength(12);
    for (const i of flipped) {
      expect(noisy[i]).not.toBe(LABELS[i]);
      expect(noisy[i]).toBeGreaterThanOrEqual(0);
      expect(noisy[i]).toBeLessThan(4);
    }
  });

  it('flips every label when f = 1, and a binary label to the other class', () => {
    const binary = Int32Array.of(0, 1, 1, 0);
    expect(Array.from(applyLabelNoise(binary, 2, 1, 3, 'a'))).toEqual([1, 0, 0, 1]);
  });

  it('leaves the input untouched and returns a copy', () => {
    const before = Int32Array.from(LABELS);
    applyLabelNoise(LABELS, 4, 0.5, 7, 'a');
    expect(LABELS).toEqual(before);
    expect(applyLabelNoise(LABELS, 4, 0, 7, 'a')).not.toBe(LABELS);
  });

  it('is deterministic per (seed, node) and independent between nodes', () => {
    const a = applyLabelNoise(LABELS, 4, 0.3, 7, 'a');
    expect(applyLabelNoise(LABELS, 4, 0.3, 7, 'a')).toEqual(a);
    expect(applyLabelNoise(LABELS, 4, 0.3, 7, 'b')).not.toEqual(a);
  });

  it('reaches every other class (uniform choice among the classCount − 1 others)', () => {
    const zeros = new Int32Array(300);
    const noisy = applyLabelNoise(zeros, 4, 1, 1, 'a');
    const counts = [0, 0, 0, 0];
    for (const l of noisy) counts[l]! += 1;
    expect(counts[0]).toBe(0);
    for (const c of counts.slice(1)) expect(c).toBeGreaterThan(70);
  });
});
