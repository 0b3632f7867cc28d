/**
 * What a round's explanation reads of the rounds before it, gathered as the rounds finish
 * (HistoryStream, `dtrain explain --round`) or read from a run that kept them (keptHistory):
 * hand-built rounds where a node misses rounds, has no norm, and outlives the window.
 */
import { describe, expect, it } from 'vitest';
import { HistoryStream, keptHistory } from '../../src/explain/history.js';
import type { NodeRoundRecord, RoundRecord, StrategyRun } from '../../src/sim/records.js';

/** Round `round` of two nodes: per node null (did not take part) or its gradient norm (NaN: took part without one). */
function round(round: number, norms: ReadonlyArray<number | null>): RoundRecord {
  const nodes = norms.map((norm, i) => ({
    id: `n${i}`,
    participated: norm !== null,
    gradNorm: norm === null || Number.isNaN(norm) ? null : norm,
  }) as NodeRoundRecord);
  return { round, nodes } as RoundRecord;
}

// node 0 takes part in rounds 1, 2, 4, 5, 6 (no norm in round 5); node 1 only in round 3
const ROUNDS = [
  round(1, [1.5, null]),
  round(2, [2.5, null]),
  round(3, [null, 7]),
  round(4, [4.5, null]),
  round(5, [NaN, null]),
  round(6, [6.5, null]),
];

describe('the history of the rounds before the one explained', () => {
  it('gathered round by round: last round taken part in before it, and the latest norms up to and including it', () => {
    const stream = new HistoryStream(2, 3);
    const seen: Array<[number | undefined, number | undefined, number[], number[]]> = [];
    for (const record of ROUNDS) {
      stream.round(record);
      const r = record.round;
      seen.push([stream.lastParticipation(0, r), stream.lastParticipation(1, r), stream.normHistory(0, r, 3).map((h) => h.norm), stream.normHistory(1, r, 2).map((h) => h.round)]);
    }
    expect(seen).toEqual([
      [undefined, undefined, [1.5], []],
      [1, undefined, [1.5, 2.5], []],
      // node 0 did not take part in round 3: its last round is still 2; node 1's first is 3
      [2, undefined, [1.5, 2.5], [3]],
      [2, 3, [1.5, 2.5, 4.5], [3]],
      // round 5: taken part in without a norm
      [4, 3, [1.5, 2.5, 4.5], [3]],
      // the window keeps the latest 3: 1.5 falls out
      [5, 3, [2.5, 4.5, 6.5], [3]],
    ]);
    expect(stream.normHistory(0, 6, 2)).toEqual([{ round: 4, norm: 4.5 }, { round: 6, norm: 6.5 }]);
  });

  it('a run that kept its rounds answers the same for every round', () => {
    const kept = keptHistory({ rounds: ROUNDS } as StrategyRun);
    const stream = new HistoryStream(2, 3);
    for (const record of ROUNDS) {
      stream.round(record);
      for (const node of [0, 1]) {
        expect(kept.lastParticipation(node, record.round)).toBe(stream.lastParticipation(node, record.round));
        for (const window of [1, 2, 3]) expect(kept.normHistory(node, record.round, window)).toEqual(stream.normHistory(node, record.round, window));
      }
    }
  });

  it('answers only for the last round it was given, and for a window it keeps', () => {
    const stream = new HistoryStream(2, 3);
    stream.round(ROUNDS[0]!);
    stream.round(ROUNDS[1]!);
    expect(() => stream.lastParticipation(0, 1)).toThrow('the history holds round 2, not round 1');
    expect(() => stream.normHistory(0, 2, 4)).toThrow('a history of 4 norms asked of one that keeps 3');
  });
});
