import { describe, expect, test } from 'vitest';
import type { LatencyProcess } from '../../../src/scenario/types.js';
import { buildLatencyModel, PROCESS_KINDS } from '../../../src/sim/latency/index.js';
import { CONTEXT, model, slotValues, spec } from './spec-helpers.js';

const NORMAL = spec({ kind: 'normal', meanMs: 30, stdMs: 15 }, { loss: 0.02 });

describe('buildLatencyModel', () => {
  test('every process kind of SPEC §3 is registered', () => {
    expect([...PROCESS_KINDS].sort()).toEqual(
      ['burst', 'constant', 'lognormal', 'normal', 'periodic', 'phases', 'spikes', 'trace', 'uniform'],
    );
  });

  test('a time inside a slot gets the value at the slot start (t = 149 → value of t = 100)', () => {
    // Arrange
    const m = model(spec({ kind: 'uniform', minMs: 0, maxMs: 1_000 }), { resolutionMs: 100 });
    // Act
    const at100 = m.at(100);
    // Assert
    expect(m.at(149)).toBe(at100);
    expect(m.at(199.999)).toBe(at100);
    expect(m.at(99)).not.toBe(at100);
    expect(m.at(200)).not.toBe(at100);
  });

  test('the same (seed, node, t) gives the same value in two separately built models', () => {
    const first = slotValues(model(NORMAL), -20, 500);
    const second = slotValues(model(NORMAL), -20, 500);
    expect(second).toEqual(first);
  });

  test('values do not depend on query order', () => {
    // Arrange
    const forwards = model(NORMAL);
    const backwards = model(NORMAL);
    // Act
    const f = slotValues(forwards, -20, 300);
    const b = Array.from({ length: 300 }, (_, i) => backwards.at((279 - i) * 100)).reverse();
    // Assert
    expect(b).toEqual(f);
  });

  test('different node ids give different sequences', () => {
    const a = slotValues(model(NORMAL, { nodeId: 'a' }), 0, 200);
    const b = slotValues(model(NORMAL, { nodeId: 'b' }), 0, 200);
    const same = a.filter((v, i) => v === b[i]).length;
    expect(same).toBeLessThan(10); // only coincident losses (2% each) can match
  });

  test('different seeds give different sequences', () => {
    const a = slotValues(model(NORMAL, { seed: 1 }), 0, 200);
    const b = slotValues(model(NORMAL, { seed: 2 }), 0, 200);
    expect(a.filter((v, i) => v === b[i]).length).toBeLessThan(10);
  });

  test('adding a node does not change another node’s values', () => {
    // Arrange
    const cluster = (ids: string[]) =>
      ids.map((nodeId) => buildLatencyModel(NORMAL, { ...CONTEXT, nodeId }));
    const small = cluster(['a', 'b']);
    const large = cluster(['a', 'b', 'c', 'a-2']);
    // Act / Assert
    expect(slotValues(large[0]!, -20, 300)).toEqual(slotValues(small[0]!, -20, 300));
    expect(slotValues(large[1]!, -20, 300)).toEqual(slotValues(small[1]!, -20, 300));
  });

  test('a non-positive resolution is rejected', () => {
    expect(() => model(NORMAL, { resolutionMs: 0 })).toThrow(/resolution/);
    expect(() => model(NORMAL, { resolutionMs: Number.NaN })).toThrow(/resolution/);
  });

  test('an unknown process kind is rejected with the valid names', () => {
    const bogus = { kind: 'pareto' } as unknown as LatencyProcess;
    expect(() => model(spec(bogus))).toThrow(/unknown latency process "pareto"; expected one of constant, uniform/);
  });
});
