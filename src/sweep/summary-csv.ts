/**
 * `summary.csv`: one row per run, in grid order, so the file is the same whatever
 * `--jobs` was and whether the grid ran in one piece or as merged shards. Columns: the `--set`
 * axes (seed has its own column), strategy, seed, the run's summary figures, and the report
 * file. Numbers keep full precision (shortest round-trip form); a missing one (no target
 * reached) is an empty cell. Cells are written by the report's csv-cell.ts: RFC 4180 quoting,
 * and a strategy name or `--set` value starting with `=`, `+`, `-`, `@`, a tab or CR is
 * prefixed with `'` and quoted so a spreadsheet does not run it (a plain number such as
 * `-0.5` stays a number).
 */
import { csvCell } from '../report/csv-cell.js';
import type { ManifestRun, SweepManifest } from './manifest.js';
import type { RunOutcome } from './run-report.js';

export const SUMMARY_FILE = 'summary.csv';
export const SEED_PATH = 'seed';

export interface SweepRow {
  run: ManifestRun;
  outcome: RunOutcome;
}

const FIGURES = ['finalAccuracy', 'bestAccuracy', 'timeToTargetMs', 'simulatedMs', 'samplesTrained'] as const;

export { csvCell } from '../report/csv-cell.js';

/** Indexes of the axes that get their own column (all but `seed`). */
export function pointAxes(manifest: SweepManifest): number[] {
  return manifest.axes.flatMap((axis, index) => (axis.path === SEED_PATH ? [] : [index]));
}

export function summaryCsv(manifest: SweepManifest, rows: readonly SweepRow[]): string {
  const axes = pointAxes(manifest);
  const header = [...axes.map((i) => manifest.axes[i]!.path), 'strategy', 'seed', ...FIGURES, 'report'];
  const lines = [...rows]
    .sort((a, b) => a.run.index - b.run.index)
    .map(({ run, outcome }) => [
      ...axes.map((i) => run.point[i]!), run.strategy, outcome.seed, ...FIGURES.map((figure) => outcome[figure]), run.report,
    ]);
  return [header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';
}
