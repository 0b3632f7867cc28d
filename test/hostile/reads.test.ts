/**
 * Reading files dtrain did not write (issue 9): every read is bounded and refused unless the
 * open file is a regular one, so a FIFO (made here: git cannot store one), `/dev/zero`, a
 * directory or a sparse 1 GiB file gets a clear error, exit 2, no stack, and no hang; a
 * manifest cannot send `merge` outside its folder; errors about data files never quote them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, ROOT, STACK_TRACE, type CliResult } from './cli.js';

const TINY = join(ROOT, 'test', 'sweep', 'fixtures', 'tiny.yaml');
const SECRET = 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function fresh(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `dtrain-reads-${prefix}-`));
}

function expectClean(result: CliResult, stderr: string): void {
  expect(result.stderr).toBe(stderr);
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.stdout).toBe('');
  expect(result.status).toBe(2);
}

describe('check and sweep refuse inputs that are not regular files', () => {
  it('dtrain check FIFO: refused at once instead of waiting for a writer', async () => {
    const dir = fresh('check-fifo');
    execFileSync('mkfifo', [join(dir, 'run.json')]);
    const result = await runCli(['check', 'run.json', 'run.json'], { cwd: dir });
    expectClean(result, "error: cannot read run report 'run.json': a named pipe (FIFO)\n");
  });

  it('dtrain check /dev/zero: refused, not read until memory runs out', async () => {
    const result = await runCli(['check', '/dev/zero', '/dev/zero']);
    expectClean(result, "error: cannot read run report '/dev/zero': a character device\n");
  });

  it('dtrain check on a sparse 1 GiB golden: refused by size without reading it', async () => {
    const dir = fresh('check-big');
    copyFileSync(join(ROOT, 'test', 'golden', 'quickstart.json'), join(dir, 'run.json'));
    writeFileSync(join(dir, 'golden.json'), '');
    truncateSync(join(dir, 'golden.json'), 1024 ** 3);
    const result = await runCli(['check', 'run.json', 'golden.json'], { cwd: dir });
    expectClean(result, "error: cannot read golden file 'golden.json': a file of 1 GiB (the limit is 512 MiB)\nhint: a golden check compares whole reports, each one string: compare runs of fewer rounds or nodes\n");
  });

  it('dtrain check on a report that is a secret: "not JSON", without quoting it', async () => {
    const dir = fresh('check-secret');
    writeFileSync(join(dir, '.env'), `${SECRET}\n`);
    const result = await runCli(['check', '.env', '.env'], { cwd: dir });
    expectClean(result, 'error: .env is not JSON\n');
  });

  it('dtrain check on a crafted report with { "toString": 1 } in a compared field: exit 2, no TypeError', async () => {
    const dir = fresh('check-crafted');
    const golden = JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'quickstart.json'), 'utf8')) as { runs: Array<{ summary: Record<string, unknown> }> };
    golden.runs[0]!.summary.finalAccuracy = { toString: 1 };
    writeFileSync(join(dir, 'golden.json'), JSON.stringify(golden));
    const result = await runCli(['check', join(ROOT, 'test', 'golden', 'quickstart.json'), 'golden.json'], { cwd: dir });
    expectClean(result, 'error: golden.json is not a dtrain JSON report: unexpected value at runs[0].summary.finalAccuracy\n');
  });

  it('dtrain sweep FIFO and sweep /dev/zero: the scenario is refused, nothing is written', async () => {
    const dir = fresh('sweep-fifo');
    execFileSync('mkfifo', [join(dir, 's.yaml')]);
    const fifo = await runCli(['sweep', 's.yaml', '--out', 'out'], { cwd: dir });
    expectClean(fifo, "error: cannot read scenario file 's.yaml': a named pipe (FIFO)\n");
    const zero = await runCli(['sweep', '/dev/zero', '--out', 'out'], { cwd: dir });
    expectClean(zero, "error: cannot read scenario file '/dev/zero': a character device\n");
    expect(readdirSync(dir)).toEqual(['s.yaml']);
  });

  it('validate, simulate and explain on a named FIFO scenario: refused at once; standard input is still read', async () => {
    const dir = fresh('scenario-fifo');
    execFileSync('mkfifo', [join(dir, 's.yaml')]);
    const validate = await runCli(['validate', 's.yaml', TINY], { cwd: dir });
    expect(validate.stderr).toBe("error: cannot read scenario file 's.yaml': a named pipe (FIFO)\n1 problem found\n");
    expect(validate.status).toBe(2);
    for (const command of ['simulate', 'explain']) {
      const result = await runCli([command, 's.yaml'], { cwd: dir });
      expectClean(result, "error: cannot read scenario file 's.yaml': a named pipe (FIFO)\n");
    }
    // through a shell pipe: Node's own stdio pipes are sockets, which /dev/stdin cannot open
    const quickstart = join(ROOT, 'scenarios', 'quickstart.yaml');
    const piped = spawnSync('sh', ['-c', 'cat "$1" | "$2" "$3" validate /dev/stdin', 'sh', quickstart, process.execPath, join(ROOT, 'bin', 'dtrain.js')], { encoding: 'utf8' });
    expect([piped.status, piped.stdout]).toEqual([0, '/dev/stdin: ok\n']);
  });
});

describe('a scenario file over the size limit', () => {
  it('validate and simulate on a sparse 5 MiB scenario: refused by size, with how to write a large cluster', async () => {
    const dir = fresh('scenario-big');
    writeFileSync(join(dir, 'big.yaml'), '');
    truncateSync(join(dir, 'big.yaml'), 5 * 1024 ** 2);
    const refusal = "error: cannot read scenario file 'big.yaml': a file of 5 MiB (the limit is 4 MiB)\nhint: write nodes that share their settings as one entry with count: N\n";
    const validate = await runCli(['validate', 'big.yaml'], { cwd: dir });
    expect([validate.status, validate.stderr]).toEqual([2, `${refusal}1 problem found\n`]);
    expectClean(await runCli(['simulate', 'big.yaml'], { cwd: dir }), refusal);
    expect(readdirSync(dir)).toEqual(['big.yaml']);
  });

  it('one byte over 4 MiB: the sizes are told apart in bytes, not "4 MiB (the limit is 4 MiB)"', async () => {
    const dir = fresh('scenario-edge');
    writeFileSync(join(dir, 'big.yaml'), '');
    truncateSync(join(dir, 'big.yaml'), 4 * 1024 ** 2 + 1);
    const validate = await runCli(['validate', 'big.yaml'], { cwd: dir });
    expect([validate.status, validate.stderr]).toEqual([2, "error: cannot read scenario file 'big.yaml': a file of 4,194,305 bytes (the limit is 4 MiB, 4,194,304 bytes)\nhint: write nodes that share their settings as one entry with count: N\n1 problem found\n"]);
  });
});

describe('sweep resume and merge over hostile files in a sweep folder', () => {
  let base: string;
  let report: string;

  beforeAll(async () => {
    base = fresh('sweep');
    const result = await runCli(['sweep', TINY, '--strategy', 's1s4', '--jobs', '1', '--out', join(base, 'out')]);
    expect(result.status).toBe(0);
    report = readdirSync(join(base, 'out')).find((name) => /^[0-9a-f]{16}\.json$/.test(name))!;
    expect(report).toBeDefined();
  }, 60_000);

  /** A copy of the finished sweep folder whose one run report is replaced by `make`. */
  function withReport(name: string, make: (path: string) => void): string {
    const dir = join(base, name);
    mkdirSync(dir);
    for (const file of readdirSync(join(base, 'out'))) copyFileSync(join(base, 'out', file), join(dir, file));
    rmSync(join(dir, report));
    make(join(dir, report));
    return dir;
  }

  it('a sweep resuming over a FIFO report: refused, not waited on, and the FIFO is left alone', async () => {
    const dir = withReport('fifo', (path) => execFileSync('mkfifo', [path]));
    const result = await runCli(['sweep', TINY, '--strategy', 's1s4', '--jobs', '1', '--out', dir]);
    // the output check or the resume read may catch it first: either way one clear line naming it
    const first = result.stderr.split('\n')[0]!;
    expect(first.startsWith('error: ') && first.includes(join(dir, report)) && first.includes('a named pipe (FIFO)'), result.stderr).toBe(true);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.status).toBe(2);
    expect(execFileSync('stat', ['-c', '%F', join(dir, report)], { encoding: 'utf8' })).toBe('fifo\n');
  });

  it('merge over a FIFO report, a directory, a sparse 1 GiB report, half a report and none: clear errors naming the file, exit 2, nothing written', async () => {
    const cases: Array<[string, (path: string) => void, string]> = [
      ['m-fifo', (path) => execFileSync('mkfifo', [path]), `error: cannot read ${join(base, 'm-fifo', report)}, the report of run 1 in sweep.json: a named pipe (FIFO)\nhint: remove or rename it; complete runs are kept\n`],
      ['m-dir', (path) => mkdirSync(path), `error: cannot read ${join(base, 'm-dir', report)}, the report of run 1 in sweep.json: a directory\nhint: remove or rename it; complete runs are kept\n`],
      // a report is read as a stream, whatever its size: a gigabyte of NUL bytes is no report
      // from its first byte, so the run has no complete report, and the file is named
      ['m-big', (path) => { writeFileSync(path, ''); truncateSync(path, 1024 ** 3); }, `merge: reading 1 stored report (1 GiB) to check it is complete, about 25 s a gigabyte\nerror: 1 of 1 runs have no complete report in the directories; first: run 1, s1s4 (${report}): ${join(base, 'm-big', report)} is there, but cut short or not that run's report\nhint: a shard stopped while writing it? re-run that shard (its complete runs are skipped), or put back the file the sweep wrote\n`],
      // a shard stopped while writing the report: its first half
      ['m-half', (path) => { const whole = readFileSync(join(base, 'out', report)); writeFileSync(path, whole.subarray(0, whole.length >> 1)); }, `error: 1 of 1 runs have no complete report in the directories; first: run 1, s1s4 (${report}): ${join(base, 'm-half', report)} is there, but cut short or not that run's report\nhint: a shard stopped while writing it? re-run that shard (its complete runs are skipped), or put back the file the sweep wrote\n`],
      // and one that is not there at all
      ['m-gone', () => undefined, `error: 1 of 1 runs are in none of the directories; first: run 1, s1s4 (${report})\nhint: merge needs every shard, complete: re-run the missing shard (complete runs are skipped)\n`],
    ];
    for (const [name, make, message] of cases) {
      const dir = withReport(name, make);
      const result = await runCli(['merge', dir, '--out', join(base, `${name}-merged`)]);
      expect(result.stderr, name).toBe(message);
      expect(result.status, name).toBe(2);
      expect(readdirSync(base), name).not.toContain(`${name}-merged`);
    }
  });

  it('merge refuses a manifest whose report name leaves the folder, without following it', async () => {
    const dir = withReport('escape', (path) => copyFileSync(join(base, 'out', report), path));
    const manifest = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { runs: Array<{ report: string }> };
    manifest.runs[0]!.report = '../x.json';
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(manifest));
    writeFileSync(join(base, 'x.json'), readFileSync(join(base, 'out', report)));
    const result = await runCli(['merge', dir, '--out', join(base, 'escape-merged')]);
    expectClean(result, `error: ${join(dir, 'sweep.json')}: run 1 names a report that is not its own file in this folder (expected the first 16 hex digits of its key + .json)\n`);
    expect(readdirSync(base)).not.toContain('escape-merged');
  });

  it('merge over a sweep.json that is a directory: a clear error, not an EISDIR stack', async () => {
    const dir = join(base, 'manifest-dir');
    mkdirSync(join(dir, 'sweep.json'), { recursive: true });
    const result = await runCli(['merge', dir, '--out', join(base, 'manifest-dir-merged')]);
    expectClean(result, `error: cannot read ${join(dir, 'sweep.json')}: a directory\n`);
  });
});

