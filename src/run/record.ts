/**
 * Phase 6, record: the round as the reports see it — one record per node (what was planned,
 * what happened on the clock, what S4 decided) — and the run's summary.
 */
import type { NodePlan } from '../pipeline/types.js';
import type { NodeRoundRecord, RoundRecord, RunSummary } from '../sim/records.js';
import type { NodeTimeline } from '../sim/time-model.js';
import type { Aggregated } from './round-state.js';

interface Outcome {
  samplesMs: Array<number | null> | undefined;
  participated: boolean;
  gradNorm: number | null;
  volatility: number | null;
  weight: number;
}

/** When each phase of a dispatched node ended and how long it took; null for one that did not complete. */
interface PhaseEnds {
  downloadEndMs: number | null;
  computeEndMs: number | null;
  downloadMs: number | null;
  computeMs: number | null;
  uploadMs: number | null;
}

/**
 * A phase counts only if it completed before the node's outcome was known (its finish, or its
 * drop): compute still running at the deadline did not complete, so it reports no end. Thus
 * startMs + downloadMs + computeMs + uploadMs = finishMs for a participant.
 */
function phaseDurations(startMs: number, timeline: NodeTimeline | null): PhaseEnds {
  if (timeline === null) return { downloadEndMs: null, computeEndMs: null, downloadMs: null, computeMs: null, uploadMs: null };
  const knownMs = timeline.finishMs ?? timeline.droppedAtMs ?? Number.POSITIVE_INFINITY;
  const downloaded = timeline.downloadEndMs !== null && timeline.downloadEndMs <= knownMs ? timeline.downloadEndMs : null;
  const computed = downloaded !== null && timeline.computeEndMs !== null && timeline.computeEndMs <= knownMs ? timeline.computeEndMs : null;
  return {
    downloadEndMs: downloaded,
    computeEndMs: computed,
    downloadMs: downloaded === null ? null : downloaded - startMs,
    computeMs: computed === null ? null : computed - downloaded!,
    uploadMs: computed === null || timeline.finishMs === null ? null : timeline.finishMs - computed,
  };
}

function nodeRecord(id: string, plan: NodePlan, startMs: number, timeline: NodeTimeline | null, outcome: Outcome): NodeRoundRecord {
  const finished = timeline?.outcome === 'finished' ? timeline : null;
  const phases = phaseDurations(startMs, timeline);
  // One object shape for every record (no conditional spread): at 1,000 nodes these are the
  // loop's most frequent allocation. The JSON reporter fixes the key order itself.
  const record: NodeRoundRecord = {
    id,
    efficiency: plan.efficiency,
    effectiveMs: plan.effectiveMs,
    observedMs: plan.observedMs,
    // SPEC §4: nodes that did not take part report batch 0 and weight 0.
    batch: outcome.participated ? plan.batch : 0,
    plannedBatch: plan.batch,
    responseMs: plan.responseMs,
    pressure: plan.pressure,
    threads: plan.threads,
    ioQueue: plan.ioQueue,
    participated: outcome.participated,
    dropReason: timeline === null ? 'notDispatched' : timeline.reason,
    finishMs: finished === null ? null : finished.finishMs,
    downloadEndMs: phases.downloadEndMs,
    computeEndMs: phases.computeEndMs,
    droppedAtMs: timeline?.droppedAtMs ?? null,
    downloadMs: phases.downloadMs,
    computeMs: phases.computeMs,
    uploadMs: phases.uploadMs,
    gradNorm: outcome.gradNorm,
    volatility: outcome.volatility,
    weight: outcome.weight,
    timeline,
  };
  if (outcome.samplesMs !== undefined) record.samplesMs = outcome.samplesMs;
  return record;
}

export function roundRecord(round: Aggregated, ids: readonly string[], trace: boolean): RoundRecord {
  const slot = new Int32Array(round.plans.length).fill(-1);
  round.participants.forEach((i, k) => (slot[i] = k));
  let globalBatch = 0;
  let squaredWeights = 0;
  round.participants.forEach((i, k) => {
    globalBatch += round.plans[i]!.batch;
    squaredWeights += round.weights[k]! * round.weights[k]!;
  });
  return {
    round: round.round,
    startMs: round.startMs,
    endMs: round.endMs,
    skipped: round.skipped,
    loss: round.evaluation.loss,
    accuracy: round.evaluation.accuracy,
    globalBatch,
    // 1 / Σ w²: how many nodes' worth of updates the weights add up to (0 when none took part)
    effectiveParticipants: squaredWeights > 0 ? 1 / squaredWeights : 0,
    working: round.working,
    nodes: round.plans.map((plan, i) => {
      const k = slot[i]!;
      return nodeRecord(ids[i]!, plan, round.startMs, round.timelines[i]!, {
        samplesMs: trace ? round.samplesMs[i]! : undefined,
        participated: k >= 0,
        gradNorm: k >= 0 ? round.gradNorms[k]! : null,
        volatility: k >= 0 ? round.volatilities[k]! : null,
        weight: k >= 0 ? round.weights[k]! : 0,
      });
    }),
  };
}

export function summarise(rounds: readonly RoundRecord[], samplesTrained: number, target: number | null): RunSummary {
  const last = rounds[rounds.length - 1];
  const reached = target === null ? undefined : rounds.find((r) => !r.skipped && r.accuracy >= target);
  return {
    finalAccuracy: last?.accuracy ?? 0,
    bestAccuracy: rounds.reduce((best, r) => Math.max(best, r.accuracy), 0),
    simulatedMs: last?.endMs ?? 0,
    samplesTrained,
    timeToTargetMs: reached === undefined ? null : reached.endMs,
  };
}
