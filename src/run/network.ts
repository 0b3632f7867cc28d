/**
 * The simulated network of a scenario: one latency model per node, and each node's compute
 * slowdown. Every strategy of a run
 * shares it, since latency is a pure function of (seed, node, time) (SPEC §1.2): common
 * random numbers.
 */
import type { S1Config } from '../pipeline/s1-efficiency.js';
import type { NodeSpec } from '../scenario/types.js';
import { buildLatencyModel, buildSlowdownModel, type LatencyModel } from '../sim/latency/index.js';
import type { SlowdownModel } from './time-guard.js';

/** A scenario's network as one thread holds it: each node's latency model and compute slowdown. */
export interface SimulatedNetwork {
  latency: LatencyModel[];
  slowdowns: Array<SlowdownModel | null>;
}

/**
 * What the network is built from: a scenario, or the timeline setting a helper thread is sent
 * (round-state.ts TimelineSetting) — structured-cloneable, no functions.
 */
export interface NetworkSetting {
  seed: number;
  pipeline: { s1: Pick<S1Config, 'intervalMs' | 'windowMs'> };
  cluster: { latencyResolutionMs: number; nodes: ReadonlyArray<Pick<NodeSpec, 'id' | 'latency' | 'slowdown'>> };
}

export function buildNetwork(scenario: NetworkSetting): LatencyModel[] {
  return scenario.cluster.nodes.map((node) =>
    buildLatencyModel(node.latency, {
      seed: scenario.seed,
      nodeId: node.id,
      resolutionMs: scenario.cluster.latencyResolutionMs,
      // monitoring starts a window before round 1 (SPEC §2 S1)
      originMs: -scenario.pipeline.s1.windowMs,
    }),
  );
}

/**
 * Each node's compute slowdown (time model v2), on its own seed stream so that adding one
 * never changes a latency draw; null for a node without one.
 */
export function buildSlowdowns(scenario: NetworkSetting): Array<SlowdownModel | null> {
  return scenario.cluster.nodes.map((node) =>
    node.slowdown == null
      ? null
      : buildSlowdownModel(node.slowdown, {
        seed: scenario.seed,
        nodeId: node.id,
        resolutionMs: scenario.cluster.latencyResolutionMs,
        originMs: -scenario.pipeline.s1.windowMs,
      }),
  );
}

/**
 * The network, built the first time it is asked for, then kept. A run whose rounds the host's
 * helper thread simulates (run/round-ahead.ts) never looks a latency up on this thread, and
 * building a copy here for nothing cost about 0.8 s and 140 MB of fresh memory at 131,072
 * nodes; a run that simulates a round here builds it then, once for all its strategies.
 */
export function lazyNetwork(scenario: NetworkSetting): () => SimulatedNetwork {
  let built: SimulatedNetwork | null = null;
  return () => (built ??= { latency: buildNetwork(scenario), slowdowns: buildSlowdowns(scenario) });
}
