/**
 * `dtrain study` through bin/ (run `npm run build` first): the stored records are enough to
 * recompute a metric's mean, interval and paired p-value by hand; shards merged give the same
 * bytes as the unsharded study; --ablate and --store full; bad input is refused (exit 2,
 * naming the flag, nothing written).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, STACK_TRACE, type CliResult } from '../hostile/cli.js';
import { expectStoppedInLoop, runSignalledInLoop } from '../hostile/stopped-in-loop.js';
import { PLAN_STEP_RUNS } from '../../src/sweep/grid.js';

const SCENARIO = join(ROOT, 'test', 'sweep', 'fixtures', 'tiny.yaml');
const BASE = ['study', SCENARIO, '--seeds', '1..3', '--strategy', 's1s4,sync-sgd', '--baseline', 'sync-sgd', '--backend', 'cpu', '--jobs', '2'];
const T975_DF2 = 0.95 / Math.sqrt(2 * 0.975 * 0.025);
const pDf2 = (t: number) => 1 - Math.abs(t) / Math.sqrt(t * t + 2);
const scratch = () => mkdtempSync(join(tmpdir(), 'dtrain-study-'));
const records = (dir: string) => readdirSync(dir).filter((f) => /^[0-9a-f]{16}\.json$/.test(f)).sort();

describe('dtrain study', () => {
  let dir: string;
  let whole: CliResult;
  beforeAll(async () => {
    dir = join(scratch(), 'whole');
    whole = await runCli([...BASE, '--out', dir], { cwd: ROOT });
  });

  it('stores one compact record per run; the simulated-time comparison recomputes by hand from them', () => {
    expect(whole.stderr).not.toMatch(STACK_TRACE);
    expect(whole.status).toBe(0);
    const files = records(dir);
    expect(files).toHaveLength(6);
    const runs = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { strategy: string; seed: number; summary: { simulatedMs: number } });
    const time = (strategy: string, seed: number) => runs.find((r) => r.strategy === strategy && r.seed === seed)!.summary.simulatedMs;
    const d = [1, 2, 3].map((seed) => time('s1s4', seed) - time('sync-sgd', seed));
    const mean = (d[0]! + d[1]! + d[2]!) / 3;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / 2);
    const results = JSON.parse(readFileSync(join(dir, 'study-results.json'), 'utf8'));
    const c = results.comparisons.find((x: { metric: string }) => x.metric === 'simulatedMs');
    expect(c.pairs).toBe(3);
    expect(c.meanDifference).toBeCloseTo(mean, 9);
    expect(c.halfWidth).toBeCloseTo((T975_DF2 * sd) / Math.sqrt(3), 6);
    expect(c.tP).toBeCloseTo(pDf2(mean / (sd / Math.sqrt(3))), 9);
    const s1s4 = [1, 2, 3].map((seed) => time('s1s4', seed));
    const m = (s1s4[0]! + s1s4[1]! + s1s4[2]!) / 3;
    const summary = results.summaries.find((x: { strategy: string }) => x.strategy === 's1s4').metrics.simulatedMs;
    expect(summary.mean).toBeCloseTo(m, 9);
    expect(summary.halfWidth).toBeCloseTo((T975_DF2 * Math.sqrt(s1s4.reduce((s, v) => s + (v - m) ** 2, 0) / 2)) / Math.sqrt(3), 6);
    expect(whole.stdout).toContain('s1s4 − sync-sgd, paired on the same seed');
    expect(whole.stdout).toMatch(/^ {4}simulated time {10}(faster|slower|no significant difference)/m);
    for (const line of whole.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('--shard 1/2 and 2/2 merged write the same summary.csv, study-results.json and tables as the whole study', async () => {
    const root = scratch();
    const parts = [join(root, 'p1'), join(root, 'p2')];
    for (const [i, part] of parts.entries()) {
      const shard = await runCli([...BASE, '--shard', `${i + 1}/2`, '--out', part], { cwd: ROOT });
      expect(shard.status).toBe(0);
      expect(existsSync(join(part, 'summary.csv'))).toBe(false);
    }
    const merged = await runCli(['merge', ...parts, '--out', join(root, 'all'), '--json', join(root, 'study.json')], { cwd: ROOT });
    expect(merged.stderr).not.toMatch(STACK_TRACE);
    expect(merged.status).toBe(0);
    for (const file of ['summary.csv', 'study-results.json', 'study.json', ...records(dir)]) {
      expect(readFileSync(join(root, 'all', file), 'utf8'), file).toBe(readFileSync(join(dir, file), 'utf8'));
    }
    expect(readFileSync(join(root, 'study.json'), 'utf8')).toBe(readFileSync(join(dir, 'study-results.json'), 'utf8'));
    expect(merged.stdout).toBe(whole.stdout);
    // `-` is standard output: the study there, the tables on standard error, no file named -
    const dash = await runCli(['merge', 'p1', 'p2', '--out', 'dash', '--json', '-'], { cwd: root });
    expect(dash.status, dash.stderr).toBe(0);
    expect(dash.stdout).toBe(readFileSync(join(dir, 'study-results.json'), 'utf8'));
    expect(dash.stderr).toBe(`${whole.stdout}dash/study-results.json: 6 runs\n`);
    const html = await runCli(['merge', 'p1', 'p2', '--out', 'dash', '--report', '-'], { cwd: root });
    expect(html.status, html.stderr).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>\n/);
    const both = await runCli(['merge', 'p1', 'p2', '--out', 'both', '--report', '-', '--json', '/dev/stdout'], { cwd: root });
    expect(both.stderr).toBe('error: --json /dev/stdout and --report - both write to standard output; give each output its own path\n');
    expect(both.status).toBe(2);
    const out = await runCli(['merge', 'p1', 'p2', '--out', '-'], { cwd: root });
    expect(out.stderr.split('\n')[0]).toBe('error: --out -: expected a directory, found - (standard output): a study writes a folder of files (study.json, a record per run, summary.csv, study-results.json); --json - writes the whole study to standard output');
    expect(out.status).toBe(2);
    expect(readdirSync(root).sort()).toEqual(['all', 'dash', 'p1', 'p2', 'study.json']);
  });

  it('another --target: refused into the same --out; its records copied to a new --out are analysed with no run', async () => {
    const same = await runCli([...BASE, '--target', '0.8', '--out', dir], { cwd: ROOT });
    expect(same.stderr.split('\n')[0]).toBe(`error: --out ${dir} already holds another study (6 runs, baseline sync-sgd, target 0.5)`);
    expect(same.status).toBe(2);
    const copy = join(scratch(), 'target');
    mkdirSync(copy);
    for (const file of records(dir)) copyFileSync(join(dir, file), join(copy, file));
    const again = await runCli([...BASE, '--target', '0.8', '--out', copy], { cwd: ROOT });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr.split('\n')[0]).toBe('study: 6 runs, 6 already complete, 0 to run on 1 worker');
    expect(JSON.parse(readFileSync(join(copy, 'study-results.json'), 'utf8')).target).toBe(0.8);
    for (const file of records(dir)) expect(readFileSync(join(copy, file), 'utf8')).toBe(readFileSync(join(dir, file), 'utf8'));
  });

  it('--json - writes the study to standard output, the tables to standard error; --out - is refused', async () => {
    const copy = join(scratch(), 'dash');
    mkdirSync(copy);
    for (const file of records(dir)) copyFileSync(join(dir, file), join(copy, file));
    const result = await runCli([...BASE, '--out', 'dash', '--json', '-'], { cwd: join(copy, '..') });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(dir, 'study-results.json'), 'utf8'));
    expect(result.stderr).toContain(whole.stdout);
    expect(existsSync(join(copy, '..', '-'))).toBe(false);
    const report = await runCli([...BASE, '--out', 'dash', '--report', '-'], { cwd: join(copy, '..') });
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/^<!doctype html>\n/);
    expect(report.stderr).toContain(whole.stdout);
    const out = await runCli([...BASE, '--out', '-'], { cwd: join(copy, '..') });
    expect(out.stderr).toBe('error: --out -: expected a directory, found - (standard output): a study writes a folder of files (study.json, a record per run, summary.csv, study-results.json); --json - writes the whole study to standard output\n');
    expect(out.status).toBe(2);
    expect(existsSync(join(copy, '..', '-'))).toBe(false);
  });

  it('--ablate adds the patent minus each stage, by name; --store full keeps each full report beside its record', async () => {
    const out = join(scratch(), 'ablate');
    const result = await runCli(['study', SCENARIO, '--seeds', '1,2', '--strategy', 'sync-sgd', '--ablate', '--store', 'full', '--backend', 'cpu', '--out', out], { cwd: ROOT });
    expect(result.status).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'study-results.json'), 'utf8'));
    expect(results.strategies).toEqual(['sync-sgd', 's1s4-fixed-batch', 's1s4-fixed-resources', 's1s4-mean-aggregation']);
    expect(readdirSync(out).filter((f) => f.endsWith('.full.json'))).toHaveLength(8);
  });
});

describe('dtrain study: bad input', () => {
  const cases: Array<[string, string[], string]> = [
    ['an unknown strategy', ['--strategy', 's1s5,sync-sgd'], "error: --strategy: unknown strategy 's1s5'"],
    ['an unknown baseline', ['--strategy', 's1s4,sync-sgd', '--baseline', 'sync-sdg'], "error: --baseline: unknown strategy 'sync-sdg'"],
    ['a baseline not studied', ['--strategy', 's1s4,lb-bsp', '--baseline', 'sync-sgd'], 'error: --baseline sync-sgd is not among the strategies studied (s1s4, lb-bsp)'],
    ['one strategy', ['--strategy', 's1s4'], 'error: --strategy: a study compares at least two strategies (the baseline and one more), found one: s1s4'],
    ['reversed seeds', ['--seeds', '5..1'], "error: option '--seeds <list>' argument '5..1' is invalid. --seeds: the range 5..1 is empty (it counts up: write 1..5)."],
    ['empty seeds', ['--seeds', ''], "error: option '--seeds <list>' argument '' is invalid. --seeds must list seeds, e.g. 1..20 or 1,2,5, found '' (an empty seed list)."],
    ['a target of 0', ['--target', '0'], "error: option '--target <accuracy>' argument '0' is invalid. --target must be an accuracy in (0, 1], e.g. 0.9, found '0'."],
    ['a target above 1', ['--target', '1.5'], "error: option '--target <accuracy>' argument '1.5' is invalid. --target must be an accuracy in (0, 1], e.g. 0.9, found '1.5'."],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: exit 2, the message, nothing written`, async () => {
      const out = join(scratch(), 'out');
      const base = ['study', SCENARIO, '--seeds', '1..2', '--strategy', 's1s4,sync-sgd', '--out', out];
      const result = await runCli([...base, ...args], { cwd: ROOT });
      expect(result.status).toBe(2);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(result.stderr.split('\n')[0]).toContain(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('a scenario whose compare lists one strategy, and no --strategy: exit 2, the compare named', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'one.yaml'), readFileSync(SCENARIO, 'utf8').replace(/^compare: .*$/m, 'compare: [sync-sgd]'));
    const result = await runCli(['study', 'one.yaml', '--seeds', '1..2', '--out', 'out'], { cwd: dir });
    expect(result.stderr).toBe("error: a study compares at least two strategies (the baseline and one more); the scenario's compare lists one: sync-sgd\nhint: name them with --strategy, e.g. --strategy sync-sgd,s1s4\n");
    expect(result.status).toBe(2);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('did-you-mean for a misspelt baseline', async () => {
    const out = join(scratch(), 'out');
    const result = await runCli(['study', SCENARIO, '--seeds', '1', '--strategy', 's1s4,sync-sgd', '--baseline', 'sync-sdg', '--out', out], { cwd: ROOT });
    expect(result.stderr).toContain('did you mean sync-sgd?');
    expect(result.status).toBe(2);
  });
});

describe('dtrain merge of study shards never writes over what it reads', () => {
  it('--report naming the scenario and --json naming a shard file: exit 2, nothing touched', async () => {
    const dir = scratch();
    const { copyFileSync, readFileSync: read } = await import('node:fs');
    copyFileSync(SCENARIO, join(dir, 'q.yaml'));
    for (const shard of ['1/2', '2/2']) {
      const result = await runCli(['study', 'q.yaml', '--seeds', '1..3', '--strategy', 's1s4,sync-sgd', '--backend', 'cpu', '--shard', shard, '--out', `p${shard[0]}`], { cwd: dir });
      expect(result.status, result.stderr).toBe(0);
    }
    const scenario = read(join(dir, 'q.yaml'), 'utf8');
    const manifest = read(join(dir, 'p1', 'study.json'), 'utf8');
    const report = await runCli(['merge', 'p1', 'p2', '--out', 'm', '--report', 'q.yaml'], { cwd: dir });
    expect(report.stderr).toBe("error: --report q.yaml would overwrite the scenario file 'q.yaml', which this command reads; write the output somewhere else\n");
    expect(report.status).toBe(2);
    const json = await runCli(['merge', 'p1', 'p2', '--out', 'm', '--json', 'p1/study.json'], { cwd: dir });
    expect(json.stderr).toBe("error: --json p1/study.json would overwrite a file of the shard folder p1 'p1/study.json', which this command reads; write the output somewhere else\n");
    expect(json.status).toBe(2);
    expect([read(join(dir, 'q.yaml'), 'utf8'), read(join(dir, 'p1', 'study.json'), 'utf8')]).toEqual([scenario, manifest]);
    expect(existsSync(join(dir, 'm'))).toBe(false);
  });
});

describe('a study and a sweep never write into each other\'s folder', () => {
  // the same runs: a sweep's reports and a study's records have the same file names
  const STUDY = ['study', SCENARIO, '--seeds', '1..2', '--strategy', 's1s4,sync-sgd', '--backend', 'cpu', '--jobs', '1'];
  const SWEEP = ['sweep', SCENARIO, '--set', 'seed=1..2', '--strategy', 's1s4,sync-sgd', '--backend', 'cpu', '--jobs', '1'];
  const snapshot = (dir: string) => readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]);
  let root: string;
  beforeAll(async () => {
    root = scratch();
    for (const [args, name] of [[STUDY, 'st'], [SWEEP, 'sw']] as const) {
      for (const shard of ['1/2', '2/2']) {
        const result = await runCli([...args, '--shard', shard, '--out', `${name}${shard[0]}`], { cwd: root });
        expect(result.status, result.stderr).toBe(0);
      }
    }
  }, 120_000);

  it('sweep --out a study folder: exit 2, the study untouched', async () => {
    const before = snapshot(join(root, 'st1'));
    const result = await runCli([...SWEEP, '--out', 'st1'], { cwd: root });
    expect(result.stderr).toBe("error: --out st1 holds a study (study.json); a sweep's reports would be mixed with it\nhint: give the sweep its own --out directory\n");
    expect(result.status).toBe(2);
    expect(snapshot(join(root, 'st1'))).toEqual(before);
  });

  it('merge of sweep shards --out a study folder: exit 2, the study untouched', async () => {
    const before = snapshot(join(root, 'st1'));
    const result = await runCli(['merge', 'sw1', 'sw2', '--out', 'st1'], { cwd: root });
    expect(result.stderr).toBe("error: --out st1 holds a study (study.json); a sweep's reports would be mixed with it\nhint: give the sweep its own --out directory\n");
    expect(result.status).toBe(2);
    expect(snapshot(join(root, 'st1'))).toEqual(before);
  });

  it('merge of study shards --out a sweep folder: exit 2, the sweep\'s full reports untouched', async () => {
    const before = snapshot(join(root, 'sw1'));
    const result = await runCli(['merge', 'st1', 'st2', '--out', 'sw1'], { cwd: root });
    expect(result.stderr).toBe("error: --out sw1 holds a sweep (sweep.json); a study's records would be mixed with it\nhint: give the study its own --out directory\n");
    expect(result.status).toBe(2);
    expect(snapshot(join(root, 'sw1'))).toEqual(before);
  });

  it('merge of sweep or study shards stops at a SIGTERM while it reads the runs: exit 130, nothing written', async () => {
    const preload = join(ROOT, 'test', 'cli', 'fixtures', 'slow-report-opens.mjs');
    for (const [shards, out] of [[['sw1', 'sw2'], 'sw-stopped'], [['st1', 'st2'], 'st-stopped']] as const) {
      let sent = false;
      const result = await runCli(['merge', ...shards, '--out', out], {
        cwd: root,
        env: { NODE_OPTIONS: `--import=${preload}` },
        onStderr: (chunk, pid) => {
          if (sent || !chunk.includes('fixture: opening a report')) return;
          sent = true;
          process.kill(pid, 'SIGTERM');
        },
      });
      expect(sent).toBe(true);
      expect(result.stderr).toBe('fixture: opening a report\n\nSIGTERM: stopped\n');
      expect(result.status).toBe(130);
      expect(existsSync(join(root, out))).toBe(false);
    }
  });

  it('merge of a directory that is not there, or is a file: exit 2, said so', async () => {
    const missing = await runCli(['merge', 'nonexist', 'sw1', '--out', 'none'], { cwd: root });
    expect(missing.stderr).toBe('error: nonexist does not exist; expected the --out directory of a sweep or study shard\nhint: merge the --out directories of `dtrain sweep … --shard i/n` or `dtrain study … --shard i/n`\n');
    expect(missing.status).toBe(2);
    const file = await runCli(['merge', 'sw1', 'sw1/sweep.json', '--out', 'none'], { cwd: root });
    expect(file.stderr).toBe('error: sw1/sweep.json is not a directory; expected the --out directory of a sweep or study shard\n');
    expect(file.status).toBe(2);
    expect(existsSync(join(root, 'none'))).toBe(false);
  });

  it('merge of another sweep from a folder whose name holds a newline: the name escaped, no forged line', async () => {
    const forged = 'sw\nerror: forged';
    const other = await runCli(['sweep', SCENARIO, '--set', 'seed=3', '--strategy', 's1s4', '--backend', 'cpu', '--jobs', '1', '--out', forged], { cwd: root });
    expect(other.status, other.stderr).toBe(0);
    const result = await runCli(['merge', 'sw1', forged, '--out', 'forged-all'], { cwd: root });
    expect(result.stderr.split('\n')[0]).toMatch(/^error: sw\\nerror: forged holds another sweep than sw1 \(grid [0-9a-f]{12}… vs [0-9a-f]{12}…\)$/);
    expect(result.stderr.split('\n')).toHaveLength(3);
    expect(result.status).toBe(2);
    rmSync(join(root, forged), { recursive: true });
    expect(existsSync(join(root, 'forged-all'))).toBe(false);
  });

  it('merge of sweep shards with --json or --report: exit 2, nothing written', async () => {
    for (const flag of ['--json', '--report']) {
      const result = await runCli(['merge', 'sw1', 'sw2', '--out', 'all', flag, 'r.out'], { cwd: root });
      expect(result.stderr).toBe(`error: ${flag} writes a study's analysis, and sw1 is a sweep's output directory (sweep.json): --json and --report are for study folders only\nhint: leave them out: the merged sweep's summary.csv is in --out\n`);
      expect(result.status).toBe(2);
    }
    expect(readdirSync(root).sort()).toEqual(['st1', 'st2', 'sw1', 'sw2']);
    const dash = await runCli(['merge', 'sw1', 'sw2', '--out', '-'], { cwd: root });
    expect(dash.stderr).toBe("error: --out -: expected a directory, found - (standard output): a merge writes a folder of files (sweep.json, every run's report, summary.csv)\n");
    expect(dash.status).toBe(2);
    expect(readdirSync(root).sort()).toEqual(['st1', 'st2', 'sw1', 'sw2']);
    const merged = await runCli(['merge', 'sw1', 'sw2', '--out', 'all'], { cwd: root });
    expect(merged.status).toBe(0);
  });

  /** A copy of shard folder `from` as `to`, with `edit` applied to the JSON of its file `name` (the first record when omitted). */
  function tampered(from: string, to: string, edit: (data: Record<string, any>) => void, name?: string): { file: string; data: Record<string, any> } {
    cpSync(join(root, from), join(root, to), { recursive: true });
    const file = name ?? records(join(root, to))[0]!;
    const data = JSON.parse(readFileSync(join(root, to, file), 'utf8')) as Record<string, any>;
    const label = { strategy: data.strategy ?? data.runs?.[0]?.strategy?.name, seed: data.seed ?? data.scenario?.seed };
    edit(data);
    writeFileSync(join(root, to, file), JSON.stringify(data));
    return { file, data: label };
  }

  it('merge refuses a study record with an impossible accuracy, time or count, another strategy, or cut short: exit 2, the file named', async () => {
    const cases: Array<[string, (d: Record<string, any>) => void, (run: { strategy: string; seed: number }) => string]> = [
      ['st2-acc', (d) => { d.summary.finalAccuracy = 5; }, () => 'is not a usable record: summary.finalAccuracy: expected an accuracy in [0, 1] or null, found 5'],
      ['st2-label', (d) => { d.strategy = d.strategy === 's1s4' ? 'sync-sgd' : 's1s4'; }, (run) => `is not a usable record: strategy: expected "${run.strategy}" (the run the file is named after), found "${run.strategy === 's1s4' ? 'sync-sgd' : 's1s4'}"`],
      ['st2-seed', (d) => { d.seed = 9; }, (run) => `is not a usable record: seed: expected ${run.seed} (the run the file is named after), found 9`],
      // its mean and interval would overflow to Infinity in the tables and null in the JSON
      ['st2-time', (d) => { d.summary.simulatedMs = 1e308; }, () => 'is not a usable record: summary.simulatedMs: expected a number in [0, 1e300] or null, found 1e+308'],
      ['st2-samples', (d) => { d.summary.samplesTrained = 1e308; }, () => 'is not a usable record: summary.samplesTrained: expected a number in [0, 1e300] or null, found 1e+308'],
    ];
    for (const [name, edit, problem] of cases) {
      const { file, data: run } = tampered('st2', name, edit);
      const result = await runCli(['merge', 'st1', name, '--out', `${name}-all`], { cwd: root });
      expect(result.stderr, name).toBe(`error: ${name}/${file}, the record of ${run.strategy} · seed ${run.seed}, ${problem(run as { strategy: string; seed: number })}\nhint: put back the file the study wrote, or remove it and run that shard again (its complete runs are skipped)\n`);
      expect(result.status, name).toBe(2);
      expect(existsSync(join(root, `${name}-all`)), name).toBe(false);
    }
    cpSync(join(root, 'st2'), join(root, 'st2-cut'), { recursive: true });
    const file = records(join(root, 'st2-cut'))[0]!;
    const text = readFileSync(join(root, 'st2-cut', file), 'utf8');
    const run = JSON.parse(text) as { strategy: string; seed: number };
    writeFileSync(join(root, 'st2-cut', file), text.slice(0, 200));
    const cut = await runCli(['merge', 'st1', 'st2-cut', '--out', 'cut-all'], { cwd: root });
    expect(cut.stderr.split('\n')[0]).toBe(`error: st2-cut/${file}, the record of ${run.strategy} · seed ${run.seed}, is not complete JSON (cut short or edited)`);
    expect(cut.status).toBe(2);
  });

  it('merge refuses a study.json whose seeds contradict its grid, whichever folder comes first', async () => {
    tampered('st2', 'st2-seeds', (d) => { d.seeds = [1]; }, 'study.json');
    for (const dirs of [['st1', 'st2-seeds'], ['st2-seeds', 'st1']]) {
      const result = await runCli(['merge', ...dirs, '--out', 'seeds-all'], { cwd: root });
      expect(result.stderr).toBe('error: st2-seeds/study.json: seeds: expected the seeds of its grid (1, 2), found 1 (the file was edited)\n');
      expect(result.status).toBe(2);
    }
    tampered('st2', 'st2-name', (d) => { d.grid.scenario.name = 'other'; }, 'study.json');
    const named = await runCli(['merge', 'st1', 'st2-name', '--out', 'seeds-all'], { cwd: root });
    expect(named.stderr.split('\n')[0]).toBe('error: st2-name/study.json differs from st1/study.json in grid.scenario, so they are not shards of one study');
    expect(named.status).toBe(2);
    expect(existsSync(join(root, 'seeds-all'))).toBe(false);
  });

  it('merge refuses a study.json whose scenario name was edited to hold terminal escapes: nothing raw reaches the page or the terminal', async () => {
    tampered('st1', 'st1-esc', (d) => { d.grid.scenario.name = '\u001b]0;PWNED\u0007\u001b[2J\u202e<b>x</b>'; }, 'study.json');
    const result = await runCli(['merge', 'st1-esc', '--out', 'esc-all', '--report', '-'], { cwd: root });
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error: st1-esc/study.json is not a dtrain study manifest: grid.scenario.name: expected a string without control, bidi or invisible characters, found "\\u001b]0;PWNED\\u0007\\u001b[2J\\u{202e}<b>x</b>"\n');
    expect(result.status).toBe(2);
    expect(existsSync(join(root, 'esc-all'))).toBe(false);
  });

  it('merge refuses a sweep report edited to an impossible accuracy or time, or another strategy: exit 2, the file named', async () => {
    const file = readdirSync(join(root, 'sw2')).find((f) => /^[0-9a-f]{16}\.json$/.test(f))!;
    const manifest = JSON.parse(readFileSync(join(root, 'sw2', 'sweep.json'), 'utf8')) as { runs: Array<{ index: number; report: string; strategy: string; seed: number }> };
    const run = manifest.runs.find((r) => r.report === file)!;
    const cases: Array<[string, (d: Record<string, any>) => void, string]> = [
      ['sw2-acc', (d) => { d.runs[0].summary.finalAccuracy = 7.87; }, 'runs[0].summary.finalAccuracy: expected an accuracy in [0, 1] or null, found 7.87'],
      ['sw2-label', (d) => { d.runs[0].strategy.name = 'lb-bsp'; }, `runs[0].strategy.name: expected "${run.strategy}" (the run the file is named after), found "lb-bsp"`],
      ['sw2-time', (d) => { d.runs[0].summary.simulatedMs = 1e308; }, 'runs[0].summary.simulatedMs: expected a number in [0, 1e300] or null, found 1e+308'],
    ];
    for (const [name, edit, problem] of cases) {
      tampered('sw2', name, edit, file);
      const result = await runCli(['merge', 'sw1', name, '--out', `${name}-all`], { cwd: root });
      expect(result.stderr, name).toBe(`error: ${name}/${file}, the report of run ${run.index + 1} (${run.strategy} · seed=${run.seed}), is not a usable report: ${problem}\nhint: put back the file the sweep wrote, or remove it and run that shard again (its complete runs are skipped)\n`);
      expect(result.status, name).toBe(2);
      expect(existsSync(join(root, `${name}-all`)), name).toBe(false);
    }
  });
});

