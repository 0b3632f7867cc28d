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
});
