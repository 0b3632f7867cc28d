/**
 * The Node host's helper: a worker thread drawing the next round's S1 windows, or simulating a
 * strategy's rounds ahead (src/node/window-thread.ts). Its columns and rounds must be this
 * thread's, bit for bit, and a run that uses it must report what a run without it does. The
 * worker needs dist/node/window-worker.js, so the helper and its host come from the built
 * package (npm test builds first).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstDifference } from '../first-difference.js';
import type { Host } from '../../src/host.js';
import * as loader from '../../src/node/load.js';
import * as builtin from '../../src/pipeline/stages/builtin.js';
import * as json from '../../src/report/json.js';
import * as network from '../../src/run/network.js';
import * as observe from '../../src/run/observe.js';
import * as ahead from '../../src/run/round-ahead.js';
import * as run from '../../src/run/run-scenario.js';
import * as schedule from '../../src/run/schedule.js';
import * as guards from '../../src/run/time-guard.js';
import * as batches from '../../src/train/batches.js';
import { loadDist } from './dist.js';

type ThreadModule = typeof import('../../src/node/window-thread.js');
type HostModule = typeof import('../../src/node/host.js');
type RunModule = typeof run;
const MIXED = join(import.meta.dirname, '..', 'run', 'fixtures', 'mixed-links.yaml');

// the helper and the host that starts it from dist/ (the worker's entry is there); what is
// compared with it is this thread's, from the sources
let thread: ThreadModule;
let hosts: HostModule;

beforeAll(async () => {
  [thread, hosts] = await Promise.all([loadDist<ThreadModule>('node/window-thread.js'), loadDist<HostModule>('node/host.js')]);
});

const bytes = (values: Float64Array | Int32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

describe('the window helper thread', () => {
  it('answers each start with the column drawn here, and null for a start never asked or after it is disposed', async () => {
    const scenario = await loader.loadScenario(MIXED);
    const setting = ahead.timelineSetting(scenario);
    const start = thread.windowPrefetchStarter();
    expect(start).toBeDefined();
    const helper = start!(setting)!;
    const here = new guards.LatencyGuard(setting, network.buildNetwork(setting));
    try {
      for (const startMs of [0, 1830.5, 24_990]) helper.request(startMs);
      // the latest request of a start is the one taken; a start nobody asked for gets null
      expect(await helper.take(7)).toBeNull();
      for (const startMs of [0, 1830.5, 24_990]) {
        const drawn = await helper.take(startMs);
        expect(drawn).not.toBeNull();
        expect(bytes(drawn!).equals(bytes(observe.drawWindows(setting.pipeline.s1, here, startMs)!))).toBe(true);
      }
      // taken once: a second take has nothing
      expect(await helper.take(0)).toBeNull();
      // out of the latency grid: null, and the round draws (and diverges) itself
      helper.request(1e300);
      expect(await helper.take(1e300)).toBeNull();
      helper.request(0);
    } finally {
      helper.dispose();
    }
    expect(await helper.take(0)).toBeNull();
  });

  it('a helper that fails (here: a network it cannot build) answers null, so that the round draws its own windows', async () => {
    const scenario = await loader.loadScenario(MIXED);
    const setting = ahead.timelineSetting(scenario);
    const broken = { ...setting, cluster: { ...setting.cluster, nodes: [{ id: 'x', latency: { process: { kind: 'nope' }, loss: 0, down: [] } }] } };
    const helper = thread.windowPrefetchStarter()!(broken as unknown as typeof setting)!;
    try {
      helper.request(0);
      expect(await helper.take(0)).toBeNull();
      // and after the failure, nothing is asked of it any more
      helper.request(100);
      expect(await helper.take(100)).toBeNull();
    } finally {
      helper.dispose();
    }
  });

  it('simulates a strategy’s rounds ahead as this thread does, one at a time, with the batch indices this thread’s cursors draw, and answers null once a take is out of step', async () => {
    const scenario = await loader.loadScenario(MIXED);
    const setting = ahead.timelineSetting(scenario);
    const registry = builtin.createStageRegistry();
    const spec = { batch: 'balanced', resources: 'cores', transferBytes: 100_000, startMs: 0, working: true };
    const helper = thread.windowPrefetchStarter()!(setting)!;
    const frame = {
      setting, stages: { batch: registry.stage('batch', 'balanced'), resources: registry.stage('resources', 'cores') },
      guard: new guards.LatencyGuard(setting, network.buildNetwork(setting), network.buildSlowdowns(setting)),
      windows: new observe.WindowScratch(), transferBytes: 100_000, trace: false, working: true,
    };
    const memory = setting.cluster.nodes.map(() => ({ lastResponseMs: null, lastBatch: null }));
    // node i holds samples 3i … 3i + 2 (the cursors need no data, only where each node's samples are)
    const n = setting.cluster.nodes.length;
    const ranges = { first: Int32Array.from({ length: n }, (_, i) => 3 * i), count: new Int32Array(n).fill(3) };
    const cursors = batches.cursorsOver(ranges, setting.cluster.nodes.map((node) => node.id), setting.seed);
    try {
      const rounds = helper.roundsAhead!(spec)!;
      rounds.drawBatchesFrom(ranges);
      let startMs = 0;
      for (let round = 1; round <= 2; round++) {
        const there = (await rounds.take(round, startMs))!;
        const here = ahead.simulateRound(frame, memory, round, startMs, null);
        ahead.rememberRound(memory, here);
        const drawn = batches.drawBatchIndices(here.participants, here.plans.batch, cursors, setting.model.localSteps);
        expect(drawn.length).toBeGreaterThan(10_000);
        expect(bytes(there.batchIndices!)).toEqual(bytes(drawn));
        expect(there.plans).toEqual(here.plans);
        expect(there.working).toEqual(here.working);
        expect(there.working.batch).toHaveLength(n);
        expect(there.working.resources[0]).toEqual({ rule: 'cores', cores: setting.cluster.nodes[0]!.cores });
        expect(there.participants).toEqual(here.participants);
        expect(there.times.timelines()).toEqual(here.times.timelines());
        startMs = schedule.roundEndMs(setting, here);
        expect(schedule.roundEndMs(setting, there)).toBe(startMs);
      }
      expect(startMs).toBeGreaterThan(500);
      // round 3 asked from a start that is not the helper's: null, and null from then on
      expect(await rounds.take(3, startMs + 1)).toBeNull();
      expect(await rounds.take(3, startMs)).toBeNull();
      // a strategy of unknown stages (the helper resolves built-in names only): null at its first round
      const unknown = helper.roundsAhead!({ ...spec, batch: 'nope' })!;
      unknown.drawBatchesFrom(null);
      expect(await unknown.take(1, 0)).toBeNull();
      // told to draw no batches: the rounds come without them, and this thread draws its own
      const timelineOnly = helper.roundsAhead!(spec)!;
      timelineOnly.drawBatchesFrom(null);
      const first = (await timelineOnly.take(1, 0))!;
      expect(first.participants.length).toBeGreaterThan(1000);
      expect(first.batchIndices).toBeUndefined();
      // a run that keeps no working: the stages are told, the same plans come without it
      const noWorking = helper.roundsAhead!({ ...spec, working: false })!;
      noWorking.drawBatchesFrom(null);
      const bare = (await noWorking.take(1, 0))!;
      expect(bare.plans).toEqual(first.plans);
      expect(bare.working).toEqual({ batch: [], resources: [] });
    } finally {
      helper.dispose();
    }
  });

  /** The Node host, with its helper's rounds and windows counted as they are taken. */
  function countingHost() {
    // a round taken: 'drawn' with its batch indices, 'timeline' without, 'none' refused
    const taken = { windows: [] as boolean[], rounds: [] as string[] };
    const host: Host = {
      ...hosts.nodeHost,
      startWindowPrefetch: (setting) => {
        const helper = hosts.nodeHost.startWindowPrefetch!(setting)!;
        return {
          request: (startMs) => helper.request(startMs),
          take: async (startMs) => {
            const values = await helper.take(startMs);
            taken.windows.push(values !== null);
            return values;
          },
          roundsAhead: (spec) => {
            const rounds = helper.roundsAhead!(spec)!;
            return {
              drawBatchesFrom: (ranges) => rounds.drawBatchesFrom(ranges),
              take: async (round, startMs) => {
                const scheduled = await rounds.take(round, startMs);
                taken.rounds.push(scheduled === null ? 'none' : scheduled.batchIndices === undefined ? 'timeline' : 'drawn');
                return scheduled;
              },
              dispose: () => rounds.dispose(),
            };
          },
          dispose: () => helper.dispose(),
        };
      },
    };
    return { host, taken };
  }

  const without = (): Host => ({ ...hosts.nodeHost, startWindowPrefetch: undefined });
  const report = (result: Awaited<ReturnType<RunModule['runScenarioOn']>>, trace = false) => json.toJsonReport(result, { version: 'test', trace, timing: false });

  it('holds back a failed round until the one before it is taken: that one still comes, then null', async () => {
    const loaded = await loader.loadScenario(MIXED);
    // node 0 so slow that round 1 ends past the burst chains' reach: round 2 fails on the helper
    const nodes = loaded.cluster.nodes.map((node, i) => (i === 0 ? { ...node, msPerSample: 1e9 } : node));
    const setting = ahead.timelineSetting({ ...loaded, cluster: { ...loaded.cluster, latencyResolutionMs: 1, roundTimeoutMs: null, nodes } });
    const helper = thread.windowPrefetchStarter()!(setting)!;
    try {
      // the patent's stages, as the run that diverges (above) uses
      const rounds = helper.roundsAhead!({ batch: 'efficiency', resources: 'pressure', transferBytes: 100_000, startMs: 0, working: true })!;
      rounds.drawBatchesFrom(null);
      // time enough for the helper to send round 1 and to fail at round 2, the round it simulates ahead
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const first = await rounds.take(1, 0);
      expect(first?.round).toBe(1);
      expect(await rounds.take(2, schedule.roundEndMs(setting, first!))).toBeNull();
    } finally {
      helper.dispose();
    }
  });

  it('simulating a run’s rounds ahead changes no number of its report, and each round takes its own', async () => {
    const scenario = await loader.loadScenario(MIXED);
    const { host, taken } = countingHost();
    const options = { backend: 'wasm' as const };
    const withHelper = report(await run.runScenarioOn(host, scenario, options));
    expect(taken).toEqual({ windows: [], rounds: ['drawn', 'drawn', 'drawn'] });
    expect(firstDifference(withHelper, report(await run.runScenarioOn(without(), scenario, options)))).toBeNull();
  });

  it('with --trace the rounds stay here, and drawing their windows ahead changes no number either', async () => {
    const scenario = await loader.loadScenario(MIXED);
    const { host, taken } = countingHost();
    const options = { backend: 'wasm' as const, trace: true };
    const withHelper = report(await run.runScenarioOn(host, scenario, options), true);
    expect(taken).toEqual({ windows: [true, true, true], rounds: [] });
    expect(firstDifference(withHelper, report(await run.runScenarioOn(without(), scenario, options), true))).toBeNull();
  });

  it('a run that diverges on the helper diverges here, with the same message and the rounds before it', async () => {
    const loaded = await loader.loadScenario(MIXED);
    // node 0 so slow that round 1 ends past the burst chains' reach (2^28 slots of 1 ms): round 2's windows diverge
    const nodes = loaded.cluster.nodes.map((node, i) => (i === 0 ? { ...node, msPerSample: 1e9 } : node));
    const scenario = { ...loaded, cluster: { ...loaded.cluster, latencyResolutionMs: 1, roundTimeoutMs: null, nodes } };
    const { host, taken } = countingHost();
    const options = { backend: 'wasm' as const };
    const result = await run.runScenarioOn(host, scenario, options);
    expect(taken.rounds).toEqual(['drawn', 'none']);
    expect(result.diverged?.message).toBe("node bursty-1's burst chain ends at 74.6 h of simulated time, reached in round 2: a burst chain covers 2^28 slots of the 1 ms latency grid from the start of S1's first window (2000 ms before round 1)");
    expect(result.runs[0]!.rounds.length).toBe(1);
    expect(firstDifference(report(result), report(await run.runScenarioOn(without(), scenario, options)))).toBeNull();
  });

  it('a step time that overflows on the helper diverges here as without it: the same time divergence, round 1 kept', async () => {
    const loaded = await loader.loadScenario(MIXED);
    // bursty-326 is first dispatched in round 2 (e = 0 in round 1): its 1e308 ms steps make S3's pressure overflow there
    const late = loaded.cluster.nodes.findIndex((node) => node.id === 'bursty-326');
    const nodes = loaded.cluster.nodes.map((node, i) => (i === late ? { ...node, stepOverheadMs: 1e308 } : node));
    const scenario = { ...loaded, cluster: { ...loaded.cluster, nodes } };
    const { host, taken } = countingHost();
    const options = { backend: 'wasm' as const };
    const result = await run.runScenarioOn(host, scenario, options);
    // round 1 from the helper; round 2 failed there and was simulated here
    expect(taken.rounds).toEqual(['drawn', 'none']);
    expect(result.diverged).toEqual({
      strategy: 's1s4', round: 2, node: 'bursty-326', kind: 'time',
      message: expect.stringMatching(/^node bursty-326's local step in round 2 would take 1e\+308 ms at batch \d+, too long to simulate$/),
    });
    expect(result.runs[0]!.rounds.length).toBe(1);
    expect(firstDifference(report(result), report(await run.runScenarioOn(without(), scenario, options)))).toBeNull();
  });
});
