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
import { formatCount } from '../report/format.js';
import type { Scenario, StrategySpec } from '../scenario/types.js';
import { runSteps, type Steps } from '../train/steps.js';
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

/**
 * Runs planned between two of planSweepSteps' steps: about a tenth of a second of resolving
 * and hashing small scenarios, so that a caller taking a turn of its event loop at each step
 * answers a Ctrl-C at once, and the turns cost nothing measurable.
 */
export const PLAN_STEP_RUNS = 256;

export interface PlanProgress {
  /** after each step: the runs planned so far, of `total` */
  onPlanned?(planned: number, total: number): void;
}

/** `runs`: the grid's size, or with `atLeast` what is planned of it so far. */
function checkGridSize(runs: number, maxRuns: number, atLeast = false): void {
  if (runs <= maxRuns) return;
  const size = atLeast ? `more than ${formatCount(maxRuns)}` : formatCount(runs);
  throw new DtrainError('cli.invalidArgument', `the grid has ${size} runs; at most ${formatCount(maxRuns)} are allowed`, {
    hint: 'fewer --set values or fewer strategies (--strategy)',
  });
}

export function planSweep(source: ScenarioSource, axes: readonly SetAxis[], strategies?: readonly StrategySpec[], registry?: StageRegistry): SweepPlan {
  return runSteps(planSweepSteps(source, axes, strategies, registry));
}

/**
 * planSweep in steps of PLAN_STEP_RUNS runs or so (a point's strategies are never split): a
 * grid of a million runs takes minutes to plan, and a CLI must answer Ctrl-C meanwhile.
 */
export function* planSweepSteps(
  source: ScenarioSource, axes: readonly SetAxis[], strategies?: readonly StrategySpec[], registry?: StageRegistry,
  progress: PlanProgress = {}, maxRuns = MAX_GRID_RUNS,
): Steps<SweepPlan> {
  const pointCount = axes.reduce((product, axis) => product * axis.values.length, 1);
  // without --strategy a point's strategies are the scenario's: known at the first point
  checkGridSize(pointCount * Math.max(1, strategies?.length ?? 1), maxRuns);
  const runs: PlannedRun[] = [];
  // each key's run, by index: its words are written only for a message (a million of them
  // held through planning was tens of megabytes)
  const byKey = new Map<string, number>();
  const where = (run: PlannedRun): string => `${pointLabel(run.point.map((label, i) => ({ axis: axes[i]!, label }))) || 'the scenario'} · ${run.strategy}`;
  const names: string[] = [];
  let stepStart = 0;
  // the runs to plan, once the first point tells how many strategies a point has (a --set of
  // `compare` could make it vary: then an estimate, never below what is planned)
  let total = 0;
  for (const assignments of points(axes)) {
    if (runs.length - stepStart >= PLAN_STEP_RUNS) {
      stepStart = runs.length;
      progress.onPlanned?.(runs.length, Math.max(total, runs.length));
      yield;
    }
    const scenario = resolvePoint(source, assignments, registry);
    if (total === 0) {
      total = pointCount * (strategies ?? scenario.strategies).length;
      checkGridSize(total, maxRuns);
    }
    for (const strategy of strategies ?? scenario.strategies) {
      const runScenario: Scenario = { ...scenario, strategies: [strategy] };
      const key = scenarioHash(runScenario);
      const run: PlannedRun = { index: runs.length, key, point: assignments.map((a) => a.label), strategy: strategy.name, seed: scenario.seed, scenario: runScenario };
      const twin = byKey.get(key);
      if (twin !== undefined) {
        throw new DtrainError('cli.invalidArgument', `--set: ${where(run)} and ${where(runs[twin]!)} resolve to the same scenario; list each value once`);
      }
      byKey.set(key, run.index);
      // a --set of `compare` can give later points more strategies than the first
      checkGridSize(run.index + 1, maxRuns, true);
      if (!names.includes(strategy.name)) names.push(strategy.name);
      runs.push(run);
    }
  }
  const plan = { axes: axes.map((axis) => ({ path: axis.pathText, values: axis.labels })), strategies: names };
  return { ...plan, runs, gridHash: gridHashOf({ ...plan, runs }) };
}
