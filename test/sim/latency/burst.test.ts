import { describe, expect, test } from 'vitest';
import { makeRng, shuffleInPlace, slotUniform, streamKey } from '../../../src/sim/rng.js';
import { BurstChain } from '../../../src/sim/latency/burst.js';
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

describe('the burst chain held in blocks', () => {
  const reference = (key: number, toBad: number, toGood: number, slots: number): boolean[] => {
    const bad: boolean[] = [false];
    for (let i = 1; i < slots; i++) {
      const u = slotUniform(key, ORIGIN_SLOT + i, 0);
      bad.push(bad[i - 1]! ? !(u < toGood) : u < toBad);
    }
    return bad;
  };

  test('far ahead first, then back, across block edges and past the blocks it keeps: the states of a walk slot by slot', () => {
    // Arrange
    const key = streamKey(3, 'latency', 'far');
    const expected = reference(key, 0.1, 0.3, 40_000);
    const chain = new BurstChain(key, ORIGIN_SLOT, 0.1, 0.3);
    const asked = [39_999, 0, 31, 32, 33, 63, 64, 1_000, 20_000, 255, 256, 257, 5, 39_968, 39_967, 12_345];
    // Act
    const got = asked.map((index) => chain.isBad(index));
    // Assert
    expect(got).toEqual(asked.map((index) => expected[index]));
  });

  test('keeps a bit per 32 slots however far it was asked: 1,000,000 slots in about 4 KB', () => {
    // Arrange
    const chain = new BurstChain(streamKey(1, 'latency', 'long'), ORIGIN_SLOT, 0.05, 0.2);
    // Act
    chain.isBad(1_000_000);
    // Assert: 31,251 block starts → 977 words, grown by doubling to 1,024 (4 KiB), and 8 cached blocks
    expect(chain.heldBytes).toBe(1024 * 4 + 8 * 4 + 8 * 4);
  });
});
