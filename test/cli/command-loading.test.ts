/**
 * A command loads its own modules, not every command's: `dtrain validate` does not load what
 * `dtrain simulate` or `dtrain playground` run. Help and unknown words still see every command.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'dtrain.js');
const PRELOAD = join(import.meta.dirname, 'fixtures', 'log-loaded-commands.mjs');
const COMMANDS = ['simulate', 'validate', 'check', 'sweep', 'study', 'merge', 'explain', 'init', 'schema', 'scenarios', 'calibrate', 'export', 'playground'];

function run(args: string[]): { status: number | null; stdout: string; loaded: string[]; tfjsImported: string[] | null } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--import=${PRELOAD}`, NO_COLOR: '1' },
  });
  const listed = (label: string): string[] | null => {
    const line = result.stderr.split('\n').find((l) => l.startsWith(label));
    return line === undefined ? null : (JSON.parse(line.slice(label.length)) as string[]);
  };
  return { status: result.status, stdout: result.stdout, loaded: listed('loaded: ') ?? [], tfjsImported: listed('tfjs imported: ') };
}

describe('how a dtrain command loads TF.js', () => {
  it('by require, never through import (which first scans each CommonJS bundle for its exports)', () => {
    const { status, stdout, tfjsImported } = run(['simulate', 'scenarios/quickstart.yaml', '--quiet', '--json', '-']);
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as { runs: Array<{ backend: string }> }).runs.map((r) => r.backend)).toEqual(['wasm', 'wasm']);
    expect(tfjsImported).toEqual([]);
  });
});

describe('which command modules a dtrain command loads', () => {
  it('validate loads validate.js and none of the other commands', () => {
    const { status, loaded } = run(['validate', 'scenarios/quickstart.yaml']);
    expect(status).toBe(0);
    expect(loaded).toContain('validate');
    expect(loaded.filter((name) => COMMANDS.includes(name))).toEqual(['validate']);
  });

  it('--help and a word that names no command load every command, and the help lists them all', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.loaded.filter((name) => COMMANDS.includes(name))).toEqual([...COMMANDS].sort());
    const listed = help.stdout.split('\n').flatMap((line) => /^ {2}([a-z]+)\b/.exec(line)?.[1] ?? []).filter((name) => name !== 'help');
    expect(listed).toEqual(COMMANDS);
    const unknown = run(['simulat']);
    expect(unknown.status).toBe(2);
    expect(unknown.loaded.filter((name) => COMMANDS.includes(name))).toEqual([...COMMANDS].sort());
  });
});
