/**
 * Rounds simulated ahead (src/run/round-ahead.ts, scheduled-codec.ts): a round's timeline
 * crosses threads as columns and comes back the same values, and a run whose host simulates
 * the rounds of its built-in strategies ahead reports byte for byte what a run without does.
 * The host here simulates in this thread, through a structured clone with the columns
 * transferred, as a worker's message is; the Node host's worker is
 * test/node/window-thread.test.ts's.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstDifference } from '../first-difference.js';
import type { Host } from '../../src/host.js';
import { loadScenario } from '../../src/node/load.js';
import { nodeHost } from '../../src/node/host.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import { toJsonReport } from '../../src/report/json.js';
import { buildNetwork, buildSlowdowns, lazyNetwork, type SimulatedNetwork } from '../../src/run/network.js';
import { runStrategy } from '../../src/run/loop.js';
import { prepareTraining } from '../../src/train/prepare.js';
import { stubEngineFactory } from '../properties/harness.js';
import { drawWindows, WindowScratch, type WindowPrefetch } from '../../src/run/observe.js';
import { rememberRound, RoundsRemembered, RoundsSimulator, simulateRound, timelineSetting, type RoundsAhead, type TimelineFrame } from '../../src/run/round-ahead.js';
import type { NodeMemory, Scheduled, TimelineSetting } from '../../src/run/round-state.js';
import { planAt, planColumns, responseMsAt } from '../../src/run/plan-columns.js';
import { runScenarioOn } from '../../src/run/run-scenario.js';
import { decodeScheduled, encodeScheduled } from '../../src/run/scheduled-codec.js';
import { roundEndMs } from '../../src/run/schedule.js';
import { LatencyGuard } from '../../src/run/time-guard.js';
import type { Scenario } from '../../src/scenario/types.js';

const MIXED = join(import.meta.dirname, 'fixtures', 'mixed-links.yaml');
const registry = createStageRegistry();
const strategy = (name: string) => registry.presetStrategy(name)!;

function frameOf(setting: TimelineSetting, batch: string, resources: string, transferBytes: number, working = true): TimelineFrame {
  return {
    setting,
    stages: { batch: registry.stage('batch', batch), resources: registry.stage('resources', resources) },
    guard: new LatencyGuard(setting, buildNetwork(setting), buildSlowdowns(setting)),
    windows: new WindowScratch(),
    transferBytes,
    trace: false,
    working,
  };
}

const freshMemory = (setting: TimelineSetting): NodeMemory[] => setting.cluster.nodes.map(() => ({ lastResponseMs: null, lastBatch: null }));

/** As a worker's message arrives: structured-cloned, its columns transferred. */
function acrossThreads(scheduled: Scheduled): Scheduled {
  const { message, transfer } = encodeScheduled(scheduled);
  return decodeScheduled(structuredClone(message, { transfer }));
}

describe('a round whose working is not kept', () => {
  it('has the same plans and times from every built-in batch and resources stage, and no working', async () => {
    const scenario = await loadScenario(MIXED);
    const pairs = ['efficiency', 'fixed', 'balanced', 'proportional'].flatMap((batch) => ['pressure', 'fixed', 'cores'].map((resources) => [batch, resources] as const));
    for (const [batch, resources] of pairs) {
      const kept = frameOf(scenario, batch, resources, 100_000, true);
      const dropped = frameOf(scenario, batch, resources, 100_000, false);
      const [keptMemory, droppedMemory] = [freshMemory(scenario), freshMemory(scenario)];
      let startMs = 0;
      for (let round = 1; round <= 2; round++) {
        const withWorking = simulateRound(kept, keptMemory, round, startMs, null);
        const without = simulateRound(dropped, droppedMemory, round, startMs, null);
        rememberRound(keptMemory, withWorking);
        rememberRound(droppedMemory, without);
        expect(withWorking.working.batch, `${batch}/${resources}`).toHaveLength(scenario.cluster.nodes.length);
        expect(withWorking.working.resources).toHaveLength(scenario.cluster.nodes.length);
        expect(without.working).toEqual({ batch: [], resources: [] });
        expect(without.plans).toEqual(withWorking.plans);
        expect(without.participants).toEqual(withWorking.participants);
        expect(Array.from(without.times.finishMs)).toEqual(Array.from(withWorking.times.finishMs));
        // and across threads, as the helper sends it
        expect(acrossThreads(without).working).toEqual({ batch: [], resources: [] });
        startMs = roundEndMs(scenario, withWorking);
      }
    }
  });
});

