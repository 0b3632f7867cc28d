/**
 * Reading a study's folder: study.json and the compact records, bounded and only from
 * regular files (a record swapped for a FIFO must not hang a resume). To a resume, a missing or
 * incomplete record means "not run yet"; a merge names an incomplete one and refuses it.
 * Anything unreadable is a clear error (exit 2).
 */
import { join } from 'node:path';
import { DtrainError } from '../errors.js';
import { readTextFileLimited } from '../node/read-file.js';
import { MAX_REPORT_BYTES } from '../scenario/text-file.js';
import { inspectStoredRun, type StoredRun } from '../sweep/directory.js';
import type { ManifestRun } from '../sweep/manifest.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { fullReportName, parseStudyManifest, STUDY_MANIFEST_FILE, type StudyManifest } from './manifest.js';
import { parseRecord, type StudyRecord } from './record.js';

export interface StoredRecord {
  text: string;
  record: StudyRecord;
}

/**
 * The run's record in `dir`: undefined when there is no such file, else the record or what is
 * wrong with it (not text, not JSON, not this run's, a figure no run can have). Unreadable
 * files (a FIFO, a directory, no permission) are an error (exit 2).
 */
export function inspectStoredRecord(dir: string, run: Pick<ManifestRun, 'index' | 'key' | 'report' | 'strategy' | 'seed'>): StoredRecord | { problem: string } | undefined {
  const path = join(dir, run.report);
  const read = readTextFileLimited(path, MAX_REPORT_BYTES, { regularOnly: true, quoteBytes: false });
  if (!read.ok) {
    if (read.problem === 'no such file') return undefined;
    if ('line' in read) return { problem: `is not text (${read.problem} at line ${read.line}, column ${read.column})` };
    throw new DtrainError('study.unreadableRecord', `cannot read ${escapeForTerminal(path)}, the record of run ${run.index + 1} in ${STUDY_MANIFEST_FILE}: ${read.problem}`, {
      hint: 'remove or rename it; complete runs are kept',
    });
  }
  const parsed = parseRecord(read.text, run);
  return 'record' in parsed ? { text: read.text, record: parsed.record } : parsed;
}

/** The run's complete record in `dir`, else undefined (a resume runs it again). */
export function readStoredRecord(dir: string, run: Pick<ManifestRun, 'index' | 'key' | 'report' | 'strategy' | 'seed'>): StoredRecord | undefined {
  const stored = inspectStoredRecord(dir, run);
  return stored !== undefined && 'record' in stored ? stored : undefined;
}

/**
 * The run's full report in `dir` (with --store full), checked as a sweep checks its reports:
 * undefined when it is missing, cut short or another run's; what is wrong with it when it is
 * that run's complete report but holds a figure no run can have. It is read as a stream, never
 * held: it may be over a gigabyte.
 */
export function inspectFullReport(dir: string, run: Pick<ManifestRun, 'index' | 'key' | 'report' | 'strategy' | 'seed'>): StoredRun | { path: string; problem: string } | undefined {
  return inspectStoredRun(dir, run, { file: fullReportName(run.report), what: `the full report of run ${run.index + 1} in ${STUDY_MANIFEST_FILE}` });
}

/** The folder's study.json; undefined when it has none. */
export function readStudyManifest(dir: string): StudyManifest | undefined {
  const path = join(dir, STUDY_MANIFEST_FILE);
  const read = readTextFileLimited(path, MAX_REPORT_BYTES, { regularOnly: true, quoteBytes: false });
  if (!read.ok && read.problem === 'no such file') return undefined;
  if (!read.ok) throw new DtrainError('study.badManifest', `cannot read ${escapeForTerminal(path)}: ${read.problem}`);
  return parseStudyManifest(read.text, escapeForTerminal(path));
}
