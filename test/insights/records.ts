/** Small hand-made runs for the insight detectors: only the fields a test sets matter. */
import type { NodeRoundRecord, RoundRecord, StrategyRun } from '../../src/sim/records.js';
import type { NodeTimeline } from '../../src/sim/time-model.js';
import { S1S4 } from '../report/fixtures.js';

/** A participant with the given weight (and anything else overridden). */
export function node(id: string, fields: Partial<NodeRoundRecord> = {}): NodeRoundRecord {
  return {
    id, efficiency: 1, effectiveMs: 2000, observedMs: 2000, batch: 32, plannedBatch: 32, responseMs: 10, pressure: 320,
    threads: 4, ioQueue: 8, participated: true, dropReason: null, finishMs: 10, downloadEndMs: 5, computeEndMs: 8,
    gradNorm: 1, volatility: 0.1, weight: 0, ...fields,
  };
}

export function idle(id: string, efficiency = 0): NodeRoundRecord {
  return node(id, {
    efficiency, batch: 0, plannedBatch: 0, participated: false, dropReason: 'notDispatched', finishMs: null,
    downloadEndMs: null, computeEndMs: null, gradNorm: null, volatility: null, weight: 0,
  });
}

export function dropped(id: string, reason: 'retries' | 'deadline'): NodeRoundRecord {
  return node(id, { batch: 0, participated: false, dropReason: reason, finishMs: null, gradNorm: null, volatility: null, weight: 0 });
}

/** Round n from 0 to the latest finish (or `endMs`). */
export function round(n: number, nodes: NodeRoundRecord[], endMs?: number): RoundRecord {
  const finishes = nodes.filter((x) => x.participated).map((x) => x.finishMs ?? 0);
  return {
    round: n, startMs: 0, endMs: endMs ?? Math.max(0, ...finishes), skipped: finishes.length === 0,
    loss: 1, accuracy: 0.5, nodes,
  };
}

export function run(rounds: RoundRecord[], name = 's1s4'): StrategyRun {
  return {
    strategy: { ...S1S4, name }, backend: 'cpu', rounds,
    summary: { finalAccuracy: 0.5, bestAccuracy: 0.5, simulatedMs: 0, samplesTrained: 0, timeToTargetMs: null },
  };
}

/** Participants with these weights, ids a, b, c, … */
export function weighted(n: number, weights: number[]): RoundRecord {
  return round(n, weights.map((w, i) => node(String.fromCharCode(97 + i), { weight: w })));
}

/** A timeline with `count` local steps of 1 ms (only `steps` is read by the insights). */
export function stepsTimeline(count: number): NodeTimeline {
  return { steps: Array.from({ length: count }, (_, k) => ({ startMs: k, endMs: k + 1 })) } as unknown as NodeTimeline;
}
