/**
 * The budget before every command that trains (issue 9): `explain` and `sweep` are sized like
 * `simulate` (same message, same --max-memory / --max-time / --no-limits, exit 2, nothing
 * written); every requested output is sized, and a refusal names the output and its flag;
 * overrides on the command line keep the scenario's bounds; numbers are plain decimals.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inParallel, runCli, STACK_TRACE } from './cli.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dtrain-budget-'));
}

/** What `simulate` prints for limits/huge-batch.yaml (test/hostile/limits), minus its JSON line. */
const HUGE_BATCH = [
  'error: this run needs an estimated 44.9 GiB of memory, over the budget of 4 GiB; the biggest parts:',
  '   44.7 GiB  one round\'s batches (1 node × 1 step × batch 500,000,000)',
  '    200 MiB  Node.js and TF.js',
];
const HUGE_BATCH_HINT = 'hint: run fewer rounds or nodes, or raise the budget with --max-memory 57GiB (or skip the check with --no-limits)';

function expectRefused(result: { status: number | null; stdout: string; stderr: string }): void {
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.stdout).toBe('');
  expect(result.status).toBe(2);
}

describe('explain and sweep are sized before they train', () => {
  it('explain: the estimate, the budget and the overriding option, exit 2 (was a RangeError with a stack)', async () => {
    // the notable rounds keep no node records; a round explained keeps those of the rounds up to it
    const [notable, round] = await inParallel([
      ['explain', 'limits/huge-batch.yaml', '--backend', 'cpu'],
      ['explain', 'limits/huge-batch.yaml', '--backend', 'cpu', '--round', '20'],
    ], 2, (args) => runCli(args));
    // third: 20 rounds' summaries of 2 KiB, above the data's 18.8 KiB and the 20 node-rounds'
    // records (31.6 KiB) the explained round keeps, which the estimate's own tests check
    const third = "     40 KiB  the rounds' summaries (20 rounds)";
    expect(notable!.stderr).toBe(`${[...HUGE_BATCH, third, HUGE_BATCH_HINT].join('\n')}\n`);
    expectRefused(notable!);
    expect(round!.stderr).toBe(`${[...HUGE_BATCH, third, HUGE_BATCH_HINT].join('\n')}\n`);
    expectRefused(round!);
  });

  it('explain takes --max-memory, --max-time and --no-limits', async () => {
    const [memory, time, none] = await inParallel([
      ['explain', 'limits/tiny.yaml', '--max-memory', '100MB'],
      ['explain', 'limits/tiny.yaml', '--max-time', '100ms'],
      ['explain', 'limits/tiny.yaml', '--max-memory', '1MB', '--max-time', '1ms', '--no-limits', '--backend', 'cpu'],
    ], 3, (args) => runCli(args));
    expect(memory!.stderr.split('\n')[0]).toBe('error: this run needs an estimated 200 MiB of memory, over the budget of 95.4 MiB; the biggest parts:');
    expectRefused(memory!);
    expect(time!.stderr.split('\n')[0]).toBe('error: this run needs an estimated 1 s of host time, over the budget of 100 ms; the biggest parts:');
    expectRefused(time!);
    expect(none!.stderr).not.toMatch(STACK_TRACE);
    expect(none!.status).toBe(0);
    expect(none!.stdout).not.toBe('');
  });

  it('sweep: the first run over budget is named by its grid point; nothing is written', async () => {
    const out = join(scratch(), 'out');
    const result = await runCli(['sweep', 'limits/huge-batch.yaml', '--set', 'seed=1..3', '--out', out]);
    expect(result.stderr).toBe(`${[
      'error: seed=1 · s1s4: this run needs an estimated 44.9 GiB of memory, over the budget of 4 GiB; the biggest parts:',
      ...HUGE_BATCH.slice(1),
      "     40 KiB  the rounds' summaries (20 rounds)",
      HUGE_BATCH_HINT,
    ].join('\n')}\n`);
    expectRefused(result);
    expect(existsSync(out)).toBe(false);
  });

  it('sweep and study write each run\'s report as it goes: a run too large for one string is refused on its host time only; --no-limits and --max-time are sweep options too', async () => {
    const dir = scratch();
    const [sweep, time, study] = await inParallel([
      ['sweep', 'limits/json-too-large.yaml', '--out', join(dir, 'a')],
      ['sweep', 'limits/tiny.yaml', '--set', 'seed=1,2', '--max-time', '100ms', '--out', join(dir, 'b')],
      ['study', 'limits/json-too-large.yaml', '--seeds', '1', '--strategy', 's1s4,fedavg', '--baseline', 'fedavg', '--out', join(dir, 'c')],
    ], 3, (args) => runCli(args));
    // a sweep's report is what it makes: its hours are listed, with no flag to leave it out
    expect(sweep!.stderr).toBe([
      'error: s1s4: this run needs an estimated 9.8 h of host time, over the budget of 1 h; the biggest parts:',
      '      4.2 h  the JSON report',
      '      3.1 h  latency samples (20 per node-round)',
      '      1.4 h  planning and records',
      'hint: run fewer rounds or nodes, or raise the budget with --max-time 13h (or skip the check with --no-limits)',
      '',
    ].join('\n'));
    expectRefused(sweep!);
    expect(time!.stderr.split('\n')[0]).toBe('error: seed=1 · s1s4: this run needs an estimated 1 s of host time, over the budget of 100 ms; the biggest parts:');
    expectRefused(time!);
    // a study keeps a record of each run (its full report only with --store full)
    expect(study!.stderr.split('\n')[0]).toBe('error: s1s4 · seed 1: this run needs an estimated 5.6 h of host time, over the budget of 1 h; the biggest parts:');
    expectRefused(study!);
    expect(existsSync(join(dir, 'a'))).toBe(false);
    expect(existsSync(join(dir, 'b'))).toBe(false);
    expect(existsSync(join(dir, 'c'))).toBe(false);
  });
});

