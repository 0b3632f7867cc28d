import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  countStatuses, medianOf, nodeStatus, selectDroppedNodes, selectWorstNodes, statsOf,
} from '../../src/report/node-stats.js';
import type { NodeRoundRecord } from '../../src/sim/records.js';
import { tinyResult } from './fixtures.js';

function node(id: string, efficiency: number, weight: number, participated = true): NodeRoundRecord {
  return {
    id, efficiency, effectiveMs: 0, observedMs: 2000, batch: participated ? 8 : 0, plannedBatch: participated ? 8 : 0,
    responseMs: null, pressure: 0, threads: 4, ioQueue: 8, participated,
    dropReason: participated ? null : 'notDispatched', finishMs: null, downloadEndMs: null, computeEndMs: null,
    gradNorm: null, volatility: null, weight,
  };
}

/** The column statistics of plain values (the terminal reads them off node records). */
const columnStats = (values: ReadonlyArray<number | null>) => statsOf(values, (value) => value);
const lowerMedian = (values: readonly number[]) => medianOf(values, (value) => value);

describe('lowerMedian', () => {
  test('odd count: the middle value', () => {
    expect(lowerMedian([3, 1, 2])).toBe(2);
  });

  test('even count: the lower of the two middle values, so a median batch is a batch (30, not 30.5)', () => {
    expect(lowerMedian([4, 1, 3, 2])).toBe(2);
    expect(lowerMedian([31, 30, 30, 31])).toBe(30);
  });
});

describe('columnStats', () => {
  test('ignores null and non-finite values', () => {
    expect(columnStats([5, null, 1, Number.NaN, 3])).toEqual({ min: 1, median: 3, max: 5 });
    expect(columnStats([32, 29, 30, 31])).toEqual({ min: 29, median: 30, max: 32 });
  });

  test('no value at all gives NaN, which prints as –', () => {
    expect(columnStats([null])).toEqual({ min: Number.NaN, median: Number.NaN, max: Number.NaN });
  });
});

describe('nodeStatus', () => {
  test('participant ok, deadline or retries dropped, anything else idle', () => {
    // Arrange
    const [s1s4] = tinyResult().runs;

    // Act
    const statuses = s1s4.rounds.map((round) => round.nodes.map(nodeStatus));

    // Assert
    expect(statuses).toEqual([['ok', 'ok', 'ok', 'idle'], ['ok', 'ok', 'dropped', 'ok']]);
    expect(countStatuses(s1s4.rounds[1].nodes)).toEqual({ ok: 3, dropped: 1, idle: 0 });
  });
});

