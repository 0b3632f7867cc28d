import { describe, expect, test } from 'vitest';
import {
  columnStats, countStatuses, lowerMedian, nodeStatus, selectDroppedNodes, selectWorstNodes,
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
