/**
 * `--plugin FILE` through bin/ (run `npm run build` first): the example plug-in's preset runs
 * in simulate and in a sweep's workers with the batches worked out by hand, every command that
 * resolves strategy names knows its names, and every way a plug-in can be wrong is one
 * `error:` line naming the file, exit 2, nothing written, no stack.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inParallel, ROOT, runCli, STACK_TRACE } from '../hostile/cli.js';

const EXAMPLE = 'examples/plugins/median-split.mjs';
const FIXTURES = 'test/plugins/fixtures';
const SCENARIO = `${FIXTURES}/three-nodes.yaml`;
const run = (args: string[]) => runCli(args, { cwd: ROOT });

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dtrain-plugins-'));
}

interface NodeJson { id: string; efficiency: number; plannedBatch: number; batch: number }
interface RunJson { strategy: { name: string; batch: string; resources: string; aggregation: string }; rounds: Array<{ nodes: NodeJson[] }> }

/** Per round, each node's planned batch. */
function batchesOf(run: RunJson): number[][] {
  return run.rounds.map((round) => round.nodes.map((node) => node.plannedBatch));
}

/*
 * By hand, for three-nodes.yaml (B = 64, threshold 50 ms): a and b answer in 5 ms, so every
 * window sample is effective and e = 1; c answers in 100 ms, so none is and e = 0. The median
 * of (1, 1, 0) is 1: a and b are at it and get B/2 = 32, c is below it and gets B/4 = 16 —
 * every round, since the links never change. sync-sgd gives everyone B/2 = 32.
 */
const BY_HAND = [[32, 32, 16], [32, 32, 16], [32, 32, 16]];

