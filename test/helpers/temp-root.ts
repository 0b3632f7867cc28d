/**
 * vitest's global setup: every test's temporary folders (and those of the dtrain processes
 * tests start) go under one folder made for the run, removed when the run ends. The tests make
 * about four hundred folders a run through os.tmpdir(); many are not removed by the test that
 * made them (a failing test never would be), and before this they piled up in the system's
 * temporary folder run after run. The worker processes inherit TMPDIR, and os.tmpdir() reads it
 * at every call.
 *
 * vitest runs a global setup once for the root and once for each project that extends it: the
 * first one makes the folder and the others keep it (nested folders made Chromium's socket path
 * too long for it to start).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set while a run's folder is TMPDIR (to the folder). */
export const TEMP_ROOT_VARIABLE = 'DTRAIN_TESTS_TMPDIR';

export default function setup(): () => void {
  if (process.env[TEMP_ROOT_VARIABLE] !== undefined) return () => {};
  const root = mkdtempSync(join(tmpdir(), 'dtrain-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  process.env[TEMP_ROOT_VARIABLE] = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env[TEMP_ROOT_VARIABLE];
    rmSync(root, { recursive: true, force: true });
  };
}
