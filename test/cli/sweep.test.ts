/**
 * `dtrain sweep` and `dtrain merge` end to end through bin/ (run `npm run build` first): a
 * 2 × 3 grid (threshold × seed) × 2 strategies of the tiny iris scenario, unsharded and as
 * two shards merged, must give byte-identical summary.csv files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'dtrain.js');
const SCENARIO = join(ROOT, 'test', 'sweep', 'fixtures', 'tiny.yaml');
const GRID = ['--set', 'pipeline.s1.thresholdMs=20,50', '--set', 'seed=1..3', '--strategy', 's1s4,sync-sgd'];

function dtrain(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const reports = (dir: string): string[] => readdirSync(dir).filter((f) => /^[0-9a-f]{16}\.json$/.test(f)).sort();

describe('dtrain sweep and merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-sweep-'));
  const whole = join(dir, 'whole');
  let wholeRun: ReturnType<typeof dtrain>;

  beforeAll(() => {
    wholeRun = dtrain(['sweep', SCENARIO, ...GRID, '--jobs', '2', '--out', whole]);
  });

  it('runs the 12-run grid: one report per run, sweep.json, summary.csv in grid order', () => {
    expect(wholeRun.status).toBe(0);
    expect(wholeRun.stderr.split('\n')[0]).toBe('sweep: 12 runs, 0 already complete, 12 to run on 2 workers');
    expect(reports(whole)).toHaveLength(12);
    const csv = readFileSync(join(whole, 'summary.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('pipeline.s1.thresholdMs,strategy,seed,finalAccuracy,bestAccuracy,timeToTargetMs,simulatedMs,samplesTrained,report');
    expect(csv.slice(1).map((line) => line.split(',').slice(0, 3).join(','))).toEqual([
      '20,s1s4,1', '20,sync-sgd,1', '20,s1s4,2', '20,sync-sgd,2', '20,s1s4,3', '20,sync-sgd,3',
      '50,s1s4,1', '50,sync-sgd,1', '50,s1s4,2', '50,sync-sgd,2', '50,s1s4,3', '50,sync-sgd,3',
    ]);
    // every row names a report that is the run of that row
    for (const line of csv.slice(1)) {
      const cells = line.split(',');
      const report = JSON.parse(readFileSync(join(whole, cells[8]!), 'utf8'));
      expect([report.runs[0].strategy.name, String(report.scenario.seed)]).toEqual([cells[1], cells[2]]);
    }
    expect(wholeRun.stdout).toContain('paired differences on the same seed');
    expect(wholeRun.stdout).toMatch(/\n {2}20 +s1s4 − sync-sgd +3 /);
  });

  it('two shards on separate processes, merged, give the byte-identical summary.csv and table', () => {
    const parts = [1, 2].map((i) => join(dir, `part-${i}`));
    const shards = parts.map((out, i) => dtrain(['sweep', SCENARIO, ...GRID, '--jobs', '1', '--shard', `${i + 1}/2`, '--out', out]));
    expect(shards.map((s) => s.status)).toEqual([0, 0]);
    expect(shards[0]!.stderr.split('\n')[0]).toBe('sweep: 6 runs (shard 1/2 of 12), 0 already complete, 6 to run on 1 worker');
    expect(parts.map((p) => reports(p).length)).toEqual([6, 6]);
    const merged = join(dir, 'merged');
    const merge = dtrain(['merge', ...parts, '--out', merged]);
    expect(merge.status).toBe(0);
    expect(readFileSync(join(merged, 'summary.csv'), 'utf8')).toBe(readFileSync(join(whole, 'summary.csv'), 'utf8'));
    expect(merge.stdout).toBe(wholeRun.stdout);
    expect(reports(merged)).toEqual(reports(whole));
    expect(readFileSync(join(merged, 'sweep.json'), 'utf8')).toBe(readFileSync(join(whole, 'sweep.json'), 'utf8'));
  });

  it('--baseline prints each strategy against that one; summary.csv stays byte-identical', () => {
    const csv = readFileSync(join(whole, 'summary.csv'), 'utf8');
    const again = dtrain(['sweep', SCENARIO, ...GRID, '--jobs', '1', '--baseline', 's1s4', '--out', whole]);
    expect(again.status).toBe(0);
    expect(again.stderr.split('\n')[0]).toBe('sweep: 12 runs, 12 already complete, 0 to run on 1 worker');
    expect(readFileSync(join(whole, 'summary.csv'), 'utf8')).toBe(csv);
    expect(again.stdout).toContain('paired differences against s1s4 on the same seed');
    expect(again.stdout).toMatch(/\n {2}20 +sync-sgd − s1s4 +3 /);
    expect(again.stdout).not.toContain('s1s4 − sync-sgd');
    // the means table is the same as without --baseline
    const means = (text: string): string => text.slice(0, text.indexOf('\npaired differences'));
    expect(means(again.stdout)).toBe(means(wholeRun.stdout));
  });

  it('re-running skips complete runs and redoes missing or damaged ones, with the same summary', () => {
    const first = reports(whole);
    rmSync(join(whole, first[0]!));
    writeFileSync(join(whole, first[1]!), '{"schemaVersion": 1, "scenario": ');
    const csvBefore = readFileSync(join(whole, 'summary.csv'), 'utf8');
    const again = dtrain(['sweep', SCENARIO, ...GRID, '--jobs', '1', '--out', whole]);
    expect(again.status).toBe(0);
    expect(again.stderr.split('\n')[0]).toBe('sweep: 12 runs, 10 already complete, 2 to run on 1 worker');
    expect(readFileSync(join(whole, 'summary.csv'), 'utf8')).toBe(csvBefore);
  });

  it('merge refuses an incomplete set of shards or shards of another grid, writing nothing (exit 2)', () => {
    const out = join(dir, 'never');
    const half = dtrain(['merge', join(dir, 'part-1'), '--out', out]);
    expect(half.status).toBe(2);
    expect(half.stderr.split('\n')[0]).toMatch(/^error: 6 of 12 runs are in none of the directories; first: run 2, sync-sgd · pipeline\.s1\.thresholdMs=20 seed=1 \([0-9a-f]{16}\.json\)$/);
    const other = join(dir, 'other');
    expect(dtrain(['sweep', SCENARIO, '--set', 'seed=1', '--strategy', 's1s4', '--out', other]).status).toBe(0);
    const mixed = dtrain(['merge', join(dir, 'part-1'), other, '--out', out]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/holds another sweep than/);
    expect(dtrain(['merge', dir, '--out', out]).stderr).toMatch(/is not a sweep output directory \(no sweep\.json\)/);
    expect(existsSync(out)).toBe(false);
  });

  const BAD: Array<[string, string[], RegExp]> = [
    ['a wrong type', ['--set', 'seed=1,x'], /^error: .*tiny\.yaml with --set seed=x: 1 problem\n--set seed=x {2}seed: expected an integer ≥ 0, found "x" \(a string\)\n$/],
    ['an unknown path', ['--set', 'pipeline.s1.treshold=5'], /--set pipeline\.s1\.treshold=5 {2}pipeline\.s1\.treshold: expected a known key of s1 \(intervalMs, windowMs, thresholdMs\), found treshold/],
    ['an empty range', ['--set', 'seed=3..1'], /^error: --set seed=3\.\.1: the range 3\.\.1 is empty/],
    ['a shard 3/2', ['--set', 'seed=1..2', '--shard', '3/2'], /^error: --shard must be i\/n with whole numbers 1 ≤ i ≤ n, found '3\/2'/],
    ['a shard a/b', ['--set', 'seed=1..2', '--shard', 'a/b'], /found 'a\/b'/],
    ['an index past the end', ['--set', 'cluster.nodes[3].cores=2'], /unknown path cluster\.nodes\[3\]\.cores: cluster\.nodes has 3 entries/],
    ['an unknown --baseline', ['--set', 'seed=1..2', '--strategy', 's1s4,sync-sgd', '--baseline', 'sync-sdg'],
      /^error: --baseline: unknown strategy 'sync-sdg': expected one of s1s4, sync-sgd\nhint: did you mean sync-sgd\?\n$/],
    ['a --baseline the sweep does not run', ['--set', 'seed=1..2', '--strategy', 's1s4,sync-sgd', '--baseline', 'fedavg'],
      /^error: --baseline fedavg is not among the strategies of this sweep \(s1s4, sync-sgd\)\nhint: add it to --strategy, e\.g\. --strategy s1s4,sync-sgd,fedavg\n$/],
  ];
  for (const [what, args, message] of BAD) {
    it(`${what}: a clear error, exit 2, nothing written`, () => {
      const out = join(dir, 'bad');
      const run = dtrain(['sweep', SCENARIO, ...args, '--out', out]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe('dtrain sweep --out -', () => {
  it('is refused before anything runs: a folder of files cannot go to standard output, and no folder named - is made', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dtrain-sweep-dash-'));
    const result = spawnSync(process.execPath, [BIN, 'sweep', SCENARIO, '--set', 'seed=1,2', '--out', '-'], { cwd, encoding: 'utf8' });
    expect(result.stderr).toBe('error: --out -: expected a directory, found - (standard output), where a folder of files cannot go\n');
    expect(result.status).toBe(2);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
