/**
 * dtrain calibrate through the built CLI: the --from report, --write changing only the fitted
 * values, --measure on this host, and every bad input (exact message, exit 2, no stack,
 * nothing written).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runCli, STACK_TRACE } from '../hostile/cli.js';

const EXAMPLES = join(ROOT, 'examples');
const SCENARIO_TEXT = readFileSync(join(EXAMPLES, 'calibrate-cluster.yaml'), 'utf8');
const STEPS_TEXT = readFileSync(join(EXAMPLES, 'steps.csv'), 'utf8');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A scratch folder holding cluster.yaml (the example scenario) and steps.csv (`steps`, default the example's). */
function scratch(steps = STEPS_TEXT, scenario = SCENARIO_TEXT): string {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-calibrate-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'cluster.yaml'), scenario);
  writeFileSync(join(dir, 'steps.csv'), steps);
  return dir;
}

const REPORT = `calibrate cluster.yaml from steps.csv: 96 rows
per node entry: the fit of all its rows to the time model (Amdahl speedup)
  stepMs = stepOverheadMs + batch · msPerSample / speedup(threads)
and its error on held-out rows: every other row, predicted by a fit of the rest

node      rows  msPerSample  parallelFraction  stepOverheadMs  held-out error
a           32       0.3991            0.8977           1.998  0.6 % on 16 rows
b           32        1.499            0.5964            5.02  1.0 % on 16 rows
gpu (×4)    32      0.05027            0.9723           0.801  0.8 % on 16 rows
spare        0                                                 no rows: left as it is

Set in each node's entry of cluster.nodes (or run again with --write):
  - { id: a, msPerSample: 0.3991, parallelFraction: 0.8977, stepOverheadMs: 1.998 }
  - { id: b, msPerSample: 1.499, parallelFraction: 0.5964, stepOverheadMs: 5.02 }
  - { id: gpu, msPerSample: 0.05027, parallelFraction: 0.9723, stepOverheadMs: 0.801 }
`;

