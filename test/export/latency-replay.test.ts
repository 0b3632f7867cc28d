/**
 * Property: `dtrain export latency --format csv` replays identically. For generated valid
 * scenarios (every latency process, burst, loss, down and phases included, integer and
 * fractional grids), one node's series is exported up to the last time the run looked its
 * latency up; a scenario naming that CSV as `{ trace: FILE, loop: false }` for that node is
 * loaded through the real loader and run again (stub engine, the real round loop): every
 * round of every strategy gives that node the same S1 samples, efficiency and batch — and
 * the whole run's JSON is byte-identical.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latencyCsv, latencySeries } from '../../src/export/latency-series.js';
import { parseScenarioText } from '../../src/node/load.js';
import { nodeHost } from '../../src/node/host.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import { toJsonReport } from '../../src/report/json.js';
import { runStrategy } from '../../src/run/loop.js';
import { buildNetwork } from '../../src/run/network.js';
import type { LatencySpec, Scenario } from '../../src/scenario/types.js';
import type { RunResult, StrategyRun } from '../../src/sim/records.js';
import type { LatencyModel } from '../../src/sim/latency/index.js';
import { prepareTraining } from '../../src/train/prepare.js';
import { type GeneratedScenario, scenarioArb, scenarioYaml } from '../properties/arbitraries.js';
import { assertProperty, checkParams, loadGenerated, stubEngineFactory, WORK_DIR } from '../properties/harness.js';

const PARAMS = checkParams(150, 20_260_113);

/** Runs every strategy with the stub engine on the given latency models (as runScenario does). */
async function runWith(scenario: Scenario, latency: LatencyModel[]): Promise<RunResult> {
  const prepared = prepareTraining({ data: scenario.data, nodes: scenario.cluster.nodes, seed: scenario.seed, hidden: scenario.model.hidden, shipped: nodeHost.shippedDataset });
  const createEngine = stubEngineFactory(() => {});
  const runs: StrategyRun[] = [];
  for (const strategy of scenario.strategies) {
    const run = await runStrategy({ scenario, strategy, stages: createStageRegistry().resolve(strategy), prepared, network: () => ({ latency, slowdowns: [] }), createEngine, backend: 'stub', trace: true });
    runs.push(run);
    if (run.diverged !== undefined) return { scenario, runs, diverged: { strategy: strategy.name, ...run.diverged } };
  }
  return { scenario, runs };
}

/** The scenario's node entries with `count` groups written out, one entry per node (same ids, same order). */
function expandedNodes(doc: Record<string, unknown>): Record<string, unknown>[] {
  const cluster = doc.cluster as { nodes: Record<string, unknown>[] };
  const nodes: Record<string, unknown>[] = [];
  for (const entry of cluster.nodes) {
    const { count, ...fields } = entry as { count?: number } & Record<string, unknown>;
    if (count === undefined) nodes.push(fields);
    else for (let j = 1; j <= count; j++) nodes.push({ ...fields, id: `${String(fields.id)}-${j}` });
  }
  return nodes;
}

/** What kinds of process and modifier a spec uses, at any depth of phases. */
function kindsOf(spec: LatencySpec, into: Set<string>): void {
  into.add(spec.process.kind);
  if (spec.loss > 0) into.add('loss');
  if (spec.down.length > 0) into.add('down');
  if (spec.process.kind === 'phases') for (const phase of spec.process.phases) kindsOf(phase.latency, into);
}

const seen = new Set<string>();
let replayCount = 0;

async function replayIsIdentical(drawn: GeneratedScenario, pick: number, resolution: number | null): Promise<void> {
  // a copy: fast-check reuses the drawn value while shrinking
  const generated = resolution === null
    ? drawn
    : { ...drawn, doc: { ...drawn.doc, cluster: { ...(drawn.doc.cluster as Record<string, unknown>), latencyResolutionMs: resolution } } };
  const scenario = loadGenerated(generated);
  const index = pick % scenario.cluster.nodes.length;
  const node = scenario.cluster.nodes[index]!;
  kindsOf(node.latency, seen);

  // the original run, remembering the latest time the node's latency was looked up
  let latestMs = -Infinity;
  const network = buildNetwork(scenario);
  const watched = network[index]!;
  network[index] = { at: (t) => { latestMs = Math.max(latestMs, t); return watched.at(t); } };
  const original = await runWith(scenario, network);

  const durationMs = latestMs > 0 ? latestMs : scenario.cluster.latencyResolutionMs;
  const csv = latencyCsv(latencySeries(scenario, node.id, durationMs));
  const traceName = `export-${replayCount++}.csv`;
  writeFileSync(join(WORK_DIR, traceName), csv);

  const nodes = expandedNodes(generated.doc);
  nodes[index] = { ...nodes[index], latency: { trace: traceName, loop: false } };
  const doc = { ...generated.doc, cluster: { ...(generated.doc.cluster as Record<string, unknown>), nodes } };
  const replayScenario = parseScenarioText(scenarioYaml({ doc, traces: {} }), join(WORK_DIR, 'generated.yaml'), { baseDir: WORK_DIR });
  expect(replayScenario.cluster.nodes.map((n) => n.id)).toEqual(scenario.cluster.nodes.map((n) => n.id));
  expect(replayScenario.cluster.nodes[index]!.latency.process.kind).toBe('trace');
  const replay = await runWith(replayScenario, buildNetwork(replayScenario));

  expect(replay.runs.length).toBe(original.runs.length);
  original.runs.forEach((run, r) => {
    expect(replay.runs[r]!.rounds.length).toBe(run.rounds.length);
    run.rounds.forEach((round, t) => {
      const before = round.nodes[index]!;
      const after = replay.runs[r]!.rounds[t]!.nodes[index]!;
      const where = `strategy ${run.strategy.name}, round ${t + 1}, node ${node.id}`;
      expect(JSON.stringify(after.samplesMs), where).toBe(JSON.stringify(before.samplesMs));
      expect(after.efficiency, where).toBe(before.efficiency);
      expect(after.batch, where).toBe(before.batch);
    });
  });
  const json = (result: RunResult): string => toJsonReport(result, { version: 'test', trace: true, timing: false });
  expect(json(replay)).toBe(json(original));
}

describe('dtrain export latency --format csv', () => {
  it(`replays as trace: FILE, loop: false with identical S1 samples, efficiencies and batches (${PARAMS.numRuns} scenarios)`, async () => {
    const property = fc.asyncProperty(
      scenarioArb({ maxRounds: 4, anyModel: false }),
      fc.nat(),
      fc.option(fc.constantFrom(0.7, 2.5, 7.3, 33.3, 0.1 * 3), { nil: null, freq: 3 }),
      replayIsIdentical,
    );
    await assertProperty('export latency replay', property, PARAMS);
    // the generated processes reached every kind the replay must survive
    for (const kind of ['burst', 'phases', 'loss', 'down', 'trace', 'normal', 'periodic']) expect([...seen], kind).toContain(kind);
  }, 600_000);
});
