/**
 * A study's stored run: the compact record kept instead of the full JSON report (a sweep's
 * per-node rounds are most of its bytes and a study reads none of them). One file per run,
 * `<first 16 hex digits of the run key>.json`, written atomically. It holds the run's summary
 * and per-round aggregates as columns (one array per field), which is all every study metric
 * needs and is enough to recompute each of them later, for another --target too.
 * The columns and what they mean: src/report/run-columns.ts.
 */
import { MAX_FIGURE, MAX_FIGURE_TEXT, ROUND_FIELDS, type RoundColumns, type RoundField, type RunColumns, type RunSummaryFigures } from '../report/run-columns.js';
import { shorten } from '../text/shorten.js';

export const RECORD_VERSION = 1;

export { ROUND_FIELDS, type RoundColumns, type RoundField, type RunSummaryFigures } from '../report/run-columns.js';

export interface StudyRecord {
  studyRecord: typeof RECORD_VERSION;
  key: string;
  strategy: string;
  seed: number;
  summary: RunSummaryFigures;
  rounds: RoundColumns;
}

/** A run's record: which run it is, and its columns (report/run-columns.ts). */
export function studyRecord(run: { key: string; strategy: string; seed: number }, columns: RunColumns): StudyRecord {
  return { studyRecord: RECORD_VERSION, key: run.key, strategy: run.strategy, seed: run.seed, summary: columns.summary, rounds: columns.rounds };
}

/** Compact: one line per column, so the file stays small and still reads in an editor. */
export function recordText(record: StudyRecord): string {
  const rounds = ROUND_FIELDS.map((field) => `    ${JSON.stringify(field)}: ${JSON.stringify(record.rounds[field])}`).join(',\n');
  const head = { studyRecord: record.studyRecord, key: record.key, strategy: record.strategy, seed: record.seed, summary: record.summary };
  const text = JSON.stringify(head, null, 2);
  return `${text.slice(0, -2)},\n  "rounds": {\n${rounds}\n  }\n}\n`;
}

/** What a record's figure may be: an accuracy (a fraction), a time or count, or any number (the loss). */
type Range = 'accuracy' | 'nonNegative' | 'any';

const SUMMARY_RANGES: Record<keyof RunSummaryFigures, Range> = {
  finalAccuracy: 'accuracy', bestAccuracy: 'accuracy', simulatedMs: 'nonNegative', samplesTrained: 'nonNegative', timeToTargetMs: 'nonNegative',
};

const ROUND_RANGES: Record<Exclude<RoundField, 'skipped'>, Range> = {
  round: 'nonNegative', endMs: 'nonNegative', accuracy: 'accuracy', loss: 'any', globalBatch: 'nonNegative',
  effectiveParticipants: 'nonNegative', samples: 'nonNegative', minWeightShare: 'nonNegative',
};

const EXPECTED: Record<Range, string> = {
  accuracy: 'an accuracy in [0, 1] or null',
  nonNegative: `a number in [0, ${MAX_FIGURE_TEXT}] or null`,
  any: 'a number or null',
};

function inRange(value: unknown, range: Range): boolean {
  if (value === null) return true;
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  return range === 'any' || (value >= 0 && value <= (range === 'nonNegative' ? MAX_FIGURE : 1));
}

/** A found value for a message: short, and quoted as JSON (no raw control characters). */
function shown(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  return shorten(text);
}

/** A record read back: the record, or what is wrong with it (for a message naming the file). */
export type ParsedRecord = { record: StudyRecord } | { problem: string };

/**
 * The record in `text` if it is the complete record of `run` (the grid run whose file it is)
 * and every figure is one a run can have: accuracies in [0, 1], times and counts in
 * [0, MAX_FIGURE] (beyond it the statistics would overflow), each
 * round column one value per round. Otherwise what is wrong: a resume runs it again, a merge
 * refuses it naming the file.
 */
export function parseRecord(text: string, run: { key: string; strategy: string; seed: number }): ParsedRecord {
  let data: Partial<StudyRecord>;
  try {
    data = JSON.parse(text) as Partial<StudyRecord>;
  } catch {
    return { problem: 'is not complete JSON (cut short or edited)' };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data) || data.studyRecord !== RECORD_VERSION) {
    return { problem: `is not a dtrain study record (studyRecord ${RECORD_VERSION})` };
  }
  if (data.key !== run.key) return { problem: 'key: expected the key of the run the file is named after, found another' };
  if (data.strategy !== run.strategy) return { problem: `strategy: expected ${shown(run.strategy)} (the run the file is named after), found ${shown(data.strategy)}` };
  if (data.seed !== run.seed) return { problem: `seed: expected ${run.seed} (the run the file is named after), found ${shown(data.seed)}` };
  const summary = data.summary as unknown;
  if (summary === null || typeof summary !== 'object' || Array.isArray(summary)) return { problem: `summary: expected an object, found ${shown(summary)}` };
  for (const [field, range] of Object.entries(SUMMARY_RANGES)) {
    const value = (summary as Record<string, unknown>)[field];
    if (!inRange(value, range)) return { problem: `summary.${field}: expected ${EXPECTED[range]}, found ${shown(value)}` };
  }
  const rounds = data.rounds as unknown;
  if (rounds === null || typeof rounds !== 'object' || Array.isArray(rounds)) return { problem: `rounds: expected an object, found ${shown(rounds)}` };
  const columns = rounds as Record<string, unknown>;
  const length = Array.isArray(columns.round) ? columns.round.length : -1;
  for (const field of ROUND_FIELDS) {
    const column = columns[field];
    if (!Array.isArray(column)) return { problem: `rounds.${field}: expected an array, found ${shown(column)}` };
    if (column.length !== length) return { problem: `rounds.${field}: expected ${length} values (one per round), found ${column.length}` };
    const expected = field === 'skipped' ? 'true or false' : EXPECTED[ROUND_RANGES[field]];
    const bad = field === 'skipped' ? column.findIndex((v) => typeof v !== 'boolean') : column.findIndex((v) => !inRange(v, ROUND_RANGES[field]));
    if (bad >= 0) return { problem: `rounds.${field}[${bad}]: expected ${expected}, found ${shown(column[bad])}` };
  }
  return { record: data as StudyRecord };
}