describe('selectWorstNodes', () => {
  test('lowest efficiency over all nodes plus lowest weight over participants, below the median, deduplicated, in node order', () => {
    // Arrange: e median 0.3 → below: x (idle), q; participant weight median 0.15 → below: p, r
    const nodes = [
      node('p', 0.3, 0.05), node('q', 0.2, 0.3), node('r', 0.9, 0.1),
      node('s', 0.8, 0.15), node('t', 0.95, 0.4), node('x', 0, 0, false),
    ];

    // Act
    const worst = selectWorstNodes(nodes, 3);

    // Assert
    expect(worst.nodes.map((n) => n.id)).toEqual(['p', 'q', 'r', 'x']);
    expect(worst.tied).toEqual([]);
  });

  test('nodes tied with the typical node are not listed: equal weights (mean aggregation) pad nothing', () => {
    // Arrange
    const nodes = [node('a', 0.5, 0.25), node('b', 0.5, 0.25), node('c', 0.5, 0.25), node('d', 0.5, 0.25)];

    // Act
    const worst = selectWorstNodes(nodes, 2);

    // Assert
    expect(worst).toEqual({ nodes: [], tied: [] });
  });

  test('nodes tied with the last one listed are counted, not listed', () => {
    // Arrange: four nodes at e 0.1 below a median of 0.9, room for 2
    const nodes = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((id, i) => node(id, i < 4 ? 0.1 : 0.9, 0.2));

    // Act
    const worst = selectWorstNodes(nodes, 2);

    // Assert
    expect(worst.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(worst.tied).toEqual([{ key: 'efficiency', value: 0.1, more: 2 }]);
  });
});

describe('selectDroppedNodes', () => {
  test('the dropped nodes not shown yet, capped, and how many more', () => {
    // Arrange
    const [, round2] = tinyResult().runs[1]!.rounds;
    const nodes = round2!.nodes;

    // Act
    const picked = selectDroppedNodes(nodes, new Set([nodes[0]!]), 2);

    // Assert
    expect(picked.nodes.map((n) => n.id)).toEqual(['b', 'c']);
    expect(picked.more).toBe(1);
  });
});

/**
 * The summaries select rather than sort (a few medians of every column every round at
 * 131,072 nodes); these are the sort-based definitions they replaced, checked value for value
 * on columns full of ties, zeros of both signs, nulls and non-finite values.
 */
describe('selection agrees with sorting', () => {
  const sortedFinite = (values: ReadonlyArray<number | null>): Float64Array =>
    Float64Array.from(values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))).sort();
  const byDefinition = (values: ReadonlyArray<number | null>) => {
    const sorted = sortedFinite(values);
    if (sorted.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
    return { min: sorted[0]!, median: sorted[(sorted.length - 1) >> 1]!, max: sorted[sorted.length - 1]! };
  };
  function worstByDefinition(nodes: NodeRoundRecord[], key: 'efficiency' | 'weight', count: number) {
    const entries = nodes.map((n, index) => ({ n, index, value: n[key] })).filter((e) => Number.isFinite(e.value));
    const sorted = sortedFinite(entries.map((e) => e.value));
    const typical = sorted.length === 0 ? Number.NaN : sorted[(sorted.length - 1) >> 1]!;
    const below = entries.filter((e) => e.value < typical).sort((a, b) => a.value - b.value || a.index - b.index);
    const taken = below.slice(0, count);
    let more = 0;
    for (let k = count; k < below.length && below[k]!.value === taken.at(-1)!.value; k++) more += 1;
    return { ids: taken.map((e) => e.n.id), more };
  }
  const column = fc.array(fc.oneof(
    fc.constantFrom(0, -0, 1, 2, 0.5, -1, null, Number.NaN, Number.POSITIVE_INFINITY),
    fc.double({ min: -3, max: 3, noNaN: true }),
  ), { maxLength: 60 });

  test('min, lower median and max, the sign of a zero included', () => {
    fc.assert(fc.property(column, (values) => {
      const stats = columnStats(values);
      const expected = byDefinition(values);
      for (const key of ['min', 'median', 'max'] as const) expect(Object.is(stats[key], expected[key])).toBe(true);
      const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (finite.length > 0) expect(Object.is(lowerMedian(finite), expected.median)).toBe(true);
    }), { numRuns: 2000 });
  });

  test('the lowest nodes below the median, and the ties left out, for every count', () => {
    fc.assert(fc.property(column, column, fc.integer({ min: 1, max: 6 }), (efficiencies, weights, count) => {
      const nodes = efficiencies.map((e, i) => node(`n-${i}`, e ?? Number.NaN, weights[i] ?? Number.NaN));
      const worst = selectWorstNodes(nodes, count);
      const byE = worstByDefinition(nodes, 'efficiency', count);
      const byW = worstByDefinition(nodes, 'weight', count);
      const chosen = new Set([...byE.ids, ...byW.ids]);
      expect(worst.nodes.map((n) => n.id)).toEqual(nodes.filter((n) => chosen.has(n.id)).map((n) => n.id));
      expect(worst.tied.map((t) => [t.key, t.more])).toEqual([
        ...(byE.more > 0 ? [['efficiency', byE.more]] : []),
        ...(byW.more > 0 ? [['weight', byW.more]] : []),
      ]);
    }), { numRuns: 2000 });
  });
});