describe('a CSV dataset swapped for a FIFO after the scenario was loaded', () => {
  it('is never opened again: the estimate, the hash and the whole run use the rows read at load', () => {
    const dir = fresh('swap');
    writeFileSync(join(dir, 'd.csv'), 'x,label\n1,0\n2,1\n3,0\n4,1\n');
    writeFileSync(join(dir, 's.yaml'), 'rounds: 2\ndata: { dataset: { csv: d.csv }, testFraction: 0.25 }\ncluster:\n  nodes:\n    - { id: a, latency: { constant: 5 } }\n');
    // a child process: a blocking open would hang it (and a test worker) for good; every
    // open of d.csv is counted through node:fs, which the built modules import
    const script = `
      import fs from 'node:fs';
      import { syncBuiltinESMExports } from 'node:module';
      import { execFileSync } from 'node:child_process';
      const opened = [];
      const openSync = fs.openSync;
      fs.openSync = (path, ...rest) => { if (String(path).endsWith('d.csv')) opened.push(String(path)); return openSync(path, ...rest); };
      syncBuiltinESMExports();
      const { loadScenario, runScenario } = await import(${JSON.stringify(join(ROOT, 'dist', 'index.js'))});
      const { datasetShape } = await import(${JSON.stringify(join(ROOT, 'dist', 'limits', 'dataset-shape.js'))});
      const { scenarioHash } = await import(${JSON.stringify(join(ROOT, 'dist', 'golden', 'scenario-hash.js'))});
      const scenario = await loadScenario('s.yaml');
      console.log('opened at load', opened.length);
      const hash = scenarioHash(scenario);
      fs.rmSync('d.csv');
      execFileSync('mkfifo', ['d.csv']);
      console.log('shape', JSON.stringify(datasetShape(scenario.data.dataset)));
      console.log('same hash', scenarioHash(scenario) === hash);
      const result = await runScenario(scenario, { backend: 'cpu' });
      console.log('rounds', result.runs[0].rounds.length, 'accuracy', Number.isFinite(result.runs[0].rounds[1].accuracy));
      console.log('opened after', opened.length - 1);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(child.signal).toBe(null);
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe([
      'opened at load 1',
      'shape {"samples":4,"features":1,"classes":2}',
      'same hash true',
      'rounds 2 accuracy true',
      'opened after 0',
      '',
    ].join('\n'));
  });
});

describe('errors about data files never quote their content', () => {
  it('trace: ../.env and csv: ../.env name the problem, not the secret', async () => {
    const dir = fresh('secret');
    mkdirSync(join(dir, 'sc'));
    writeFileSync(join(dir, '.env'), `${SECRET}\nDB_PASSWORD=correct-horse-battery-staple\n`);
    writeFileSync(join(dir, 'sc', 'trace.yaml'), 'cluster:\n  nodes:\n    - { id: a, latency: { trace: ../.env } }\n');
    writeFileSync(join(dir, 'sc', 'data.yaml'), 'data: { dataset: { csv: ../.env } }\ncluster:\n  nodes:\n    - { id: a, latency: { constant: 5 } }\n');
    const result = await runCli(['validate', 'sc/trace.yaml', 'sc/data.yaml'], { cwd: dir });
    expect(result.stderr).toBe([
      'sc/trace.yaml:3:34  cluster.nodes[0].latency.trace: expected a latency trace (a CSV with header time_ms,latency_ms, or ping -D output), found a first line that is neither at ../.env:1:1',
      'sc/data.yaml:1:25  data.dataset.csv: expected a header row with a `label` column, found 1 column, none named label at ../.env:1:1',
      '2 problems found',
      '',
    ].join('\n'));
    expect(result.stderr).not.toMatch(/AWS|wJal|DB_|horse/);
    expect(result.status).toBe(2);
  });

  it('a non-UTF-8 byte in a data file is located but its value is not shown', async () => {
    const dir = fresh('byte');
    writeFileSync(join(dir, 'key.bin'), Buffer.from([0x74, 0x69, 0x6d, 0x65, 0x0a, 0xc3, 0x28]));
    writeFileSync(join(dir, 's.yaml'), 'cluster:\n  nodes:\n    - { id: a, latency: { trace: key.bin } }\n');
    const result = await runCli(['validate', 's.yaml'], { cwd: dir });
    expect(result.stderr).toBe('s.yaml:3:34  cluster.nodes[0].latency.trace: expected a UTF-8 text file, found a byte that is not UTF-8 at key.bin:2:1\n1 problem found\n');
  });
});

describe('sizes that validated, then crashed', () => {
  it('shards: 1e9 is a located validation error (the training split cannot hold them)', async () => {
    const dir = fresh('shards');
    writeFileSync(join(dir, 's.yaml'), 'data:\n  dataset: iris\n  partition: { shards: 1e9 }\ncluster:\n  nodes:\n    - { id: a, latency: { constant: 5 } }\n    - { id: b, latency: { constant: 5 } }\n');
    const result = await runCli(['validate', 's.yaml'], { cwd: dir });
    expect(result.stderr).toBe('s.yaml:3:24  data.partition.shards: expected at most 60 shards per node (120 training samples over 2 nodes, one sample per shard at least), found 1e9\n1 problem found\n');
    expect(result.status).toBe(2);
  });

  it('a CSV dataset with labels {0, 1, 1e9}: the bad cell is located, with the bound', async () => {
    const dir = fresh('labels');
    writeFileSync(join(dir, 'd.csv'), 'x,label\n1,0\n2,1\n3,1e9\n');
    writeFileSync(join(dir, 's.yaml'), 'data: { dataset: { csv: d.csv } }\ncluster:\n  nodes:\n    - { id: a, latency: { constant: 5 } }\n');
    const result = await runCli(['validate', 's.yaml'], { cwd: dir });
    expect(result.stderr).toBe('s.yaml:1:25  data.dataset.csv: expected a whole-number class label from 0 to 999, found a number above 999 at d.csv:4:3\n1 problem found\n');
    expect(result.status).toBe(2);
  });

  it('a CSV dataset feature beyond float32 (1e39, -1e39): located, with the range, not a divergence in round 1', async () => {
    const dir = fresh('float32');
    writeFileSync(join(dir, 'd.csv'), 'x,y,label\n1,3.4e38,0\n2,-3.4e38,1\n1e39,3,0\n4,-1e39,1\n');
    writeFileSync(join(dir, 's.yaml'), 'data: { dataset: { csv: d.csv } }\ncluster:\n  nodes:\n    - { id: a, latency: { constant: 5 } }\n');
    const result = await runCli(['validate', 's.yaml'], { cwd: dir });
    expect(result.stderr).toBe('s.yaml:1:25  data.dataset.csv: expected a number within ±3.4e38, found a number too large for a 32-bit float at d.csv:4:1\n1 problem found\n');
    expect(result.status).toBe(2);
    writeFileSync(join(dir, 'd.csv'), 'x,y,label\n1,3.4e38,0\n2,-3.4e38,1\n4,-1e39,1\n');
    const negative = await runCli(['validate', 's.yaml'], { cwd: dir });
    expect(negative.stderr).toBe('s.yaml:1:25  data.dataset.csv: expected a number within ±3.4e38, found a number too large for a 32-bit float at d.csv:4:3\n1 problem found\n');
    writeFileSync(join(dir, 'd.csv'), 'x,y,label\n1,3.4e38,0\n2,-3.4e38,1\n');
    const edge = await runCli(['validate', 's.yaml'], { cwd: dir });
    expect(edge.stderr).toBe('');
    expect(edge.status).toBe(0);
  });

  it.each([
    ['a dataset label 0x1', 'data: { dataset: { csv: d.csv } }', '{ constant: 5 }', 'x,label\n1,0\n2,0x1\n', 's.yaml:1:25  data.dataset.csv: expected a whole-number class label from 0 to 999, found text that is not a number at d.csv:3:3'],
    ['a dataset feature 0b11', 'data: { dataset: { csv: d.csv } }', '{ constant: 5 }', 'x,label\n1,0\n0b11,1\n', 's.yaml:1:25  data.dataset.csv: expected a finite number, found text that is not a number at d.csv:3:1'],
    ['a trace time 0x64', 'data: { dataset: iris }', '{ trace: d.csv }', 'time_ms,latency_ms\n0,5\n0x64,5\n', 's.yaml:4:34  cluster.nodes[0].latency.trace: expected a finite time in ms, found text that is not a number at d.csv:3:1'],
    ['a trace latency Infinity', 'data: { dataset: iris }', '{ trace: d.csv }', 'time_ms,latency_ms\n0,Infinity\n', 's.yaml:4:34  cluster.nodes[0].latency.trace: expected a latency in ms ≥ 0 (empty = lost), found an infinite number at d.csv:2:3'],
  ])('%s: numbers in data files are plain decimals, as on the command line', async (_, data, latency, csv, message) => {
    const dir = fresh('decimal');
    writeFileSync(join(dir, 'd.csv'), csv);
    writeFileSync(join(dir, 's.yaml'), `${data}\ncluster:\n  nodes:\n    - { id: a, latency: ${latency} }\n`);
    const result = await runCli(['validate', 's.yaml'], { cwd: dir });
    expect(result.stderr).toBe(`${message}\n1 problem found\n`);
    expect(result.status).toBe(2);
  });
});