describe('dtrain merge of study shards with --store full', () => {
  const STUDY = ['study', SCENARIO, '--seeds', '1..2', '--strategy', 's1s4,sync-sgd', '--backend', 'cpu', '--jobs', '1', '--store', 'full'];
  let root: string;
  let full: string;
  let label: string;
  beforeAll(async () => {
    root = scratch();
    for (const shard of ['1/2', '2/2']) {
      const result = await runCli([...STUDY, '--shard', shard, '--out', `f${shard[0]}`], { cwd: root });
      expect(result.status, result.stderr).toBe(0);
    }
    full = readdirSync(join(root, 'f1')).find((f) => f.endsWith('.full.json'))!;
    const record = JSON.parse(readFileSync(join(root, 'f1', full.replace('.full.json', '.json')), 'utf8')) as { strategy: string; seed: number };
    label = `${record.strategy} · seed ${record.seed}`;
  }, 120_000);

  it('a full report cut short: exit 2 naming it, nothing written; the shard run again redoes that run and the merge passes', async () => {
    cpSync(join(root, 'f1'), join(root, 'cut'), { recursive: true });
    const whole = readFileSync(join(root, 'f1', full));
    writeFileSync(join(root, 'cut', full), whole.subarray(0, 300));
    const result = await runCli(['merge', 'cut', 'f2', '--out', 'cut-all'], { cwd: root });
    expect(result.stderr).toBe(`error: cut/${full}, the full report of ${label}, is there, but cut short or not that run's report\nhint: put back the file the study wrote, or run that shard again (a run whose full report is missing or cut short is run again)\n`);
    expect(result.status).toBe(2);
    expect(existsSync(join(root, 'cut-all'))).toBe(false);
    const again = await runCli([...STUDY, '--shard', '1/2', '--out', 'cut'], { cwd: root });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr.split('\n')[0]).toBe('study: 2 runs (shard 1/2 of 4), 1 already complete, 1 to run on 1 worker');
    expect(readFileSync(join(root, 'cut', full))).toEqual(whole);
    const merged = await runCli(['merge', 'cut', 'f2', '--out', 'cut-all'], { cwd: root });
    expect(merged.status, merged.stderr).toBe(0);
    expect(readFileSync(join(root, 'cut-all', full))).toEqual(whole);
  });

  it('a full report missing: exit 2 naming it, not the run as missing', async () => {
    cpSync(join(root, 'f1'), join(root, 'gone'), { recursive: true });
    rmSync(join(root, 'gone', full));
    const result = await runCli(['merge', 'gone', 'f2', '--out', 'gone-all'], { cwd: root });
    expect(result.stderr).toBe(`error: gone/${full}, the full report of ${label}, is missing (a study run with --store full keeps one beside each record)\nhint: put back the file the study wrote, or run that shard again (a run whose full report is missing or cut short is run again)\n`);
    expect(result.status).toBe(2);
    expect(existsSync(join(root, 'gone-all'))).toBe(false);
    // another folder with the run's record and full report complete is used instead
    const other = await runCli(['merge', 'gone', 'f1', 'f2', '--out', 'gone-all'], { cwd: root });
    expect(other.status, other.stderr).toBe(0);
    expect(readFileSync(join(root, 'gone-all', full))).toEqual(readFileSync(join(root, 'f1', full)));
  });

  it('a full report edited to an impossible accuracy: exit 2, what is wrong named', async () => {
    cpSync(join(root, 'f1'), join(root, 'acc'), { recursive: true });
    const data = JSON.parse(readFileSync(join(root, 'f1', full), 'utf8')) as { runs: Array<{ summary: { finalAccuracy: number } }> };
    data.runs[0]!.summary.finalAccuracy = 3;
    writeFileSync(join(root, 'acc', full), JSON.stringify(data));
    const result = await runCli(['merge', 'acc', 'f2', '--out', 'acc-all'], { cwd: root });
    expect(result.stderr.split('\n')[0]).toBe(`error: acc/${full}, the full report of ${label}, is not a usable report: runs[0].summary.finalAccuracy: expected an accuracy in [0, 1] or null, found 3`);
    expect(result.status).toBe(2);
    expect(existsSync(join(root, 'acc-all'))).toBe(false);
  });
});

