/**
 * Phase 2, plan (S1 → S2 → S3): the method's decisions from the observed windows and what the
 * nodes remember, through the pipeline's planRound. The step-time model is handed in, so the
 * stages never depend on how time is simulated.
 */
import { decideRoundParts, type RoundParts } from '../pipeline/index.js';
import { PressureOverflow } from '../pipeline/s3-resources.js';
import type { ResolvedStages } from '../pipeline/stage-registry.js';
import { shortNumber } from '../sim/latency/time-range.js';
import { stepMs } from '../sim/time-model.js';
import { diverged } from './divergence.js';
import { planColumns } from './plan-columns.js';
import type { NodeMemory, Observed, Planned, TimelineSetting } from './round-state.js';

/**
 * `transferBytes`: one model copy on the wire per direction (what the `balanced` batch stage
 * predicts transfers with). `keepSamples` false: the S1 windows are not carried past planning
 * (the round's state then holds `samplesMs: []`). Only a `--trace` record reads them later, and
 * at 131,072 nodes they are some 35 MB of every round's live state. `working` false: the
 * stages are told their working is not kept, and the round holds none (only explain reads it).
 */
export function planPhase(
  scenario: TimelineSetting, stages: Pick<ResolvedStages, 'batch' | 'resources'>, memory: readonly NodeMemory[], observed: Observed, transferBytes: number,
  keepSamples = true, working = true,
): Planned {
  const { s1, s2, s3 } = scenario.pipeline;
  const nodes = scenario.cluster.nodes;
  const parts = decidedOrDiverged(observed.round, nodes, () => decideRoundParts({
    nodes,
    samplesMs: observed.windows,
    lastResponseMs: memory.map((node) => node.lastResponseMs),
    lastBatch: memory.map((node) => node.lastBatch),
    transferBytes,
    localSteps: scenario.model.localSteps,
    stepMsOf: (i, batch, threads, ioQueue) => stepMs(nodes[i]!, batch, threads, ioQueue),
    stages,
    s1,
    s2,
    s3,
    working,
  }));
  const { round, startMs } = observed;
  const samplesMs = keepSamples ? observed.windows.rows() : [];
  return { round, startMs, samplesMs, plans: planColumns(parts), working: { batch: parts.batchWorking, resources: parts.resourceWorking } };
}

/**
 * The stages' decisions; a step time too long to simulate (S3's pressure, batch × step time,
 * overflows) is a time divergence of that node, as a time out of the latency grid's reach is
 * (time-guard.ts): the run keeps the rounds before it instead of failing on a RangeError.
 */
function decidedOrDiverged(round: number, nodes: TimelineSetting['cluster']['nodes'], decide: () => RoundParts): RoundParts {
  try {
    return decide();
  } catch (error) {
    if (!(error instanceof PressureOverflow)) throw error;
    const id = nodes[error.node]!.id;
    // a step time past the largest double is no number to show
    const took = Number.isFinite(error.responseMs) ? `${shortNumber(error.responseMs)} ms` : 'longer than a number can hold';
    throw diverged('time', round, id, `node ${id}'s local step in round ${round} would take ${took} at batch ${error.batch}, too long to simulate`);
  }
}