describe('dtrain calibrate --from', () => {
  it('prints each node entry\'s fit, its held-out error and the YAML to paste; the file is not touched', async () => {
    const dir = scratch();
    const result = await runCli(['calibrate', 'cluster.yaml', '--from', 'steps.csv'], { cwd: dir });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe(REPORT);
    expect(readFileSync(join(dir, 'cluster.yaml'), 'utf8')).toBe(SCENARIO_TEXT);
  });

  it('--write changes only the fitted values of the node entries: comments, layout and key order stay', async () => {
    const dir = scratch();
    const result = await runCli(['calibrate', 'cluster.yaml', '--from', 'steps.csv', '--write'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${REPORT}\nwrote msPerSample, parallelFraction and stepOverheadMs to 3 node entries in cluster.yaml\n`);
    const expected = SCENARIO_TEXT
      .replace('    - { id: a }                    # a guess: the defaults', '    - { id: a, msPerSample: 0.3991, parallelFraction: 0.8977, stepOverheadMs: 1.998 }                    # a guess: the defaults')
      .replace('      msPerSample: 2\n', '      msPerSample: 1.499\n      parallelFraction: 0.5964\n      stepOverheadMs: 5.02\n')
      .replace('    - { id: gpu, count: 4, cores: 16 }', '    - { id: gpu, count: 4, cores: 16, msPerSample: 0.05027, parallelFraction: 0.9723, stepOverheadMs: 0.801 }');
    expect(expected).not.toBe(SCENARIO_TEXT);
    expect(readFileSync(join(dir, 'cluster.yaml'), 'utf8')).toBe(expected);
    expect(readdirSync(dir).sort()).toEqual(['cluster.yaml', 'steps.csv']);
    const validate = await runCli(['validate', 'cluster.yaml'], { cwd: dir });
    expect(validate.stdout).toBe('cluster.yaml: ok\n');
  });

  it('--write keeps a UTF-8 BOM at the start of the scenario', async () => {
    const dir = scratch(STEPS_TEXT, `\ufeff${SCENARIO_TEXT}`);
    const result = await runCli(['calibrate', 'cluster.yaml', '--from', 'steps.csv', '--write'], { cwd: dir });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    const written = readFileSync(join(dir, 'cluster.yaml'));
    expect([...written.subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, '#'.charCodeAt(0)]);
    expect(written.toString('utf8')).toContain('\n    - { id: a, msPerSample: 0.3991, parallelFraction: 0.8977, stepOverheadMs: 1.998 }');
  });

  it('a group is fitted from the rows naming it or its nodes; 4 rows are too few to hold half out', async () => {
    const rows = ['node,batch,threads,stepMs', 'gpu,1,1,1', 'gpu-2,8,1,2', 'gpu-4,8,4,1.5', 'gpu-1,64,8,4'];
    const result = await runCli(['calibrate', 'cluster.yaml', '--from', 'steps.csv'], { cwd: scratch(`${rows.join('\n')}\n`) });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^gpu \(×4\) +4 .* none \(too few rows to hold half out\)$/m);
  });
});

describe('dtrain calibrate --from: step times of any scale', () => {
  // stepMs = 2 + batch · 0.4 · (1 − 0.5 + 0.5 / threads): 2.4, 2.8 on 1 thread, 2.3, 2.6 on 2
  const rows = (unit: string) => `node,batch,threads,stepMs\na,1,1,2.4${unit}\na,2,1,2.8${unit}\na,1,2,2.3${unit}\na,2,2,2.6${unit}\n`;
  const line = (ms: string, overhead: string) => `  - { id: a, msPerSample: ${ms}, parallelFraction: 0.5, stepOverheadMs: ${overhead} }\n`;

  it('1e-200 ms and 1e200 ms are fitted as milliseconds are, in their own units, and --write writes them', async () => {
    for (const [unit, ms, overhead] of [['', '0.4', '2'], ['e-200', '4e-201', '2e-200'], ['e200', '4e+199', '2e+200']] as const) {
      const dir = scratch(rows(unit));
      const result = await runCli(['calibrate', 'cluster.yaml', '--from', 'steps.csv', '--write'], { cwd: dir });
      expect(result, unit).toMatchObject({ status: 0, stderr: '' });
      expect(result.stdout, unit).toContain(`\n${line(ms, overhead)}`);
      expect(readFileSync(join(dir, 'cluster.yaml'), 'utf8')).toContain(`- { id: a, msPerSample: ${ms}, parallelFraction: 0.5, stepOverheadMs: ${overhead} }`);
    }
  });

  it('rows too far apart for one fit in doubles, or whose fit leaves them, are refused with their ranges (never NaN)', async () => {
    const wide = 'node,batch,threads,stepMs\na,1,1,1e-200\na,2,1,2e200\na,1,2,1e-200\na,2,2,2e200\n';
    expect(await from(wide)).toBe(
      'error: steps.csv: 1 problem\nsteps.csv:5:1  node: expected rows for node a whose step times and batch sizes one fit can hold in double precision, '
      + 'found step times from 1e-200 to 2e+200 ms and batch sizes from 1 to 2, too far apart (their squares overflow a double)\n',
    );
    // 1e-300 ms over 1e300 samples: an msPerSample of about 1e-600, which no double holds
    const under = 'node,batch,threads,stepMs\na,1e300,1,1e-300\na,2e300,1,2e-300\na,1e300,2,1e-300\na,2e300,2,1.5e-300\n';
    expect(await from(under)).toBe(
      'error: steps.csv: 1 problem\nsteps.csv:5:1  node: expected rows for node a whose msPerSample, parallelFraction and stepOverheadMs a double can hold, '
      + 'found step times from 1e-300 to 2e-300 ms and batch sizes from 1e+300 to 2e+300, which fit an msPerSample below the smallest double\n',
    );
  });
});

describe('dtrain calibrate --measure', () => {
  it('times the model at 7 batch sizes, reports the held-out error and the spread, and --write sets only cluster.defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-calibrate-'));
    dirs.push(dir);
    // quickstart's 32 hidden units take 0.10 ms a step at batch 1 and 0.16 ms at 64: under a
    // busy machine's noise the timings once did not grow with the batch (exit 1, as designed).
    // 2,048 hidden units: 1.9 ms at batch 1 and 4.2 ms at 64, a difference far above that noise.
    const original = readFileSync(join(ROOT, 'scenarios', 'quickstart.yaml'), 'utf8').replace('hidden: [32]', 'hidden: [2048]');
    expect(original).toContain('hidden: [2048]');
    writeFileSync(join(dir, 'q.yaml'), original);
    const result = await runCli(['calibrate', 'q.yaml', '--measure', '--repetitions', '5', '--write'], { cwd: dir });
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('calibrate: warming up batch 64 (7/7)\n');
    expect(result.stderr).toContain('calibrate: timing repetition 5/5 of 7 batch sizes\n');
    expect(result.stdout).toContain('per batch size: the median step time of 5 timed repetitions after a warm-up\n');
    expect(result.stdout).toContain('held-out error on batches 2, 8, 32: ');
    expect(result.stdout).toContain('Host timings are noisy');
    const fitted = /^ {2}defaults: \{ msPerSample: ([\d.e-]+), stepOverheadMs: ([\d.e-]+) \}$/m.exec(result.stdout)!;
    expect(Number(fitted[1])).toBeGreaterThan(0);
    expect(Number(fitted[2])).toBeGreaterThanOrEqual(0);
    // only the defaults line differs: its msPerSample replaced, stepOverheadMs added at its end
    const before = original.split('\n');
    const after = readFileSync(join(dir, 'q.yaml'), 'utf8').split('\n');
    expect(after.length).toBe(before.length);
    const changed = before.flatMap((line, i) => (line === after[i] ? [] : [i]));
    expect(changed.length).toBe(1);
    expect(after[changed[0]!]).toBe(
      before[changed[0]!]!.replace('msPerSample: 12,', `msPerSample: ${fitted[1]},`).replace('bandwidth: 1Gbps }', `bandwidth: 1Gbps, stepOverheadMs: ${fitted[2]} }`),
    );
  }, 60_000);
});

/** Runs a bad invocation in a scratch folder: exit 2, no stack, and the scenario and the folder unchanged. */
async function refused(args: string[], steps?: string, scenario?: string): Promise<string> {
  const dir = scratch(steps, scenario);
  const before = readdirSync(dir).sort();
  const result = await runCli(['calibrate', ...args], { cwd: dir });
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(readFileSync(join(dir, 'cluster.yaml'), 'utf8')).toBe(scenario ?? SCENARIO_TEXT);
  expect(readdirSync(dir).sort()).toEqual(before);
  return result.stderr;
}

const from = (csv: string) => refused(['cluster.yaml', '--from', 'steps.csv', '--write'], csv);

describe('dtrain calibrate: bad input', () => {
  it('a missing column, with the near miss named', async () => {
    expect(await from('node,batch,thread,stepMs\na,1,1,2\n')).toBe(
      'error: steps.csv: 1 problem\nsteps.csv:1:1  expected a column named threads (the header node,batch,threads,stepMs), found a header without it — is thread meant to be threads?\n',
    );
  });

  it('a file without a header line, or one separated by semicolons or tabs, is shown its first line once, not four missing columns', async () => {
    const expected = (found: string) => 'error: steps.csv: 1 problem\nsteps.csv:1:1  expected the header node,batch,threads,stepMs (any order, any case), '
      + `found ${found}, which names none of these columns`;
    expect(await from('a,4,4,2.5\na,8,4,3.1\n')).toBe(`${expected('"a,4,4,2.5"')}\n`);
    expect(await from('node;batch;threads;stepMs\na;1;1;2\n')).toBe(`${expected('"node;batch;threads;stepMs"')}: its cells are separated by ';', not commas\n`);
    expect(await from('node\tbatch\tthreads\tstepMs\na\t1\t1\t2\n')).toBe(`${expected('"node\\tbatch\\tthreads\\tstepMs"')}: its cells are separated by tabs, not commas\n`);
  });

  it('non-numeric cells (hex, text, empty), fractional batches, negative and zero times: all at once, each at its line and column', async () => {
    const csv = ['node,batch,threads,stepMs', 'a,0x10,2,3', 'a,4,two,3', 'a,2.5,1,', 'a,4,2,-1', 'a,4,2,0', 'a,4,0,1e999'].join('\n');
    expect(await from(csv)).toBe(
      [
        'error: steps.csv: 8 problems',
        'steps.csv:2:3  batch: expected a whole number ≥ 1, found text that is not a number',
        'steps.csv:3:5  threads: expected a whole number ≥ 1, found text that is not a number',
        'steps.csv:4:3  batch: expected a whole number ≥ 1, found a fractional number',
        'steps.csv:4:9  stepMs: expected a step time in ms > 0, found an empty cell',
        'steps.csv:5:7  stepMs: expected a step time in ms > 0, found a negative number',
        'steps.csv:6:7  stepMs: expected a step time in ms > 0, found zero',
        'steps.csv:7:5  threads: expected a whole number ≥ 1, found zero',
        'steps.csv:7:7  stepMs: expected a step time in ms > 0, found an infinite number',
        '',
      ].join('\n'),
    );
  });

  it('a 400-digit batch or step time is said to be a number too large, not text', async () => {
    const huge = '9'.repeat(400);
    expect(await from(`node,batch,threads,stepMs\na,${huge},1,2\na,1,1,${huge}.5\na,1,1,-${huge}\n`)).toBe(
      [
        'error: steps.csv: 3 problems',
        'steps.csv:2:3  batch: expected a whole number ≥ 1, found a number too large for a double (400 digits before the point)',
        'steps.csv:3:7  stepMs: expected a step time in ms > 0, found a number too large for a double (400 digits before the point)',
        'steps.csv:4:7  stepMs: expected a step time in ms > 0, found a negative number too large for a double (400 digits before the point)',
        '',
      ].join('\n'),
    );
  });

  it('unknown node ids, with a did-you-mean among the nodes and groups', async () => {
    const csv = ['node,batch,threads,stepMs', 'spar,1,1,2', 'gpu-9,1,1,2', 'zzz,1,1,2'].join('\n');
    expect(await from(csv)).toBe(
      [
        'error: steps.csv: 3 problems',
        'steps.csv:2:1  node: expected a node or group id of the scenario — did you mean spare?, found unknown node spar',
        'steps.csv:3:1  node: expected a node or group id of the scenario — did you mean gpu-1?, found unknown node gpu-9',
        'steps.csv:4:1  node: expected a node or group id of the scenario, found unknown node zzz',
        '',
      ].join('\n'),
    );
  });

  it('a long unknown node id is shortened to its first 40 characters', async () => {
    const stderr = await from(`node,batch,threads,stepMs\n${'q'.repeat(1_000_000)},1,1,2\n`);
    expect(stderr).toBe(`error: steps.csv: 1 problem\nsteps.csv:2:1  node: expected a node or group id of the scenario, found unknown node ${'q'.repeat(39)}…\n`);
  });

  it('a node id holding control characters is shown escaped', async () => {
    const stderr = await from('node,batch,threads,stepMs\nx\u001b[31m,1,1,2\n');
    expect(stderr).toContain('found unknown node x\\e[31m\n');
    expect(stderr).not.toContain('\u001b');
  });

  it('a file name with a newline, ESC or bidi override is shown escaped in every message: no forged lines, no terminal control', async () => {
    const forged = 'x\nerror: fake.csv:1:1  forged';
    expect(await refused(['cluster.yaml', '--from', forged])).toBe('error: cannot read steps file x\\nerror: fake.csv:1:1  forged: no such file\n');
    expect(await refused(['no\nerror: s.yaml', '--from', 'steps.csv'])).toBe('error: cannot read scenario no\\nerror: s.yaml: no such file\n');
    const dir = scratch();
    writeFileSync(join(dir, 'h\nerror: x.csv'), 'node,batch,threads\n');
    const header = await runCli(['calibrate', 'cluster.yaml', '--from', 'h\nerror: x.csv'], { cwd: dir });
    expect(header).toMatchObject({ status: 2, stdout: '' });
    expect(header.stderr).toBe(
      'error: h\\nerror: x.csv: 1 problem\nh\\nerror: x.csv:1:1  expected a column named stepMs (the header node,batch,threads,stepMs), found a header without it\n',
    );
    execFileSync('mkfifo', [join(dir, 'p\nerror: y.yaml')]);
    const pipe = await runCli(['calibrate', 'p\nerror: y.yaml', '--from', 'steps.csv', '--write'], { cwd: dir });
    expect(pipe).toMatchObject({ status: 2, stdout: '', stderr: 'error: cannot write p\\nerror: y.yaml: it is not a regular file (--write replaces the scenario file itself)\n' });
  });

  it('--write names the scenario it wrote escaped', async () => {
    const dir = scratch();
    const name = '\u001b[2J\u001b]0;title\u0007\u202eevil.yaml';
    writeFileSync(join(dir, name), SCENARIO_TEXT);
    const result = await runCli(['calibrate', name, '--from', 'steps.csv', '--write'], { cwd: dir });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout.endsWith('\nwrote msPerSample, parallelFraction and stepOverheadMs to 3 node entries in \\e[2J\\e]0;title\\x07\\u{202e}evil.yaml\n')).toBe(true);
    expect(result.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  it('fits with fewer rows than values, or rows that cannot tell them apart, are refused naming the node', async () => {
    const csv = ['node,batch,threads,stepMs', 'a,1,4,2', 'a,8,4,3', 'b,1,4,2', 'b,8,4,3', 'b,64,4,9'].join('\n');
    expect(await from(csv)).toBe(
      [
        'error: steps.csv: 2 problems',
        'steps.csv:3:1  node: expected at least 3 rows for node a to fit msPerSample, parallelFraction and stepOverheadMs, found 2 rows',
        'steps.csv:6:1  node: expected rows for node b that tell msPerSample, parallelFraction and stepOverheadMs apart (at least two batch sizes, two thread counts and three different batch–thread pairs), found 3 batch sizes, 1 thread count and 3 batch–thread pairs',
        '',
      ].join('\n'),
    );
  });

  it('batch and threads that change together in every row are refused as such, not by counts they meet', async () => {
    const csv = ['node,batch,threads,stepMs', 'a,1,1,2', 'a,2,2,3', 'a,4,4,5', 'a,8,8,9', 'b,1,2,2', 'b,2,4,3', 'b,4,8,5', 'b,8,16,9', 'b,16,32,9', 'b,32,64,9', 'b,64,128,9'].join('\n');
    const expected = (id: string) => `expected rows for node ${id} that tell msPerSample, parallelFraction and stepOverheadMs apart (vary the batch size while holding the thread count, or the thread count while holding the batch size)`;
    expect(await from(csv)).toBe(
      [
        'error: steps.csv: 2 problems',
        `steps.csv:5:1  node: ${expected('a')}, found batch and threads that change together in every row (batch–threads 1–1, 2–2, 4–4, 8–8), so their effects cannot be told apart`,
        `steps.csv:12:1  node: ${expected('b')}, found batch and threads that change together in every row (batch–threads 1–2, 2–4, 4–8, 8–16, 16–32, 32–64, …), so their effects cannot be told apart`,
        '',
      ].join('\n'),
    );
  });

  it('enough settings spread so unevenly that the fit cannot use them: said so, not a count they meet', async () => {
    const csv = ['node,batch,threads,stepMs', 'a,1,1,1', 'a,1,2,1', 'a,2,1,1', 'a,1000000000,1000000000,1'].join('\n');
    expect(await from(csv)).toBe(
      'error: steps.csv: 1 problem\nsteps.csv:5:1  node: expected rows for node a that tell msPerSample, parallelFraction and stepOverheadMs apart (at least two batch sizes, two thread counts and three different batch–thread pairs), '
      + 'found 3 batch sizes, 3 thread counts and 4 batch–thread pairs, spread so unevenly that they barely tell the three apart\n',
    );
  });

  it('an empty file, a header only', async () => {
    expect(await from('')).toBe('error: steps.csv: 1 problem\nsteps.csv:1:1  expected the header node,batch,threads,stepMs, found an empty file\n');
    expect(await from('node,batch,threads,stepMs\n')).toBe('error: steps.csv: 1 problem\nsteps.csv:2:1  expected at least one row of measured steps, found only a header\n');
  });

  it('a steps file that is a directory or a named pipe is refused without waiting on it', async () => {
    expect(await refused(['cluster.yaml', '--from', '.'])).toBe('error: cannot read steps file .: a directory\n');
    const dir = scratch();
    execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
    const result = await runCli(['calibrate', 'cluster.yaml', '--from', 'pipe.csv'], { cwd: dir });
    expect(result).toMatchObject({ status: 2, stderr: 'error: cannot read steps file pipe.csv: a named pipe (FIFO)\n' });
  });

  it('--write refuses a scenario that is not a regular file', async () => {
    const dir = scratch();
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const result = await runCli(['calibrate', 'pipe.yaml', '--from', 'steps.csv', '--write'], { cwd: dir });
    expect(result).toMatchObject({ status: 2, stdout: '', stderr: 'error: cannot write pipe.yaml: it is not a regular file (--write replaces the scenario file itself)\n' });
  });

  it('a scenario whose model cannot be built: named at its model field, nothing measured', async () => {
    const scenario = SCENARIO_TEXT.replace('model: { hidden: [32], learningRate: 0.3 }', 'model: { hidden: [200000000], learningRate: 0.3 }');
    expect(scenario).not.toBe(SCENARIO_TEXT);
    expect(await refused(['cluster.yaml', '--measure', '--write'], undefined, scenario)).toBe(
      "error: cluster.yaml:13:8  model: the scenario's model cannot be built on this host: 64 → 200000000 → 10 (15,000,000,010 parameters) has more than 100,000,000 parameters; nothing was measured\nhint: check model.hidden and the dataset\n",
    );
  });

  it('batch sizes over the memory or time budget are refused before anything is measured, naming the flag that raises it', async () => {
    const huge = SCENARIO_TEXT.replace('standardBatch: 64', 'standardBatch: 100000000');
    expect(huge).not.toBe(SCENARIO_TEXT);
    const started = Date.now();
    // 1e8 rows × (64 + 32 + 10 + 1) activations × 4 B × 3 = 119.6 GiB; the indices of sizes
    // 1, 2, … 2^26 and 1e8 are 234,217,727 × 4 B = 893.5 MiB; + 200 MiB + the data and model
    expect(await refused(['cluster.yaml', '--measure', '--write'], undefined, huge)).toBe(
      [
        'error: timing batch sizes up to 100,000,000 (pipeline.s2.standardBatch, cluster.yaml:16:24) needs an estimated 120.7 GiB of memory, over the budget of 4 GiB; the biggest parts:',
        '  119.6 GiB  batches and activations at batch 100,000,000 (1 step)',
        '  893.5 MiB  batch indices of every size timed (234,217,727 rows × 1 step)',
        '    200 MiB  Node.js and TF.js',
        'hint: lower pipeline.s2.standardBatch (every batch size up to it is timed), or raise the budget with --max-memory 151GiB (or skip the check with --no-limits)',
        '',
      ].join('\n'),
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    // 7 sizes (1 … 64), each warmed up 200 ms and timed in 5 blocks of 60 ms: 1.4 s + 2.1 s, + 1 s to
    // start; 4.5 s × 1.25 rounded up to a whole minute
    expect(await refused(['cluster.yaml', '--measure', '--repetitions', '5', '--max-time', '3s'])).toBe(
      [
        'error: timing batch sizes up to 64 (pipeline.s2.standardBatch, cluster.yaml:16:24) needs an estimated 4.5 s of host time, over the budget of 3 s; the biggest parts:',
        '      2.1 s  timing (5 repetitions of 7 batch sizes, largest 64)',
        '      1.4 s  warm-up (3 calls or 200 ms at each of 7 batch sizes)',
        '        1 s  starting Node.js and TF.js',
        'hint: lower pipeline.s2.standardBatch (every batch size up to it is timed), or raise the budget with --max-time 1m (or skip the check with --no-limits)',
        '',
      ].join('\n'),
    );
  });

  it('an invalid scenario gets the validator\'s messages', async () => {
    const stderr = await refused(['cluster.yaml', '--from', 'steps.csv'], undefined, SCENARIO_TEXT.replace('seed: 5', 'seed: -5'));
    expect(stderr).toBe('error: cluster.yaml: 1 problem\ncluster.yaml:8:7  seed: expected an integer ≥ 0, found -5\n');
  });

  it('neither or both of --measure and --from', async () => {
    const message = 'error: give either --measure (time the model on this host) or --from FILE (a CSV of measured steps), not both and not neither\n';
    expect(await refused(['cluster.yaml'])).toBe(message);
    expect(await refused(['cluster.yaml', '--measure', '--from', 'steps.csv'])).toBe(message);
  });

  it('--repetitions below 5', async () => {
    expect(await refused(['cluster.yaml', '--measure', '--repetitions', '4'])).toContain("--repetitions must be a whole number from 5 to 1000, found '4'.");
  });
});


describe('dtrain calibrate --write on a stream', () => {
  it('/dev/stdin fed by a pipe: refused with one line, exit 2, no stack', () => {
    const script = '{ cat "$1" | "$2" "$3" calibrate /dev/stdin --from "$4" --write; echo "rc=$?"; } 2>&1';
    const out = execFileSync('sh', ['-c', script, 'sh', join(ROOT, 'examples', 'calibrate-cluster.yaml'), process.execPath, join(ROOT, 'bin', 'dtrain.js'), join(ROOT, 'examples', 'steps.csv')], { encoding: 'utf8' });
    expect(out).toBe('error: cannot write /dev/stdin: no such file or directory (--write replaces the scenario file itself)\nrc=2\n');
    expect(out).not.toMatch(STACK_TRACE);
  });
});
