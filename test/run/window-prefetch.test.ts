/**
 * S1 windows drawn ahead (run/observe.ts): `drawWindows` is observeRound's own fill, a round
 * takes a drawn column only where it would have drawn the same numbers itself, and a run with
 * a prefetching host gives byte for byte the records of one without. The host here draws in
 * this thread; the Node host's worker thread is test/node/window-thread.test.ts's.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/host.js';
import { loadScenario } from '../../src/node/load.js';
import { nodeHost } from '../../src/node/host.js';
import { toJsonReport } from '../../src/report/json.js';
import { RoundDiverged } from '../../src/run/divergence.js';
import { buildNetwork, type NetworkSetting } from '../../src/run/network.js';
import { timelineSetting } from '../../src/run/round-ahead.js';
import { drawWindows, observeRound, PREFETCH_MIN_SAMPLES, type WindowPrefetch } from '../../src/run/observe.js';
import { runScenarioOn } from '../../src/run/run-scenario.js';
import { LatencyGuard } from '../../src/run/time-guard.js';
import type { Scenario } from '../../src/scenario/types.js';
import { makeScenario } from '../report/fixtures.js';

const MIXED = join(import.meta.dirname, 'fixtures', 'mixed-links.yaml');

const guardOf = (scenario: NetworkSetting) => new LatencyGuard(scenario, buildNetwork(scenario));

/** Where a start time lies: the fixture's first round, mid-run, and a start off the 100 ms grid. */
const STARTS = [0, 1830.5, 5000.25, 24_990];

describe('drawWindows', () => {
  it('gives the column observeRound draws, lost samples and outages included, from the setting alone', async () => {
    const scenario = await loadScenario(MIXED);
    expect(scenario.cluster.nodes.length * 20).toBeGreaterThanOrEqual(PREFETCH_MIN_SAMPLES);
    const setting = structuredClone(timelineSetting(scenario));
    for (const startMs of STARTS) {
      const own = observeRound(scenario, guardOf(scenario), 1, startMs).windows.values;
      const drawn = drawWindows(setting.pipeline.s1, guardOf(setting), startMs)!;
      expect(drawn.length).toBe(13_200 * 20);
      expect(Buffer.from(drawn.buffer).equals(Buffer.from(own.buffer, own.byteOffset, own.byteLength))).toBe(true);
    }
    // the mix is there: lost samples (loss, the outage) and both of burst's states
    const first = drawWindows(setting.pipeline.s1, guardOf(setting), 5000.25)!;
    const lost = first.filter(Number.isNaN).length;
    expect(lost).toBeGreaterThan(1100 * 20);
    expect(first.includes(300)).toBe(true);
    expect(first.includes(20)).toBe(true);
  });

  it('is null where the window is not all in reach, and the round then checks each sample as before', () => {
    const base = makeScenario(['a', 'b']);
    const chain = { process: { kind: 'burst' as const, goodMs: 5, badMs: 400, toBad: 0, toGood: 1 }, loss: 0, down: [] };
    const nodes = base.cluster.nodes.map((node, i) => (i === 1 ? { ...node, latency: chain } : node));
    const burst: Scenario = { ...base, cluster: { ...base.cluster, latencyResolutionMs: 1, nodes } };
    const startMs = 2 ** 28 + 1000;
    expect(drawWindows(burst.pipeline.s1, guardOf(burst), startMs)).toBeNull();
    expect(drawWindows(burst.pipeline.s1, guardOf(burst), 1e300)).toBeNull();
    // a column handed in anyway is not read: the divergence is the one without it
    const handed = new Float64Array(40).fill(7);
    const thrown = (() => { try { observeRound(burst, guardOf(burst), 4, startMs, undefined, handed); } catch (error) { return error; } return null; })();
    expect((thrown as RoundDiverged).divergence.message).toBe(
      "node b's burst chain ends at 74.6 h of simulated time, reached in round 4: a burst chain covers 2^28 slots of the 1 ms latency grid from the start of S1's first window (2000 ms before round 1)",
    );
  });
});

describe('observeRound with a column drawn ahead', () => {
  it('takes a column of its size as the round’s windows, and draws its own when the size is not n × K', () => {
    const scenario = makeScenario(['a', 'b']);
    const handed = new Float64Array(40).fill(7);
    expect(observeRound(scenario, guardOf(scenario), 1, 0, undefined, handed).windows.values).toBe(handed);
    const short = new Float64Array(39).fill(7);
    expect(Array.from(observeRound(scenario, guardOf(scenario), 1, 0, undefined, short).windows.values)).toEqual(Array(40).fill(5));
  });
});

/** A host that draws the windows in this thread when asked, and counts what it was asked. */
function prefetchingHost() {
  const counts = { started: 0, requests: [] as number[], taken: 0, disposed: 0 };
  const host: Host = {
    ...nodeHost,
    startWindowPrefetch: (setting) => {
      counts.started++;
      const guard = guardOf(setting);
      const drawn = new Map<number, Float64Array | null>();
      const prefetch: WindowPrefetch = {
        request: (startMs) => {
          counts.requests.push(startMs);
          if (!drawn.has(startMs)) drawn.set(startMs, drawWindows(setting.pipeline.s1, guard, startMs));
        },
        take: async (startMs) => {
          const values = drawn.get(startMs) ?? null;
          drawn.delete(startMs);
          if (values !== null) counts.taken++;
          return values;
        },
        dispose: () => void counts.disposed++,
      };
      return prefetch;
    },
  };
  return { host, counts };
}

const withoutPrefetch: Host = { ...nodeHost, startWindowPrefetch: undefined };
const report = (result: Awaited<ReturnType<typeof runScenarioOn>>) => toJsonReport(result, { version: 'test', trace: true, timing: false });

describe('a run with windows drawn ahead', () => {
  it('asks for the first round’s windows as the run starts and for each next round’s as the round before ends, takes them all, and reports what a run without does', async () => {
    const scenario = await loadScenario(MIXED);
    const { host, counts } = prefetchingHost();
    const ahead = await runScenarioOn(host, scenario, { trace: true });
    const alone = await runScenarioOn(withoutPrefetch, scenario, { trace: true });
    expect(report(ahead)).toBe(report(alone));
    const rounds = ahead.runs[0]!.rounds;
    // round 1's twice: by the run before the data is prepared, by the strategy as it starts
    expect(counts).toEqual({ started: 1, requests: [0, ...rounds.map((round) => round.startMs)], taken: 3, disposed: 1 });
    expect(rounds.map((round) => round.startMs)[0]).toBe(0);
  });

  it('starts no helper for a run with fewer window samples a round', async () => {
    const { host, counts } = prefetchingHost();
    await runScenarioOn(host, { ...makeScenario(['a', 'b', 'c']), strategies: [makeScenario([]).strategies[0]!] });
    expect(counts).toEqual({ started: 0, requests: [], taken: 0, disposed: 0 });
  });
});
