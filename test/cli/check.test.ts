/**
 * `dtrain check` and `dtrain simulate --expect/--update`, end to end through bin/ (run
 * `npm run build` first). The scenario is the sweep tests' tiny one: iris, 3 nodes, 3 rounds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'dtrain.js');
const SCENARIO = join(ROOT, 'test', 'sweep', 'fixtures', 'tiny.yaml');

function dtrain(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1)!;

describe('golden checks on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-check-'));
  const golden = join(dir, 'golden.json');
  const run = join(dir, 'run.json');

  beforeAll(() => {
    const update = dtrain(['simulate', SCENARIO, '--quiet', '--backend', 'wasm', '--expect', golden, '--update', '--json', run]);
    expect(update.stderr).toBe('');
    expect(update.status).toBe(0);
    expect(lastLine(update.stdout)).toBe(`golden updated: ${golden} (s1s4, sync-sgd · 3 rounds · backend wasm)`);
  });

  it('--update writes a schema-2 report that records version, backend, scenario hash and how the run was made', () => {
    const report = JSON.parse(readFileSync(golden, 'utf8'));
    expect(report.schemaVersion).toBe(2);
    expect(report.run).toEqual({
      engine: 'fast', backend: 'wasm', node: process.version, tfjs: '4.22.0', overrides: { seed: null, rounds: null, strategy: null },
    });
    expect(report.tool.name).toBe('dtrain');
    expect(report.scenario.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(report.runs.map((r: { backend: string }) => r.backend)).toEqual(['wasm', 'wasm']);
    // --json of the same run carries the same hash, so `dtrain check` can test it too
    expect(JSON.parse(readFileSync(run, 'utf8')).scenario.hash).toBe(report.scenario.hash);
  });

  it('an unchanged run passes: simulate --expect and check both print one OK line, exit 0', () => {
    const simulate = dtrain(['simulate', SCENARIO, '--quiet', '--expect', golden]);
    expect(simulate.status).toBe(0);
    expect(lastLine(simulate.stdout)).toMatch(new RegExp(`^golden check OK: [\\d,]+ values match ${golden} \\(s1s4, sync-sgd · 3 rounds · backend wasm\\)$`));
    const check = dtrain(['check', run, golden]);
    expect(check.status).toBe(0);
    expect(check.stderr).toBe('');
    expect(check.stdout.split('\n')).toHaveLength(2);
  });

  it('a changed batch is caught: exit 1, naming its round, node and field with both values', () => {
    const report = JSON.parse(readFileSync(run, 'utf8'));
    const node = report.runs[0].rounds[1].nodes[2];
    const before = node.batch;
    node.batch = before + 1;
    const changed = join(dir, 'changed.json');
    writeFileSync(changed, JSON.stringify(report, null, 2));
    const check = dtrain(['check', changed, golden]);
    expect(check.status).toBe(1);
    const lines = check.stdout.split('\n');
    expect(lines[0]).toMatch(/^golden check FAILED: 1 of [\d,]+ values differ from /);
    expect(lines[1]).toBe(`first difference: strategy s1s4, round 2, node c, field batch: run ${before + 1}, golden ${before} (Δ 1)`);
    expect(lines[3]).toBe('  batch       1  first at strategy s1s4, round 2, node c');
  });

  it('a looser --tolerance lets a float change pass; an unknown field is exit 2', () => {
    const report = JSON.parse(readFileSync(run, 'utf8'));
    report.runs[1].rounds[2].accuracy += 0.005;
    const changed = join(dir, 'accuracy.json');
    writeFileSync(changed, JSON.stringify(report));
    expect(dtrain(['check', changed, golden]).status).toBe(1);
    expect(dtrain(['check', changed, golden, '--tolerance', 'accuracy=0.01']).status).toBe(0);
    const bad = dtrain(['check', changed, golden, '--tolerance', 'acuracy=0.01']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe("error: --tolerance unknown field 'acuracy' — did you mean accuracy?");
  });

  it('a golden of another scenario is reported as such before anything runs (exit 1)', () => {
    const other = dtrain(['simulate', SCENARIO, '--quiet', '--seed', '2', '--rounds', '2', '--expect', golden]);
    expect(other.status).toBe(1);
    expect(other.stdout).toMatch(/^golden check FAILED: scenario changed since the golden was recorded \(hash [0-9a-f]{12}… in the golden, [0-9a-f]{12}… now; seed 1 in the golden, 2 now\); values not compared\n$/);
    expect(other.stderr).toMatch(/^hint: if the change is intended, re-record the golden/);
  });

  it('a --seed is all that differs: said so, with the golden\'s seed to run with (exit 1, nothing run)', () => {
    const other = dtrain(['simulate', SCENARIO, '--quiet', '--seed', '2', '--expect', golden]);
    expect(other.status).toBe(1);
    expect(other.stdout).toMatch(/^golden check FAILED: the golden was recorded with another seed \(hash [0-9a-f]{12}… in the golden, [0-9a-f]{12}… now; seed 1 in the golden, 2 now\); values not compared\n$/);
    expect(other.stderr).toBe('hint: run with --seed 1 to check against this golden; or, if the change is intended, re-record the golden: dtrain simulate SCENARIO --expect GOLDEN --update\n');
  });

  it('dtrain check names both seeds of two reports made with different ones', () => {
    const seed2 = join(dir, 'seed-2.json');
    expect(dtrain(['simulate', SCENARIO, '--quiet', '--backend', 'wasm', '--seed', '2', '--json', seed2]).status).toBe(0);
    const check = dtrain(['check', seed2, golden]);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/^golden check FAILED: scenario changed since the golden was recorded \(hash [0-9a-f]{12}… in the golden, [0-9a-f]{12}… now; seed 1 in the golden, 2 now\); values not compared\n$/);
  });

  it('a golden of another backend is reported as such; --any-backend compares within tolerances', () => {
    const cpu = dtrain(['simulate', SCENARIO, '--quiet', '--backend', 'cpu', '--expect', golden]);
    expect(cpu.status).toBe(1);
    expect(lastLine(cpu.stdout)).toBe('golden check FAILED: golden was recorded with backend wasm, this run used cpu; values not compared');
    const across = dtrain(['simulate', SCENARIO, '--quiet', '--backend', 'cpu', '--any-backend', '--expect', golden]);
    expect(across.status).toBe(0);
    expect(across.stderr).toBe('note: comparing across backends (golden wasm, run cpu) within the float tolerances\n');
  });

  it('a golden of another schema version, or not JSON: a clear error, exit 2, nothing run', () => {
    const v3 = join(dir, 'v3.json');
    writeFileSync(v3, readFileSync(golden, 'utf8').replace('"schemaVersion": 2', '"schemaVersion": 3'));
    const simulate = dtrain(['simulate', SCENARIO, '--quiet', '--expect', v3]);
    expect(simulate.status).toBe(2);
    expect(simulate.stdout).toBe('');
    expect(simulate.stderr.split('\n')[0]).toBe(`error: ${v3} has schema version 3; this dtrain reads schema version 2`);
    const check = dtrain(['check', run, v3]);
    expect(check.status).toBe(2);
    const notJson = join(dir, 'x.json');
    writeFileSync(notJson, '{"schemaVersion": 2,');
    expect(dtrain(['check', run, notJson]).status).toBe(2);
  });

  it('a version-1 golden: exit 2, why, and the command that re-records it; nothing run, nothing written', () => {
    const v1 = join(dir, 'v1.json');
    const v1Text = readFileSync(golden, 'utf8').replace('"schemaVersion": 2', '"schemaVersion": 1');
    writeFileSync(v1, v1Text);
    const expected = `error: ${v1} has schema version 1, recorded before the time model changed (drops are now learnt when they happen, `
      + 'and the JSON has new fields); this dtrain reads schema version 2\n'
      + `hint: re-record the golden with this dtrain: dtrain simulate SCENARIO --expect ${v1} --update\n`;
    const json = join(dir, 'not-written.json');
    const simulate = dtrain(['simulate', SCENARIO, '--quiet', '--expect', v1, '--json', json]);
    expect([simulate.status, simulate.stdout, simulate.stderr]).toEqual([2, '', expected]);
    expect(existsSync(json)).toBe(false);
    const check = dtrain(['check', run, v1]);
    expect([check.status, check.stdout, check.stderr]).toEqual([2, '', expected]);
    // a version-1 run report is run again, the golden kept
    const runCheck = dtrain(['check', v1, golden]);
    expect(runCheck.status).toBe(2);
    expect(runCheck.stderr.split('\n')[1]).toBe('hint: run the scenario again with this dtrain: dtrain simulate SCENARIO --json FILE');
    expect(readFileSync(v1, 'utf8')).toBe(v1Text);
  });

  it('usage errors write nothing: --update without --expect, a bad --tolerance with --update', () => {
    expect(dtrain(['simulate', SCENARIO, '--quiet', '--update']).stderr).toBe('error: --update needs --expect <golden>\n');
    const fresh = join(dir, 'fresh.json');
    const bad = dtrain(['simulate', SCENARIO, '--quiet', '--expect', fresh, '--update', '--tolerance', 'loss=x']);
    expect(bad.status).toBe(2);
    expect(existsSync(fresh)).toBe(false);
  });
});

describe('a check of reports too large for the budget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-check-budget-'));
  // 1 MiB each: the check needs 64 MiB + 4.2 × 2 MiB = 72.4 MiB
  const big = join(dir, 'big.json');
  const other = join(dir, 'other.json');
  writeFileSync(big, ' '.repeat(1024 ** 2));
  writeFileSync(other, ' '.repeat(1024 ** 2));

  it('is refused before either is read, with the estimate\'s parts and the flag that raises the budget; exit 2', () => {
    const result = dtrain(['check', big, other, '--max-memory', '70MiB']);
    expect(result.stderr).toBe([
      'error: this check needs an estimated 72.4 MiB of memory, over the budget of 70 MiB; the biggest parts:',
      '     64 MiB  Node.js',
      '    4.2 MiB  the run report (1 MiB), read and parsed',
      '    4.2 MiB  the golden file (1 MiB), read and parsed',
      'hint: compare reports of fewer rounds or nodes, or raise the budget with --max-memory 1GiB (or skip the check with --no-limits)',
      '',
    ].join('\n'));
    expect(result.status).toBe(2);
  });

  it('--no-limits or a budget that holds it: the reports are read (and these are not JSON)', () => {
    for (const flags of [['--max-memory', '70MiB', '--no-limits'], ['--max-memory', '80MiB']]) {
      const result = dtrain(['check', big, other, ...flags]);
      expect(result.stderr).toBe(`error: ${big} is not JSON\n`);
      expect(result.status).toBe(2);
    }
  });
});
