/**
 * A study's stored run: the compact record kept instead of the full JSON report (a sweep's
 * per-node rounds are most of its bytes and a study reads none of them). One file per run,
 * `<first 16 hex digits of the run key>.json`, written atomically. It holds the run's summary
 * and per-round aggregates as columns (one array per field), which is all every study metric
 * needs and is enough to recompute each of them later, for another --target too.
 * The columns and what they mean: src/report/run-columns.ts.
 */
import { ROUND_FIELDS, type RoundColumns, type RunColumns, type RunSummaryFigures } from '../report/run-columns.js';

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

const isNumberOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

/** The record in `text` if it is the complete record of run `key`, else undefined (the run is done again). */
export function parseRecord(text: string, key: string): StudyRecord | undefined {
  let data: Partial<StudyRecord>;
  try {
    data = JSON.parse(text) as Partial<StudyRecord>;
  } catch {
    return undefined;
  }
  if (data?.studyRecord !== RECORD_VERSION || data.key !== key || typeof data.strategy !== 'string' || typeof data.seed !== 'number') return undefined;
  const summary = data.summary as unknown as Record<string, unknown> | undefined;
  if (summary === undefined || summary === null) return undefined;
  for (const field of ['finalAccuracy', 'bestAccuracy', 'simulatedMs', 'samplesTrained', 'timeToTargetMs']) if (!isNumberOrNull(summary[field])) return undefined;
  const rounds = data.rounds as unknown as Record<string, unknown> | undefined;
  if (rounds === undefined || rounds === null) return undefined;
  const length = Array.isArray(rounds.round) ? rounds.round.length : -1;
  for (const field of ROUND_FIELDS) {
    const column = rounds[field];
    if (!Array.isArray(column) || column.length !== length) return undefined;
    const ok = field === 'skipped' ? column.every((v) => typeof v === 'boolean') : column.every(isNumberOrNull);
    if (!ok) return undefined;
  }
  return data as StudyRecord;
}
