import { describe, expect, test } from 'vitest';
import { makeRng, shuffleInPlace, slotUniform, streamKey } from '../../../src/sim/rng.js';
import { model, slotValues, spec } from './spec-helpers.js';

const BURST = spec({ kind: 'burst', goodMs: 5, badMs: 400, toBad: 0.1, toGood: 0.3 });
// CONTEXT: resolution 100 ms, origin −2,000 ms → origin slot −20.
const ORIGIN_SLOT = -20;

describe('burst (Gilbert–Elliott) latency', () => {
  test('starts good at the origin slot and, with toBad = toGood = 1, alternates every slot', () => {
    // Arrange
    const m = model(spec({ kind: 'burst', goodMs: 5, badMs: 400, toBad: 1, toGood: 1 }));
    // Act
    const values = slotValues(m, ORIGIN_SLOT, 6);
    // Assert
    expect(values).toEqual([5, 400, 5, 400, 5, 400]);
  });

  test('a slot before the origin has the origin (good) state', () => {
    // Arrange
    const m = model(spec({ kind: 'burst', goodMs: 5, badMs: 400, toBad: 1, toGood: 0 }));
    // Act
    const before = slotValues(m, ORIGIN_SLOT - 5, 5);
    const after = slotValues(m, ORIGIN_SLOT, 4);
    // Assert
    expect(before).toEqual([5, 5, 5, 5, 5]);
    expect(after).toEqual([5, 400, 400, 400]);
  });

  test('steps the chain with each slot’s draw 0 on the stream <seed>/latency/<node>', () => {
    // Arrange
    const m = model(BURST, { seed: 7, nodeId: 'a' });
    const key = streamKey(7, 'latency', 'a');
    const expected: number[] = [5];
    let bad = false;
    for (let slot = ORIGIN_SLOT + 1; slot < ORIGIN_SLOT + 200; slot++) {
      const u = slotUniform(key, slot, 0);
      bad = bad ? !(u < 0.3) : u < 0.1;
      expected.push(bad ? 400 : 5);
    }
    // Act
    const values = slotValues(m, ORIGIN_SLOT, 200);
    // Assert
    expect(values).toEqual(expected);
    expect(values).toContain(400);
  });

  test('gives the same values whatever order the slots are queried in', () => {
    // Arrange
    const slots = Array.from({ length: 5_000 }, (_, i) => ORIGIN_SLOT - 3 + i);
    const shuffled = [...slots];
    shuffleInPlace(shuffled, makeRng(1, 'test-order'));
    const increasing = model(BURST);
    const random = model(BURST);
    // Act
    const inOrder = new Map(slots.map((k) => [k, increasing.at(k * 100 + 37)]));
    const outOfOrder = new Map(shuffled.map((k) => [k, random.at(k * 100)]));
    // Assert
    for (const k of slots) expect(outOfOrder.get(k)).toBe(inOrder.get(k));
  });

  test('spends about toBad / (toBad + toGood) of the slots in the bad state', () => {
    // Arrange
    const m = model(BURST);
    // Act
    const values = slotValues(m, ORIGIN_SLOT, 200_000);
    const badFraction = values.filter((v) => v === 400).length / values.length;
    // Assert: 0.1 / 0.4 = 0.25; standard error with autocorrelation ≈ 0.002
    expect(badFraction).toBeGreaterThan(0.24);
    expect(badFraction).toBeLessThan(0.26);
  });
});
