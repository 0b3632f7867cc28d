/**
 * A sweep's output directory: `sweep.json` (manifest.ts), one `<key>.json` report per run,
 * `summary.csv`. Reading helpers for resuming a sweep and for merging shards.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DtrainError } from '../errors.js';
import { MANIFEST_FILE, parseManifest, type ManifestRun, type SweepManifest } from './manifest.js';
import { readRunReport, type RunOutcome } from './run-report.js';

export interface StoredRun {
  text: string;
  outcome: RunOutcome;
}

/** The run's report in `dir` if it is there and complete, else undefined. */
export function readStoredRun(dir: string, run: Pick<ManifestRun, 'key' | 'report'>): StoredRun | undefined {
  const path = join(dir, run.report);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const outcome = readRunReport(text, run.key);
  return outcome === undefined ? undefined : { text, outcome };
}

export function readManifest(dir: string): SweepManifest {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DtrainError('sweep.notASweep', `${dir} is not a sweep output directory (no ${MANIFEST_FILE})`, {
      hint: 'give the --out directories of `dtrain sweep … --shard i/n`',
    });
  }
  return parseManifest(text, path);
}
