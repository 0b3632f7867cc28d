/**
 * Hand-built RunResult fixtures for the report tests: a tiny one (4 nodes, 2 rounds,
 * 2 strategies) whose every value is written out, and a generated one of any size whose
 * values are simple functions of the node index (no randomness).
 */
import { S1ConfigSchema, S2ConfigSchema, S3ConfigSchema, S4ConfigSchema } from '../../src/scenario/schema.js';
import type { NodeSpec, Scenario, StrategySpec } from '../../src/scenario/types.js';
import type { NodeRoundRecord, RoundRecord, RunResult } from '../../src/sim/records.js';

export const S1S4: StrategySpec = { name: 's1s4', batch: 'efficiency', resources: 'pressure', aggregation: 'volatility' };
export const SYNC_SGD: StrategySpec = { name: 'sync-sgd', batch: 'fixed', resources: 'fixed', aggregation: 'mean' };

function nodeSpec(id: string): NodeSpec {
  return {
    id,
    latency: { process: { kind: 'constant', valueMs: 5 }, loss: 0, down: [] },
    cores: 8, msPerSample: 0.4, parallelFraction: 0.9, ioMsPerBatch: 2, bandwidthBps: 1e9,
    labelNoise: 0, dataShare: 1,
  };
}

export function makeScenario(nodeIds: string[], targetAccuracy: number | null = 0.85): Scenario {
  return {
    name: 'tiny', description: 'report fixture', seed: 7, rounds: 2, targetAccuracy,
    strategies: [S1S4, SYNC_SGD],
    data: { dataset: { kind: 'builtin', name: 'iris' }, testFraction: 0.2, partition: { kind: 'iid' } },
    model: { hidden: [], learningRate: 0.1, localSteps: 1 },
    pipeline: {
      s1: S1ConfigSchema.parse({}), s2: S2ConfigSchema.parse({}),
      s3: S3ConfigSchema.parse({}), s4: S4ConfigSchema.parse({}),
    },
    cluster: { retryMs: 100, maxRetries: 20, roundTimeoutMs: null, latencyResolutionMs: 100, nodes: nodeIds.map(nodeSpec) },
    file: 'scenarios/tiny.yaml',
  };
}

/** A participant with every field given; the other kinds derive from it. */
function took(id: string, e: number, batch: number, threads: number, ioQueue: number,
  responseMs: number | null, finishMs: number, gradNorm: number, volatility: number | null, weight: number): NodeRoundRecord {
  return {
    id, efficiency: e, effectiveMs: e * 2000, observedMs: 2000,
    batch, plannedBatch: batch, responseMs, pressure: batch * (responseMs ?? 0), threads, ioQueue,
    participated: true, dropReason: null, finishMs, downloadEndMs: finishMs - 40, computeEndMs: finishMs - 20,
    gradNorm, volatility, weight,
  };
}

function idle(id: string, responseMs: number | null): NodeRoundRecord {
  return {
    id, efficiency: 0, effectiveMs: 0, observedMs: 2000,
    batch: 0, plannedBatch: 0, responseMs, pressure: 0, threads: 0, ioQueue: 0,
    participated: false, dropReason: 'notDispatched', finishMs: null, downloadEndMs: null, computeEndMs: null,
    gradNorm: null, volatility: null, weight: 0,
  };
}

function dropped(id: string, e: number, plannedBatch: number, threads: number, ioQueue: number,
  responseMs: number, reason: 'retries' | 'deadline'): NodeRoundRecord {
  return {
    id, efficiency: e, effectiveMs: e * 2000, observedMs: 2000,
    batch: 0, plannedBatch, responseMs, pressure: plannedBatch * responseMs, threads, ioQueue,
    participated: false, dropReason: reason, finishMs: null, downloadEndMs: 6500, computeEndMs: null,
    gradNorm: null, volatility: null, weight: 0,
  };
}

function round(n: number, startMs: number, endMs: number, loss: number, accuracy: number, nodes: NodeRoundRecord[]): RoundRecord {
  return { round: n, startMs, endMs, skipped: !nodes.some((node) => node.participated), loss, accuracy, nodes };
}