describe('a scheduled round between threads', () => {
  it('comes back with the same plans, workings (shared objects still shared), times, events and participants', async () => {
    const scenario = await loadScenario(MIXED);
    for (const [batch, resources] of [['efficiency', 'pressure'], ['balanced', 'cores']] as const) {
      const frame = frameOf(scenario, batch, resources, 100_000);
      const memory = freshMemory(scenario);
      let startMs = 0;
      for (let round = 1; round <= 2; round++) {
        const here = simulateRound(frame, memory, round, startMs, null);
        rememberRound(memory, here);
        // what the message was made from is read before it is sent: its buffers leave with it
        const expected = {
          ...here, plans: structuredClone(here.plans), times: here.times.timelines(), stepMs: Array.from(here.times.stepMs), finishMs: Array.from(here.times.finishMs),
          endMs: roundEndMs(scenario, here), distinct: new Set(here.working.batch).size,
        };
        const back = acrossThreads(here);
        expect(back.plans).toEqual(expected.plans);
        expect(back.working).toEqual(expected.working);
        // each stage's per-node array is made when first read, then kept; a spread reads them as values
        expect(Object.getOwnPropertyDescriptor(back.working, 'resources')?.get).toBeTypeOf('function');
        expect(back.working.resources).toBe(back.working.resources);
        expect({ ...back.working }).toEqual({ batch: expected.working.batch, resources: expected.working.resources });
        expect(Object.keys(back.working)).toEqual(['batch', 'resources']);
        expect(back.participants).toEqual(expected.participants);
        expect([back.round, back.startMs, back.deadlineMs, back.samplesMs]).toEqual([round, startMs, startMs + 20_000, []]);
        expect(back.times.timelines()).toEqual(expected.times);
        expect(Array.from(back.times.stepMs)).toEqual(expected.stepMs);
        expect(Array.from(back.times.finishMs)).toEqual(expected.finishMs);
        expect(roundEndMs(scenario, back)).toBe(expected.endMs);
        expect(new Set(back.working.batch).size).toBe(expected.distinct);
        // the sender's columns moved: nothing of them is left behind to copy
        expect(here.times.stepMs.length).toBe(0);
        expect(here.plans.batch.length).toBe(0);
        startMs = expected.endMs;
      }
    }
  });

  it('keeps a null response time apart from a number, the keys in the order planning writes them, and the batch indices where the helper drew them', async () => {
    const base = { efficiency: 0.5, effectiveMs: 20, observedMs: 18, batch: 4, responseMs: null as number | null, pressure: 0, threads: 2, ioQueue: 1 };
    // an idle node's threads and I/O queue are 0, as decideRound plans them
    const plans = [base, { ...base, responseMs: 0, batch: 0, threads: 0, ioQueue: 0 }, { ...base, responseMs: 12.5, efficiency: Number.NaN }];
    const shared = { rule: 'pressure', threadsRatio: 4, queueRatio: 8 };
    const parts = {
      efficiency: plans.map(({ efficiency, effectiveMs, observedMs }) => ({ efficiency, effectiveMs, observedMs })),
      batches: plans.map((plan) => plan.batch),
      responseMs: plans.map((plan) => plan.responseMs),
      pressures: plans.map((plan) => plan.pressure),
      allocations: plans.map(() => ({ threads: 2, ioQueue: 1 })),
      batchWorking: [],
      resourceWorking: [],
    };
    const scheduled = { ...(await fixtureRound(plans.length)), plans: planColumns(parts), working: { batch: plans.map((_, i) => ({ rule: 'x', i })), resources: [shared, shared, shared] } };
    const indices = Int32Array.of(7, 3, 3, 9);
    const back = acrossThreads({ ...scheduled, batchIndices: indices });
    expect(Array.from(back.batchIndices!)).toEqual([7, 3, 3, 9]);
    // moved, not copied
    expect(indices.length).toBe(0);
    expect(acrossThreads(await fixtureRound(plans.length)).batchIndices).toBeUndefined();
    expect([0, 1, 2].map((i) => planAt(back.plans, i))).toEqual(plans);
    expect([0, 1, 2].map((i) => responseMsAt(back.plans, i))).toEqual([null, 0, 12.5]);
    expect(Object.keys(planAt(back.plans, 0))).toEqual(['efficiency', 'effectiveMs', 'observedMs', 'batch', 'responseMs', 'pressure', 'threads', 'ioQueue']);
    expect(back.plans.efficiency[2]).toBeNaN();
    expect(back.working.batch).toEqual([{ rule: 'x', i: 0 }, { rule: 'x', i: 1 }, { rule: 'x', i: 2 }]);
    expect(back.working.resources[0]).toBe(back.working.resources[2]);
    expect(back.working.resources[0]).toEqual(shared);
  });
});

