/**
 * `calibrate --from`: each node entry's fit from all its rows (what --write sets), and its
 * error on held-out rows: every other row of the entry, in file order, is left out of a second
 * fit and predicted by it. An entry whose rows cannot determine the three values is refused,
 * naming the node; one that can, but whose half cannot, has no held-out error.
 */
import type { Issue } from '../errors.js';
import { AMDAHL_PARAMETERS, amdahlStepMs, beyondDoubleRange, determinesAmdahl, fitAmdahl, type AmdahlFit } from './amdahl-fit.js';
import { formatYamlNumber } from './yaml-edit.js';
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

/** Batch–thread pairs listed in a refusal up to this many. */
const MAX_PAIRS_SHOWN = 6;

function refusal(entry: NodeEntry, rows: readonly CsvStep[], file: string): Issue {
  const last = rows[rows.length - 1]!;
  const at = { code: 'file.invalid' as const, file, line: last.line, column: last.nodeColumn, path: 'node' };
  if (rows.length < AMDAHL_PARAMETERS) {
    return { ...at, expected: `at least ${AMDAHL_PARAMETERS} rows for node ${entry.id} to fit ${VALUES}`, found: plural(rows.length, 'row') };
  }
  if (beyondDoubleRange(rows)) {
    return { ...at, expected: `rows for node ${entry.id} whose step times and batch sizes one fit can hold in double precision`, found: `${ranges(rows)}, too far apart (their squares overflow a double)` };
  }
  const batches = new Set(rows.map((row) => row.batch)).size;
  const threads = new Set(rows.map((row) => row.threads)).size;
  const pairs = [...new Set(rows.map((row) => `${row.batch}–${row.threads}`))];
  // Enough settings, but each batch size has its own thread count and each thread count its
  // own batch size (batch = threads, threads = 2 · batch, …): the time's part that grows with
  // the batch and the part that shrinks with the threads move together, so no count says
  // what is missing. (One batch size at two thread counts plus another batch size, or one
  // thread count at two batch sizes plus another thread count, always tells them apart.)
  if (batches >= 2 && threads >= 2 && pairs.length === batches && pairs.length === threads) {
    const shown = pairs.length <= MAX_PAIRS_SHOWN ? pairs.join(', ') : `${pairs.slice(0, MAX_PAIRS_SHOWN).join(', ')}, …`;
    return {
      ...at,
      expected: `rows for node ${entry.id} that tell ${VALUES} apart (vary the batch size while holding the thread count, or the thread count while holding the batch size)`,
      found: `batch and threads that change together in every row (batch–threads ${shown}), so their effects cannot be told apart`,
    };
  }
  const counted = `${plural(batches, 'batch size')}, ${plural(threads, 'thread count')}${threads === 1 && rows[0]!.threads === 1 ? ' (all on 1 thread)' : ''} and ${plural(pairs.length, 'batch–thread pair')}`;
  const enough = batches >= 2 && threads >= 2 && pairs.length >= AMDAHL_PARAMETERS;
  return {
    ...at,
    expected: `rows for node ${entry.id} that tell ${VALUES} apart (at least two batch sizes, two thread counts and three different batch–thread pairs)`,
    // enough settings, yet so unevenly spread that the fit's linear system is nearly singular
    found: enough ? `${counted}, spread so unevenly that they barely tell the three apart` : counted,
  };
}

function range(values: readonly number[], unit: string): string {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  return low === high ? `${formatYamlNumber(low)}${unit}` : `from ${formatYamlNumber(low)} to ${formatYamlNumber(high)}${unit}`;
}

/** `step times from 1e-200 to 2e+200 ms and batch sizes from 1 to 2` */
function ranges(rows: readonly CsvStep[]): string {
  return `step times ${range(rows.map((row) => row.stepMs), ' ms')} and batch sizes ${range(rows.map((row) => row.batch), '')}`;
}

/**
 * What is wrong with a fit a scenario cannot take, or null: scaled back to the rows' units, a
 * value can leave the doubles (1e-300 ms over 1e300 samples is no double above 0).
 */
function unusable(fit: AmdahlFit): string | null {
  const wrong: string[] = [];
  if (!(fit.msPerSample > 0)) wrong.push('an msPerSample below the smallest double');
  else if (!Number.isFinite(fit.msPerSample)) wrong.push('an msPerSample beyond the largest double');
  if (!Number.isFinite(fit.stepOverheadMs)) wrong.push('a stepOverheadMs beyond the largest double');
  if (!(fit.parallelFraction >= 0 && fit.parallelFraction <= 1)) wrong.push('a parallelFraction that is no number');
  return wrong.length === 0 ? null : wrong.join(' and ');
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
    const wrong = unusable(fit);
    if (wrong !== null) {
      const last = rows[rows.length - 1]!;
      issues.push({
        code: 'file.invalid', file, line: last.line, column: last.nodeColumn, path: 'node',
        expected: `rows for node ${entry.id} whose ${VALUES} a double can hold`,
        found: `${ranges(rows)}, which fit ${wrong}`,
      });
      continue;
    }
    const { fit: half, heldOut } = alternate(rows);
    const halfFit = heldOut.length > 0 && determinesAmdahl(half) ? fitAmdahl(half) : null;
    const mape = halfFit === null ? null : meanAbsolutePercentageError(heldOut.map((row) => row.stepMs), heldOut.map((row) => amdahlStepMs(halfFit, row.batch, row.threads)));
    fits.push({ entry, rows: rows.length, fit, heldOut: halfFit === null || mape === null ? null : { rows: heldOut.length, mape, fit: halfFit } });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, fits };
}