/** 4 nodes a–d, 2 rounds, strategies s1s4 and sync-sgd. */
export function tinyResult(): RunResult {
  return {
    scenario: makeScenario(['a', 'b', 'c', 'd']),
    runs: [
      {
        strategy: S1S4,
        backend: 'cpu',
        rounds: [
          round(1, 0, 6420, 0.69314, 0.5, [
            took('a', 1, 32, 4, 8, null, 6000, 1.5, null, 0.4),
            took('b', 0.5, 16, 2, 4, null, 6420, 2.5, null, 0.35),
            took('c', 0.75, 24, 3, 6, null, 6100, 2, null, 0.25),
            idle('d', null),
          ]),
          round(2, 6420, 8115, 0.48213, 0.88333, [
            took('a', 1, 32, 5, 10, 12.5, 8000, 1.25, 0.1, 0.5),
            took('b', 0.375, 11, 2, 3, 12.75, 8115, 2.25, 0.042, 0.25),
            dropped('c', 0.625, 18, 3, 5, 10.25, 'deadline'),
            took('d', 0.6875, 19, 3, 6, 9.75, 8050, 3, 0.2, 0.25),
          ]),
        ],
        summary: { finalAccuracy: 0.88333, bestAccuracy: 0.88333, simulatedMs: 8115, samplesTrained: 134, timeToTargetMs: 8115 },
      },
      {
        strategy: SYNC_SGD,
        backend: 'cpu',
        rounds: [
          round(1, 0, 6000, 0.7, 0.61, [
            took('a', 1, 32, 4, 8, null, 5000, 1.5, null, 0.25),
            took('b', 0.5, 32, 4, 8, null, 6000, 2.5, null, 0.25),
            took('c', 0.75, 32, 4, 8, null, 5500, 2, null, 0.25),
            took('d', 0, 32, 4, 8, null, 5900, 3, null, 0.25),
          ]),
          round(2, 6000, 8000, 0.7, 0.61, [
            dropped('a', 1, 32, 4, 8, 12.5, 'retries'),
            dropped('b', 0.5, 32, 4, 8, 12.75, 'retries'),
            dropped('c', 0.75, 32, 4, 8, 11, 'retries'),
            dropped('d', 0, 32, 4, 8, 14, 'retries'),
          ]),
        ],
        summary: { finalAccuracy: 0.61, bestAccuracy: 0.61, simulatedMs: 8000, samplesTrained: 128, timeToTargetMs: null },
      },
    ],
  };
}

/**
 * `count` nodes n-1 … n-N: node i has efficiency ((i·37) mod 101)/100 capped at 1; every
 * 10th node is idle (efficiency 0), every 25th dropped at the deadline, the rest take part
 * with weight ∝ i (so n-1 has the lowest weight).
 */
export function generatedResult(count: number, rounds = 2): RunResult {
  const ids = Array.from({ length: count }, (_, k) => `n-${k + 1}`);
  const weightTotal = ids.reduce((sum, _, k) => (isParticipant(k + 1) ? sum + k + 1 : sum), 0);
  const nodes = ids.map((id, k) => {
    const i = k + 1;
    if (i % 10 === 0) return idle(id, 10);
    const e = Math.min(1, ((i * 37) % 101) / 100) || 0.01;
    const batch = Math.max(1, Math.floor((64 * e) / (e + 1)));
    if (i % 25 === 0) return dropped(id, e, batch, 4, 8, 11, 'deadline');
    return took(id, e, batch, 1 + (i % 8), 1 + (i % 16), 10 + (i % 7), 5000 + i, 1 + i / 100, (i % 13) / 100, i / weightTotal);
  });
  return {
    scenario: makeScenario(ids),
    runs: [{
      strategy: S1S4,
      backend: 'cpu',
      rounds: Array.from({ length: rounds }, (_, r) => round(r + 1, r * 6000, (r + 1) * 6000, 0.5, 0.8, nodes)),
      summary: { finalAccuracy: 0.8, bestAccuracy: 0.8, simulatedMs: rounds * 6000, samplesTrained: 123456, timeToTargetMs: null },
    }],
  };
}

function isParticipant(i: number): boolean {
  return i % 10 !== 0 && i % 25 !== 0;
}
