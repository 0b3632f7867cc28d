import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { runScenario } from '../../src/index.js';
import { nodeHost } from '../../src/node/host.js';
import { parseScenarioText } from '../../src/node/load.js';
import type { EngineFactory } from '../../src/train/engine.js';
import type { RoundRecord } from '../../src/sim/records.js';
import { NodeRecordView, plainNodeRecord } from '../../src/run/record.js';

// Four nodes with constant (or phased) links on iris with softmax regression: every S1–S3
// value and every round time below is computed by hand from SPEC §2.
const HAND_SCENARIO = `
name: hand
seed: 1
rounds: 3
strategy: s1s4
data: { dataset: iris, testFraction: 0.2 }
model: { hidden: [], learningRate: 0.1, localSteps: 1 }
pipeline:
  s1: { intervalMs: 100, windowMs: 1s, thresholdMs: 50 }
  s2: { standardBatch: 64 }
cluster:
  defaults: { cores: 8, msPerSample: 1, parallelFraction: 0.9, ioMsPerBatch: 2, bandwidth: 1Gbps }
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: { constant: 20 } }
    - { id: c, latency: { constant: 80 } }
    - { id: d, latency: { phases: [ { until: 50ms, constant: 5 }, { constant: 70 } ] } }
`;

// softmax regression on iris: 4·3 + 3 = 15 float32 parameters = 60 bytes = 480 bits.
const TRANSFER_MS = (480 / 1e9) * 1000;
// Amdahl at p = 0.9, 4 threads: speedup 1/0.325, so a 32-sample step takes 32 · 0.325 ms.
const STEP_32 = 32 * 0.325;
const STEP_30 = 30 * 0.325;

async function runHand() {
  const scenario = parseScenarioText(HAND_SCENARIO, 'hand.yaml');
  const result = await runScenario(scenario, { backend: 'cpu', engine: 'reference' });
  return result.runs[0]!.rounds;
}

describe('round loop on hand-computed timelines', () => {
  it('round 1: perfect links get B/2, a link over the threshold gets batch 0 and is not dispatched', async () => {
    const [round1] = await runHand();
    const byId = Object.fromEntries(round1!.nodes.map((n) => [n.id, n]));
    expect(round1!.startMs).toBe(0);
    for (const id of ['a', 'b', 'd']) {
      expect(byId[id]).toMatchObject({ efficiency: 1, effectiveMs: 1000, observedMs: 1000, batch: 32, threads: 4, ioQueue: 8, participated: true });
      expect(byId[id]!.responseMs).toBeCloseTo(STEP_32, 12);
      expect(byId[id]!.pressure).toBeCloseTo(32 * STEP_32, 9);
      expect(byId[id]!.weight).toBeCloseTo(1 / 3, 12);
    }
    expect(byId.c).toMatchObject({ efficiency: 0, effectiveMs: 0, batch: 0, threads: 0, ioQueue: 0, participated: false, weight: 0, finishMs: null });
    // a: download 5 + transfer, 1 step, upload 5 + transfer; b the same with 20 ms.
    expect(byId.a!.finishMs).toBeCloseTo(5 + TRANSFER_MS + STEP_32 + 5 + TRANSFER_MS, 9);
    expect(byId.b!.finishMs).toBeCloseTo(20 + TRANSFER_MS + STEP_32 + 20 + TRANSFER_MS, 9);
    expect(round1!.endMs).toBeCloseTo(40 + 2 * TRANSFER_MS + STEP_32, 9);
  });

  it('round 3: the window reaches slot 1, where d turns slow; half-up rounding of threads and queue', async () => {
    const rounds = await runHand();
    const t2 = 40 + 2 * TRANSFER_MS + STEP_32;
    const t3 = t2 + 40 + 2 * TRANSFER_MS + STEP_32;
    expect(rounds[1]!.startMs).toBeCloseTo(t2, 9);
    expect(rounds[2]!.startMs).toBeCloseTo(t3, 9);
    const d = rounds[2]!.nodes.find((n) => n.id === 'd')!;
    // window [t3 − 1000, t3) holds grid times −800 … 100; the sample at 100 ms is 70 ms.
    expect(d).toMatchObject({ efficiency: 0.9, effectiveMs: 900, observedMs: 1000, batch: 30 });
    // pressure 30 · 10.4 = 312 vs median 332.8: threads round(3.75) = 4, queue round(7.5) = 8.
    expect(d.pressure).toBeCloseTo(312, 9);
    expect(d.threads).toBe(4);
    expect(d.ioQueue).toBe(8);
    // d downloads at slot 1 (70 ms), steps 30 · 0.325, uploads at 70 ms again.
    expect(d.finishMs).toBeCloseTo(t3 + 70 + TRANSFER_MS + STEP_30 + 70 + TRANSFER_MS, 9);
    expect(rounds[2]!.endMs).toBeCloseTo(d.finishMs!, 12);
  });
});