describe('a study or sweep runs as many workers as the memory budget has room for', () => {
  it('two runs of ~200 MiB under a 300 MB budget: one worker at a time, said on stderr, and the study completes', async () => {
    const dir = scratch();
    const [study, sweep] = await inParallel([
      ['study', '../sweep/fixtures/tiny.yaml', '--seeds', '1,2', '--strategy', 's1s4,sync-sgd', '--baseline', 'sync-sgd', '--backend', 'cpu', '--jobs', '2', '--max-memory', '300MB', '--out', join(dir, 's')],
      ['sweep', '../sweep/fixtures/tiny.yaml', '--set', 'seed=1,2', '--backend', 'cpu', '--jobs', '2', '--max-memory', '300MB', '--out', join(dir, 'w')],
    ], 2, (args) => runCli(args));
    const note = '2 workers would need an estimated 400.1 MiB, over the memory budget of 286.1 MiB; running 1 at a time (raise the budget with --max-memory)';
    expect(study!.stderr.split('\n').slice(0, 2)).toEqual([`study: ${note}`, 'study: 4 runs, 0 already complete, 4 to run on 1 worker']);
    expect(sweep!.stderr.split('\n').slice(0, 2)).toEqual([`sweep: ${note}`, 'sweep: 4 runs, 0 already complete, 4 to run on 1 worker']);
    expect([study!.status, sweep!.status]).toEqual([0, 0]);
  }, 60_000);
});

