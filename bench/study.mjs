/**
 * The study's speed target: a 20-seed × 4-strategy study of the quickstart on this machine's
 * two cores (`--jobs 2`), timed as a user runs it, in a fresh process (target: under 2 minutes).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = join(import.meta.dirname, '..');
export const STUDY_ARGS = ['study', 'scenarios/quickstart.yaml', '--seeds', '1..20', '--strategy', 's1s4,lb-bsp,sync-sgd,fedavg', '--baseline', 'sync-sgd', '--jobs', '2'];

export function measureStudy(log) {
  const out = mkdtempSync(join(tmpdir(), 'dtrain-bench-study-'));
  try {
    const started = performance.now();
    execFileSync(process.execPath, ['bin/dtrain.js', ...STUDY_ARGS, '--out', join(out, 'study')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'] });
    const wallMs = performance.now() - started;
    log(`study: ${STUDY_ARGS.slice(1).join(' ')} — ${(wallMs / 1000).toFixed(1)} s`);
    return { contender: 'study:quickstart-20x4', wallMs, targetMs: 120_000 };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
