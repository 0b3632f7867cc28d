/**
 * The built-in aggregation stages weigh from the run's columns (no object per participant);
 * a plug-in's stage from objects. Both must give the same weights, volatilities and working.
 */
import { describe, expect, it } from 'vitest';
import { NormHistories } from '../../src/pipeline/norm-histories.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import type { AggregationStageDefinition } from '../../src/pipeline/stage-registry.js';
import type { AggregatorInput } from '../../src/pipeline/types.js';
import { weighParticipants } from '../../src/run/aggregate.js';
import type { Scenario } from '../../src/scenario/types.js';
import { makeScenario } from '../report/fixtures.js';

const registry = createStageRegistry();
const SAMPLE_COUNTS = [10, 99, 30, 50];
const BATCHES = [4, 99, 12, 0];
/** nodes 2 and 0 take part, in that order; 1 and 3 do not */
const PARTICIPANTS = [2, 0];

function scenario(s4: Partial<Scenario['pipeline']['s4']> = {}, localSteps = 1): Scenario {
  const base = makeScenario(['a', 'b', 'c', 'd']);
  return { ...base, model: { ...base.model, localSteps }, pipeline: { ...base.pipeline, s4: { ...base.pipeline.s4, ...s4 } } };
}

/** The stage as a plug-in would define it: the same maths, reached through `weigh` of objects. */
function asPlugin(stage: AggregationStageDefinition, seen: AggregatorInput[][]): AggregationStageDefinition {
  return { ...stage, weigh: (inputs, cfg, options) => { seen.push([...inputs]); return stage.weigh(inputs, cfg, options); } };
}

/** Three rounds of norms, each weighed by `stage` over fresh histories; the last round's result. */
function lastRound(s: Scenario, stage: AggregationStageDefinition) {
  const histories = new NormHistories(4, Math.min(s.pipeline.s4.window, 3));
  const norms = [[2, 1], [3, 1.5], [2.5, 4]];
  let weighed = null;
  for (const round of norms) weighed = weighParticipants(s, stage, histories, SAMPLE_COUNTS, PARTICIPANTS, Float64Array.from(round), BATCHES);
  return weighed!;
}

describe('weighing from columns', () => {
  const cases: Array<[string, Scenario]> = [
    ['cv', scenario()],
    ['relchange, window 2', scenario({ volatility: 'relchange', window: 2 })],
    ['cv with a cap of 0.6', scenario({ maxWeight: 0.6 })],
    ['three local steps', scenario({}, 3)],
  ];
  for (const name of ['volatility', 'mean', 'samples', 'batch']) {
    for (const [label, s] of cases) {
      it(`${name} (${label}): the same as a plug-in weighing objects`, () => {
        const stage = registry.stage('aggregation', name);
        const seen: AggregatorInput[][] = [];
        expect(lastRound(s, stage)).toEqual(lastRound(s, asPlugin(stage, seen)));
        expect(seen).toHaveLength(3);
      });
    }
  }

  it('reads each participant at its node: samples 30 and 10, batches 12 and 4 (nodes 2 and 0)', () => {
    const s = scenario();
    expect(lastRound(s, registry.stage('aggregation', 'samples')).weights).toEqual([0.75, 0.25]);
    expect(lastRound(s, registry.stage('aggregation', 'batch')).weights).toEqual([0.75, 0.25]);
    expect(lastRound(scenario({}, 3), registry.stage('aggregation', 'batch')).working).toEqual([
      { rule: 'batch', samples: 36, total: 48 }, { rule: 'batch', samples: 12, total: 48 },
    ]);
  });

  it('volatility weighs by each node’s own history: node 2 (2, 3, 2.5) and node 0 (1, 1.5, 4)', () => {
    const s = scenario();
    const cv = (h: number[]) => {
      const mean = h.reduce((a, b) => a + b, 0) / h.length;
      return Math.sqrt(h.reduce((a, n) => a + (n - mean) ** 2, 0) / h.length) / mean;
    };
    const v = [cv([2, 3, 2.5]), cv([1, 1.5, 4])];
    const terms = v.map((x) => 1 / (x + 0.001));
    const { weights, volatilities } = lastRound(s, registry.stage('aggregation', 'volatility'));
    expect(volatilities).toEqual(v);
    expect(weights[0]).toBeCloseTo(terms[0]! / (terms[0]! + terms[1]!), 15);
  });

  it('a plug-in that changes the histories it was given changes nothing the run holds', () => {
    const mean = registry.stage('aggregation', 'mean');
    const seen: AggregatorInput[][] = [];
    const vandal: AggregationStageDefinition = {
      ...mean,
      weigh: (inputs, cfg, options) => {
        seen.push(inputs.map((input) => ({ ...input, gradNormHistory: [...input.gradNormHistory] })));
        for (const input of inputs) (input.gradNormHistory as number[]).splice(0, Infinity, -1, -1, -1);
        return mean.weigh(inputs, cfg, options);
      },
    };
    lastRound(scenario(), vandal);
    expect(seen.map((round) => round.map((input) => input.gradNormHistory))).toEqual([
      [[2], [1]], [[2, 3], [1, 1.5]], [[2, 3, 2.5], [1, 1.5, 4]],
    ]);
  });

  it('a plug-in gets each participant’s history, oldest first, and its own counts', () => {
    const seen: AggregatorInput[][] = [];
    lastRound(scenario(), asPlugin(registry.stage('aggregation', 'mean'), seen));
    expect(seen[2]).toEqual([
      { gradNormHistory: [2, 3, 2.5], sampleCount: 30, batch: 12, localSteps: 1 },
      { gradNormHistory: [1, 1.5, 4], sampleCount: 10, batch: 4, localSteps: 1 },
    ]);
  });
});