describe('every requested output is sized, and named with its flag when refused', () => {
  it('--timeline of a million node-rounds is written round by round: the estimate counts a piece of it, not a 591 MiB string', async () => {
    const out = join(scratch(), 'run.trace.json');
    const result = await runCli(['simulate', 'budget/timeline-large.yaml', '--timeline', out, '--max-memory', '50MB', '--no-progress', '--quiet']);
    // 6 × 1,000 nodes × ~620 B (a round's events as objects, text and Buffer) = 3,720,000 B;
    // 1,000 rounds' summaries of 2 KiB; the run keeps one round's records, 1,000 × 1,550 B
    // (their parts, and the CSV files' below, are the estimate's own tests, test/limits/)
    expect(result.stderr).toBe([
      'error: this run needs an estimated 210.9 MiB of memory, over the budget of 47.7 MiB; the biggest parts:',
      '    200 MiB  Node.js and TF.js',
      '    3.5 MiB  the timeline (--timeline, written round by round)',
      "      2 MiB  the rounds' summaries (1,000 rounds)",
      'hint: run fewer rounds or nodes, or raise the budget with --max-memory 1GiB (or skip the check with --no-limits)',
      '',
    ].join('\n'));
    expectRefused(result);
    expect(existsSync(out)).toBe(false);
  });

  it('--timeline, --csv and --report count in the memory estimate; the hint names the output that dominates (the report)', async () => {
    const dir = scratch();
    const runs = await inParallel([
      ['--timeline', join(dir, 't.json'), '--max-memory', '50MB'],
      ['--csv', join(dir, 'csv'), '--max-memory', '50MB'],
      ['--report', join(dir, 'r.html'), '--max-memory', '300MB'],
    ], 3, (output) => runCli(['simulate', 'budget/many-node-rounds.yaml', '--max-memory', '500MB', ...output, '--no-progress', '--quiet']));
    const [timeline, csv, report] = runs.map((result) => {
      expectRefused(result);
      return result.stderr;
    });
    // the timeline is written round by round too: 6 × 200 nodes × ~620 B = 744,000 B
    expect(timeline).toBe([
      'error: this run needs an estimated 204.2 MiB of memory, over the budget of 47.7 MiB; the biggest parts:',
      '    200 MiB  Node.js and TF.js',
      "      2 MiB  the rounds' summaries (1,000 rounds)",
      '  726.6 KiB  the timeline (--timeline, written round by round)',
      'hint: run fewer rounds or nodes, or raise the budget with --max-memory 1GiB (or skip the check with --no-limits)',
      '',
    ].join('\n'));
    // the CSV files are written round by round: a piece of nodes.csv, 2 × 200 rows × ~200 B,
    // and rounds.csv's 1,000 rows kept, 4 × 1,000 × ~100 B: 480,000 B, not the run's 40 MB
    // (2 MiB of summaries and 600 KiB of batches come first: the CSV part is below them)
    expect(csv).toBe([
      'error: this run needs an estimated 203.7 MiB of memory, over the budget of 47.7 MiB; the biggest parts:',
      '    200 MiB  Node.js and TF.js',
      "      2 MiB  the rounds' summaries (1,000 rounds)",
      '    600 KiB  batches, two chunks at a time (6,400 of 6,400 rows × 1 step)',
      'hint: run fewer rounds or nodes, or raise the budget with --max-memory 1GiB (or skip the check with --no-limits)',
      '',
    ].join('\n'));
    expect(report).toContain('the HTML report (--report)\n');
    expect(report).toContain('hint: run fewer rounds or nodes, leave out --report, or raise the budget');
    expect(existsSync(join(dir, 'csv'))).toBe(false);
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
  });

  it('without an output the same scenario fits that budget (the output is what tips it)', async () => {
    const result = await runCli(['simulate', 'budget/many-node-rounds.yaml', '--max-memory', '500MB', '--max-time', '1ms', '--no-progress']);
    // refused on time, not memory: the memory estimate without outputs is under 500 MB
    expect(result.stderr.split('\n')[0]).toMatch(/^error: this run needs an estimated [\d.]+ s of host time, over the budget of 1 ms;/);
    expectRefused(result);
  });
});