describe('the rounds a helper simulated, remembered here', () => {
  it('leave the nodes\' memory as remembering each round in turn does, nodes that never took part untouched', async () => {
    const scenario = await loadScenario(MIXED);
    const frame = frameOf(scenario, 'balanced', 'cores', 100_000);
    const inTurn = freshMemory(scenario);
    const remembered = new RoundsRemembered(inTurn.length);
    let startMs = 0;
    for (let round = 1; round <= 3; round++) {
      const scheduled = simulateRound(frame, inTurn, round, startMs, null);
      rememberRound(inTurn, scheduled);
      remembered.note(scheduled);
      startMs = roundEndMs(scenario, scheduled);
    }
    const written = freshMemory(scenario);
    remembered.writeTo(written);
    expect(written).toEqual(inTurn);
    const untouched = inTurn.filter((node) => node.lastBatch === null).length;
    expect(untouched).toBeGreaterThan(0);
    expect(inTurn.length - untouched).toBeGreaterThan(2000);
  });
});

/** A simulated round of the fixture's first n nodes: its time columns, for plans and workings made by hand. */
async function fixtureRound(n: number): Promise<Scheduled> {
  const mixed = await loadScenario(MIXED);
  const setting = timelineSetting({ ...mixed, cluster: { ...mixed.cluster, nodes: mixed.cluster.nodes.slice(0, n) } });
  return simulateRound(frameOf(setting, 'fixed', 'fixed', 1000), freshMemory(setting), 1, 0, null);
}

/**
 * A host whose helper simulates a strategy's rounds in this thread, one by one as they are
 * taken, with their batch indices, and draws windows when asked; it counts what it was asked. `wrongStartAt`: the helper
 * simulates that round from a start a millisecond late, as a helper out of step would.
 */
function roundsAheadHost(wrongStartAt: number | null = null) {
  // drawn: rounds taken with their batch indices
  const counts = { strategies: [] as string[], taken: 0, drawn: 0, refused: 0, windowsTaken: 0 };
  const host: Host = {
    ...nodeHost,
    startWindowPrefetch: (setting) => {
      const clone = structuredClone(setting);
      const windowGuard = new LatencyGuard(clone, buildNetwork(clone));
      const drawn = new Map<number, Float64Array | null>();
      const prefetch: WindowPrefetch = {
        request: (startMs) => void drawn.set(startMs, drawWindows(clone.pipeline.s1, windowGuard, startMs)),
        take: async (startMs) => {
          const values = drawn.get(startMs) ?? null;
          drawn.delete(startMs);
          if (values !== null) counts.windowsTaken++;
          return values;
        },
        roundsAhead: (spec): RoundsAhead => {
          counts.strategies.push(`${spec.batch}/${spec.resources}`);
          const simulator = new RoundsSimulator(frameOf(clone, spec.batch, spec.resources, spec.transferBytes), spec.startMs);
          let told = false;
          let ended = false;
          return {
            drawBatchesFrom: (ranges) => {
              if (told) return;
              told = true;
              if (ranges !== null) simulator.drawBatchesFrom(structuredClone(ranges));
            },
            take: async (round, startMs) => {
              if (!told) throw new Error('a round taken before the helper was told whether to draw its batches');
              if (simulator.round === wrongStartAt) simulator.startMs += 1;
              if (ended || round !== simulator.round || startMs !== simulator.startMs) {
                ended = true;
                counts.refused++;
                return null;
              }
              const scheduled = simulator.simulate();
              simulator.drawBatches(scheduled);
              counts.taken++;
              if (scheduled.batchIndices !== undefined) counts.drawn++;
              return acrossThreads(scheduled);
            },
            dispose: () => void (ended = true),
          };
        },
        dispose: () => {},
      };
      return prefetch;
    },
  };
  return { host, counts };
}

const withoutHelper: Host = { ...nodeHost, startWindowPrefetch: undefined };
const report = (result: Awaited<ReturnType<typeof runScenarioOn>>, trace = false) => toJsonReport(result, { version: 'test', trace, timing: false });

