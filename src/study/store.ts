/**
 * Reading a study's folder: study.json and the compact records, bounded and only from
 * regular files (a record swapped for a FIFO must not hang a resume). A missing or incomplete
 * record means "not run yet"; anything else unreadable is a clear error (exit 2).
 */
import { join } from 'node:path';
import { DtrainError } from '../errors.js';
import { readTextFileLimited } from '../node/read-file.js';
import { MAX_REPORT_BYTES } from '../scenario/text-file.js';
import type { ManifestRun } from '../sweep/manifest.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { parseStudyManifest, STUDY_MANIFEST_FILE, type StudyManifest } from './manifest.js';
import { parseRecord, type StudyRecord } from './record.js';

export interface StoredRecord {
  text: string;
  record: StudyRecord;
}

export function readStoredRecord(dir: string, run: Pick<ManifestRun, 'index' | 'key' | 'report'>): StoredRecord | undefined {
  const path = join(dir, run.report);
  const read = readTextFileLimited(path, MAX_REPORT_BYTES, { regularOnly: true, quoteBytes: false });
  if (!read.ok) {
    if (read.problem === 'no such file' || 'line' in read) return undefined;
    throw new DtrainError('study.unreadableRecord', `cannot read ${escapeForTerminal(path)}, the record of run ${run.index + 1} in ${STUDY_MANIFEST_FILE}: ${read.problem}`, {
      hint: 'remove or rename it; complete runs are kept',
    });
  }
  const record = parseRecord(read.text, run.key);
  return record === undefined ? undefined : { text: read.text, record };
}

/** The folder's study.json; undefined when it has none. */
export function readStudyManifest(dir: string): StudyManifest | undefined {
  const path = join(dir, STUDY_MANIFEST_FILE);
  const read = readTextFileLimited(path, MAX_REPORT_BYTES, { regularOnly: true, quoteBytes: false });
  if (!read.ok && read.problem === 'no such file') return undefined;
  if (!read.ok) throw new DtrainError('study.badManifest', `cannot read ${escapeForTerminal(path)}: ${read.problem}`);
  return parseStudyManifest(read.text, escapeForTerminal(path));
}
