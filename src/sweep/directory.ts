/**
 * A sweep's output directory: `sweep.json` (manifest.ts), one `<key>.json` report per run,
 * `summary.csv`. Reading helpers for resuming a sweep and for merging shards.
 *
 * Every file is read only if the open file is a regular one (a run report swapped for a FIFO
 * must not hang a resume), the manifest bounded, a run report as a stream. Only a missing
 * report means "not run yet"; anything else unreadable is a clear error (exit 2), never
 * silently overwritten.
 */
import { join } from 'node:path';
import { DtrainError } from '../errors.js';
import { readFileInChunks, readTextFileLimited } from '../node/read-file.js';
import { MAX_REPORT_BYTES } from '../scenario/text-file.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { MANIFEST_FILE, parseManifest, type ManifestRun, type SweepManifest } from './manifest.js';
import { outcomeProblem, RunReportReader, type RunOutcome } from './run-report.js';

export interface StoredRun {
  /** the report's path, for a merge to copy (a report may be too large to hold as one string) */
  path: string;
  outcome: RunOutcome;
}

/**
 * The run's report in `dir`: undefined when it is not there or not that run's complete report
 * (the run is done again), else the report, or what is wrong with it when it is complete but
 * not right for the run (outcomeProblem: a merge refuses it, naming the file). Read as a
 * stream (a 131,072-node run's report is over a gigabyte): it takes about 25 s a gigabyte on
 * this kind of machine, each byte checked as JSON. A study keeps the same report beside each
 * run's record with --store full: `file` names it there and `what` says whose it is.
 */
export function inspectStoredRun(
  dir: string,
  run: Pick<ManifestRun, 'index' | 'key' | 'report' | 'strategy' | 'seed'>,
  { file = run.report, what = `the report of run ${run.index + 1} in ${MANIFEST_FILE}` }: { file?: string; what?: string } = {},
): StoredRun | { path: string; problem: string } | undefined {
  const path = join(dir, file);
  const reader = new RunReportReader(run.key);
  const read = readFileInChunks(path, (chunk) => reader.write(chunk), { regularOnly: true });
  if (!read.ok) {
    if (read.problem === 'no such file') return undefined;
    throw new DtrainError('sweep.unreadableReport', `cannot read ${escapeForTerminal(path)}, ${what}: ${read.problem}`, {
      hint: 'remove or rename it; complete runs are kept',
    });
  }
  // a report with bytes that are not text, or not that run's complete report: the run is done again
  const outcome = reader.end();
  if (outcome === undefined) return undefined;
  const problem = outcomeProblem(outcome, run);
  return problem === undefined ? { path, outcome } : { path, problem };
}

/** The run's report in `dir` if it is there, complete and right for the run, else undefined (a resume runs it again). */
export function readStoredRun(dir: string, run: Pick<ManifestRun, 'index' | 'key' | 'report' | 'strategy' | 'seed'>, where: { file?: string; what?: string } = {}): StoredRun | undefined {
  const stored = inspectStoredRun(dir, run, where);
  return stored !== undefined && 'outcome' in stored ? stored : undefined;
}

export function readManifest(dir: string): SweepManifest {
  const path = join(dir, MANIFEST_FILE);
  const read = readTextFileLimited(path, MAX_REPORT_BYTES, { regularOnly: true, quoteBytes: false });
  if (!read.ok && read.problem === 'no such file') {
    throw new DtrainError('sweep.notASweep', `${escapeForTerminal(dir)} is not a sweep output directory (no ${MANIFEST_FILE})`, {
      hint: 'give the --out directories of `dtrain sweep … --shard i/n`',
    });
  }
  if (!read.ok) {
    const where = 'line' in read ? ` at line ${read.line}, column ${read.column}` : '';
    throw new DtrainError('sweep.badManifest', `cannot read ${escapeForTerminal(path)}: ${read.problem}${where}`);
  }
  return parseManifest(read.text, escapeForTerminal(path));
}
