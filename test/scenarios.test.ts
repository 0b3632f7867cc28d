import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/index.js';
import { toJsonReport } from '../src/report/json.js';
import { loadScenario } from '../src/node/load.js';

const SCENARIO_DIR = join(import.meta.dirname, '..', 'scenarios');
const BUNDLED = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.yaml')).sort();

describe('bundled scenarios', () => {
  it('ships the nine teaching scenarios', () => {
    expect(BUNDLED).toEqual([
      'data-matters.yaml', 'flaky-network.yaml', 'large-cluster.yaml', 'noisy-labels.yaml', 'noisy-neighbours.yaml', 'quickstart.yaml', 'shared-server.yaml',
      'straggler.yaml', 'trace-replay.yaml',
    ]);
  });

  for (const file of BUNDLED) {
    it(`${file}: two runs give byte-identical JSON and tensors stay flat`, async () => {
      const scenario = await loadScenario(join(SCENARIO_DIR, file));
      const tensorsAfterRound: number[] = [];
      const first = await runScenario(scenario, { onRound: () => tensorsAfterRound.push(tf.memory().numTensors) });
      const second = await runScenario(scenario);
      const options = { version: 'test', trace: true, timing: false };
      expect(toJsonReport(second, options)).toBe(toJsonReport(first, options));
      // SPEC §4 invariants on every round of every strategy.
      for (const run of first.runs) {
        expect(run.rounds).toHaveLength(scenario.rounds);
        for (const round of run.rounds) {
          const participants = round.nodes.filter((n) => n.participated);
          const weightSum = participants.reduce((sum, n) => sum + n.weight, 0);
          if (!round.skipped) expect(weightSum).toBeCloseTo(1, 9);
          for (const node of round.nodes) {
            expect(node.efficiency).toBeGreaterThanOrEqual(0);
            expect(node.efficiency).toBeLessThanOrEqual(1);
            if (!node.participated) expect(node).toMatchObject({ batch: 0, weight: 0 });
          }
          expect(round.endMs).toBeGreaterThan(round.startMs);
        }
        expect(run.summary.bestAccuracy).toBeGreaterThan(0.5);
      }
      // Leak check: the live tensor count after the last round equals that after round 1, per strategy.
      const perRun = scenario.rounds;
      for (let r = 0; r < first.runs.length; r++) {
        expect(tensorsAfterRound[(r + 1) * perRun - 1]).toBe(tensorsAfterRound[r * perRun]);
      }
    });
  }
});
