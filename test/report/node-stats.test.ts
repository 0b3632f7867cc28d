import { describe, expect, test } from 'vitest';
import { columnStats, countStatuses, median, nodeStatus, selectWorstNodes } from '../../src/report/node-stats.js';
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

describe('median', () => {
  test('odd count: the middle value', () => {
    expect(median([3, 1, 2])).toBe(2);
  });

  test('even count: the mean of the two middle values', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('columnStats', () => {
  test('ignores null and non-finite values', () => {
    expect(columnStats([5, null, 1, Number.NaN, 3])).toEqual({ min: 1, median: 3, max: 5 });
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
  test('lowest efficiency over all nodes plus lowest weight over participants, deduplicated, in node order', () => {
    // Arrange: lowest e = x (idle), q, p; lowest participant weight = p, r, s
    const nodes = [
      node('p', 0.3, 0.05), node('q', 0.2, 0.3), node('r', 0.9, 0.1),
      node('s', 0.8, 0.15), node('t', 0.95, 0.4), node('x', 0, 0, false),
    ];

    // Act
    const worst = selectWorstNodes(nodes, 3).map((n) => n.id);

    // Assert
    expect(worst).toEqual(['p', 'q', 'r', 's', 'x']);
  });

  test('ties are broken by node order', () => {
    // Arrange
    const nodes = [node('a', 0.5, 0.25), node('b', 0.5, 0.25), node('c', 0.5, 0.25), node('d', 0.5, 0.25)];

    // Act
    const worst = selectWorstNodes(nodes, 2).map((n) => n.id);

    // Assert
    expect(worst).toEqual(['a', 'b']);
  });
});
