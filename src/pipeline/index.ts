/**
 * planRound — the method's per-round decisions, S1 → S2 → S3 (SPEC §2). This is the only
 * place the stage order is written down; the stages themselves come from the strategy's
 * entries in the stage registry.
 *
 *   S1  efficiency from the window's samples          (always, so tables show it)
 *   S2  the batch stage: a batch per node (0 = not dispatched)
 *   S3  for dispatched nodes: pressure = batch · responseMs, P_ref = median; the resources
 *       stage: threads and I/O queue per node
 *
 * S4 runs after training, through the strategy's aggregation stage.
 */
import { SampleWindows } from './sample-windows.js';
import { computeEfficiency, type Efficiency } from './s1-efficiency.js';
import { fixedResources, PressureOverflow, pressureOf, referencePressure, type ResourceAllocation } from './s3-resources.js';
import type { StageWorking } from './stage-registry.js';
import type { NodePlan, PlanRoundInput } from './types.js';

export type { AggregatorInput, AggregatorOutput, NodePlan, PlanNode, PlanRoundInput } from './types.js';
export { SampleWindows } from './sample-windows.js';

/** The plans and each stage's working (explain renders the working). */
export interface RoundDecisions {
  plans: NodePlan[];
  batchWorking: StageWorking[];
  resourceWorking: StageWorking[];
}

/**
 * What S1–S3 decided, per node, before it is put in any shape: node i's plan is made of
 * efficiency[i], batches[i], responseMs[i], pressures[i] and, when batches[i] > 0,
 * allocations[i] (threads and I/O queue 0 otherwise). The run writes them into its columns
 * directly (run/plan-columns.ts): a plan object per node and round, with a heap number for each
 * of its fields, was live until the columns were made, so the timeline helper's collections
 * copied it; without it the rounds of the 131,072-node benchmark took about a tenth less where
 * the helper set their pace (bench/README.md).
 */
export interface RoundParts {
  efficiency: readonly Efficiency[];
  batches: readonly number[];
  responseMs: ReadonlyArray<number | null>;
  pressures: readonly number[];
  allocations: readonly ResourceAllocation[];
  batchWorking: StageWorking[];
  resourceWorking: StageWorking[];
}

/** What a node not dispatched is planned with, whatever the resources stage gave it. */
const NO_ALLOCATION: ResourceAllocation = Object.freeze({ threads: 0, ioQueue: 0 });

/** Node i's threads and I/O queue in its plan: the stage's allocation when dispatched, else none. */
export function plannedAllocation(parts: Pick<RoundParts, 'batches' | 'allocations'>, i: number): ResourceAllocation {
  return parts.batches[i]! > 0 ? parts.allocations[i]! : NO_ALLOCATION;
}

export function decideRound(input: PlanRoundInput): RoundDecisions {
  const parts = decideRoundParts(input);
  const { efficiency, batches, responseMs, pressures } = parts;
  // Plain literals of one shape (no spreads): this runs for every node of every round.
  const plans = efficiency.map(({ efficiency: e, effectiveMs, observedMs }, i): NodePlan => {
    const { threads, ioQueue } = plannedAllocation(parts, i);
    return { efficiency: e, effectiveMs, observedMs, batch: batches[i]!, responseMs: responseMs[i]!, pressure: pressures[i]!, threads, ioQueue };
  });
  return { plans, batchWorking: parts.batchWorking, resourceWorking: parts.resourceWorking };
}

/** decideRound's decisions as they come from the stages (RoundParts). */
export function decideRoundParts(input: PlanRoundInput): RoundParts {
  const { nodes, s1, s2, s3, stages } = input;
  const options = { working: input.working !== false };
  const windows = input.samplesMs instanceof SampleWindows ? input.samplesMs : null;
  const rows = input.samplesMs instanceof SampleWindows ? null : input.samplesMs;
  const windowCount = rows === null ? windows!.nodeCount : rows.length;
  if (windowCount !== nodes.length || input.lastResponseMs.length !== nodes.length || input.lastBatch.length !== nodes.length) {
    throw new RangeError(`planRound: ${nodes.length} nodes but ${windowCount} sample windows, ${input.lastResponseMs.length} response times and ${input.lastBatch.length} last batches`);
  }

  // S1 + S2
  const efficiency = rows === null ? windows!.efficiencies(s1) : rows.map((samples) => computeEfficiency(samples, s1));
  const batch = stages.batch.decide({
    nodes,
    // rows only for a stage that reads them (the built-in `balanced`, a plug-in)
    get samplesMs() {
      return rows ?? windows!.rows();
    },
    efficiency, lastResponseMs: input.lastResponseMs, lastBatch: input.lastBatch,
    transferBytes: input.transferBytes, localSteps: input.localSteps, stepMsOf: input.stepMsOf, s1, s2, s3,
  }, options);
  const { batches } = batch;

  // S3: before a node's first round, its response time is the step time it would have at this
  // batch with the base (clamped) allocation.
  // made at their size: grown by push, arrays of 131,072 entries were copied a few times a round
  const count = nodes.length;
  const responseMs = new Array<number | null>(count);
  const pressures = new Array<number>(count);
  const dispatchedPressures = new Float64Array(count);
  let dispatched = 0;
  for (let i = 0; i < count; i++) {
    const b = batches[i]!;
    if (b === 0) {
      responseMs[i] = input.lastResponseMs[i]!;
      pressures[i] = 0;
      continue;
    }
    const response = input.lastResponseMs[i] ?? firstResponseMs(input, i, b);
    responseMs[i] = response;
    pressures[i] = pressureOf(b, response);
    if (!Number.isFinite(pressures[i]!)) throw new PressureOverflow(i, b, response);
    dispatchedPressures[dispatched++] = pressures[i]!;
  }
  const pRef = dispatched > 0 ? referencePressure(dispatchedPressures.subarray(0, dispatched)) : 0;
  const resources = stages.resources.allocate({ nodes, batches, responseMs, pressures, referencePressure: pRef, s3 }, options);
  // a working not kept is dropped whatever the stage gave (a stage may ignore the hint)
  const batchWorking = options.working ? batch.working : [];
  const resourceWorking = options.working ? resources.working : [];
  return { efficiency, batches, responseMs, pressures, allocations: resources.allocations, batchWorking, resourceWorking };
}

/** A node's step time at batch b with the base (clamped) allocation: its response time before its first round. */
function firstResponseMs(input: PlanRoundInput, i: number, b: number): number {
  const base = fixedResources(input.nodes[i]!.cores, input.s3);
  return input.stepMsOf(i, b, base.threads, base.ioQueue);
}

export function planRound(input: PlanRoundInput): NodePlan[] {
  return decideRound(input).plans;
}