describe('the example plug-in', () => {
  it('dtrain simulate --plugin … --strategy median-split: its batches in the JSON, as computed by hand', async () => {
    const out = join(scratch(), 'run.json');
    const result = await run(['simulate', SCENARIO, '--plugin', EXAMPLE, '--strategy', 'median-split,sync-sgd', '--json', out, '--quiet', '--backend', 'cpu']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { runs: RunJson[] };
    expect(json.runs.map((r) => r.strategy)).toEqual([
      { name: 'median-split', batch: 'median-split', resources: 'fixed', aggregation: 'mean' },
      { name: 'sync-sgd', batch: 'fixed', resources: 'fixed', aggregation: 'mean' },
    ]);
    expect(json.runs[0]!.rounds.map((round) => round.nodes.map((node) => node.efficiency))).toEqual([[1, 1, 0], [1, 1, 0], [1, 1, 0]]);
    expect(batchesOf(json.runs[0]!)).toEqual(BY_HAND);
    expect(json.runs[0]!.rounds.map((round) => round.nodes.map((node) => node.batch))).toEqual(BY_HAND);
    expect(batchesOf(json.runs[1]!)).toEqual([[32, 32, 32], [32, 32, 32], [32, 32, 32]]);
  });

  it('dtrain sweep --plugin … --set seed=1,2: every worker loads the plug-in and runs its preset', async () => {
    const out = join(scratch(), 'sweep');
    const result = await run(['sweep', SCENARIO, '--plugin', EXAMPLE, '--strategy', 'median-split', '--set', 'seed=1,2', '--jobs', '2', '--backend', 'cpu', '--out', out]);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.status, result.stderr).toBe(0);
    const reports = readdirSync(out).filter((name) => /^[0-9a-f]{16}\.json$/.test(name));
    expect(reports).toHaveLength(2);
    const seeds: number[] = [];
    for (const name of reports) {
      const json = JSON.parse(readFileSync(join(out, name), 'utf8')) as { scenario: { seed: number }; runs: RunJson[] };
      seeds.push(json.scenario.seed);
      expect(json.runs.map((r) => r.strategy.batch)).toEqual(['median-split']);
      expect(batchesOf(json.runs[0]!)).toEqual(BY_HAND);
    }
    expect(seeds.sort()).toEqual([1, 2]);
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toContain('median-split');
  });

  it('dtrain study --plugin … --store full: every worker loads the plug-in; its preset is compared with the baseline', async () => {
    const out = join(scratch(), 'study');
    const result = await run(['study', SCENARIO, '--plugin', EXAMPLE, '--strategy', 'median-split,sync-sgd', '--baseline', 'sync-sgd', '--seeds', '1..2', '--jobs', '2', '--backend', 'cpu', '--store', 'full', '--out', out]);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('median-split − sync-sgd, paired on the same seed');
    const full = readdirSync(out).filter((name) => name.endsWith('.full.json'));
    expect(full).toHaveLength(4);
    let checked = 0;
    for (const name of full) {
      const json = JSON.parse(readFileSync(join(out, name), 'utf8')) as { runs: RunJson[] };
      if (json.runs[0]!.strategy.batch !== 'median-split') continue;
      expect(batchesOf(json.runs[0]!)).toEqual(BY_HAND);
      checked++;
    }
    expect(checked).toBe(2);
  });

  it('dtrain explain --plugin … shows the stage\'s summary and its working for the node', async () => {
    const result = await run(['explain', SCENARIO, '--plugin', EXAMPLE, '--strategy', 'median-split', '--round', '2', '--node', 'c', '--backend', 'cpu']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('strategy median-split: batch median-split · resources fixed · aggregation mean\n');
    expect(result.stdout).toContain('  node c: 0 of 20 samples under 50 ms (20 at 50 ms or more, up to 100 ms) → e = 0 ms / 2000 ms = 0.00 → batch stage median-split (median = 1, half = B/4) → 16\n');
  });

  it('a stage is told whether its working is kept: not by simulate\'s outputs or a sweep, by a golden update and explain --round', async () => {
    const dir = scratch();
    const plugin = `${FIXTURES}/told-working.mjs`;
    const common = ['--plugin', plugin, '--strategy', 'told/fixed/mean', '--backend', 'cpu'];
    const [streamed, golden, explained, sweep] = await inParallel([
      ['simulate', SCENARIO, ...common, '--json', join(dir, 'streamed.json'), '--quiet'],
      ['simulate', SCENARIO, ...common, '--json', join(dir, 'kept.json'), '--expect', join(dir, 'golden.json'), '--update', '--quiet'],
      ['explain', SCENARIO, ...common, '--round', '2', '--node', 'c'],
      ['sweep', SCENARIO, ...common, '--set', 'seed=1', '--jobs', '1', '--out', join(dir, 'sweep')],
    ], 2, run);
    for (const result of [streamed, golden, explained, sweep]) expect(result!.status, result!.stderr).toBe(0);
    const batches = (file: string) => batchesOf((JSON.parse(readFileSync(file, 'utf8')) as { runs: RunJson[] }).runs[0]!);
    expect(batches(join(dir, 'streamed.json'))).toEqual([[1, 1, 1], [1, 1, 1], [1, 1, 1]]);
    expect(batches(join(dir, 'kept.json'))).toEqual([[2, 2, 2], [2, 2, 2], [2, 2, 2]]);
    expect(explained!.stdout).toContain(' → batch stage told (told = kept) → 2\n');
    const report = readdirSync(join(dir, 'sweep')).find((name) => /^[0-9a-f]{16}\.json$/.test(name))!;
    expect(batches(join(dir, 'sweep', report))).toEqual([[1, 1, 1], [1, 1, 1], [1, 1, 1]]);
  });

  it('dtrain validate and dtrain schema know the plug-in\'s names only when it is loaded', async () => {
    const dir = scratch();
    const file = join(dir, 'uses-plugin.yaml');
    writeFileSync(file, readFileSync(join(ROOT, SCENARIO), 'utf8') + 'strategy: median-split\n');
    const [without, withPlugin, schemaWithout, schemaWith] = await inParallel([
      ['validate', file],
      ['validate', file, '--plugin', EXAMPLE],
      ['schema'],
      ['schema', '--plugin', EXAMPLE],
    ], 4, run);
    expect(without!.status).toBe(2);
    expect(without!.stderr).toContain(`${file}:16:11  strategy: expected one of s1s4, sync-sgd, fedavg`);
    expect(without!.stderr).toContain('found "median-split" (a string)\n1 problem found\n');
    expect(withPlugin!.stderr).toBe('');
    expect(withPlugin!.stdout).toBe(`${file}: ok\n`);
    expect(withPlugin!.status).toBe(0);
    expect(schemaWithout!.stdout).not.toContain('median-split');
    expect(schemaWith!.status).toBe(0);
    expect(schemaWith!.stdout).toContain('"median-split"');
  });

  it('no output may overwrite a plug-in the command loads: simulate, export and schema refuse it, exit 2, the plug-in intact', async () => {
    const dir = scratch();
    const plugin = join(dir, 'p.mjs');
    const text = readFileSync(join(ROOT, EXAMPLE), 'utf8');
    writeFileSync(plugin, text);
    const refusal = (flag: string) => `error: ${flag} ${plugin} would overwrite the plug-in '${plugin}', which this command reads; write the output somewhere else\n`;
    const cases: Array<[string[], string]> = [
      [['simulate', SCENARIO, '--plugin', plugin, '--json', plugin, '--quiet'], refusal('--json')],
      [['simulate', SCENARIO, '--plugin', plugin, '--ndjson', plugin, '--quiet'], refusal('--ndjson')],
      [['export', 'latency', SCENARIO, '--plugin', plugin, '--node', 'a', '--duration', '1s', '--format', 'csv', '--out', plugin], refusal('--out')],
      [['schema', '--plugin', plugin, '--out', plugin], refusal('--out')],
      [['study', SCENARIO, '--plugin', plugin, '--strategy', 'median-split,sync-sgd', '--baseline', 'sync-sgd', '--seeds', '1..2', '--out', join(dir, 'study'), '--json', plugin], refusal('--json')],
    ];
    for (const [args, stderr] of cases) {
      const result = await run(args);
      expect(result.stderr).toBe(stderr);
      expect(result.status).toBe(2);
      expect(readFileSync(plugin, 'utf8')).toBe(text);
    }
  });

  it('a scenario file cannot name a plug-in: there is no such field', async () => {
    const file = join(scratch(), 'names-plugin.yaml');
    writeFileSync(file, readFileSync(join(ROOT, SCENARIO), 'utf8') + `plugin: ${join(ROOT, EXAMPLE)}\n`);
    const result = await run(['validate', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^.+names-plugin\.yaml:\d+:1 {2}plugin: expected /m);
  });
});

/** [plug-in file, exact stderr]: each through `dtrain simulate --json OUT`. */
const LOAD_ERRORS: Array<[string, string]> = [
  [`${FIXTURES}/nope.mjs`, `error: --plugin ${FIXTURES}/nope.mjs: cannot read the plug-in: no such file\n`],
  [FIXTURES, `error: --plugin ${FIXTURES}: cannot read the plug-in: a directory\n`],
  [`${FIXTURES}/plugin.txt`, `error: --plugin ${FIXTURES}/plugin.txt: not a JavaScript module (a plug-in is an ES module file ending in .mjs or .js)\n`],
  [`${FIXTURES}/not-a-module.mjs`, `error: --plugin ${FIXTURES}/not-a-module.mjs: not a JavaScript module dtrain can load (SyntaxError: Unexpected identifier 'is')\n`],
  [`${FIXTURES}/throws-on-load.mjs`, `error: --plugin ${FIXTURES}/throws-on-load.mjs: the plug-in threw while loading: Error: no config file \\e[2J found\n`],
  [`${FIXTURES}/throws-on-register.mjs`, `error: --plugin ${FIXTURES}/throws-on-register.mjs: the plug-in threw while registering: TypeError: cannot register:\\nsecond line\n`],
  [`${FIXTURES}/message-throws.mjs`, `error: --plugin ${FIXTURES}/message-throws.mjs: the plug-in threw while registering: Error (its message cannot be read)\n`],
  [`${FIXTURES}/long-message.mjs`, `error: --plugin ${FIXTURES}/long-message.mjs: the plug-in threw while loading: Error: ${'m'.repeat(292)}…\n`],
  [`${FIXTURES}/exports-nothing.mjs`, `error: --plugin ${FIXTURES}/exports-nothing.mjs: exports no plug-in function: it has neither a default export nor a register export\n`
    + 'hint: a plug-in exports its function: export default function (dtrain) { dtrain.defineStage({ … }) } (or export function register(dtrain) { … })\n'],
  [`${FIXTURES}/defines-nothing.mjs`, `error: --plugin ${FIXTURES}/defines-nothing.mjs: the plug-in defined no stage and no preset\n`
    + 'hint: a plug-in exports its function: export default function (dtrain) { dtrain.defineStage({ … }) } (or export function register(dtrain) { … })\n'],
  [`${FIXTURES}/builtin-name.mjs`, `error: --plugin ${FIXTURES}/builtin-name.mjs: the batch stage 'efficiency' is built in and a plug-in cannot replace it; choose another name\n`],
  [`${FIXTURES}/builtin-preset.mjs`, `error: --plugin ${FIXTURES}/builtin-preset.mjs: the preset 's1s4' is built in and a plug-in cannot replace it; choose another name\n`],
  [`${FIXTURES}/unknown-stage.mjs`, `error: --plugin ${FIXTURES}/unknown-stage.mjs: the preset 'mine' names the aggregation stage 'volatilty', which is not defined (did you mean volatility?)\n`],
  [`${FIXTURES}/bad-kind.mjs`, `error: --plugin ${FIXTURES}/bad-kind.mjs: defineStage(): kind must be 'batch', 'resources' or 'aggregation', found 'batches'\n`],
];

describe('a plug-in that cannot be loaded', () => {
  it.each(LOAD_ERRORS)('%s: one error naming the file, exit 2, no output written', async (plugin, stderr) => {
    const out = join(scratch(), 'run.json');
    const result = await run(['simulate', SCENARIO, '--plugin', plugin, '--json', out, '--quiet']);
    expect(result.stderr).toBe(stderr);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('re-registering a name another plug-in defined names both files', async () => {
    const result = await run(['validate', SCENARIO, '--plugin', EXAMPLE, '--plugin', `${FIXTURES}/same-name.mjs`]);
    expect(result.stderr).toBe(`error: --plugin ${FIXTURES}/same-name.mjs: the batch stage 'median-split' is already defined by --plugin ${EXAMPLE}\n`);
    expect(result.status).toBe(2);
  });

  it('the same file given twice is loaded once', async () => {
    const result = await run(['validate', SCENARIO, '--plugin', EXAMPLE, '--plugin', `./${EXAMPLE}`]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('every command that takes --plugin refuses a bad one the same way (sweep before anything is written)', async () => {
    const dir = scratch();
    const bad = `${FIXTURES}/builtin-name.mjs`;
    const expected = `error: --plugin ${bad}: the batch stage 'efficiency' is built in and a plug-in cannot replace it; choose another name\n`;
    const results = await inParallel([
      ['explain', SCENARIO, '--plugin', bad, '--round', '1'],
      ['sweep', SCENARIO, '--plugin', bad, '--set', 'seed=1,2', '--out', join(dir, 'sweep')],
      ['validate', SCENARIO, '--plugin', bad],
      ['schema', '--plugin', bad, '--out', join(dir, 'schema.json')],
    ], 4, run);
    for (const result of results) {
      expect(result.stderr).toBe(expected);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a plug-in stage that misbehaves in a round', () => {
  it.each([
    ['fractional-batch.mjs', 'fractional', "error: batch stage 'fractional' (--plugin test/plugins/fixtures/fractional-batch.mjs): decide() returned batches[0] = 2.5; expected a whole number ≥ 0\n"],
    ['throws-in-round.mjs', 'broken', "error: aggregation stage 'broken' (--plugin test/plugins/fixtures/throws-in-round.mjs): weigh() threw: RangeError: no weights today\n"],
    ['huge-batch.mjs', 'huge/fixed/mean', "error: batch stage 'huge' (--plugin test/plugins/fixtures/huge-batch.mjs): decide() returned batches[0] = 1000000000; expected at most 64, the scenario's largest batch (pipeline.s2.maxBatch, else standardBatch)\n"],
    ['message-throws-in-round.mjs', 'unreadable/fixed/mean', "error: batch stage 'unreadable' (--plugin test/plugins/fixtures/message-throws-in-round.mjs): decide() threw: TypeError (its message cannot be read)\n"],
    ['trap-batches.mjs', 'trap', "error: batch stage 'trap' (--plugin test/plugins/fixtures/trap-batches.mjs): reading what decide() returned threw: Error: trap\n"],
  ])('%s: the run stops with one error naming the stage and file, exit 2, no output written', async (file, strategy, stderr) => {
    const dir = scratch();
    const out = join(dir, 'run.json');
    // the JSON and nodes.csv are written as the rounds finish, into files that only become theirs at the end
    const result = await run(['simulate', SCENARIO, '--plugin', `${FIXTURES}/${file}`, '--strategy', strategy, '--json', out, '--csv', join(dir, 'csv'), '--quiet', '--backend', 'cpu']);
    expect(result.stderr).toBe(stderr);
    expect(result.status).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a plug-in stage that fails after the run started', () => {
  it('--ndjson keeps the header and the finished rounds and ends with the error; the other outputs are not written; exit 2', async () => {
    const dir = scratch();
    const ndjson = join(dir, 'run.ndjson');
    const result = await run(['simulate', SCENARIO, '--plugin', `${FIXTURES}/fails-in-round-2.mjs`, '--strategy', 'fails-later/fixed/mean', '--ndjson', ndjson, '--json', join(dir, 'run.json'), '--quiet', '--backend', 'cpu']);
    expect(result.stderr).toBe(`error: batch stage 'fails-later' (--plugin ${FIXTURES}/fails-in-round-2.mjs): decide() threw: Error: round 2 fails\n`);
    expect(result.status).toBe(2);
    expect(readdirSync(dir)).toEqual(['run.ndjson']);
    const lines = readFileSync(ndjson, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -2).map((line) => [(JSON.parse(line) as { type: string }).type, (JSON.parse(line) as { round?: number }).round])).toEqual([['header', undefined], ['round', 1]]);
    expect(JSON.parse(lines.at(-2)!)).toEqual({
      type: 'error', code: 'plugin.stageFailed', message: `batch stage 'fails-later' (--plugin ${FIXTURES}/fails-in-round-2.mjs): decide() threw: Error: round 2 fails`, exitCode: 2,
    });
  });
});

describe('a plug-in stage that changes what it is handed', () => {
  it('changes nothing the run reads: its batches and allocations are run as given, the next strategy is untouched', async () => {
    const out = join(scratch(), 'run.json');
    const result = await run(['simulate', SCENARIO, '--plugin', `${FIXTURES}/changes-view.mjs`, '--strategy', 'shrinks/inflates/meddles,sync-sgd', '--json', out, '--quiet', '--backend', 'cpu']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { runs: Array<{ rounds: Array<{ nodes: Array<{ batch: number; threads: number; ioQueue: number }> }> }> };
    const allocations = (r: (typeof json.runs)[number]) => r.rounds.map((round) => round.nodes.map((node) => [node.batch, node.threads, node.ioQueue]));
    expect(allocations(json.runs[0]!)).toEqual(Array.from({ length: 3 }, () => [[8, 1, 1], [8, 1, 1], [8, 1, 1]]));
    expect(allocations(json.runs[1]!)).toEqual(Array.from({ length: 3 }, () => [[32, 4, 8], [32, 4, 8], [32, 4, 8]]));
  });
});

describe('a plug-in stage that never returns', () => {
  const busy = ['--plugin', `${FIXTURES}/busy-stage.mjs`, '--strategy', 'busy/fixed/mean', '--backend', 'cpu'];
  it.each([
    ['simulate', 'SIGINT', ['simulate', SCENARIO, ...busy, '--quiet']],
    ['simulate', 'SIGTERM', ['simulate', SCENARIO, ...busy, '--quiet']],
    ['explain', 'SIGINT', ['explain', SCENARIO, ...busy, '--round', '2']],
  ] as const)('%s, %s while the stage loops: the signal ends the process at once (its default action)', async (_command, signal, args) => {
    let sent = 0;
    let safety: NodeJS.Timeout | undefined;
    const result = await runCli([...args], {
      cwd: ROOT,
      onStderr: (chunk, pid) => {
        if (sent !== 0 || !chunk.includes('busy: looping')) return;
        sent = Date.now();
        process.kill(pid, signal);
        // without the fix nothing but SIGKILL ends it: the test fails instead of hanging
        safety = setTimeout(() => process.kill(pid, 'SIGKILL'), 10_000);
      },
    });
    clearTimeout(safety);
    expect(sent).not.toBe(0);
    expect(result.signal).toBe(signal);
    expect(Date.now() - sent).toBeLessThan(5_000);
  }, 60_000);
});

describe('a plug-in that ends its sweep worker', () => {
  it('process.exit() in a worker fails the run it was running; a new worker runs the others; exit 1, no stack', async () => {
    const dir = scratch();
    const out = join(dir, 'sweep');
    const result = await runCli(['sweep', SCENARIO, '--plugin', `${FIXTURES}/exits-once.mjs`, '--strategy', 'exits-once/fixed/mean', '--set', 'seed=1,2,3', '--jobs', '1', '--backend', 'cpu', '--out', out], {
      cwd: ROOT,
      env: { DTRAIN_TEST_EXIT_MARK: join(dir, 'exited') },
    });
    expect(result.stderr).not.toMatch(STACK_TRACE);
    const failed = 'its worker thread exited with code 3 during the run (a plug-in calling process.exit() does this)';
    expect(result.stderr).toContain(`[1/3] exits-once/fixed/mean · seed=1 · failed: ${failed}\n`);
    expect(result.stderr).toMatch(new RegExp(`\\nerror: 1 of 3 runs failed; no summary\\.csv written\\n[0-9a-f]{16}\\.json: ${failed.replace(/[()]/g, '\\$&')}\\n$`));
    expect(result.status).toBe(1);
    expect(readdirSync(out).filter((name) => /^[0-9a-f]{16}\.json$/.test(name))).toHaveLength(2);
  }, 60_000);
});

describe('a plug-in that never finishes loading', () => {
  it('whose registration never settles: exit 1 with a word, not a silent 0', async () => {
    const result = await run(['simulate', SCENARIO, '--plugin', `${FIXTURES}/never-settles.mjs`, '--quiet', '--backend', 'cpu']);
    expect(result.stderr).toBe("error: the command stopped before it finished (something it waited for never settled, e.g. a plug-in's promise)\n");
    expect(result.status).toBe(1);
  });

  it('that never yields: SIGTERM still ends the process (signals keep their default while plug-ins load)', async () => {
    const result = await runCli(['simulate', SCENARIO, '--plugin', `${FIXTURES}/busy-loop.mjs`, '--quiet', '--backend', 'cpu'], {
      cwd: ROOT,
      onSpawn: (pid) => setTimeout(() => process.kill(pid, 'SIGTERM'), 1500),
    });
    // ended: by the default action while the plug-in spins, or with 130 if the signal came first
    expect(result.signal === 'SIGTERM' || result.status === 130, JSON.stringify([result.signal, result.status])).toBe(true);
  }, 30_000);
});
