/**
 * Resuming a sweep into its own --out only (issue 9): a directory that already holds the
 * sweep.json of another grid (or of another shard of this grid) would end up with two sweeps'
 * reports and one manifest claiming them, so it is refused before anything runs or is
 * written. The same grid and shard resume as before; a directory without sweep.json is new.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DtrainError } from '../errors.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { readManifest } from './directory.js';
import { MANIFEST_FILE, type SweepManifest } from './manifest.js';
import type { Shard } from './shard.js';

const HINT = 'give another --out directory, or remove this one to start the sweep over';

function shardText(shard: Shard | null): string {
  return shard === null ? 'the whole grid' : `shard ${shard.index}/${shard.count}`;
}

function runsText(count: number): string {
  return `${count} run${count === 1 ? '' : 's'}`;
}

/** Throws (exit 2) when `dir` holds a sweep.json that `manifest` cannot resume. */
export function checkResumable(dir: string, manifest: SweepManifest): void {
  if (!existsSync(join(dir, MANIFEST_FILE))) return;
  const where = `--out ${escapeForTerminal(dir)}`;
  let stored: SweepManifest;
  try {
    stored = readManifest(dir);
  } catch (error) {
    if (!(error instanceof DtrainError)) throw error;
    throw new DtrainError('sweep.otherDirectory', `${where} holds a ${MANIFEST_FILE} that is not one of this sweep (${error.message})`, { hint: HINT });
  }
  if (stored.gridHash !== manifest.gridHash) {
    const scenario = stored.scenario.file === manifest.scenario.file ? '' : ` of ${escapeForTerminal(stored.scenario.file)}`;
    throw new DtrainError('sweep.otherGrid',
      `${where} already holds another sweep (a grid of ${runsText(stored.runs.length)}${scenario}; this one has ${runsText(manifest.runs.length)}); its reports would be mixed with this one's`,
      { hint: HINT });
  }
  const same = (a: Shard | null, b: Shard | null) => (a === null ? b === null : b !== null && a.index === b.index && a.count === b.count);
  if (!same(stored.shard, manifest.shard)) {
    throw new DtrainError('sweep.otherShard',
      `${where} holds ${shardText(stored.shard)} of this sweep, not ${shardText(manifest.shard)}`,
      { hint: 'give each shard its own --out directory (then dtrain merge them), or remove this one' });
  }
}
