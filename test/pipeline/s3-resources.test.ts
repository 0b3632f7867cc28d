import { describe, expect, it } from 'vitest';
import {
  allocateResources, fixedResources, pressureOf, referencePressure, S3_DEFAULTS,
} from '../../src/pipeline/s3-resources.js';

const cfg = { ...S3_DEFAULTS }; // base 4 threads / 8 queue, threads 1…32, queue 1…64

describe('pressureOf', () => {
  it('is batch × previous response time', () => {
    expect(pressureOf(24, 12.5)).toBe(300);
  });
});

describe('referencePressure', () => {
  it('is the middle value of an odd count', () => {
    expect(referencePressure([400, 100, 200])).toBe(200);
  });

  it('is the mean of the two middle values of an even count', () => {
    expect(referencePressure([100, 400, 200, 300])).toBe(250);
  });

  it('throws for an empty participant set', () => {
    expect(() => referencePressure([])).toThrow(RangeError);
  });
});

describe('allocateResources', () => {
  it('pressures [100, 200, 400] around P_ref 200 get threads 2/4/8 and queues 4/8/16', () => {
    // Arrange
    const pRef = referencePressure([100, 200, 400]);

    // Act
    const allocations = [100, 200, 400].map((pressure) => allocateResources(pressure, pRef, 8, cfg));

    // Assert
    expect(allocations).toEqual([
      { threads: 2, ioQueue: 4 },
      { threads: 4, ioQueue: 8 },
      { threads: 8, ioQueue: 16 },
    ]);
  });

  it('caps threads at the node’s cores', () => {
    expect(allocateResources(400, 200, 6, cfg)).toEqual({ threads: 6, ioQueue: 16 });
  });

  it('rounds half up: 4 · 125/200 = 2.5 → 3 threads, 8 · 0.625 = 5 queue', () => {
    expect(allocateResources(125, 200, 8, cfg)).toEqual({ threads: 3, ioQueue: 5 });
  });

  it('clamps a tiny load up to the minimum thread and queue', () => {
    // 4 · 0.05 = 0.2 → 0 → 1; 8 · 0.05 = 0.4 → 0 → 1
    expect(allocateResources(10, 200, 8, cfg)).toEqual({ threads: 1, ioQueue: 1 });
  });

  it('clamps a huge load down to maxThreads and maxQueue', () => {
    expect(allocateResources(10_000, 100, 64, cfg)).toEqual({ threads: 32, ioQueue: 64 });
  });

  it('P_ref 0 falls back to the base allocation', () => {
    expect(allocateResources(0, 0, 8, cfg)).toEqual({ threads: 4, ioQueue: 8 });
  });

  it('lets the core count win over minThreads', () => {
    expect(allocateResources(200, 200, 1, { ...cfg, minThreads: 2 })).toEqual({ threads: 1, ioQueue: 8 });
  });
});

describe('fixedResources', () => {
  it('is the base allocation, clamped by cores', () => {
    expect(fixedResources(8, cfg)).toEqual({ threads: 4, ioQueue: 8 });
    expect(fixedResources(2, cfg)).toEqual({ threads: 2, ioQueue: 8 });
  });
});
