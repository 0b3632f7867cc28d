import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/scenario/suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('cores', 'cors')).toBe(1);
    expect(editDistance('cores', 'coress')).toBe(1);
    expect(editDistance('digits', 'digots')).toBe(1);
    expect(editDistance('windowMs', 'windwoMs')).toBe(1);
    expect(editDistance('iris', 'wine')).toBe(4);
  });
});

describe('didYouMean', () => {
  it('prefers a case-insensitive match', () => {
    expect(didYouMean('windowMS', ['intervalMs', 'windowMs'])).toBe('windowMs');
  });

  it('offers the closest key within two edits', () => {
    expect(didYouMean('latncy', ['id', 'latency', 'cores'])).toBe('latency');
  });

  it('offers nothing when every key is far, or when the typed word is too short to judge', () => {
    expect(didYouMean('bandwith_limit', ['bandwidth', 'cores'])).toBeUndefined();
    expect(didYouMean('x', ['id'])).toBeUndefined();
  });
});
