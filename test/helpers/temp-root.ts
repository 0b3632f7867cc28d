/**
 * vitest's global setup: every test's temporary folders (and those of the dtrain processes
 * tests start) go under one folder made for the run, removed when the run ends. The tests make
 * about four hundred folders a run through os.tmpdir(); many are not removed by the test that
 * made them (a failing test never would be), and before this they piled up in the system's
 * temporary folder run after run. The worker processes inherit TMPDIR, and os.tmpdir() reads it
 * at every call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'dtrain-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
