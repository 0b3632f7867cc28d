/**
 * The simulated network of a scenario: one latency model per node, and each node's compute
 * slowdown. Every strategy of a run
 * shares it, since latency is a pure function of (seed, node, time) (SPEC §1.2): common
 * random numbers.
 */
import type { Scenario } from '../scenario/types.js';
import { buildLatencyModel, buildSlowdownModel, type LatencyModel } from '../sim/latency/index.js';
import type { SlowdownModel } from './time-guard.js';

export function buildNetwork(scenario: Scenario): LatencyModel[] {
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
export function buildSlowdowns(scenario: Scenario): Array<SlowdownModel | null> {
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