// c's link is over the threshold until 100 ms, so it first takes part (round 4) after a and b have two
// gradient norms each: S4 then weighs it by the mean of their volatilities.
const LATE_JOINER = `
name: late-joiner
seed: 1
rounds: 6
strategy: s1s4
data: { dataset: iris, testFraction: 0.2 }
model: { hidden: [], learningRate: 0.1, localSteps: 1 }
pipeline:
  s1: { intervalMs: 100, windowMs: 1s, thresholdMs: 50 }
  s2: { standardBatch: 32 }
  s4: { volatility: cv, window: 5 }
cluster:
  defaults: { cores: 8, msPerSample: 1, parallelFraction: 0.9, ioMsPerBatch: 2, bandwidth: 1Gbps }
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: { constant: 20 } }
    - { id: c, latency: { phases: [ { until: 100ms, constant: 80 }, { constant: 5 } ] } }
`;

describe('a node with too little history (S4 fill-in)', () => {
  it('reports the mean volatility of the others, the value its weight was computed from, not null', async () => {
    const result = await runScenario(parseScenarioText(LATE_JOINER, 'late-joiner.yaml'), { backend: 'cpu' });
    const rounds = result.runs[0]!.rounds;
    const participations = new Map<string, number>();
    const filled: Array<{ round: number; volatility: number | null; mean: number; weight: number; weights: number[] }> = [];
    for (const record of rounds) {
      const participants = record.nodes.filter((n) => n.participated);
      for (const n of participants) participations.set(n.id, (participations.get(n.id) ?? 0) + 1);
      const own = participants.filter((n) => participations.get(n.id)! >= 2);
      const newcomers = participants.filter((n) => participations.get(n.id)! < 2);
      if (own.length === 0) continue;
      const mean = own.reduce((sum, n) => sum + n.volatility!, 0) / own.length;
      for (const n of newcomers) {
        filled.push({ round: record.round, volatility: n.volatility, mean, weight: n.weight, weights: participants.map((p) => p.weight) });
      }
    }

    expect(filled.map((f) => f.round)).toEqual([4]);
    const [{ volatility, mean, weight, weights }] = filled as [typeof filled[number]];
    expect(volatility).toBe(mean);
    // the weight is 1/(v + ε) over the sum of the terms of every participant
    const terms = rounds[filled[0]!.round - 1]!.nodes.filter((n) => n.participated).map((n) => 1 / (n.volatility! + 1e-3));
    expect(weight).toBeCloseTo(1 / (volatility! + 1e-3) / terms.reduce((sum, t) => sum + t, 0), 12);
    expect(weights.reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 12);
  });
});