describe('numbers on the command line', () => {
  it('--rounds and --seed keep the scenario\'s bounds; hex, octal, binary, Infinity, empty and 1e999 are not numbers', async () => {
    const cases: Array<[string[], string]> = [
      [['--rounds', '100001'], "error: option '-r, --rounds <n>' argument '100001' is invalid. --rounds must be a whole number from 1 to 100000, found '100001'."],
      [['--rounds', '0x10'], "error: option '-r, --rounds <n>' argument '0x10' is invalid. --rounds must be a whole number from 1 to 100000, found '0x10'."],
      [['--rounds', ''], "error: option '-r, --rounds <n>' argument '' is invalid. --rounds must be a whole number from 1 to 100000, found ''."],
      [['--seed', '0o17'], "error: option '--seed <n>' argument '0o17' is invalid. --seed must be a whole number ≥ 0, found '0o17'."],
      [['--seed', '9007199254740992'], "error: option '--seed <n>' argument '9007199254740992' is invalid. --seed must be a whole number from 0 to 9007199254740991 (2^53 − 1), found '9007199254740992'."],
    ];
    const results = await inParallel(cases, 3, ([args]) => runCli(['simulate', 'limits/tiny.yaml', ...args, '--no-progress']));
    results.forEach((result, i) => {
      expect(result.stderr.split('\n')[0]).toBe(cases[i]![1]);
      expectRefused(result);
    });
    const explain = await runCli(['explain', 'limits/tiny.yaml', '--seed', '1e999']);
    expect(explain.stderr.split('\n')[0]).toBe("error: option '--seed <n>' argument '1e999' is invalid. --seed must be a whole number ≥ 0, found '1e999'.");
    expectRefused(explain);
  });

  it('--tolerance loss=0x10 is refused, not read as 16 (exit 2)', async () => {
    const results = await inParallel(['0x10', '0b1', 'Infinity', '1e999', ''], 3, (value) =>
      runCli(['check', 'limits/tiny.yaml', 'limits/tiny.yaml', '--tolerance', `loss=${value}`]));
    results.forEach((result, i) => {
      const value = ['0x10', '0b1', 'Infinity', '1e999', ''][i];
      expect(result.stderr.split('\n')[0]).toBe(`error: --tolerance loss must be a number ≥ 0, found '${value}'`);
      expectRefused(result);
    });
  });

  it('the scenario files are left as they were', () => {
    expect(readFileSync(join(import.meta.dirname, 'limits', 'tiny.yaml'), 'utf8')).toContain('Small enough for any budget');
  });
});

describe('simulate --estimate prints the estimate and runs nothing', () => {
  it('within budget: every part on stdout, exit 0, no output file made (--json, --ndjson)', async () => {
    const dir = scratch();
    const result = await runCli(['simulate', 'limits/tiny.yaml', '--estimate', '--json', join(dir, 'run.json'), '--ndjson', join(dir, 'run.ndjson')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('estimate for tiny: 2 nodes × 2 rounds × 1 strategy (nothing was run)');
    expect(lines).toContain('    200 MiB  Node.js and TF.js');
    expect(lines).toContain('        1 s  starting Node.js and TF.js');
    expect(lines.slice(-2)).toEqual(['within the budget: the run would start', '']);
    expect(existsSync(join(dir, 'run.json'))).toBe(false);
    expect(existsSync(join(dir, 'run.ndjson'))).toBe(false);
  });

  it('over budget: the whole estimate on stdout, the refusal a run gets on stderr, exit 2; with --no-limits exit 0', async () => {
    const [over, unchecked] = await inParallel([
      ['simulate', 'limits/huge-batch.yaml', '--estimate'],
      ['simulate', 'limits/huge-batch.yaml', '--estimate', '--no-limits'],
    ], 2, (args) => runCli(args));
    expect(over!.status).toBe(2);
    expect(over!.stderr).not.toMatch(STACK_TRACE);
    // the same three biggest parts as the refusal, then the smaller ones
    expect(over!.stderr).toBe(`${[...HUGE_BATCH, '  167.8 KiB  the terminal tables, kept until the run ends (20 rounds; --quiet leaves them out)', HUGE_BATCH_HINT].join('\n')}\n`);
    const lines = over!.stdout.split('\n');
    expect(lines[2]).toBe('memory: 44.9 GiB (budget 4 GiB)');
    expect(lines.slice(3, 6)).toEqual([...HUGE_BATCH.slice(1), '  167.8 KiB  the terminal tables, kept until the run ends (20 rounds; --quiet leaves them out)']);
    expect(lines.slice(-2)).toEqual(['over the budget: the run would be refused (exit 2)', '']);
    expect(unchecked!.status).toBe(0);
    expect(unchecked!.stderr).toBe('');
    expect(unchecked!.stdout).toBe(over!.stdout.replace('memory: 44.9 GiB (budget 4 GiB)', 'memory: 44.9 GiB').replace(/host time: (.*) \(budget 1 h\)/, 'host time: $1')
      .replace('over the budget: the run would be refused (exit 2)', 'the budget is not checked (--no-limits): the run would start'));
  });
});
