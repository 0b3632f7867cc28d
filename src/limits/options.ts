/**
 * `simulate --max-memory <size> --max-time <duration> --no-limits` (issue 6, limits): the
 * option parsers and the check run before a simulation starts.
 */
import { InvalidArgumentError } from 'commander';
import type { Scenario } from '../scenario/types.js';
import { parseDuration, parseSize } from '../scenario/units.js';
import { checkBudget, DEFAULT_BUDGET, longRunNote, type Budget } from './budget.js';
import { datasetShape } from './dataset-shape.js';
import { estimateRun } from './estimate.js';

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

/**
 * Throws the refusal (DtrainError, exit 2) when the run is over budget; returns a note to
 * print for a long run (null otherwise, and always with --no-limits).
 */
export function enforceLimits(scenario: Scenario, flags: LimitFlags, output: { json: boolean; trace: boolean }): string | null {
  if (!flags.limits) return null;
  const budget: Budget = {
    memoryBytes: flags.maxMemory ?? DEFAULT_BUDGET.memoryBytes,
    seconds: flags.maxTime ?? DEFAULT_BUDGET.seconds,
  };
  const estimate = estimateRun(scenario, datasetShape(scenario.data.dataset), output);
  const refusal = checkBudget(estimate, budget);
  if (refusal !== null) throw refusal;
  return longRunNote(estimate);
}
