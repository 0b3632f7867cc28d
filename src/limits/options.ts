/**
 * `--max-memory <size> --max-time <duration> --no-limits` (issue 6, limits): the option
 * parsers and the check run before anything trains — `simulate`, `explain` and every run of a
 * `sweep` (issue 9) — with the same message, flags and exit code 2.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { DtrainError } from '../errors.js';
import type { Scenario } from '../scenario/types.js';
import { formatBytes } from '../scenario/text-file.js';
import { parseDuration, parseSize } from '../scenario/units.js';
import { burstChainRefusal, checkBudget, DEFAULT_BUDGET, longRunNote, type Budget } from './budget.js';
import { datasetShape } from './dataset-shape.js';
import { type EstimateOptions, estimateRun, type RunEstimate } from './estimate.js';
import { runSteps, type Steps } from '../train/steps.js';

export interface LimitFlags {
  maxMemory?: number;
  maxTime?: number;
  /** false with --no-limits */
  limits: boolean;
}

/** `8GiB`, `512MB`, `2e9` (bytes) → bytes. */
export function parseMaxMemory(value: string): number {
  const bytes = parseSize(value);
  if (bytes === undefined || !Number.isFinite(bytes) || bytes <= 0) {
    throw new InvalidArgumentError(`--max-memory must be a size like 8GiB or 512MB, found '${value}'.`);
  }
  return bytes;
}

/** `2h`, `90m`, `30s`, `5000` (ms) → seconds. */
export function parseMaxTime(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    throw new InvalidArgumentError(`--max-time must be a duration like 2h, 90m or 30s, found '${value}'.`);
  }
  return ms / 1000;
}

/** The three options, for every command that trains. */
export function addLimitOptions(command: Command): Command {
  return command
    .option('--max-memory <size>', 'memory budget for the run estimate (default 4GiB)', parseMaxMemory)
    .option('--max-time <duration>', 'host-time budget for the run estimate (default 1h)', parseMaxTime)
    .option('--no-limits', 'skip the memory and time estimate made before a run starts');
}

export function budgetOf(flags: LimitFlags): Budget {
  return {
    memoryBytes: flags.maxMemory ?? DEFAULT_BUDGET.memoryBytes,
    seconds: flags.maxTime ?? DEFAULT_BUDGET.seconds,
  };
}

/**
 * Throws the refusal (DtrainError, exit 2) when the run is over budget; returns a note to
 * print for a long run (null otherwise, and always with --no-limits). `output` names every
 * output asked for: each is sized, and each may be what is refused.
 */
export function enforceLimits(scenario: Scenario, flags: LimitFlags, output: EstimateOptions): string | null {
  return enforceEstimate(estimateRun(scenario, datasetShape(scenario.data.dataset), output), flags);
}

/** enforceLimits for an estimate already made (simulate also sizes V8's heap growth from it). */
export function enforceEstimate(estimate: RunEstimate, flags: LimitFlags): string | null {
  // a run that cannot finish is refused whatever the budget
  const cannot = burstChainRefusal(estimate, true);
  if (cannot !== null) throw cannot;
  if (!flags.limits) return null;
  const refusal = checkBudget(estimate, budgetOf(flags));
  if (refusal !== null) throw refusal;
  return longRunNote(estimate);
}

/** A sweep's or study's run, as its limits are checked. */
export interface GridRunToCheck {
  key: string;
  scenario: Scenario;
  label: string;
}

/**
 * A sweep's or study's runs, each checked as `simulate` of it would be (each worker runs one at
 * a time); the first run over budget is refused, named by its grid point. Returns each run's
 * estimated memory by key, made even with --no-limits (as simulate does: V8's heap growth is
 * sized from it). `usage`: what each run's worker makes of it (its JSON report written round
 * by round, a study's record built as it goes).
 */
export function enforceGridLimits(runs: readonly GridRunToCheck[], flags: LimitFlags, usage: EstimateOptions): Map<string, number> {
  return runSteps(gridLimitSteps(runs, flags, usage));
}

/**
 * Runs estimated between two of gridLimitSteps' steps: some 16 µs each, so a step is a few
 * hundredths of a second, and the seconds a grid of 100,000 runs takes leave a Ctrl-C waiting
 * no longer than that.
 */
export const GRID_LIMIT_STEP_RUNS = 2048;

/** enforceGridLimits in steps; `checked`, after each step, says how many runs are done. */
export function* gridLimitSteps(
  runs: readonly GridRunToCheck[], flags: LimitFlags, usage: EstimateOptions, checked?: (done: number) => void, stepRuns = GRID_LIMIT_STEP_RUNS,
): Steps<Map<string, number>> {
  const budget = budgetOf(flags);
  const estimates = new Map<string, number>();
  for (let i = 0; i < runs.length; i++) {
    if (i > 0 && i % stepRuns === 0) {
      checked?.(i);
      yield;
    }
    const { key, scenario, label } = runs[i]!;
    // the shape is read off the loaded spec (a CSV's rows were counted at load), so per run is cheap
    const estimate = estimateRun(scenario, datasetShape(scenario.data.dataset), usage);
    estimates.set(key, estimate.memoryBytes);
    const refusal = flags.limits ? checkBudget(estimate, budget) : burstChainRefusal(estimate, true);
    if (refusal !== null) throw new DtrainError(refusal.code, `${label}: ${refusal.message}`, { exitCode: refusal.exitCode, hint: refusal.hint });
  }
  return estimates;
}

/** What `jobs` workers hold at once: the sum of the `jobs` largest runs' estimates. */
export function poolEstimateBytes(runBytes: readonly number[], jobs: number): number {
  const largest = runBytes.slice().sort((a, b) => b - a);
  let total = 0;
  for (let i = 0; i < Math.min(jobs, largest.length); i++) total += largest[i]!;
  return total;
}

/**
 * How many of a sweep's or study's runs may be in flight at once within the memory budget:
 * each worker holds one run, so `jobs` workers need the sum of the `jobs` largest runs'
 * estimates. Fewer workers than asked for (at least one: each run alone was checked) and a
 * note saying so when they would not fit; `jobs` and no note with --no-limits.
 */
export function workersWithinBudget(runBytes: readonly number[], jobs: number, flags: LimitFlags): { jobs: number; note: string | null } {
  if (!flags.limits) return { jobs, note: null };
  const budget = budgetOf(flags).memoryBytes;
  const wanted = Math.min(jobs, runBytes.length);
  let fit = wanted;
  while (fit > 1 && poolEstimateBytes(runBytes, fit) > budget) fit -= 1;
  if (fit >= wanted) return { jobs, note: null };
  return {
    jobs: fit,
    note: `${wanted} workers would need an estimated ${formatBytes(poolEstimateBytes(runBytes, wanted))}, over the memory budget of ${formatBytes(budget)}; running ${fit} at a time (raise the budget with --max-memory)`,
  };
}
