/**
 * What an explanation needs beyond the run's records, all derived from the scenario alone:
 * each node's latency process (a pure function of seed, node and time, SPEC §1.2 — so the
 * latency at a transfer's try time is the one the run saw), the model size that sets the
 * transfer time, and each node's number of training samples (FedAvg's weights).
 */
import { buildLatencyModel } from '../sim/latency/index.js';
import { modelBytes, transferMs } from '../sim/time-model.js';
import type { Scenario } from '../scenario/types.js';
import { countParams } from '../train/params.js';
import { prepareTraining } from '../train/prepare.js';

export interface ExplainContext {
  /** per node (scenario order): latency at simulated time t, null = lost or down */
  latencyAt: Array<(timeMs: number) => number | null>;
  paramCount: number;
  modelBytes: number;
  /** per node: one model transfer, ms */
  transferMs: number[];
  /** per node: training samples */
  sampleCounts: number[];
}

export function buildExplainContext(scenario: Scenario): ExplainContext {
  const prepared = prepareTraining({
    data: scenario.data, nodes: scenario.cluster.nodes, seed: scenario.seed, hidden: scenario.model.hidden,
  });
  const paramCount = countParams(prepared.featureCount, scenario.model.hidden, prepared.classCount);
  const bytes = modelBytes(paramCount);
  const latencyAt = scenario.cluster.nodes.map((node) => {
    const model = buildLatencyModel(node.latency, {
      seed: scenario.seed,
      nodeId: node.id,
      resolutionMs: scenario.cluster.latencyResolutionMs,
      originMs: -scenario.pipeline.s1.windowMs,
    });
    return (timeMs: number) => model.at(timeMs);
  });
  return {
    latencyAt,
    paramCount,
    modelBytes: bytes,
    transferMs: scenario.cluster.nodes.map((node) => transferMs(bytes, node.bandwidthBps)),
    sampleCounts: prepared.sampleCounts,
  };
}
