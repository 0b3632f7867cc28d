/**
 * Which fields a golden check compares and how (issue 5). S1–S3 outputs and the time model
 * are deterministic functions of the scenario, so they are compared exactly; the training
 * figures come from float32 tensor maths, whose last bits differ between the wasm and cpu
 * backends (up to ~1e-6 relative on the bundled scenarios), so they get a tolerance.
 *
 * A float passes when |run − golden| ≤ tolerance · max(1, |golden|): absolute for values
 * up to 1 (accuracy, weights, losses), relative above (gradient norms, pressures). The
 * defaults are ten times the largest wasm-vs-cpu difference seen on the bundled scenarios
 * and far below any real change: one test sample more or less moves accuracy by ≥ 1e-5.
 */
import { parseDecimal } from '../text/decimal.js';
import { DtrainError } from '../errors.js';
import { suggestionSuffix } from '../scenario/suggest.js';

export const DEFAULT_TOLERANCES = {
  loss: 1e-5,
  accuracy: 1e-6,
  gradNorm: 1e-5,
  volatility: 1e-5,
  weight: 1e-5,
  // time-model floats: plain float64 JavaScript, identical on every backend
  responseMs: 1e-9,
  pressure: 1e-9,
} as const;

export type ToleranceField = keyof typeof DEFAULT_TOLERANCES;
export type Tolerances = Record<ToleranceField, number>;

export const TOLERANCE_FIELDS = Object.keys(DEFAULT_TOLERANCES) as ToleranceField[];

/** Node fields in pipeline order (S1 → S2 → S3 → time model → S4); `tolerance` = float field. */
export const NODE_FIELDS: ReadonlyArray<{ field: string; tolerance?: ToleranceField }> = [
  { field: 'efficiency' }, { field: 'effectiveMs' }, { field: 'observedMs' },
  { field: 'plannedBatch' }, { field: 'batch' },
  { field: 'responseMs', tolerance: 'responseMs' }, { field: 'pressure', tolerance: 'pressure' },
  { field: 'threads' }, { field: 'ioQueue' },
  { field: 'participated' }, { field: 'dropReason' },
  { field: 'downloadEndMs' }, { field: 'downloadMs' }, { field: 'computeEndMs' }, { field: 'computeMs' },
  { field: 'finishMs' }, { field: 'uploadMs' }, { field: 'droppedAtMs' },
  { field: 'gradNorm', tolerance: 'gradNorm' }, { field: 'volatility', tolerance: 'volatility' },
  { field: 'weight', tolerance: 'weight' },
];

/**
 * Round fields compared after the round's nodes (startMs is checked before them). The global
 * batch is S2's, so exact.
 */
export const ROUND_FIELDS: ReadonlyArray<{ field: string; tolerance?: ToleranceField }> = [
  { field: 'globalBatch' }, { field: 'endMs' }, { field: 'skipped' },
  // 1 / Σ w²: as close as the weights it is made of
  { field: 'effectiveParticipants', tolerance: 'weight' },
  { field: 'loss', tolerance: 'loss' }, { field: 'accuracy', tolerance: 'accuracy' },
];

/** timeToTargetMs is a round's endMs, so it is exact like the round times. */
export const SUMMARY_FIELDS: ReadonlyArray<{ field: string; tolerance?: ToleranceField }> = [
  { field: 'finalAccuracy', tolerance: 'accuracy' }, { field: 'bestAccuracy', tolerance: 'accuracy' },
  { field: 'simulatedMs' }, { field: 'samplesTrained' }, { field: 'timeToTargetMs' },
];

const EXACT_FIELDS = ['startMs', ...[...NODE_FIELDS, ...ROUND_FIELDS, ...SUMMARY_FIELDS]
  .filter((entry) => entry.tolerance === undefined).map((entry) => entry.field)];

function invalid(message: string): DtrainError {
  return new DtrainError('cli.invalidArgument', `--tolerance ${message}`, {
    hint: `fields: ${TOLERANCE_FIELDS.join(', ')}; e.g. --tolerance accuracy=0.01,weight=1e-6`,
  });
}

/** `accuracy=0.01,weight=1e-6` on top of `base`; an unknown field or a bad value throws (exit 2). */
export function parseTolerances(text: string, base: Tolerances = { ...DEFAULT_TOLERANCES }): Tolerances {
  const result = { ...base };
  const items = text.split(',').map((item) => item.trim());
  if (items.every((item) => item === '')) throw invalid(`expects field=value pairs, found '${text}'`);
  for (const item of items) {
    const match = /^([^=]*)=(.*)$/.exec(item);
    if (match === null) throw invalid(`expects field=value, found '${item}'`);
    const field = match[1]!.trim();
    const valueText = match[2]!.trim();
    if (!(TOLERANCE_FIELDS as string[]).includes(field)) {
      const exact = EXACT_FIELDS.includes(field) ? ` (${field} is compared exactly)` : suggestionSuffix(field, TOLERANCE_FIELDS);
      throw invalid(`unknown field '${field}'${exact}`);
    }
    // decimal only: `0x10` is not 16 here, `Infinity` and `1e999` are no tolerance
    const value = parseDecimal(valueText);
    if (value === undefined || value < 0) {
      throw invalid(`${field} must be a number ≥ 0, found '${valueText}'`);
    }
    result[field as ToleranceField] = value;
  }
  return result;
}

/** |run − golden| ≤ tolerance · max(1, |golden|); equal values (null included) always pass. */
export function withinTolerance(run: unknown, golden: unknown, tolerance: number): boolean {
  if (Object.is(run, golden) || run === golden) return true;
  if (typeof run !== 'number' || typeof golden !== 'number') return false;
  return Math.abs(run - golden) <= tolerance * Math.max(1, Math.abs(golden));
}
