import { describe, expect, it } from 'vitest';
import { detectInsights } from '../../src/insights/index.js';
import { renderInsights, roundRanges } from '../../src/insights/render.js';
import type { RunResult } from '../../src/sim/records.js';
import { makeScenario } from '../report/fixtures.js';
import { idle, node, round, run, weighted } from './records.js';

describe('renderInsights', () => {
  it('node ids and strategy names are shown with control and bidi characters escaped', () => {
    // Arrange: node "b\u202e" idles with e = 0; the strategy's name carries an OSC title sequence
    const result: RunResult = {
      scenario: makeScenario(['a', 'b\u202e']),
      runs: [run([weighted(1, [0.5, 0.5]), round(2, [node('a', { weight: 1 }), idle('b\u202e')])], 's1s4\u001b]0;x\u0007')],
    };

    // Act
    const text = renderInsights(result, detectInsights(result));

    // Assert
    expect(text.split('\n').slice(0, 2)).toEqual([
      'insights · s1s4\\e]0;x\\x07',
      '  ! node b\\u{202e} was not dispatched: e = 0, no latency sample under 50 ms in its window — in round 2',
    ]);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  });

  it('prints each insight once per strategy with its first round and round count', () => {
    // Arrange: s1s4 — a dominates rounds 1 and 3 (70 % at most), b idles with e = 0 in round 2,
    // batches 33 vs 8 in round 2; sync-sgd — nothing notable.
    const result: RunResult = {
      scenario: makeScenario(['a', 'b']),
      runs: [
        run([
          weighted(1, [0.6, 0.4]),
          round(2, [node('a', { weight: 0.5, batch: 33 }), node('b', { weight: 0.5, batch: 8 })]),
          round(3, [node('a', { weight: 0.7 }), node('b', { weight: 0.3 })]),
          round(4, [node('a', { weight: 1 }), idle('b')]),
        ]),
        run([weighted(1, [0.5, 0.5])], 'sync-sgd'),
      ],
    };

    // Act
    const text = renderInsights(result, detectInsights(result));

    // Assert
    expect(text).toBe([
      'insights · s1s4',
      '  ! node b was not dispatched: e = 0, no latency sample under 50 ms in its window — in round 4',
      '  ! node a held more than half of the weight (up to 70.0% in round 3): the global model mostly follows it — first in round 1, 2 rounds in all',
      "  ! batch sizes differed more than 4× across nodes (up to 4.1× in round 2: b 8 vs a 33): averaging such unequal updates optimises a skewed objective (FedNova's objective inconsistency) — in round 2",
      '',
      'insights · sync-sgd',
      '  nothing notable: no node starved, dominated, straggled or was left out',
      '',
    ].join('\n'));
  });

  it('lists at most 10 nodes per kind and counts the rest; the rounds style shows ranges', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `n${i + 1}`);
    const result: RunResult = {
      scenario: makeScenario(ids),
      runs: [run([1, 2, 3, 5].map((n) => round(n, [node('x', { weight: 1 }), ...ids.map((id) => idle(id))])))],
    };
    const lines = renderInsights(result, detectInsights(result), 'rounds').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 10 + 1);
    expect(lines[1]).toBe('  rounds 1–3, 5: node n1 was not dispatched: e = 0, no latency sample under 50 ms in its window');
    expect(lines[11]).toBe('  … and 2 more nodes like this (see --json for all)');
  });

  it('round ranges collapse consecutive rounds', () => {
    expect(roundRanges([3])).toBe('3');
    expect(roundRanges([3, 4, 5, 7, 9, 10])).toBe('3–5, 7, 9–10');
  });
});
