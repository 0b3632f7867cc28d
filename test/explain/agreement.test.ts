/**
 * `dtrain explain` must agree with the JSON of the same run: a small scenario is run (with
 * every path — retries, deadline drops, e = 0, a weight cap, FedAvg and sync-sgd), every
 * round of every strategy is explained, and each number printed is checked against the
 * schema-version-1 JSON at the printed precision.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HistoryStream } from '../../src/explain/history.js';
import { explainKeptRound, explainRound } from '../../src/explain/round.js';
import { detectRunInsights, InsightStream } from '../../src/insights/index.js';
import { runScenario } from '../../src/index.js';
import { toJsonReport } from '../../src/report/json.js';
import { loadScenario, parseScenarioText } from '../../src/node/load.js';
import type { Scenario } from '../../src/scenario/types.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import type { RoundRecord, RunResult, RunSetting } from '../../src/sim/records.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'tiny.yaml');

interface JsonNode {
  id: string; efficiency: number; effectiveMs: number; observedMs: number; samplesMs: Array<number | null>;
  batch: number; plannedBatch: number; responseMs: number | null; pressure: number; threads: number; ioQueue: number;
  participated: boolean; finishMs: number | null; gradNorm: number | null; volatility: number | null; weight: number;
  dropReason: string | null; droppedAtMs: number | null; downloadEndMs: number | null; computeEndMs: number | null;
}
interface JsonRound { round: number; startMs: number; endMs: number; skipped: boolean; loss: number; accuracy: number; nodes: JsonNode[] }
interface JsonRun { strategy: { name: string }; rounds: JsonRound[] }

/** The printed number equals the value rounded to the printed number of decimals. */
function agrees(printed: string, value: number | null | undefined): void {
  expect(value, `no JSON value for printed ${printed}`).not.toBeNull();
  const decimals = printed.includes('.') ? printed.length - printed.indexOf('.') - 1 : 0;
  const tolerance = 0.5 * 10 ** -decimals + 1e-9;
  expect(Math.abs(Number(printed) - value!), `${printed} vs ${value}`).toBeLessThanOrEqual(tolerance);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const m = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

type Section = 'head' | 'S1' | 'S3' | 'Timeline' | 'S4' | 'Evaluation' | 'Notable';

function sectionOf(line: string, current: Section): Section {
  for (const name of ['S1', 'S3', 'Timeline', 'S4', 'Evaluation', 'Notable'] as const) if (line.startsWith(name)) return name;
  return current;
}

/** Checks one explanation against the JSON; returns how many numbers it checked. */
function checkExplanation(text: string, run: JsonRun, round: number, scenario: Scenario): number {
  const record = run.rounds[round - 1]!;
  const byId = new Map(record.nodes.map((n) => [n.id, n]));
  let checked = 0;
  const check = (printed: string, value: number | null | undefined): void => { agrees(printed, value); checked += 1; };
  let section: Section = 'head';
  let node: JsonNode | undefined;
  const seen = { S1: new Set<string>(), S3: new Set<string>(), Timeline: new Set<string>(), S4: new Set<string>() };
  let barrier = false;

  for (const line of text.split('\n')) {
    section = sectionOf(line, section);
    const nodeMatch = /^ {2}node (\S+): /.exec(line);
    if (nodeMatch) {
      node = byId.get(nodeMatch[1]!);
      expect(node, line).toBeDefined();
      if (section in seen) seen[section as keyof typeof seen].add(node!.id);
    }
    let m: RegExpExecArray | null;
    if (section === 'head' && (m = /^round (\d+) of (\d+) · T = (\S+) ms → (\S+) ms · (\d+) of (\d+) nodes took part/.exec(line))) {
      expect(Number(m[1])).toBe(round);
      expect(Number(m[2])).toBe(scenario.rounds);
      check(m[3]!, record.startMs);
      check(m[4]!, record.endMs);
      expect(Number(m[5])).toBe(record.nodes.filter((n) => n.participated).length);
    }
    if (section === 'S1' && (m = /^ {2}window \[(\S+) ms, (\S+) ms\)/.exec(line))) {
      check(m[1]!, record.startMs - scenario.pipeline.s1.windowMs);
      check(m[2]!, record.startMs);
    }
    if (section === 'S1' && nodeMatch) {
      m = /: (\d+) of (\d+) samples under (\S+) ms(?: \((.*)\))? → e = (\S+) ms \/ (\S+) ms = (\S+)(?: \(batch is fixed: S2 uses e = 1\.00\))? → b = (\d+) · (\S+) \/ (\S+) = (\S+) → (floor|ceil|round) → (\d+)(?: → clamp \[\d+, \d+\] → (\d+))?(: not dispatched this round \(still monitored\))?$/.exec(line);
      expect(m, line).not.toBeNull();
      const n = node!;
      const { intervalMs, thresholdMs } = scenario.pipeline.s1;
      expect(Number(m![1])).toBe(n.samplesMs.filter((s) => s !== null && s < thresholdMs).length);
      expect(Number(m![2])).toBe(n.samplesMs.length);
      check(m![1]!, n.effectiveMs / intervalMs);
      check(m![3]!, thresholdMs);
      if (m![4] !== undefined) {
        const lost = /(\d+) lost/.exec(m![4]);
        if (lost) expect(Number(lost[1])).toBe(n.samplesMs.filter((s) => s === null).length);
        const slow = /(\d+) at \S+ ms or more, up to (\S+) ms/.exec(m![4]);
        if (slow) {
          const over = n.samplesMs.filter((s): s is number => s !== null && s >= thresholdMs);
          expect(Number(slow[1])).toBe(over.length);
          check(slow[2]!, Math.max(...over));
        }
      }
      check(m![5]!, n.effectiveMs);
      check(m![6]!, n.observedMs);
      check(m![7]!, n.efficiency);
      expect(Number(m![8])).toBe(scenario.pipeline.s2.standardBatch);
      const final = m![14] ?? m![13]!;
      expect(Number(final)).toBe(n.plannedBatch);
      expect(m![15] !== undefined).toBe(n.plannedBatch === 0);
      checked += 1;
    }
    if (section === 'S3' && (m = /^ {2}P_ref = median\((.*)\) = (\S+) over (\d+) dispatched/.exec(line))) {
      const pressures = record.nodes.filter((n) => n.plannedBatch > 0).map((n) => n.pressure).sort((a, b) => a - b);
      m[1]!.split(', ').forEach((printed, i) => check(printed, pressures[i]));
      check(m[2]!, median(pressures));
      expect(Number(m[3])).toBe(pressures.length);
    }
    if (section === 'S3' && nodeMatch) {
      if (node!.plannedBatch === 0) {
        expect(line).toContain('not dispatched → no pressure, threads or queue');
      } else {
        m = /: response (\S+) ms \((.*)\) → pressure = (\d+) × (\S+) ms = (\S+)/.exec(line);
        expect(m, line).not.toBeNull();
        check(m![1]!, node!.responseMs);
        check(m![4]!, node!.responseMs);
        expect(Number(m![3])).toBe(node!.plannedBatch);
        check(m![5]!, node!.pressure);
        const source = /its mean step time in round (\d+)/.exec(m![2]!);
        const earlier = run.rounds.slice(0, round - 1).filter((r) => r.nodes.find((x) => x.id === node!.id)!.participated);
        if (source) {
          const previous = earlier.at(-1)!;
          expect(Number(source[1])).toBe(previous.round);
          const was = previous.nodes.find((x) => x.id === node!.id)!;
          check(m![1]!, (was.computeEndMs! - was.downloadEndMs!) / scenario.model.localSteps);
        } else {
          expect(earlier).toHaveLength(0);
        }
      }
    }
    if (section === 'S3' && node !== undefined && (m = /^\s+threads = (?:round\((\d+) × (\S+) \/ (\S+)\) = round\((\S+)\) = (\d+)|(\d+)) → clamp .* → (\d+)$/.exec(line))) {
      if (m[2] !== undefined) { check(m[2], node.pressure); check(m[3]!, median(record.nodes.filter((n) => n.plannedBatch > 0).map((n) => n.pressure))); }
      expect(Number(m[7])).toBe(node.threads);
      checked += 1;
    }
    if (section === 'S3' && node !== undefined && (m = /^\s+I\/O queue = (?:round\(\d+ × (\S+) \/ \S+\) = round\(\S+\) = \d+|\d+) → clamp .* → (\d+)$/.exec(line))) {
      if (m[1] !== undefined) check(m[1], node.pressure);
      expect(Number(m[2])).toBe(node.ioQueue);
      checked += 1;
    }
    if (section === 'Timeline' && node !== undefined) {
      if ((m = /download tried at (\S+) ms/.exec(line))) check(m[1]!, record.startMs);
      if ((m = /download .* → arrives (\S+) ms$/.exec(line))) check(m[1]!, node.downloadEndMs);
      if ((m = /^\s+compute (\d+) steps? × (\S+) ms → ends (\S+) ms$/.exec(line))) {
        expect(Number(m[1])).toBe(scenario.model.localSteps);
        check(m[2]!, (node.computeEndMs! - node.downloadEndMs!) / scenario.model.localSteps);
        check(m[3]!, node.computeEndMs);
      }
      if ((m = /^\s+upload tried at (\S+) ms/.exec(line))) check(m[1]!, node.computeEndMs);
      if ((m = /upload .* → arrives (\S+) ms; waits (\S+) ms at the barrier$/.exec(line))) {
        check(m[1]!, node.finishMs);
        check(m[2]!, record.endMs - node.finishMs!);
        expect(node.participated).toBe(true);
      }
      if ((m = /→ dropped \((retries|deadline)\)(?: at (\S+) ms(?:, when the last failure was learnt)?)?$/.exec(line))) {
        expect(node.dropReason).toBe(m[1]);
        if (m[2] !== undefined) check(m[2], node.droppedAtMs);
      }
    }
    if (section === 'Timeline' && (m = /^ {2}barrier: .*the last outcome is known \(a finish or a drop\): node (\S+?)(?:'s upload arrives| is dropped \((retries|deadline)\)) at (\S+) ms/.exec(line))) {
      barrier = true;
      const last = byId.get(m[1]!)!;
      if (m[2] === undefined) expect(last.finishMs).toBe(record.endMs);
      else {
        expect(last.dropReason).toBe(m[2]);
        expect(last.droppedAtMs).toBe(record.endMs);
      }
      check(m[3]!, record.endMs);
    }
    if (section === 'Timeline' && (m = /^ {2}barrier: (?:no node took part \(θ unchanged\); )?(.*) missed the deadline, .* = (\S+) ms$/.exec(line))) {
      barrier = true;
      for (const id of m[1]!.split(', ')) expect(byId.get(id)!.dropReason).toBe('deadline');
      check(m[2]!, record.endMs);
    }
    if (section === 'S4' && nodeMatch && (m = /: ‖g‖ = (\S+); history \[(.*)\](.*)$/.exec(line))) {
      check(m[1]!, node!.gradNorm);
      const norms = run.rounds.slice(0, round)
        .map((r) => r.nodes.find((x) => x.id === node!.id)!)
        .filter((x) => x.participated)
        .map((x) => x.gradNorm!)
        .slice(-scenario.pipeline.s4.window);
      m[2]!.split(', ').forEach((printed, i) => check(printed, norms[i]));
      const v = / = (\S+)$/.exec(m[3]!);
      // fewer than 2 norms: no volatility of its own (the record may hold the mean filled in for it)
      if (norms.length < 2) expect(m[3]).toContain('no volatility of its own yet');
      else check(v![1]!, node!.volatility);
    }
    if (section === 'S4' && node !== undefined && (m = /v taken as the mean of the others' volatilities = (\S+);/.exec(line))) {
      // the value used is the value reported
      expect(node.volatility).not.toBeNull();
      check(m[1]!, node.volatility);
      checked += 1;
    }
    if (section === 'S4' && nodeMatch && (m = /: w = .* = (\S+)(?: before the cap; after it (\S+))?$/.exec(line))) {
      check(m[2] ?? m[1]!, node!.weight);
    }
    if (section === 'S4' && nodeMatch && line.includes('did not take part')) {
      expect(node!.participated).toBe(false);
      expect(line).toContain('→ weight 0');
    }
    if (section === 'Evaluation' && (m = /loss (\S+), accuracy (\S+)$/.exec(line))) {
      check(m[1]!, record.loss);
      check(m[2]!, record.accuracy);
    }
  }
  // What ended the round is said, and agrees (a round with nothing dispatched lasts windowMs).
  expect(barrier || /no node took part: the round is skipped \(θ unchanged\) and lasts windowMs/.test(text)).toBe(true);
  // Every node is explained in every stage.
  for (const ids of Object.values(seen)) expect([...ids].sort()).toEqual(record.nodes.map((n) => n.id).sort());
  return checked;
}

const registry = createStageRegistry();

describe('explain agrees with the JSON of the same run', () => {
  let scenario: Scenario;
  let result: RunResult;
  let json: { runs: JsonRun[] };
  let context: RunSetting;

  beforeAll(async () => {
    scenario = await loadScenario(FIXTURE);
    result = await runScenario(scenario, { trace: true, backend: 'cpu' });
    json = JSON.parse(toJsonReport(result, { version: 'test', trace: true, timing: false })) as { runs: JsonRun[] };
    context = result.setting!;
  });

  it('the fixture reaches every path: retries, deadline, e = 0, the cap, FedAvg, fixed stages', () => {
    const nodes = result.runs.flatMap((run) => run.rounds.flatMap((round) => round.nodes));
    expect(nodes.some((n) => n.dropReason === 'retries')).toBe(true);
    expect(nodes.some((n) => n.dropReason === 'deadline')).toBe(true);
    expect(nodes.some((n) => n.dropReason === 'notDispatched' && n.efficiency === 0)).toBe(true);
    expect(nodes.some((n) => n.samplesMs!.includes(null))).toBe(true);
    expect(result.runs.map((run) => run.strategy.name)).toEqual(['s1s4', 'fedavg', 'sync-sgd']);
  });

  it('every number of every round of every strategy equals the JSON value at the printed precision', () => {
    let checked = 0;
    result.runs.forEach((run, r) => {
      for (let round = 1; round <= run.rounds.length; round++) {
        const text = explainKeptRound({ scenario, run, round, context, stages: registry.resolve(run.strategy) });
        checked += checkExplanation(text, json.runs[r]!, round, scenario);
      }
    });
    expect(checked).toBeGreaterThan(1000);
  });

  it('a run that keeps no node records (explain --round) explains every round of every strategy as the kept run does', async () => {
    // each round explained as it finishes, from its own record and the history gathered so far
    // (the kept run's insights up to it: the streamed insights are checked on the last round)
    let explained = 0;
    for (const kept of result.runs) {
      const stages = registry.resolve(kept.strategy);
      const history = new HistoryStream(scenario.cluster.nodes.length, scenario.pipeline.s4.window);
      const insights = new InsightStream(scenario);
      const texts: string[] = [];
      let last: RoundRecord | undefined;
      const streamed = await runScenario({ ...scenario, strategies: [kept.strategy] }, {
        trace: true, backend: 'cpu', retainNodes: false, working: true,
        onRunEnd: (run) => insights.runEnd(run),
        onRound: (record, strategy) => {
          insights.round(record, strategy);
          history.round(record);
          last = record;
          const upTo = detectRunInsights({ ...kept, rounds: kept.rounds.slice(0, record.round) }, scenario);
          texts.push(explainRound({ scenario, strategy, record, history, insights: upTo, context, stages }));
        },
      });
      expect(streamed.runs[0]!.rounds.every((round) => round.nodes.length === 0)).toBe(true);
      texts.forEach((text, k) => expect(text).toBe(explainKeptRound({ scenario, run: kept, round: k + 1, context, stages })));
      expect(explainRound({ scenario, strategy: kept.strategy, record: last!, history, insights: insights.insights(), context, stages, nodeId: 'b' }))
        .toBe(explainKeptRound({ scenario, run: kept, round: kept.rounds.length, context, stages, nodeId: 'b' }));
      explained += texts.length;
    }
    expect(explained).toBe(result.runs.reduce((sum, run) => sum + run.rounds.length, 0));
  });

  it('the weight cap and a lost-then-retried transfer are explained where they happen', () => {
    const run = result.runs[0]!;
    const texts = run.rounds.map((_, i) => explainKeptRound({ scenario, run, round: i + 1, context, stages: registry.resolve(run.strategy) }));
    expect(texts.some((t) => t.includes('before the cap; after it'))).toBe(true);
    expect(texts.some((t) => t.includes('no weights summing to 1 can respect it'))).toBe(true);
    expect(texts.some((t) => /tried at .* \(lost\), .* → latency/.test(t) || /tries lost\), .* → latency/.test(t))).toBe(true);
  });

  it('a node with too few norms reports the mean volatility it was weighed by, in the JSON and in explain', async () => {
    // c's link is over the threshold until 600 ms: it first takes part when a, b and slow have their own volatilities
    const text = readFileSync(FIXTURE, 'utf8')
      .replace(/- \{ id: c, latency: .*\n/, '- { id: c, latency: { phases: [ { until: 600ms, constant: 80 }, { constant: 8 } ] } }\n');
    const variant: Scenario = { ...parseScenarioText(text, 'late-joiner.yaml'), strategies: [scenario.strategies[0]!] };
    const variantResult = await runScenario(variant, { trace: true, backend: 'cpu' });
    const variantJson = JSON.parse(toJsonReport(variantResult, { version: 'test', trace: true, timing: false })) as { runs: JsonRun[] };
    const run = variantResult.runs[0]!;
    const joined = run.rounds.find((r) => r.nodes.find((n) => n.id === 'c')!.participated)!.round;
    const explained = explainKeptRound({ scenario: variant, run, round: joined, context: variantResult.setting!, stages: registry.resolve(run.strategy) });
    const c = variantJson.runs[0]!.rounds[joined - 1]!.nodes.find((n) => n.id === 'c')!;
    const others = variantJson.runs[0]!.rounds[joined - 1]!.nodes.filter((n) => n.participated && n.id !== 'c');

    expect(joined).toBeGreaterThan(2);
    expect(explained).toMatch(/^ {2}node c: ‖g‖ = \S+; history \[\S+\]: fewer than 2 norms → no volatility of its own yet\n {10}v taken as the mean of the others' volatilities = \S+;/m);
    expect(c.volatility).toBe(others.reduce((sum, n) => sum + n.volatility!, 0) / others.length);
    expect(checkExplanation(explained, variantJson.runs[0]!, joined, variant)).toBeGreaterThan(20);
  });

  it('with relchange volatility the |n − n_prev| / n_prev line agrees too', async () => {
    const variant: Scenario = {
      ...scenario,
      rounds: 4,
      strategies: [scenario.strategies[0]!],
      pipeline: { ...scenario.pipeline, s4: { ...scenario.pipeline.s4, volatility: 'relchange', maxWeight: null } },
    };
    const variantResult = await runScenario(variant, { trace: true, backend: 'cpu' });
    const variantJson = JSON.parse(toJsonReport(variantResult, { version: 'test', trace: true, timing: false })) as { runs: JsonRun[] };
    const run = variantResult.runs[0]!;
    const text = explainKeptRound({ scenario: variant, run, round: 3, context, stages: registry.resolve(run.strategy) });
    expect(text).toMatch(/v = \|\S+ − \S+\| \/ \S+ = \S+/);
    expect(checkExplanation(text, variantJson.runs[0]!, 3, variant)).toBeGreaterThan(50);
  });

  it('--node keeps one node and the round-level lines', () => {
    const run = result.runs[0]!;
    const text = explainKeptRound({ scenario, run, round: 3, nodeId: 'b', context, stages: registry.resolve(run.strategy) });
    expect(text.match(/^ {2}node (\S+):/gm)!.every((line) => line === '  node b:')).toBe(true);
    expect(text).toContain('P_ref = median(');
    expect(text).toContain('Σ 1/(v + ε) = ');
    expect(text).toContain('· showing node b');
  });
});