describe("a scenario that names its own stage pick and compares no sync-sgd", () => {
  it("simulate's suggested study runs as printed (seeds cut to 2), and sweep takes the name too", async () => {
    const dir = scratch();
    const scenario = readFileSync(SCENARIO, 'utf8').replace('compare: [s1s4, sync-sgd]', 'compare: [s1s4, { batch: fixed, resources: fixed, aggregation: samples, name: base }]');
    expect(scenario).toContain('name: base');
    writeFileSync(join(dir, 'named.yaml'), scenario);
    const simulated = await runCli(['simulate', 'named.yaml', '--backend', 'cpu'], { cwd: dir });
    expect(simulated.status, simulated.stderr).toBe(0);
    const lines = simulated.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('note: one seed'));
    expect(lines.slice(at + 1, at + 3)).toEqual(['  dtrain study named.yaml --seeds 1..20 --strategy s1s4,base --baseline base \\', '      --out study']);
    const words = `${lines[at + 1]!.slice(0, -2)} ${lines[at + 2]!.trim()}`.trim().split(/\s+/).slice(1).map((word) => (word === '1..20' ? '1..2' : word));
    const study = await runCli([...words, '--backend', 'cpu', '--jobs', '1'], { cwd: dir });
    expect(study.stderr).not.toMatch(STACK_TRACE);
    expect(study.status, study.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'study', 'study.json'), 'utf8'))).toMatchObject({ baseline: 'base', seeds: [1, 2] });
    const sweep = await runCli(['sweep', 'named.yaml', '--set', 'seed=1', '--strategy', 'base', '--backend', 'cpu', '--jobs', '1', '--out', 'sw'], { cwd: dir });
    expect(sweep.status, sweep.stderr).toBe(0);
    expect(readFileSync(join(dir, 'sw', 'summary.csv'), 'utf8').split('\n')[1]).toMatch(/^base,1,/);
  });
});

