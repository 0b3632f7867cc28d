/**
 * Plug-ins in process, through the public API (src/index.ts): the example plug-in loaded into
 * a registry drives a run as the command line's does, and a plug-in stage's outputs are
 * checked every round (each wrong shape has its exact message) and copied.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createStageRegistry, definePlugin, definePreset, defineStage, loadPlugins, parseScenarioText, runScenario,
  type BatchRoundView, type PluginApi, type ResourceRoundView,
} from '../../src/index.js';
import { guardStage, thrownMessage } from '../../src/node/plugin-guard.js';
import { stubEngineFactory } from '../properties/harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'plugins', 'median-split.mjs');
const SOURCE = '--plugin mine.mjs';
const stub = stubEngineFactory((problem) => {
  throw new Error(problem);
});

const SCENARIO_TEXT = `
rounds: 2
strategy: median-split
data: { dataset: iris }
model: { hidden: [] }
pipeline: { s1: { thresholdMs: 50 }, s2: { standardBatch: 40 } }
cluster:
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: { constant: 100 } }
    - { id: c, latency: { constant: 100 } }
    - { id: d, latency: { constant: 5 } }
`;

/** A batch round view of `count` nodes: only what the guard reads. */
function batchView(count: number, s2: Partial<BatchRoundView['s2']> = {}): BatchRoundView {
  return { nodes: Array.from({ length: count }, () => ({ cores: 4 })), s2: { standardBatch: 64, maxBatch: null, ...s2 } } as unknown as BatchRoundView;
}

function resourceView(batches: number[]): ResourceRoundView {
  return { nodes: batches.map(() => ({ cores: 4 })), batches } as unknown as ResourceRoundView;
}

describe('the public API', () => {
  it('loadPlugins adds the example\'s stage and preset to a registry; a run with it uses its batches', async () => {
    const registry = await loadPlugins([EXAMPLE], createStageRegistry());
    expect(registry.has('batch', 'median-split')).toBe(true);
    expect(registry.preset('median-split')).toEqual({
      name: 'median-split', summary: 'median-split batches, base resources, plain mean', batch: 'median-split', resources: 'fixed', aggregation: 'mean',
    });
    // e = (1, 0, 0, 1): median 0.5, so a and d get B/2 = 20 and b and c get B/4 = 10
    const scenario = parseScenarioText(SCENARIO_TEXT, 'median.yaml', { registry });
    const result = await runScenario(scenario, { engine: stub, registry });
    expect(result.runs[0]!.rounds.map((round) => round.nodes.map((node) => node.plannedBatch))).toEqual([[20, 10, 10, 20], [20, 10, 10, 20]]);
  });

  it('without the plug-in the scenario\'s strategy is unknown', () => {
    expect(() => parseScenarioText(SCENARIO_TEXT, 'median.yaml', { registry: createStageRegistry() })).toThrow(/strategy: expected one of s1s4/);
  });

  it('defineStage, definePreset and definePlugin are typing helpers: they return what they are given', () => {
    const stage = defineStage({ kind: 'batch', name: 'x', summary: 'x', decide: (view) => ({ batches: view.nodes.map(() => 1), working: [] }) });
    const preset = definePreset({ name: 'x', summary: 'x', batch: 'x', resources: 'fixed', aggregation: 'mean' });
    const plugin = definePlugin((dtrain: PluginApi) => dtrain.defineStage(stage));
    expect(defineStage(stage)).toBe(stage);
    expect(definePreset(preset)).toBe(preset);
    expect(definePlugin(plugin)).toBe(plugin);
  });

  it('the API refuses a definition made after the plug-in\'s function returned', async () => {
    await loadPlugins([join(ROOT, 'test', 'plugins', 'fixtures', 'keeps-api.mjs')], createStageRegistry());
    const kept = (globalThis as { dtrainKeptApi?: PluginApi }).dtrainKeptApi!;
    expect(() => kept.definePreset({ name: 'late', summary: 'late', batch: 'fixed', resources: 'kept', aggregation: 'mean' })).toThrow(
      "--plugin " + join(ROOT, 'test', 'plugins', 'fixtures', 'keeps-api.mjs') + ": the preset 'late' was defined after the plug-in's function returned; define everything while it runs",
    );
  });
});

