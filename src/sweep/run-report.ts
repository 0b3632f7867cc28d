/**
 * A run's JSON report inside a sweep directory. It counts as complete — and an interrupted
 * sweep skips it — only when it parses as a schema-version-1 report of exactly that run:
 * its `scenario.hash` is the run's key and it holds one strategy with a summary. Reports are
 * written atomically, so this also rejects files from other runs or hand-edited leftovers.
 */
import { SCHEMA_VERSION } from '../report/json.js';
export interface RunOutcome {
  strategy: string;
  seed: number;
  finalAccuracy: number | null;
  bestAccuracy: number | null;
  timeToTargetMs: number | null;
  simulatedMs: number | null;
  samplesTrained: number | null;
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The run's outcome if `text` is its complete report, else undefined. */
export function readRunReport(text: string, key: string): RunOutcome | undefined {
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const scenario = report?.scenario as { hash?: unknown; seed?: unknown } | undefined;
  const runs = report?.runs;
  if (report?.schemaVersion !== SCHEMA_VERSION || scenario?.hash !== key || !Array.isArray(runs) || runs.length !== 1) return undefined;
  const run = runs[0] as { strategy?: { name?: unknown }; summary?: Record<string, unknown> };
  if (typeof run.strategy?.name !== 'string' || run.summary === undefined || typeof scenario.seed !== 'number') return undefined;
  const { summary } = run;
  return {
    strategy: run.strategy.name,
    seed: scenario.seed,
    finalAccuracy: numberOrNull(summary.finalAccuracy),
    bestAccuracy: numberOrNull(summary.bestAccuracy),
    timeToTargetMs: numberOrNull(summary.timeToTargetMs),
    simulatedMs: numberOrNull(summary.simulatedMs),
    samplesTrained: numberOrNull(summary.samplesTrained),
  };
}
