import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'dtrain.js');

function dtrain(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dtrain-cli-'));
}

describe('dtrain CLI', () => {
  it('simulate with no argument runs the bundled quickstart; --json twice is byte-identical', () => {
    const dir = scratch();
    const first = dtrain(['simulate', '--quiet', '--json', join(dir, 'a.json')]);
    const second = dtrain(['simulate', '--quiet', '--json', join(dir, 'b.json')]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
    expect(first.stdout).toContain('s1s4');
    expect(first.stdout).toContain('sync-sgd');
    const a = readFileSync(join(dir, 'a.json'), 'utf8');
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(a);
    const report = JSON.parse(a);
    expect(report.schemaVersion).toBe(2);
    expect(report.run).toMatchObject({ engine: 'fast', node: process.version, overrides: { seed: null, rounds: null, strategy: null } });
    expect(report.scenario.name).toBe('quickstart');
    expect(report.runs.map((r: { strategy: { name: string } }) => r.strategy.name)).toEqual(['s1s4', 'sync-sgd']);
    expect(report.runs[0].summary.wallMs).toBeUndefined();
    expect(report.runs[0].rounds[0].nodes[0].samplesMs).toBeUndefined();
  });

  it('--trace adds samplesMs, --timing adds wallMs, --rounds and --strategy override the file', () => {
    const dir = scratch();
    const out = join(dir, 'run.json');
    const run = dtrain(['simulate', 'scenarios/straggler.yaml', '--quiet', '--trace', '--timing', '--rounds', '2', '--strategy', 'fedavg', '--json', out]);
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.runs).toHaveLength(1);
    expect(report.runs[0].strategy).toEqual({ name: 'fedavg', batch: 'fixed', resources: 'fixed', aggregation: 'samples' });
    expect(report.runs[0].rounds).toHaveLength(2);
    expect(report.runs[0].rounds[0].nodes[0].samplesMs).toHaveLength(20);
    expect(typeof report.runs[0].summary.wallMs).toBe('number');
  });

  it('a missing scenario file is a one-line error, exit 2, no output file', () => {
    const dir = scratch();
    const out = join(dir, 'x.json');
    const run = dtrain(['simulate', 'nope.yaml', '--json', out]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: .*nope\.yaml/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('an invalid scenario reports file:line:col and field, exit 2, and writes nothing', () => {
    const dir = scratch();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'rounds: -3\npipeline:\n  s1: { intervalMs: 100, windowMs: 250 }\n');
    const out = join(dir, 'x.json');
    const run = dtrain(['simulate', file, '--json', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${file}:1:9  rounds:`);
    expect(run.stderr).toContain(`${file}:3:36  pipeline.s1.windowMs:`);
    expect(existsSync(out)).toBe(false);
    const validate = dtrain(['validate', file]);
    expect(validate.status).toBe(2);
    expect(validate.stderr).toContain(`${file}:1:9  rounds:`);
  });

  it('a bad flag value is a usage error with exit 2', () => {
    const run = dtrain(['simulate', '--rounds', 'many']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--rounds must be a whole number from 1 to 100000, found 'many'.");
    const unknown = dtrain(['simulate', '--strategy', 's1s5', '--quiet']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error: .*s1s5/);
  });

  it('a bad argument holding a line break or an escape is quoted escaped: it cannot start a line of its own', () => {
    const forged = '1\nerror: forged\u001b[2J';
    const shown = "1\\nerror: forged\\e[2J";
    const rounds = `error: option '-r, --rounds <n>' argument '${shown}' is invalid. --rounds must be a whole number from 1 to 100000, found '${shown}'.\n(run with --help for usage)\n`;
    const cases: Array<[string[], string]> = [
      [['simulate', '--rounds', forged], rounds],
      [['simulate', `--rounds=${forged}`], rounds],
      [['simulate', `-r${forged}`], rounds],
      [['simulate', `--bogus${forged}`], `error: unknown option '--bogus${shown}'\n(run with --help for usage)\n`],
      [[`sim${forged}`], `error: unknown command 'sim${shown}'\n(run with --help for usage)\n`],
    ];
    for (const [args, stderr] of cases) {
      const run = dtrain(args);
      expect(run.stderr).toBe(stderr);
      expect(run.status).toBe(2);
    }
  });

  it('validate accepts every bundled scenario', () => {
    const run = dtrain(['validate', 'scenarios/quickstart.yaml', 'scenarios/large-cluster.yaml', 'scenarios/trace-replay.yaml']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('scenarios/quickstart.yaml: ok\nscenarios/large-cluster.yaml: ok\nscenarios/trace-replay.yaml: ok\n');
  });

  it('--help documents the commands with examples', () => {
    const run = dtrain(['simulate', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--strategy <names>');
    expect(run.stdout).toContain('Examples:');
  });
});