describe('a plug-in stage\'s outputs, checked every round', () => {
  const batchStage = (decide: (view: BatchRoundView) => unknown) => {
    const stage = guardStage({ kind: 'batch', name: 'mine', decide }, SOURCE);
    if (stage.kind !== 'batch') throw new Error('not a batch stage');
    return stage;
  };

  it('the stage gets its own copy of the view, and its batches are copied', () => {
    const view = batchView(2);
    let seen: BatchRoundView | undefined;
    const batches = [3, 0];
    const stage = batchStage((v) => {
      seen = v;
      return { batches };
    });
    const decision = stage.decide(view);
    batches[0] = 99;
    expect(seen === view).toBe(false);
    expect(seen!.nodes).toEqual(view.nodes);
    expect(seen!.nodes).not.toBe(view.nodes);
    expect(decision).toEqual({ batches: [3, 0], working: [{}, {}] });
    // an empty working list is no working, as the type's `working: []` invites
    expect(batchStage(() => ({ batches: [1, 2], working: [] })).decide(view)).toEqual({ batches: [1, 2], working: [{}, {}] });
    expect(stage.summary).toBe('mine (plug-in)');
  });

  it('each stage is told whether its working is kept; one not kept is still checked, and not copied', () => {
    const told: unknown[] = [];
    const working = [{ note: 'a', x: 1 }, { note: 'b', x: null }];
    const batch = batchStage((...args: unknown[]) => {
      told.push(args[1]);
      return { batches: [1, 2], working };
    });
    const kept = batch.decide(batchView(2));
    expect(kept.working).toEqual(working);
    expect(kept.working[0]).not.toBe(working[0]);
    expect(batch.decide(batchView(2), { working: true }).working).toEqual(working);
    expect(batch.decide(batchView(2), { working: false })).toEqual({ batches: [1, 2], working: [] });
    expect(told).toEqual([{ working: true }, { working: true }, { working: false }]);
    // a stage that honours the hint and gives none: nothing per node either
    expect(batchStage(() => ({ batches: [1, 2] })).decide(batchView(2), { working: false }).working).toEqual([]);
    // refused the same whether kept or not
    const wrong = batchStage(() => ({ batches: [1, 2], working: [{}, { deep: [] }] }));
    expect(() => wrong.decide(batchView(2), { working: false })).toThrow("batch stage 'mine' (--plugin mine.mjs): decide() returned working[1].deep = a list of 0; expected a number, a string or null");

    const allocated: unknown[] = [];
    const resources = guardStage({ kind: 'resources', name: 'mine', allocate: (...args: unknown[]) => {
      allocated.push(args[1]);
      return { allocations: [{ threads: 1, ioQueue: 2 }, null], working: [{ rule: 'mine' }, null] };
    } }, SOURCE);
    if (resources.kind !== 'resources') throw new Error('not a resources stage');
    expect(resources.allocate(resourceView([8, 0])).working).toEqual([{ rule: 'mine' }, {}]);
    expect(resources.allocate(resourceView([8, 0]), { working: false })).toEqual({ allocations: [{ threads: 1, ioQueue: 2 }, { threads: 0, ioQueue: 0 }], working: [] });
    expect(allocated).toEqual([{ working: true }, { working: false }]);
  });

  it('what a stage changes in its view reaches nothing the run holds', () => {
    const nodes = [{ cores: 4, bandwidthBps: 1e9 }, { cores: 2, bandwidthBps: 1e8 }];
    const s2 = { standardBatch: 64, rounding: 'floor' as const, minBatch: 0, maxBatch: null };
    const rows = [[1, null], [2, 3]];
    const view = { nodes, samplesMs: rows, efficiency: [{ efficiency: 1, effectiveMs: 1, observedMs: 1 }], lastBatch: [null, 4], s2 } as unknown as BatchRoundView;
    const stage = batchStage((v) => {
      for (const node of v.nodes as unknown as Array<{ cores: number }>) node.cores = 0;
      (v.nodes as unknown[]).length = 0;
      (v.samplesMs[1] as unknown[]).length = 0;
      (v.efficiency as unknown[]).length = 0;
      (v.lastBatch as unknown[])[1] = 1e6;
      v.s2.standardBatch = 1;
      (v as { s2: unknown }).s2 = null;
      return { batches: [8, 8] };
    });
    expect(stage.decide(view).batches).toEqual([8, 8]);
    expect(view).toEqual({ nodes: [{ cores: 4, bandwidthBps: 1e9 }, { cores: 2, bandwidthBps: 1e8 }], samplesMs: [[1, null], [2, 3]], efficiency: [{ efficiency: 1, effectiveMs: 1, observedMs: 1 }], lastBatch: [null, 4], s2 });
    expect(s2.standardBatch).toBe(64);

    const resources = guardStage({ kind: 'resources', name: 'mine', allocate: (v: { batches: number[] }) => {
      v.batches[1] = 1e6;
      return { allocations: [{ threads: 1, ioQueue: 1 }, { threads: 1, ioQueue: 1 }] };
    } }, SOURCE);
    const resourceInput = resourceView([8, 0]);
    // node 1 stays idle: its allocation is not the stage's to give, whatever it wrote into its batches
    expect(resources.kind === 'resources' && resources.allocate(resourceInput).allocations).toEqual([{ threads: 1, ioQueue: 1 }, { threads: 0, ioQueue: 0 }]);
    expect(resourceInput.batches).toEqual([8, 0]);
  });

  it.each([
    ['a Promise', () => Promise.resolve({ batches: [1, 1] }), "batch stage 'mine' (--plugin mine.mjs): decide() must return { batches, working }; found a Promise (stages answer synchronously)"],
    ['one batch for two nodes', () => ({ batches: [1] }), "batch stage 'mine' (--plugin mine.mjs): decide() must return batches: one whole number ≥ 0 per node (2); found a list of 1"],
    ['a negative batch', () => ({ batches: [1, -1] }), "batch stage 'mine' (--plugin mine.mjs): decide() returned batches[1] = -1; expected a whole number ≥ 0"],
    ['NaN', () => ({ batches: [1, Number.NaN] }), "batch stage 'mine' (--plugin mine.mjs): decide() returned batches[1] = NaN; expected a whole number ≥ 0"],
    ['working of the wrong length', () => ({ batches: [1, 2], working: [{ note: 'ok' }] }), "batch stage 'mine' (--plugin mine.mjs): decide() returned working that is not a list of 2 entries (found a list of 1)"],
    ['working holding an object', () => ({ batches: [1, 2], working: [{}, { deep: { x: 1 } }] }), "batch stage 'mine' (--plugin mine.mjs): decide() returned working[1].deep = an object; expected a number, a string or null"],
    ['a thrown string', () => {
      throw 'a string';
    }, "batch stage 'mine' (--plugin mine.mjs): decide() threw: 'a string' (not an Error)"],
  ])('%s', (_label, decide, message) => {
    expect(() => batchStage(decide).decide(batchView(2))).toThrow(message);
  });

  it('a batch above the scenario\'s largest (maxBatch, else the standard batch) is refused with the value', () => {
    const stage = batchStage(() => ({ batches: [64, 1e9] }));
    expect(() => stage.decide(batchView(2))).toThrow(
      "batch stage 'mine' (--plugin mine.mjs): decide() returned batches[1] = 1000000000; expected at most 64, the scenario's largest batch (pipeline.s2.maxBatch, else standardBatch)",
    );
    expect(() => batchStage(() => ({ batches: [65, 0] })).decide(batchView(2))).toThrow('decide() returned batches[0] = 65; expected at most 64,');
    expect(() => batchStage(() => ({ batches: [0, 33] })).decide(batchView(2, { maxBatch: 32 }))).toThrow('decide() returned batches[1] = 33; expected at most 32,');
    expect(batchStage(() => ({ batches: [0, 1000] })).decide(batchView(2, { maxBatch: 1000 })).batches).toEqual([0, 1000]);
  });

  it('a resources stage: a dispatched node needs whole threads and queue ≥ 1; an idle node\'s allocation is not looked at', () => {
    const guard = (allocations: unknown) => {
      const stage = guardStage({ kind: 'resources', name: 'mine', allocate: () => ({ allocations }) }, SOURCE);
      return stage.kind === 'resources' ? stage.allocate(resourceView([8, 0])) : undefined;
    };
    expect(guard([{ threads: 2, ioQueue: 3 }, null])).toEqual({ allocations: [{ threads: 2, ioQueue: 3 }, { threads: 0, ioQueue: 0 }], working: [{}, {}] });
    expect(() => guard([{ threads: 0, ioQueue: 3 }, null])).toThrow(
      "resources stage 'mine' (--plugin mine.mjs): allocate() returned allocations[0] with threads 0, ioQueue 3; a dispatched node needs whole numbers ≥ 1 for both",
    );
  });

  it('an aggregation stage: weights ≥ 0, one per participant, summing to 1', () => {
    const participants = [{ gradNormHistory: [1], sampleCount: 1, batch: 1, localSteps: 1 }, { gradNormHistory: [1], sampleCount: 1, batch: 1, localSteps: 1 }];
    const guard = (weights: unknown, volatilities?: unknown) => {
      const stage = guardStage({ kind: 'aggregation', name: 'mine', weigh: () => ({ weights, volatilities }) }, SOURCE);
      return stage.kind === 'aggregation' ? stage.weigh(participants, { volatility: 'cv', window: 5, epsilon: 1e-3, maxWeight: null }) : undefined;
    };
    expect(guard([0.25, 0.75])).toEqual({ weights: [0.25, 0.75], volatilities: [null, null], working: [{}, {}] });
    expect(() => guard([0.5, 0.4])).toThrow("aggregation stage 'mine' (--plugin mine.mjs): weigh() returned weights summing to 0.9; expected 1");
    expect(() => guard([1.5, -0.5])).toThrow("aggregation stage 'mine' (--plugin mine.mjs): weigh() returned weights[1] = -0.5; expected a finite number ≥ 0");
    expect(() => guard([0.5, 0.5], [1])).toThrow("aggregation stage 'mine' (--plugin mine.mjs): weigh() must return volatilities: one finite number or null per participant (2); found a list of 1");
    expect(() => guard([0.5, 0.5], ['high', 'high'])).toThrow("aggregation stage 'mine' (--plugin mine.mjs): weigh() returned volatilities[0] = 'high'; expected a finite number or null");
    expect(() => guard([0.5, 0.5], [0.1, Number.POSITIVE_INFINITY])).toThrow("aggregation stage 'mine' (--plugin mine.mjs): weigh() returned volatilities[1] = Infinity; expected a finite number or null");
    // a hole is no entry
    expect(() => guard([0.5, 0.5], [0.1, , ])).toThrow("aggregation stage 'mine' (--plugin mine.mjs): weigh() returned volatilities[1] = undefined; expected a finite number or null");
    expect(guard([0.5, 0.5], [0.1, null])).toEqual({ weights: [0.5, 0.5], volatilities: [0.1, null], working: [{}, {}] });
  });

  it('what a plug-in threw is read without trusting it: getters and traps that throw, a revoked Proxy, a long message', () => {
    const hostile = new Proxy(new RangeError('x'), { get() { throw new Error('trap'); } });
    const noPrototype = new Proxy({}, { getPrototypeOf() { throw new Error('trap'); } });
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const badName = Object.assign(new Error('it failed'), { name: { toString() { throw new Error('inner'); } } });
    expect(thrownMessage(hostile)).toBe('Error (its message cannot be read)');
    expect(thrownMessage(noPrototype)).toBe('an object (not an Error)');
    expect(thrownMessage(revoked)).toBe('a value that cannot be read (not an Error)');
    expect(thrownMessage(badName)).toBe('Error: it failed');
    expect(thrownMessage(new Error(`a\n${'x'.repeat(1000)}`))).toBe(`Error: a\\n${'x'.repeat(289)}…`);
    // a cut never leaves half a surrogate pair
    expect(thrownMessage(new Error(`${'x'.repeat(291)}😀😀`))).toBe(`Error: ${'x'.repeat(291)}…`);
  });

  it('a definition without its function, or with a wrong name type, is refused when defined', () => {
    expect(() => guardStage({ kind: 'resources', name: 'mine', decide: () => ({}) }, SOURCE)).toThrow(
      '--plugin mine.mjs: defineStage(): a resources stage needs its allocate() function, found undefined',
    );
    expect(() => guardStage({ kind: 'batch', name: 7, decide: () => ({}) }, SOURCE)).toThrow('--plugin mine.mjs: defineStage(): name must be a string, found 7');
  });
});