describe('a run with its rounds simulated ahead', () => {
  it('reports what a run without does, for the patent and for the baselines; the helper simulates every round of each', async () => {
    const scenario: Scenario = { ...(await loadScenario(MIXED)), strategies: [strategy('s1s4'), strategy('lb-bsp'), strategy('sync-sgd')] };
    const { host, counts } = roundsAheadHost();
    const ahead = await runScenarioOn(host, scenario, { backend: 'wasm' });
    expect(firstDifference(report(ahead), report(await runScenarioOn(withoutHelper, scenario, { backend: 'wasm' })))).toBeNull();
    expect(counts).toEqual({ strategies: ['efficiency/pressure', 'balanced/cores', 'fixed/fixed'], taken: 9, drawn: 9, refused: 0, windowsTaken: 0 });
    // the run did dispatch, drop and train: the rounds compared are not empty ones
    const round = ahead.runs[0]!.rounds[1]!;
    expect(round.nodes.filter((node) => node.participated).length).toBeGreaterThan(10_000);
    expect(round.nodes.some((node) => node.dropReason === 'retries')).toBe(true);
  });

  it('a plug-in stage, or --trace, keeps the rounds here (the windows are still drawn ahead)', async () => {
    const plugins = createStageRegistry();
    plugins.defineStage({ ...registry.stage('batch', 'efficiency'), name: 'mine' });
    const scenario: Scenario = { ...(await loadScenario(MIXED)), strategies: [{ name: 'mine', batch: 'mine', resources: 'pressure', aggregation: 'volatility' }] };
    const { host, counts } = roundsAheadHost();
    const mine = await runScenarioOn(host, scenario, { backend: 'wasm', registry: plugins });
    expect(counts).toEqual({ strategies: [], taken: 0, drawn: 0, refused: 0, windowsTaken: 3 });
    expect(firstDifference(report(mine), report(await runScenarioOn(withoutHelper, scenario, { backend: 'wasm', registry: plugins })))).toBeNull();

    const traced = roundsAheadHost();
    const withTrace = await runScenarioOn(traced.host, await loadScenario(MIXED), { backend: 'wasm', trace: true });
    expect(traced.counts).toEqual({ strategies: [], taken: 0, drawn: 0, refused: 0, windowsTaken: 3 });
    expect(firstDifference(report(withTrace, true), report(await runScenarioOn(withoutHelper, await loadScenario(MIXED), { backend: 'wasm', trace: true }), true))).toBeNull();
  });

  it('a helper out of step is refused at that round and asked no more; the rest are simulated here, with the same report', async () => {
    const scenario = await loadScenario(MIXED);
    const { host, counts } = roundsAheadHost(2);
    const ahead = await runScenarioOn(host, scenario, { backend: 'wasm' });
    // round 2 refused and simulated here, its batches drawn here by cursors moved on by round 1's
    // draws on the helper; round 3's windows drawn ahead again, as without rounds ahead
    expect(counts).toEqual({ strategies: ['efficiency/pressure'], taken: 1, drawn: 1, refused: 1, windowsTaken: 1 });
    expect(firstDifference(report(ahead), report(await runScenarioOn(withoutHelper, scenario, { backend: 'wasm' })))).toBeNull();
  });
});

describe('the network on the thread that runs the loop', () => {
  it('is never built while the helper simulates every round; is built when the helper stops, once for all strategies', async () => {
    const scenario = await loadScenario(MIXED);
    const prepared = prepareTraining({ data: scenario.data, nodes: scenario.cluster.nodes, seed: scenario.seed, hidden: scenario.model.hidden, shipped: nodeHost.shippedDataset });
    const problems: string[] = [];
    /** runs the scenario's strategy, its rounds from a helper out of step at `wrongStartAt` (null: never); what the loop asked of the network */
    const run = async (wrongStartAt: number | null, network: () => SimulatedNetwork) => {
      const { host, counts } = roundsAheadHost(wrongStartAt);
      const prefetch = host.startWindowPrefetch!(timelineSetting(scenario))!;
      const strategy = scenario.strategies[0]!;
      const result = await runStrategy({
        scenario, strategy, stages: registry.resolve(strategy), prepared, network, createEngine: stubEngineFactory((problem) => problems.push(problem)), backend: 'stub', trace: false, prefetch,
      });
      return { rounds: result.rounds.length, counts };
    };
    let asked = 0;
    const lazy = lazyNetwork(scenario);
    const counted = (): SimulatedNetwork => {
      asked++;
      return lazy();
    };
    expect(await run(null, counted)).toEqual({ rounds: 3, counts: expect.objectContaining({ taken: 3, refused: 0 }) });
    expect(asked).toBe(0);
    // round 2 simulated here: the guard, and with it the network, is made then
    expect(await run(2, counted)).toEqual({ rounds: 3, counts: expect.objectContaining({ taken: 1, refused: 1 }) });
    expect(asked).toBe(1);
    // a second strategy asks again, and gets the network built for the first
    const first = lazy();
    expect(await run(2, counted)).toEqual({ rounds: 3, counts: expect.objectContaining({ taken: 1, refused: 1 }) });
    expect(asked).toBe(2);
    expect(lazy()).toBe(first);
    expect(first.latency).toHaveLength(scenario.cluster.nodes.length);
    expect(first.slowdowns).toHaveLength(scenario.cluster.nodes.length);
    expect(problems).toEqual([]);
  });
});
