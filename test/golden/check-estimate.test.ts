import { describe, expect, it } from 'vitest';
import { estimateCheck } from '../../src/golden/check-estimate.js';

describe('estimateCheck', () => {
  it('64 MiB and 0.3 s to start, then 4.2 B of memory and 75 ns per byte of either report (hand-computed)', () => {
    const estimate = estimateCheck(353_000_000, 400_000_000);
    expect(estimate.memoryParts.map((part) => part.value)).toEqual([64 * 1024 ** 2, 1_482_600_000, 1_680_000_000]);
    expect(estimate.memoryBytes).toBe(64 * 1024 ** 2 + 3_162_600_000);
    expect(estimate.timeParts.map((part) => part.what)).toEqual(['starting Node.js', 'reading, parsing and comparing 753,000,000 bytes of reports']);
    expect(estimate.seconds).toBeCloseTo(0.3 + 753_000_000 * 75e-9, 9);
    expect(estimate.outputs).toEqual([]);
  });
});
