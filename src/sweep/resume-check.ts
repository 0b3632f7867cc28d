/**
 * Resuming a sweep into its own --out only (issue 9): a directory that already holds the
 * sweep.json of another grid (or of another shard of this grid) would end up with two sweeps'
 * reports and one manifest claiming them, so it is refused before anything runs or is
 * written. The same grid and shard resume as before; a directory without sweep.json is new.
 * A study's folder is refused too: its records bear the same file names as this sweep's
 * reports of the same runs, and would be replaced one for one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DtrainError } from '../errors.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { readManifest } from './directory.js';
import { MANIFEST_FILE, type SweepManifest } from './manifest.js';
import type { Shard } from './shard.js';

/** study/manifest.ts's STUDY_MANIFEST_FILE: study/ builds on sweep/, so sweep/ names the file itself. */
const STUDY_MANIFEST_FILE = 'study.json';

const HINT = 'give another --out directory, or remove this one to start the sweep over';

function shardText(shard: Shard | null): string {
  return shard === null ? 'the whole grid' : `shard ${shard.index}/${shard.count}`;
}

function runsText(count: number): string {
  return `${count} run${count === 1 ? '' : 's'}`;
}

/**
 * Throws (exit 2) when `dir` holds a study (its records have the sweep's file names: same run,
 * same key) or the sweep.json of another grid: writing this sweep's reports there would
 * replace another result. `dtrain merge` checks its --out with this too.
 */
export function checkSweepOut(dir: string, manifest: SweepManifest, hint = HINT): SweepManifest | undefined {
  const where = `--out ${escapeForTerminal(dir)}`;
  if (existsSync(join(dir, STUDY_MANIFEST_FILE))) {
    throw new DtrainError('sweep.otherDirectory', `${where} holds a study (${STUDY_MANIFEST_FILE}); a sweep's reports would be mixed with it`, { hint: 'give the sweep its own --out directory' });
  }
  if (!existsSync(join(dir, MANIFEST_FILE))) return undefined;
  let stored: SweepManifest;
  try {
    stored = readManifest(dir);
  } catch (error) {
    if (!(error instanceof DtrainError)) throw error;
    throw new DtrainError('sweep.otherDirectory', `${where} holds a ${MANIFEST_FILE} that is not one of this sweep (${error.message})`, { hint });
  }
  if (stored.gridHash !== manifest.gridHash) {
    const scenario = stored.scenario.file === manifest.scenario.file ? '' : ` of ${escapeForTerminal(stored.scenario.file)}`;
    throw new DtrainError('sweep.otherGrid',
      `${where} already holds another sweep (a grid of ${runsText(stored.runs.length)}${scenario}; this one has ${runsText(manifest.runs.length)}); its reports would be mixed with this one's`,
      { hint });
  }
  return stored;
}

/** Throws (exit 2) when `dir` holds a study, or a sweep.json that `manifest` cannot resume. */
export function checkResumable(dir: string, manifest: SweepManifest): void {
  const stored = checkSweepOut(dir, manifest);
  if (stored === undefined) return;
  const same = (a: Shard | null, b: Shard | null) => (a === null ? b === null : b !== null && a.index === b.index && a.count === b.count);
  if (!same(stored.shard, manifest.shard)) {
    throw new DtrainError('sweep.otherShard',
      `--out ${escapeForTerminal(dir)} holds ${shardText(stored.shard)} of this sweep, not ${shardText(manifest.shard)}`,
      { hint: 'give each shard its own --out directory (then dtrain merge them), or remove this one' });
  }
}
