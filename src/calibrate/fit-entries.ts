/**
 * `calibrate --from`: each node entry's fit from all its rows (what --write sets), and its
 * error on held-out rows: every other row of the entry, in file order, is left out of a second
 * fit and predicted by it. An entry whose rows cannot determine the three values is refused,
 * naming the node; one that can, but whose half cannot, has no held-out error.
 */
import type { Issue } from '../errors.js';
import { AMDAHL_PARAMETERS, amdahlStepMs, determinesAmdahl, fitAmdahl, type AmdahlFit } from './amdahl-fit.js';
import { alternate, meanAbsolutePercentageError } from './error-measures.js';
import type { NodeEntry } from './node-entries.js';
import type { CsvStep } from './steps-csv.js';

export interface EntryFit {
  entry: NodeEntry;
  rows: number;
  fit: AmdahlFit;
  /** the fit of the other half predicting these rows; null when the half does not determine a fit */
  heldOut: { rows: number; mape: number; fit: AmdahlFit } | null;
}

const VALUES = 'msPerSample, parallelFraction and stepOverheadMs';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function refusal(entry: NodeEntry, rows: readonly CsvStep[], file: string): Issue {
  const last = rows[rows.length - 1]!;
  const at = { code: 'file.invalid' as const, file, line: last.line, column: last.nodeColumn, path: 'node' };
  if (rows.length < AMDAHL_PARAMETERS) {
    return { ...at, expected: `at least ${AMDAHL_PARAMETERS} rows for node ${entry.id} to fit ${VALUES}`, found: plural(rows.length, 'row') };
  }
  const batches = new Set(rows.map((row) => row.batch)).size;
  const threads = new Set(rows.map((row) => row.threads)).size;
  return {
    ...at,
    expected: `rows for node ${entry.id} that tell ${VALUES} apart (at least two batch sizes, two thread counts and three different batch–thread pairs)`,
    found: `${plural(batches, 'batch size')} and ${plural(threads, 'thread count')}${threads === 1 && rows[0]!.threads === 1 ? ' (all on 1 thread)' : ''}`,
  };
}

export function fitEntries(grouped: ReadonlyMap<NodeEntry, CsvStep[]>, file: string): { ok: true; fits: EntryFit[] } | { ok: false; issues: Issue[] } {
  const fits: EntryFit[] = [];
  const issues: Issue[] = [];
  const ordered = [...grouped.entries()].sort((a, b) => a[0].index - b[0].index);
  for (const [entry, rows] of ordered) {
    const fit = determinesAmdahl(rows) ? fitAmdahl(rows) : null;
    if (fit === null) {
      issues.push(refusal(entry, rows, file));
      continue;
    }
    const { fit: half, heldOut } = alternate(rows);
    const halfFit = heldOut.length > 0 && determinesAmdahl(half) ? fitAmdahl(half) : null;
    const mape = halfFit === null ? null : meanAbsolutePercentageError(heldOut.map((row) => row.stepMs), heldOut.map((row) => amdahlStepMs(halfFit, row.batch, row.threads)));
    fits.push({ entry, rows: rows.length, fit, heldOut: halfFit === null || mape === null ? null : { rows: heldOut.length, mape, fit: halfFit } });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, fits };
}
