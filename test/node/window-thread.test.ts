/**
 * The Node host's window helper: a worker thread drawing the next round's S1 windows
 * (src/node/window-thread.ts). Its columns must be this thread's, bit for bit, and a run that
 * uses it must report what a run without it does. The worker needs dist/node/window-worker.js,
 * so this drives the built package (npm test builds first).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../src/host.js';
import { loadDist } from './dist.js';

type ThreadModule = typeof import('../../src/node/window-thread.js');
type HostModule = typeof import('../../src/node/host.js');
type LoadModule = typeof import('../../src/node/load.js');
type RunModule = typeof import('../../src/run/run-scenario.js');
type NetworkModule = typeof import('../../src/run/network.js');
type ObserveModule = typeof import('../../src/run/observe.js');
type GuardModule = typeof import('../../src/run/time-guard.js');
type JsonModule = typeof import('../../src/report/json.js');
const MIXED = join(import.meta.dirname, '..', 'run', 'fixtures', 'mixed-links.yaml');

let thread: ThreadModule;
let hosts: HostModule;
let loader: LoadModule;
let run: RunModule;
let network: NetworkModule;
let observe: ObserveModule;
let guards: GuardModule;
let json: JsonModule;

beforeAll(async () => {
  [thread, hosts, loader, run, network, observe, guards, json] = await Promise.all([
    loadDist<ThreadModule>('node/window-thread.js'),
    loadDist<HostModule>('node/host.js'),
    loadDist<LoadModule>('node/load.js'),
    loadDist<RunModule>('run/run-scenario.js'),
    loadDist<NetworkModule>('run/network.js'),
    loadDist<ObserveModule>('run/observe.js'),
    loadDist<GuardModule>('run/time-guard.js'),
    loadDist<JsonModule>('report/json.js'),
  ]);
});

const bytes = (values: Float64Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

describe('the window helper thread', () => {
  it('answers each start with the column drawn here, and null for a start never asked or after it is disposed', async () => {
    const scenario = await loader.loadScenario(MIXED);
    const setting = network.networkSetting(scenario);
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
    const setting = network.networkSetting(scenario);
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

  it('drawing a run’s windows changes no number of its report, and each round takes its column', async () => {
    const scenario = await loader.loadScenario(MIXED);
    const taken: boolean[] = [];
    const counting: Host = {
      ...hosts.nodeHost,
      startWindowPrefetch: (setting) => {
        const helper = hosts.nodeHost.startWindowPrefetch!(setting)!;
        return {
          request: (startMs) => helper.request(startMs),
          take: async (startMs) => {
            const values = await helper.take(startMs);
            taken.push(values !== null);
            return values;
          },
          dispose: () => helper.dispose(),
        };
      },
    };
    const without: Host = { ...hosts.nodeHost, startWindowPrefetch: undefined };
    const options = { backend: 'wasm' as const, trace: true };
    const report = (result: Awaited<ReturnType<RunModule['runScenarioOn']>>) => json.toJsonReport(result, { version: 'test', trace: true, timing: false });
    const ahead = report(await run.runScenarioOn(counting, scenario, options));
    expect(taken).toEqual([true, true, true]);
    expect(ahead).toBe(report(await run.runScenarioOn(without, scenario, options)));
  });
});
