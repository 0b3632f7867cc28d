import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { scenarioHash } from '../../src/golden/scenario-hash.js';
import { resolveStrategyNames } from '../../src/scenario/load.js';
import { MAX_GRID_RUNS, planSweep, planSweepSteps } from '../../src/sweep/grid.js';
import { readScenarioSource } from '../../src/sweep/resolve-point.js';
import { parseSetArgs } from '../../src/sweep/set-spec.js';
import { runSteps } from '../../src/train/steps.js';

const FILE = join(import.meta.dirname, 'fixtures', 'tiny.yaml');
const SOURCE = readScenarioSource(readFileSync(FILE, 'utf8'), FILE);

describe('planSweep', () => {
  it('the first axis varies slowest, strategies fastest; indexes count the whole grid', () => {
    const plan = planSweep(SOURCE, parseSetArgs(['pipeline.s1.thresholdMs=20,50', 'seed=1..3']));
    expect(plan.runs.map((run) => `${run.index}:${run.point.join('/')}:${run.strategy}`)).toEqual([
      '0:20/1:s1s4', '1:20/1:sync-sgd', '2:20/2:s1s4', '3:20/2:sync-sgd', '4:20/3:s1s4', '5:20/3:sync-sgd',
      '6:50/1:s1s4', '7:50/1:sync-sgd', '8:50/2:s1s4', '9:50/2:sync-sgd', '10:50/3:s1s4', '11:50/3:sync-sgd',
    ]);
    expect(plan.axes).toEqual([{ path: 'pipeline.s1.thresholdMs', values: ['20', '50'] }, { path: 'seed', values: ['1', '2', '3'] }]);
    expect(plan.strategies).toEqual(['s1s4', 'sync-sgd']);
  });

  it('each run holds one strategy and its key is the hash of exactly that scenario', () => {
    const plan = planSweep(SOURCE, parseSetArgs(['seed=4']));
    const run = plan.runs[1]!;
    expect(run.scenario.strategies.map((s) => s.name)).toEqual(['sync-sgd']);
    expect(run.scenario.seed).toBe(4);
    expect(run.seed).toBe(4);
    expect(run.key).toBe(scenarioHash(run.scenario));
  });

  it('a grid of more than a million runs is refused before it is planned: points × the scenario\'s strategies, or × --strategy', () => {
    expect(MAX_GRID_RUNS).toBe(1_000_000);
    // 1,000 seeds × 501 thresholds × the scenario's two strategies
    expect(() => planSweep(SOURCE, parseSetArgs(['seed=1..1000', 'pipeline.s1.thresholdMs=1..501']))).toThrow('the grid has 1,002,000 runs; at most 1,000,000 are allowed');
    expect(() => planSweep(SOURCE, parseSetArgs(['seed=1..1000', 'pipeline.s1.thresholdMs=1..1001']), resolveStrategyNames(['fedavg'])))
      .toThrow('the grid has 1,001,000 runs; at most 1,000,000 are allowed');
    expect(() => planSweep(SOURCE, parseSetArgs(['seed=1..1000', 'pipeline.s1.thresholdMs=1..500']), resolveStrategyNames(['fedavg', 's1s4', 'sync-sgd'])))
      .toThrow('the grid has 1,500,000 runs; at most 1,000,000 are allowed');
  });

  it('a --set of compare growing a later point\'s strategies past the cap stops planning there', () => {
    // points ([s1s4], 1), ([s1s4], 2), ([sync-sgd, fedavg], 1), …: 4 runs by the first point, 6 in fact
    const axes = parseSetArgs(['compare=[s1s4],[sync-sgd,fedavg]', 'seed=1..2']);
    expect(runSteps(planSweepSteps(SOURCE, axes, undefined, undefined, {}, 6)).runs).toHaveLength(6);
    expect(() => runSteps(planSweepSteps(SOURCE, axes, undefined, undefined, {}, 5))).toThrow('the grid has more than 5 runs; at most 5 are allowed');
    expect(() => runSteps(planSweepSteps(SOURCE, axes, undefined, undefined, {}, 3))).toThrow('the grid has 4 runs; at most 3 are allowed');
  });

  it('--strategy overrides the scenario\'s list', () => {
    const plan = planSweep(SOURCE, [], resolveStrategyNames(['fedavg']));
    expect(plan.runs.map((run) => run.strategy)).toEqual(['fedavg']);
  });

  it('the grid hash depends on the grid, not on how it is run', () => {
    const a = planSweep(SOURCE, parseSetArgs(['seed=1..2']));
    expect(planSweep(SOURCE, parseSetArgs(['seed=1..2'])).gridHash).toBe(a.gridHash);
    expect(planSweep(SOURCE, parseSetArgs(['seed=1..3'])).gridHash).not.toBe(a.gridHash);
  });

  it('two values that resolve to the same scenario are refused (exit 2)', () => {
    expect(() => planSweep(SOURCE, parseSetArgs(['pipeline.s1.thresholdMs=50,50ms']))).toThrowError(
      new DtrainError('cli.invalidArgument', '--set: pipeline.s1.thresholdMs=50ms · s1s4 and pipeline.s1.thresholdMs=50 · s1s4 resolve to the same scenario; list each value once'),
    );
  });

  it('a bad value at any point stops the whole plan', () => {
    expect(() => planSweep(SOURCE, parseSetArgs(['seed=1,2,x']))).toThrow(/with --set seed=x: 1 problem/);
  });
});
