/**
 * The sweep's grid (issue 5): the cartesian product of the `--set` axes (the first axis
 * varies slowest, as in nested loops written in flag order), each point crossed with the
 * strategies (innermost). Every point is resolved and checked before anything runs, so a
 * bad value anywhere in the grid stops the sweep with nothing written.
 *
 * A run is one point × one strategy; its key is the scenario hash of the point's resolved
 * scenario with that single strategy — exactly the `scenario.hash` its JSON report records,
 * which is what lets an interrupted sweep find the runs it already has.
 */
import { DtrainError } from '../errors.js';
import { scenarioHash } from '../golden/scenario-hash.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import type { Scenario, StrategySpec } from '../scenario/types.js';
import { gridHashOf } from './manifest.js';
import { pointLabel, resolvePoint, type Assignment, type ScenarioSource } from './resolve-point.js';
import type { SetAxis } from './set-spec.js';

/** A sweep bigger than this is a mistake, not a plan. */
export const MAX_GRID_RUNS = 1_000_000;

export interface PlannedRun {
  /** position in the whole grid, 0-based (shards and row order use it) */
  index: number;
  /** scenario hash of the run's scenario (its one strategy included) */
  key: string;
  /** each axis's value as the user wrote it, in axis order */
  point: string[];
  strategy: string;
  seed: number;
  scenario: Scenario;
}

export interface SweepPlan {
  axes: Array<{ path: string; values: string[] }>;
  strategies: string[];
  runs: PlannedRun[];
  /** identifies the grid; shards of one sweep share it */
  gridHash: string;
}

function* points(axes: readonly SetAxis[]): Generator<Assignment[]> {
  if (axes.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = axes;
  for (let i = 0; i < first!.values.length; i++) {
    for (const tail of points(rest)) yield [{ axis: first!, value: first!.values[i], label: first!.labels[i]! }, ...tail];
  }
}

export function planSweep(source: ScenarioSource, axes: readonly SetAxis[], strategies?: readonly StrategySpec[], registry?: StageRegistry): SweepPlan {
  const size = axes.reduce((product, axis) => product * axis.values.length, 1) * Math.max(1, strategies?.length ?? 1);
  if (size > MAX_GRID_RUNS) {
    throw new DtrainError('cli.invalidArgument', `the grid has ${size} runs; at most ${MAX_GRID_RUNS} are allowed`);
  }
  const runs: PlannedRun[] = [];
  const byKey = new Map<string, string>();
  const names: string[] = [];
  for (const assignments of points(axes)) {
    const scenario = resolvePoint(source, assignments, registry);
    for (const strategy of strategies ?? scenario.strategies) {
      const runScenario: Scenario = { ...scenario, strategies: [strategy] };
      const key = scenarioHash(runScenario);
      const where = `${pointLabel(assignments) || 'the scenario'} · ${strategy.name}`;
      const twin = byKey.get(key);
      if (twin !== undefined) {
        throw new DtrainError('cli.invalidArgument', `--set: ${where} and ${twin} resolve to the same scenario; list each value once`);
      }
      byKey.set(key, where);
      if (!names.includes(strategy.name)) names.push(strategy.name);
      runs.push({ index: runs.length, key, point: assignments.map((a) => a.label), strategy: strategy.name, seed: scenario.seed, scenario: runScenario });
    }
  }
  const plan = { axes: axes.map((axis) => ({ path: axis.pathText, values: axis.labels })), strategies: names };
  return { ...plan, runs, gridHash: gridHashOf({ ...plan, runs }) };
}
