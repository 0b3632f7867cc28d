/**
 * planRound — the method's per-round decisions, S1 → S2 → S3 (SPEC §2). This is the only
 * place the stage order is written down; each stage is a pure function in its own file.
 *
 *   S1  efficiency from the window's samples          (always, so tables show it)
 *   S2  batch: `efficiency` → chooseBatchSize(e); `fixed` → chooseBatchSize(1) = B/2, rounded, clamped
 *   S3  for dispatched nodes (batch > 0): pressure = batch · responseMs, P_ref = median;
 *       `pressure` → allocateResources; `fixed` → pressure / P_ref = 1
 *
 * S4 runs after training, through the aggregator registry (aggregators.ts).
 */
import { computeEfficiency } from './s1-efficiency.js';
import { chooseBatchSize } from './s2-batch-size.js';
import { allocateResources, fixedResources, pressureOf, referencePressure } from './s3-resources.js';
import type { NodePlan, PlanRoundInput } from './types.js';

export type { AggregatorInput, AggregatorOutput, NodePlan, PlanNode, PlanRoundInput } from './types.js';
export { AGGREGATORS, aggregatorFor, type Aggregator } from './aggregators.js';

/** The `fixed` batch stage is S2 with e = 1 for every node (SPEC §2 Strategies). */
const FIXED_STAGE_EFFICIENCY = 1;

export function planRound(input: PlanRoundInput): NodePlan[] {
  const { nodes, s1, s2, s3, strategy } = input;
  if (input.samplesMs.length !== nodes.length || input.lastResponseMs.length !== nodes.length) {
    throw new RangeError(`planRound: ${nodes.length} nodes but ${input.samplesMs.length} sample windows and ${input.lastResponseMs.length} response times`);
  }

  // S1 + S2
  const decided = nodes.map((node, i) => {
    const { efficiency, effectiveMs, observedMs } = computeEfficiency(input.samplesMs[i], s1);
    const batchEfficiency = strategy.batch === 'efficiency' ? efficiency : FIXED_STAGE_EFFICIENCY;
    return { efficiency, effectiveMs, observedMs, batch: chooseBatchSize(batchEfficiency, s2) };
  });

  // S3: before a node's first round, its response time is the step time it would have at this
  // batch with the base (clamped) allocation.
  const pressures = decided.map(({ batch }, i) => {
    if (batch === 0) return { responseMs: input.lastResponseMs[i], pressure: 0 };
    const base = fixedResources(nodes[i].cores, s3);
    const responseMs = input.lastResponseMs[i] ?? input.stepMsOf(i, batch, base.threads, base.ioQueue);
    return { responseMs, pressure: pressureOf(batch, responseMs) };
  });
  const dispatched = decided.map(({ batch }) => batch > 0);
  const pRef = dispatched.includes(true) ? referencePressure(pressures.filter((_, i) => dispatched[i]).map((p) => p.pressure)) : 0;

  // Plain literals of one shape (no spreads): this runs for every node of every round.
  return decided.map(({ efficiency, effectiveMs, observedMs, batch }, i) => {
    const { responseMs, pressure } = pressures[i];
    if (!dispatched[i]) return { efficiency, effectiveMs, observedMs, batch, responseMs, pressure, threads: 0, ioQueue: 0 };
    const { threads, ioQueue } = strategy.resources === 'pressure'
      ? allocateResources(pressure, pRef, nodes[i].cores, s3)
      : fixedResources(nodes[i].cores, s3);
    return { efficiency, effectiveMs, observedMs, batch, responseMs, pressure, threads, ioQueue };
  });
}
