/**
 * The simulated network of a scenario: one latency model per node. Every strategy of a run
 * shares it, since latency is a pure function of (seed, node, time) (SPEC §1.2): common
 * random numbers.
 */
import type { Scenario } from '../scenario/types.js';
import { buildLatencyModel, type LatencyModel } from '../sim/latency/index.js';

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