describe('round loop memory', () => {
  it('a run that keeps no node records asks its stages for no working, and its records carry none', async () => {
    const scenario = parseScenarioText(HAND_SCENARIO, 'hand.yaml');
    const streamed: RoundRecord[] = [];
    const kept = await runScenario(scenario, { backend: 'cpu', engine: 'reference' });
    await runScenario(scenario, { backend: 'cpu', engine: 'reference', retainNodes: false, onRound: (record) => streamed.push(record) });
    const keptRounds = kept.runs[0]!.rounds;
    expect(streamed).toHaveLength(keptRounds.length);
    let withEvents = 0;
    streamed.forEach((record, r) => {
      const { working, ...rest } = keptRounds[r]!;
      const { working: streamedWorking, nodes: streamedNodes, ...streamedRest } = record;
      // the streamed records are views over the round's columns; their fields are the kept records'
      expect(streamedNodes.every((node) => node instanceof NodeRecordView)).toBe(true);
      expect({ ...streamedRest, nodes: streamedNodes.map(plainNodeRecord) }).toEqual(rest);
      expect(streamedWorking).toEqual({ batch: [], resources: [] });
      expect(working!.batch).toHaveLength(scenario.cluster.nodes.length);
      expect(working!.resources).toHaveLength(scenario.cluster.nodes.length);
      expect(working!.aggregation!.filter((entry) => entry !== null).length).toBeGreaterThan(0);
      // a view's events are built when read, never kept (a node retrying a hundred times has
      // two hundred): each read is a new object with the kept record's events
      streamedNodes.forEach((node, i) => {
        if (node.timeline === null) return;
        withEvents += 1;
        expect(node.timeline).not.toBe(node.timeline);
        expect(node.timeline).toEqual(keptRounds[r]!.nodes[i]!.timeline);
      });
    });
    expect(withEvents).toBeGreaterThan(streamed.length);
  });

  it('asked for the working (explain --round), a run that keeps no node records hands every stage\'s to onRound', async () => {
    const scenario = parseScenarioText(HAND_SCENARIO, 'hand.yaml');
    const streamed: RoundRecord[] = [];
    const kept = await runScenario(scenario, { backend: 'cpu', engine: 'reference' });
    const run = await runScenario(scenario, { backend: 'cpu', engine: 'reference', retainNodes: false, working: true, onRound: (record) => streamed.push(record) });
    expect(streamed.map((record) => record.working)).toEqual(kept.runs[0]!.rounds.map((record) => record.working));
    // and keeps neither it nor the node records
    expect(run.runs[0]!.rounds.every((record) => record.working === undefined && record.nodes.length === 0)).toBe(true);
  });

  it('waits for the outputs\' reader before every round: no round starts until what the last one wrote was taken', async () => {
    const scenario = parseScenarioText(HAND_SCENARIO, 'hand.yaml');
    const events: string[] = [];
    let release = (): void => {};
    const run = runScenario(scenario, {
      backend: 'cpu',
      engine: 'reference',
      onRound: (record) => events.push(`round ${record.round}`),
      waitForOutputs: () => {
        events.push('wait');
        return new Promise<void>((taken) => (release = taken));
      },
    });
    // the run holds before round 1 until the reader has taken what was written (nothing yet)
    await vi.waitFor(() => expect(events).toEqual(['wait']), { timeout: 10_000 });
    await new Promise((later) => setTimeout(later, 200));
    expect(events).toEqual(['wait']);
    for (let round = 1; round < scenario.rounds; round++) {
      release();
      await vi.waitFor(() => expect(events.slice(-2)).toEqual([`round ${round}`, 'wait']), { timeout: 10_000 });
      // and holds there, one round done, until released again
      await new Promise((later) => setTimeout(later, 100));
      expect(events).toHaveLength(1 + 2 * round);
    }
    release();
    // the last round ends the run: what it wrote is its caller's to wait for
    expect((await run).runs[0]!.rounds).toHaveLength(scenario.rounds);
    expect(events.slice(-2)).toEqual(['wait', `round ${scenario.rounds}`]);
  });

  it('records without their timelines (timelines false) say every time and drop the same', async () => {
    // lossy and slow links under a deadline: finished, retried, dropped for retries and for the deadline
    const scenario = parseScenarioText(`
name: drops
seed: 3
rounds: 8
strategy: s1s4
data: { dataset: iris, testFraction: 0.2 }
model: { hidden: [], learningRate: 0.1, localSteps: 2 }
pipeline:
  s1: { intervalMs: 100, windowMs: 1s, thresholdMs: 500 }
  s2: { standardBatch: 16 }
cluster:
  roundTimeoutMs: 600ms
  retryMs: 150ms
  maxRetries: 3
  defaults: { cores: 4, msPerSample: 1, bandwidth: 1Gbps }
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: { constant: 5, loss: 0.5 } }
    - { id: c, latency: { constant: 10, loss: 0.9 } }
    - { id: d, msPerSample: 120, latency: { constant: 20 } }
`, 'drops.yaml');
    const full = (await runScenario(scenario, { backend: 'cpu', engine: 'reference' })).runs[0]!.rounds;
    const bare = (await runScenario(scenario, { backend: 'cpu', engine: 'reference', timelines: false })).runs[0]!.rounds;
    const reasons = new Set(full.flatMap((round) => round.nodes.map((node) => node.dropReason)));
    expect([...reasons].sort()).toEqual(['deadline', 'notDispatched', 'retries', null].sort());
    const retried = (node: RoundRecord['nodes'][number]): boolean => node.timeline!.download.tries.length + (node.timeline!.upload?.tries.length ?? 0) > 2;
    expect(full.some((round) => round.nodes.some((node) => node.participated && retried(node)))).toBe(true);
    expect(bare).toHaveLength(full.length);
    bare.forEach((round, r) => {
      round.nodes.forEach((node, i) => {
        expect(node.timeline).toBeUndefined();
        const { timeline, ...rest } = full[r]!.nodes[i]!;
        expect(timeline).not.toBeUndefined();
        expect(node).toEqual(rest);
      });
    });
  });

  it("a round's node records are garbage once onRound had them, before the next round trains (retainNodes false)", async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const settle = async () => {
      for (let k = 0; k < 2; k++) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        gc();
      }
    };
    const reference = await nodeHost.engines.get('reference')!();
    const handed: Array<WeakRef<object>> = [];
    const aliveWhileTraining: boolean[] = [];
    const engine: EngineFactory = async (options) => {
      const base = await reference(options);
      return {
        backend: base.backend,
        paramCount: base.paramCount,
        aggregate: (weights) => base.aggregate(weights),
        discardLocal: () => base.discardLocal(),
        evaluate: () => base.evaluate(),
        getParams: () => base.getParams(),
        dispose: () => base.dispose(),
        trainLocal: async (tasks) => {
          await settle();
          // the previous round's records, while this round trains
          const previous = handed[handed.length - 1];
          if (previous !== undefined) aliveWhileTraining.push(previous.deref() !== undefined);
          return base.trainLocal(tasks);
        },
      };
    };
    const scenario = parseScenarioText(HAND_SCENARIO, 'hand.yaml');
    await runScenario(scenario, { backend: 'cpu', engine, retainNodes: false, onRound: (record) => handed.push(new WeakRef(record.nodes)) });
    expect(handed).toHaveLength(3);
    expect(aliveWhileTraining).toEqual([false, false]);
  });
});
