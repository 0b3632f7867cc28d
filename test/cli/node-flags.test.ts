/**
 * `dtrain` run as a program (npx, npm's bin link, ./bin/dtrain.js) starts Node with a larger
 * young generation, a flag that only works when Node starts: the first line of bin/dtrain.js.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'dtrain.js');
const PRELOAD = join(import.meta.dirname, 'fixtures', 'log-exec-argv.mjs');

describe('bin/dtrain.js started through its own first line', () => {
  it('starts Node with --max-semi-space-size=64 and runs', () => {
    const result = spawnSync(BIN, ['--version'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--import=${PRELOAD}`, NO_COLOR: '1' },
    });
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('node flags: ["--max-semi-space-size=64"]\n');
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(result.status).toBe(0);
  });
});