describe('a signal while a large study is planned', () => {
  it('SIGINT stops within a few planning steps: exit 130, one line saying how far it got, nothing written', async () => {
    const out = join(scratch(), 'out');
    // 10,000 seeds (the most a study takes) × 4 strategies: planning them whole takes ten seconds or more
    const run = await runCli(['study', SCENARIO, '--seeds', '1..10000', '--strategy', 's1s4,sync-sgd,fedavg,lb-bsp', '--baseline', 'sync-sgd', '--out', out], {
      // says "[planning]" at the first turn of the event loop the planning takes
      env: { NODE_OPTIONS: `--require ${join(ROOT, 'test', 'hostile', 'signals', 'planning.cjs')}` },
      onStderr: (chunk, pid) => {
        if (chunk.includes('[planning]\n')) process.kill(pid, 'SIGINT');
      },
    });
    expect(run.status).toBe(130);
    expect(run.stdout).toBe('');
    const match = /^\[planning\]\nerror: interrupted while planning the grid \((\d+) of 40000 runs planned\); nothing written\n$/.exec(run.stderr);
    expect(match, run.stderr).not.toBeNull();
    expect(Number(match![1]) / PLAN_STEP_RUNS).toBeLessThanOrEqual(40);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});

describe('a signal after the study is planned, before anything is written', () => {
  // 5,000 runs, each file looked at 2 ms more slowly (a network file system, slow-runs-files.cjs):
  // a loop over them lasts ten seconds or more, and the signal must stop it at once
  it.each([
    ['lstatSync', 'SIGTERM', 'checking the files it would write in --out', 5003, 'checked'],
    ['openSync', 'SIGINT', 'checking the stored records in', 5000, 'runs checked'],
  ] as const)('%s (%s): stopped in that loop, exit 130, one line saying where and how far, nothing written', async (call, signal, where, total, what) => {
    const out = join(scratch(), 'out');
    const run = await runSignalledInLoop(['study', SCENARIO, '--seeds', '1..2500', '--out', out], call, signal);
    expectStoppedInLoop(run, call, where, out, total, what);
  }, 120_000);
});
