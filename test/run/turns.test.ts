/**
 * The run gives its host a turn before every round, whether or not it was asked to watch for a
 * stop: a helper thread that started in the background (the fast engine's second thread) joins
 * through a message that only a turn delivers.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/host.js';
import { nodeHost } from '../../src/node/host.js';
import { runScenarioOn } from '../../src/run/run-scenario.js';
import { makeScenario } from '../report/fixtures.js';

describe('the host’s turn between rounds', () => {
  it('comes before each of the rounds of every strategy, without a stop request as with one', async () => {
    const scenario = makeScenario(['a', 'b']); // 2 rounds, 2 strategies
    for (const shouldStop of [undefined, () => false]) {
      const turns: string[] = [];
      const host: Host = { ...nodeHost, yieldTurn: async () => void turns.push('turn') };
      const result = await runScenarioOn(host, scenario, {
        shouldStop,
        onRound: (record, strategy) => void turns.push(`${strategy.name} round ${record.round}`),
      });
      expect(result.runs.map((run) => run.rounds.length)).toEqual([2, 2]);
      expect(turns).toEqual(['turn', 's1s4 round 1', 'turn', 's1s4 round 2', 'turn', 'sync-sgd round 1', 'turn', 'sync-sgd round 2']);
    }
  });

  it('the data is prepared with breaths of the event loop between its phases and while blobs are generated, never with yieldTurn (a round boundary)', async () => {
    const blobs = (samples: number) => ({ ...makeScenario(['a', 'b']), data: { ...makeScenario(['a', 'b']).data, dataset: { kind: 'blobs' as const, samples, features: 64, classes: 3, spread: 1 } } });
    const events: string[] = [];
    const host: Host = { ...nodeHost, yieldTurn: async () => void events.push('turn'), breathe: async () => void events.push('breath') };
    await runScenarioOn(host, blobs(10_000), { onRound: (record, strategy) => void events.push(`${strategy.name} round ${record.round}`) });
    // 10,000 × 64 values: a breath after each 4,096 rows (2^18 values) — 2 — and after each
    // phase or part of one — 13: the data made, split, the statistics' first and second pass,
    // the training labels, the partition numbered, shuffled and cut, the parts sorted, their
    // rows found, the rows' destinations, standardised, moved; the long loops inside them take
    // none at this size
    const breaths = 15;
    expect(events.slice(0, breaths + 2)).toEqual([...Array.from({ length: breaths }, () => 'breath'), 'turn', 's1s4 round 1']);
    expect(events.filter((event) => event === 'breath')).toHaveLength(breaths);
  });
});
