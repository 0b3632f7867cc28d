/**
 * The playground's simulator session (src/browser/session.ts) on the browser host
 * (src/browser/host.ts) over the files the build bundles, run in Node: the same core, the
 * browser's host. The report it sends must be the CLI's byte for byte; the controls act at
 * round boundaries; bad input answers with the CLI's located messages and runs nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBrowserHost } from '../../src/browser/host.js';
import type { FromWorker, JsonRound, RoundMessage, ToWorker } from '../../src/browser/protocol.js';
import { createSession } from '../../src/browser/session.js';
import { BROWSER_BASE } from '../../src/browser/browser-estimate.js';
import { datasetShape } from '../../src/limits/dataset-shape.js';
import { estimateRun } from '../../src/limits/estimate.js';
import { parseScenarioText } from '../../src/scenario/load.js';
// @ts-expect-error: a plain .mjs script without types
import { collectBundle } from '../../scripts/build-playground.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'dtrain.js');

interface Bundle {
  meta: { version: string; node: string; tfjs: string };
  files: Record<string, string>;
  scenarios: Array<{ name: string; file: string; description: string; yaml: string }>;
}
const bundle = collectBundle(ROOT) as Bundle;
const quickstart = bundle.scenarios.find((scenario) => scenario.name === 'quickstart')!;

function session(): { messages: FromWorker[]; run: ReturnType<typeof createSession>; of: <T extends FromWorker['type']>(type: T) => Array<Extract<FromWorker, { type: T }>> } {
  const messages: FromWorker[] = [];
  const host = createBrowserHost({ files: new Map(Object.entries(bundle.files)) });
  const run = createSession({
    host, post: (message) => messages.push(structuredClone(message)), meta: bundle.meta, scenarios: bundle.scenarios, backend: 'wasm',
    now: () => performance.now(),
  });
  const of = <T extends FromWorker['type']>(type: T) => messages.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
  return { messages, run, of };
}

function cliJson(args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-playground-'));
  const out = join(dir, 'out.json');
  execFileSync(process.execPath, [CLI, 'simulate', ...args, '--backend', 'wasm', '--json', out, '--quiet'], { cwd: ROOT, stdio: 'pipe' });
  return readFileSync(out, 'utf8');
}

function cliJsonIn(cwd: string, args: string[]): string {
  const out = join(mkdtempSync(join(tmpdir(), 'dtrain-playground-')), 'out.json');
  execFileSync(process.execPath, [CLI, 'simulate', ...args, '--backend', 'wasm', '--json', out, '--quiet'], { cwd, stdio: 'pipe' });
  return readFileSync(out, 'utf8');
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((done) => setTimeout(done, 5));
  expect(check()).toBe(true);
}

describe('the playground session', () => {
  it('the bundle lists quickstart first, every bundled scenario, their traces and the datasets', () => {
    expect(bundle.scenarios[0]!.name).toBe('quickstart');
    expect(bundle.scenarios.map((s) => s.file)).toContain('scenarios/trace-replay.yaml');
    expect(Object.keys(bundle.files)).toEqual(expect.arrayContaining(['scenarios/traces/bursty_loss.csv', 'data/datasets/iris.csv', 'data/datasets/digits.csv']));
    expect(bundle.meta.node).toBe(process.version);
  });

  it('a run of quickstart sends every round as the JSON writes it and a report byte-identical to simulate --json', async () => {
    const { run, of } = session();
    await run.run({ type: 'run', yaml: quickstart.yaml });
    const cli = cliJson(['scenarios/quickstart.yaml']);
    const done = of('done');
    expect(done).toHaveLength(1);
    expect(done[0]!.json).toBe(cli);
    expect(done[0]!.fileName).toBe('quickstart.json');
    const report = JSON.parse(cli) as { runs: Array<{ strategy: { name: string }; rounds: unknown[] }> };
    const rounds = of('round');
    expect(rounds.map((m) => m.round)).toEqual(report.runs.flatMap((r) => r.rounds));
    expect(rounds.map((m) => m.strategy)).toEqual(report.runs.flatMap((r) => r.rounds.map(() => r.strategy.name)));
    const start = of('start')[0]!;
    expect(start.strategies).toEqual(report.runs.map((r) => r.strategy.name));
    expect(start.scenario).toEqual({ name: 'quickstart', file: 'scenarios/quickstart.yaml', seed: 7 });
    expect(of('state').map((m) => m.state)).toEqual(['running', 'done']);
    // the timeline of a round tiles it, node by node
    const first = rounds[0]! as RoundMessage;
    // one local step a round: nothing between steps to mark
    expect(first.timeline.flatMap((t) => t.phases).some((phase) => phase.stepEndsMs !== undefined)).toBe(false);
    for (const { phases } of first.timeline) {
      expect(phases[0]!.startMs).toBe(first.round.startMs);
      expect(phases[phases.length - 1]!.endMs).toBe(first.round.endMs);
    }
  });

  it('a chosen pair of strategies is the CLI\'s --strategy run, byte for byte (trace-replay reads its bundled trace)', async () => {
    const { run, of } = session();
    const scenario = bundle.scenarios.find((s) => s.name === 'trace-replay')!;
    await run.run({ type: 'run', yaml: scenario.yaml, strategies: ['sync-sgd', 's1s4'] });
    expect(of('failed')).toEqual([]);
    expect(of('done')[0]!.json).toBe(cliJson(['scenarios/trace-replay.yaml', '--strategy', 'sync-sgd,s1s4']));
  });

  it('explain answers with dtrain explain\'s text for a node and a round', async () => {
    const { run, of } = session();
    await run.run({ type: 'run', yaml: quickstart.yaml });
    await run.explain(7, 's1s4', 'c', 3);
    const cli = execFileSync(process.execPath, [CLI, 'explain', 'scenarios/quickstart.yaml', '--strategy', 's1s4', '--round', '3', '--node', 'c', '--backend', 'wasm'], { cwd: ROOT, encoding: 'utf8' });
    expect(of('explain')).toEqual([{ type: 'explain', requestId: 7, text: cli }]);
    await run.explain(8, 's1s4', 'zz', 3);
    expect(of('explain')[1]!.error).toMatch(/^unknown node 'zz': expected one of /);
  });

  it('validate sends the located messages of dtrain validate, and an invalid run runs nothing', async () => {
    const { run, of } = session();
    const broken = quickstart.yaml.replace(/^rounds: \d+$/m, 'rounds: -3');
    run.handle({ type: 'validate', requestId: 4, yaml: broken });
    const issues = of('issues')[0]!;
    expect(issues.requestId).toBe(4);
    expect(issues.issues.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-playground-'));
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, broken);
    let stderr = '';
    try {
      execFileSync(process.execPath, [CLI, 'validate', 'scenario.yaml'], { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(stderr).toContain(issues.issues.map((issue) => issue.text).join('\n'));
    expect(issues.issues[0]).toMatchObject({ field: 'rounds', text: expect.stringMatching(/^scenario\.yaml:\d+:\d+  rounds: expected /) });
    expect(issues.scenario).toBeUndefined();
    await run.run({ type: 'run', yaml: broken });
    expect(of('start')).toEqual([]);
    expect(of('issues')[1]!.requestId).toBe(-1);
    expect(of('issues')[1]!.scenario).toBeUndefined();
  });
});

describe('the playground session: what the page learns of a valid scenario', () => {
  function summary(yaml: string): unknown {
    const { run, of } = session();
    run.handle({ type: 'validate', requestId: 1, yaml });
    const [answer] = of('issues');
    expect(answer!.issues.map((issue) => issue.text)).toEqual([]);
    return answer!.scenario;
  }
  const text = (name: string): string => bundle.scenarios.find((s) => s.name === name)!.yaml;

  it('the bundled scenarios: strategies named as the run names them, rounds, nodes, target and local steps', () => {
    expect(summary(quickstart.yaml)).toEqual({ name: 'quickstart', strategies: ['s1s4', 'sync-sgd'], rounds: 30, nodeCount: 4, targetAccuracy: 0.9, localSteps: 1 });
    expect(summary(text('straggler'))).toMatchObject({ strategies: ['s1s4', 'sync-sgd', 'fixed/cores/mean', 'lb-bsp'], targetAccuracy: 0.9 });
    expect(summary(quickstart.yaml.replace(/^targetAccuracy:.*$/m, ''))).toMatchObject({ targetAccuracy: null });
    expect(summary(text('shared-server'))).toMatchObject({ localSteps: 5 });
  });

  it('presets, stage picks and names given; a stage pick equal to a preset gets the preset\'s name', () => {
    const base = quickstart.yaml.replace(/^compare:.*$/m, '');
    expect(base).not.toMatch(/^compare:/m);
    const names = (picks: string) => (summary(`${base}\n${picks}\n`) as { strategies: string[] }).strategies;
    expect(names('compare: [s1s4, { batch: fixed, resources: fixed, aggregation: mean, name: plain }]')).toEqual(['s1s4', 'plain']);
    expect(names('compare: [{ batch: efficiency, resources: pressure, aggregation: volatility }]')).toEqual(['s1s4']);
    expect(names('strategy: fedavg')).toEqual(['fedavg']);
    expect(names('')).toEqual(['s1s4']);
  });

  it('a run\'s start carries the target accuracy and local steps it runs with; the timeline marks where each local step ended', async () => {
    const { run, of } = session();
    await run.run({ type: 'run', yaml: text('shared-server').replace(/^rounds: \d+$/m, 'rounds: 1'), strategies: ['s1s4'] });
    expect(of('failed')).toEqual([]);
    // shared-server: 5 local steps, no slowdown: 4 marks, evenly spaced in the JSON's compute time
    const [round] = of('round');
    const golden = JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'shared-server.json'), 'utf8')) as { runs: Array<{ rounds: JsonRound[] }> };
    const nodes = golden.runs[0]!.rounds[0]!.nodes as Array<{ id: string; participated: boolean; downloadEndMs: number; computeMs: number }>;
    expect(round!.timeline.map((t) => t.node)).toEqual(nodes.map((n) => n.id));
    round!.timeline.forEach(({ phases }, i) => {
      const node = nodes[i]!;
      if (!node.participated) return;
      const compute = phases.filter((phase) => phase.kind === 'compute');
      expect(compute).toHaveLength(1);
      const ends = compute[0]!.stepEndsMs!;
      expect(ends).toHaveLength(4);
      ends.forEach((endMs, k) => expect(endMs).toBeCloseTo(node.downloadEndMs + ((k + 1) * node.computeMs) / 5, 6));
    });
    expect(round!.timeline.flatMap((t) => t.phases).filter((p) => p.kind !== 'compute' && p.stepEndsMs !== undefined)).toEqual([]);
    expect(of('issues')[0]).toMatchObject({ requestId: -1, issues: [], scenario: { name: 'shared-server', localSteps: 5 } });
    expect(of('start')[0]).toMatchObject({ strategies: ['s1s4'], rounds: 1, localSteps: 5, targetAccuracy: 0.85 });
  });
});

describe('the playground session: controls and bad input', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'dtrain-playground-'));

  it('a run that diverges shows the CLI\'s message and keeps its finished rounds; its JSON is the CLI\'s', async () => {
    const yaml = quickstart.yaml.replace(/learningRate: [\d.]+/, 'learningRate: 100');
    writeFileSync(join(scratch, 'scenario.yaml'), yaml);
    const { run, of } = session();
    await run.run({ type: 'run', yaml });
    const failed = of('failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toMatch(/^s1s4: training diverged in round 10: the aggregated model's test loss is \w+ .* \(rounds 1–9 are kept in the views and the JSON\)\nhint: lower model\.learningRate$/);
    expect(failed[0]!.finishedRounds).toBe(9);
    expect(of('round').map((m) => m.round.round)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(of('done')).toEqual([]);
    expect(of('state').map((m) => m.state)).toEqual(['running', 'failed']);
    const out = join(scratch, 'diverged.json');
    const cli = spawnSync(process.execPath, [CLI, 'simulate', 'scenario.yaml', '--backend', 'wasm', '--json', out, '--quiet'], { cwd: scratch, encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(failed[0]!.json).toBe(readFileSync(out, 'utf8'));
  });

  it('an edited scenario is scenario.yaml beside the bundled ones: an edited trace-replay still reads its trace, and runs as the CLI runs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-playground-'));
    const yaml = bundle.scenarios.find((s) => s.name === 'trace-replay')!.yaml.replace(/thresholdMs: \d+/, 'thresholdMs: 30').replace(/^rounds: \d+$/m, 'rounds: 4');
    expect(yaml).toContain('thresholdMs: 30');
    writeFileSync(join(dir, 'scenario.yaml'), yaml);
    symlinkSync(join(ROOT, 'scenarios', 'traces'), join(dir, 'traces'));
    const { run, of } = session();
    await run.run({ type: 'run', yaml });
    expect(of('failed')).toEqual([]);
    expect(of('start')[0]!.scenario.file).toBe('scenario.yaml');
    expect(of('done')[0]!.json).toBe(cliJsonIn(dir, ['scenario.yaml']));
  });

  it('a scenario naming a file that is not bundled gets validate\'s located message and does not run', async () => {
    const yaml = bundle.scenarios.find((s) => s.name === 'trace-replay')!.yaml.replace('trace: traces/bursty_loss.txt', 'trace: traces/mine.txt');
    writeFileSync(join(scratch, 'scenario.yaml'), yaml);
    mkdirSync(join(scratch, 'traces'), { recursive: true });
    const { run, of } = session();
    await run.run({ type: 'run', yaml });
    const cli = spawnSync(process.execPath, [CLI, 'validate', 'scenario.yaml'], { cwd: scratch, encoding: 'utf8' });
    const issues = of('issues')[0]!.issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.text).toMatch(/^scenario\.yaml:\d+:\d+  cluster\.nodes\[\d\]\.latency\.trace: expected .*found no such file/);
    // the CLI names the path it resolved; the rest of the line is the same
    const line = cli.stderr.split('\n').find((l) => l.startsWith('scenario.yaml:'))!;
    expect(issues[0]!.text.replace(/\S*traces\/mine\.txt/, 'PATH')).toBe(line.replace(/\S*traces\/mine\.txt/, 'PATH'));
    expect(of('start')).toEqual([]);
  });

  it('a node whose rounds overflow beside a burst link: the estimate is without bound, says so and names the node, never Infinity or NaN', async () => {
    const yaml = 'rounds: 2\ndata: { dataset: iris }\ncluster:\n  nodes:\n    - { id: a, latency: { constant: 5 } }\n    - { id: z, latency: { constant: 1e308 } }\n    - { id: b, latency: { burst: { good: 5, bad: 300, toBad: 0.1, toGood: 0.5 } } }\n';
    const { run, of } = session();
    await run.run({ type: 'run', yaml });
    expect(of('estimate')).toHaveLength(1);
    const { text, needsConfirm } = of('estimate')[0]!;
    expect(needsConfirm).toBe(true);
    expect(text).toContain('node z');
    expect(text).toContain(' and memory without bound; ');
    expect(text).not.toMatch(/Infinity|NaN/);
    expect(of('start')).toEqual([]);
  });

  it('a huge scenario gets the estimate and waits for a confirmation; confirmed, it starts, and reset stops it', async () => {
    const yaml = bundle.scenarios.find((s) => s.name === 'large-cluster')!.yaml.replace(/^rounds: \d+$/m, 'rounds: 1000');
    const { run, of } = session();
    await run.run({ type: 'run', yaml });
    expect(of('estimate')).toHaveLength(1);
    expect(of('estimate')[0]!.needsConfirm).toBe(true);
    expect(of('estimate')[0]!.text).toMatch(/^this run needs an estimated .* over the budget of .*\n[^]*estimated .* of compute and .* of memory; the compute time assumes a nominal 24 GFLOP\/s for each node's first local step and 20 GFLOP\/s for later ones \(plus a few µs a node, a layer and a step\), and errs on the high side \(in a browser a run often takes less\); Pause and Reset stop it at any round\.\nRun it anyway\?$/);
    expect(of('start')).toEqual([]);
    const confirmed = run.run({ type: 'run', yaml, confirmed: true });
    await until(() => of('round').length >= 1);
    run.handle({ type: 'reset' });
    await confirmed;
    const rounds = of('round').length;
    expect(of('state').map((m) => m.state)).toEqual(['running', 'idle']);
    expect(of('done')).toEqual([]);
    expect(of('failed')).toEqual([]);
    await new Promise((done) => setTimeout(done, 50));
    expect(of('round').length).toBe(rounds);
  });

  it('the estimate speaks of the tab, not of Node.js: no start-up part, the base memory is the tab\'s', () => {
    const host = createBrowserHost({ files: new Map(Object.entries(bundle.files)) });
    const scenario = parseScenarioText(bundle.scenarios.find((s) => s.name === 'large-cluster')!.yaml, 'scenarios/large-cluster.yaml', { host });
    const cli = estimateRun(scenario, datasetShape(scenario.data.dataset), { json: true, trace: true });
    const tab = estimateRun(scenario, datasetShape(scenario.data.dataset), { json: true, trace: true, base: BROWSER_BASE });
    expect(cli.timeParts.map((p) => p.what)).toContain('starting Node.js and TF.js');
    expect(JSON.stringify(tab)).not.toContain('Node.js');
    expect(tab.memoryParts[0]).toEqual({ what: 'the simulator and TF.js in this tab', value: 200 * 1024 ** 2 });
    expect(tab.timeParts.length).toBe(cli.timeParts.length - 1);
    expect(tab.seconds).toBeCloseTo(cli.seconds - 1, 9);
    // the CLI's young generation is its own start-up setting; a tab's is the browser's
    const young = cli.memoryParts.find((p) => p.what === "V8's young generation (a round's short-lived objects)")!;
    expect(tab.memoryParts).not.toContainEqual(young);
    expect(tab.memoryBytes).toBe(cli.memoryBytes - young.value);
  });

  it('a round large enough for the CLI\'s second engine thread counts none in the tab (one engine, one Web Worker)', () => {
    const host = createBrowserHost({ files: new Map(Object.entries(bundle.files)) });
    // 4,096 nodes × 340 parameters = 1,392,640 values, above the 2^20 from which the CLI starts its helper
    const scenario = parseScenarioText(`
rounds: 2
data: { dataset: { blobs: { samples: 8000, features: 16, classes: 4 } } }
model: { hidden: [16] }
cluster:
  nodes:
    - { id: n, count: 4096, latency: { constant: 5 } }
`, 'big.yaml', { host });
    const cli = estimateRun(scenario, datasetShape(scenario.data.dataset), { json: true, trace: true });
    const tab = estimateRun(scenario, datasetShape(scenario.data.dataset), { json: true, trace: true, base: BROWSER_BASE });
    const helper = 'the second engine thread (its own TF.js)';
    const young = "V8's young generation (a round's short-lived objects)";
    expect(cli.memoryParts.find((part) => part.what === helper)).toEqual({ what: helper, value: 128 * 1024 ** 2 });
    expect(cli.memoryParts.find((part) => part.what === young)).toEqual({ what: young, value: 4096 * 1550 });
    expect(tab.memoryParts.map((part) => part.what)).not.toContain(helper);
    // the gradient kernels: two engine threads' (2 model copies each) and 4 copies of past rounds in the CLI, one thread's in the tab
    const kernels = (parts: typeof cli.memoryParts) => parts.find((part) => part.what.startsWith("the gradient kernels'"));
    expect(kernels(cli.memoryParts)).toEqual({ what: "the gradient kernels' memory and rounds not yet collected (8 model copies: both engine threads)", value: 340 * 4 * 8 });
    expect(kernels(tab.memoryParts)).toEqual({ what: "the gradient kernels' memory and rounds not yet collected (6 model copies: one engine thread)", value: 340 * 4 * 6 });
    const rest = (parts: typeof cli.memoryParts) => parts.slice(1).filter((part) => part.what !== helper && part.what !== young && part !== kernels(parts));
    expect(rest(tab.memoryParts)).toEqual(rest(cli.memoryParts));
    expect(cli.memoryBytes - tab.memoryBytes).toBe(134_217_728 + 4096 * 1550 + 340 * 4 * 2);
    // S4's histories among them: 4,096 nodes × (2 norms × 8 + 4) B = 81,920 B; and 2 rounds' summaries of 2,048 B;
    // the tab keeps its rounds' records: 8,192 node-rounds × 3,000 B (+ 20 samples × 16 B with --trace)
    const records = 8192 * (3000 + 20 * 16);
    expect(tab.memoryParts.find((part) => part.what === 'per-node round records (8,192 node-rounds)')?.value).toBe(records);
    // and one thread's gradient kernels and past rounds: 6 copies of 340 parameters
    expect(tab.memoryBytes - records).toBe(237_364_384 + 2 * 2048 + 340 * 4 * 6);
  });

  it('a scenario whose report cannot be one string is refused before it runs', async () => {
    const yaml = bundle.scenarios.find((s) => s.name === 'large-cluster')!.yaml.replace(/^rounds: \d+$/m, 'rounds: 50000');
    const { run, of } = session();
    await run.run({ type: 'run', yaml, confirmed: true });
    expect(of('failed')).toEqual([{ type: 'failed', message: expect.stringMatching(/^the JSON report would be about [\d.]+ GiB, more than the [\d.]+ MiB one JavaScript string can hold\nhint: run fewer rounds or nodes$/), finishedRounds: 0 }]);
    expect(of('start')).toEqual([]);
  });

  it('paused, nothing runs; each step runs exactly one round; resume runs to the end', async () => {
    const yaml = quickstart.yaml.replace(/^rounds: \d+$/m, 'rounds: 3');
    const { run, of } = session();
    const running = run.run({ type: 'run', yaml, paused: true });
    await until(() => of('state').length === 1);
    await new Promise((done) => setTimeout(done, 100));
    expect(of('round')).toEqual([]);
    run.handle({ type: 'step' });
    await until(() => of('round').length === 1);
    await new Promise((done) => setTimeout(done, 100));
    expect(of('round')).toHaveLength(1);
    run.handle({ type: 'step' });
    await until(() => of('round').length === 2);
    await new Promise((done) => setTimeout(done, 100));
    expect(of('round')).toHaveLength(2);
    run.handle({ type: 'resume' });
    await running;
    expect(of('round')).toHaveLength(6);
    expect(of('done')).toHaveLength(1);
    // states are changes: a step from paused runs a round and stays paused
    expect(of('state').map((m) => m.state)).toEqual(['paused', 'running', 'done']);
    // pausing a finished run changes nothing
    run.handle({ type: 'pause' });
    expect(of('state').at(-1)!.state).toBe('done');
  });

  it('Pause between two paced rounds stops the run before the next: `paused` comes after the last round, nothing after it until resume', async () => {
    const yaml = quickstart.yaml.replace(/^rounds: \d+$/m, 'rounds: 3');
    const messages: FromWorker[] = [];
    const host = createBrowserHost({ files: new Map(Object.entries(bundle.files)) });
    let waits = 0;
    const paced = createSession({
      host, post: (message) => messages.push(structuredClone(message)), meta: bundle.meta, scenarios: bundle.scenarios, backend: 'wasm',
      now: () => performance.now(),
      sleep: (ms) => {
        // Pause clicked while the worker waits before round 2
        waits += 1;
        if (waits === 1) paced.handle({ type: 'pause' });
        return new Promise((done) => setTimeout(done, ms));
      },
    });
    paced.handle({ type: 'speed', roundsPerSecond: 4 });
    const running = paced.run({ type: 'run', yaml });
    await until(() => messages.some((m) => m.type === 'state' && m.state === 'paused'));
    await new Promise((done) => setTimeout(done, 400));
    const seen = (): unknown[] => messages.filter((m) => m.type === 'round' || m.type === 'state')
      .map((m) => (m.type === 'round' ? m.round.round : m.type === 'state' ? m.state : null));
    expect(seen()).toEqual(['running', 1, 'paused']);
    paced.handle({ type: 'resume' });
    await running;
    expect(seen()).toEqual(['running', 1, 'paused', 'running', 2, 3, 1, 2, 3, 'done']);
  });

  it('Step while running: the round under way and one more, then `paused` after both', async () => {
    const yaml = quickstart.yaml.replace(/^rounds: \d+$/m, 'rounds: 4');
    const { run, of, messages } = session();
    run.handle({ type: 'speed', roundsPerSecond: 4 });
    const running = run.run({ type: 'run', yaml });
    await until(() => of('round').length === 1);
    run.handle({ type: 'step' });
    await until(() => of('state').length === 2);
    await new Promise((done) => setTimeout(done, 400));
    expect(messages.slice(-3).map((m) => m.type === 'round' ? m.round.round : m.type === 'state' ? m.state : m.type)).toEqual([1, 2, 'paused']);
    run.handle({ type: 'reset' });
    await running;
    expect(of('state').map((m) => m.state)).toEqual(['running', 'paused', 'idle']);
  });

  it('a speed paces the rounds: the worker waits out 1/speed seconds between them', async () => {
    const yaml = quickstart.yaml.replace(/^rounds: \d+$/m, 'rounds: 3');
    const waits: number[] = [];
    let clock = 0;
    const messages: FromWorker[] = [];
    const host = createBrowserHost({ files: new Map(Object.entries(bundle.files)) });
    const paced = createSession({
      host, post: (message) => messages.push(message), meta: bundle.meta, scenarios: bundle.scenarios, backend: 'wasm',
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    paced.handle({ type: 'speed', roundsPerSecond: 4 });
    await paced.run({ type: 'run', yaml });
    // every round but the very first waits 250 ms, across strategies too (the clock stands still while a round runs)
    expect(waits).toEqual([250, 250, 250, 250, 250]);
    paced.handle({ type: 'speed', roundsPerSecond: null });
    waits.length = 0;
    await paced.run({ type: 'run', yaml });
    expect(waits).toEqual([]);
  });
});
