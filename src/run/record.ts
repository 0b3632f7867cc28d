/**
 * Phase 6, record: the round as the reports see it — one record per node (what was planned,
 * what happened on the clock, what S4 decided) — and the run's summary.
 */
import type { NodeRoundRecord, RoundRecord, RunSummary } from '../sim/records.js';
import { nullIfNaN, type RoundTimes } from '../sim/round-time.js';
import type { NodeTimeline } from '../sim/time-model.js';
import { responseMsAt, type PlanColumns } from './plan-columns.js';
import type { Aggregated } from './round-state.js';

/**
 * One node's record. A phase counts only if it completed before the node's outcome was known
 * (its finish, or its drop): compute still running at the deadline did not complete, so it
 * reports no end. Thus startMs + downloadMs + computeMs + uploadMs = finishMs for a participant.
 * The phases are locals and the outcome plain arguments, not objects: this runs for every node
 * of every round (131,072 a round), and only the record itself outlives the call.
 */
function nodeRecord(
  id: string, plans: PlanColumns, startMs: number, times: RoundTimes, i: number, timeline: NodeTimeline | null | undefined,
  samplesMs: Array<number | null> | undefined, participated: boolean, gradNorm: number | null, volatility: number | null, weight: number,
): NodeRoundRecord {
  let downloadEndMs: number | null = null;
  let computeEndMs: number | null = null;
  let finishMs: number | null = null;
  let droppedAtMs: number | null = null;
  const dispatched = times.dispatched(i);
  if (dispatched) {
    const arrivedMs = times.finishMs[i]!;
    droppedAtMs = nullIfNaN(times.droppedAtMs[i]!);
    const knownMs = !Number.isNaN(arrivedMs) ? arrivedMs : droppedAtMs ?? Number.POSITIVE_INFINITY;
    const downloadMs = times.downloadEndMs[i]!;
    const computeMs = times.computeEndMs[i]!;
    downloadEndMs = !Number.isNaN(downloadMs) && downloadMs <= knownMs ? downloadMs : null;
    computeEndMs = downloadEndMs !== null && !Number.isNaN(computeMs) && computeMs <= knownMs ? computeMs : null;
    if (times.finished(i)) finishMs = arrivedMs;
  }
  // One object shape for every record (no conditional spread): at 1,000 nodes these are the
  // loop's most frequent allocation. The JSON reporter fixes the key order itself.
  const plannedBatch = plans.batch[i]!;
  const record: NodeRoundRecord = {
    id,
    efficiency: plans.efficiency[i]!,
    effectiveMs: plans.effectiveMs[i]!,
    observedMs: plans.observedMs[i]!,
    // SPEC §4: nodes that did not take part report batch 0 and weight 0.
    batch: participated ? plannedBatch : 0,
    plannedBatch,
    responseMs: responseMsAt(plans, i),
    pressure: plans.pressure[i]!,
    threads: plans.threads[i]!,
    ioQueue: plans.ioQueue[i]!,
    participated,
    dropReason: dispatched ? times.dropReason(i) : 'notDispatched',
    finishMs,
    downloadEndMs,
    computeEndMs,
    droppedAtMs,
    downloadMs: downloadEndMs === null ? null : downloadEndMs - startMs,
    computeMs: computeEndMs === null ? null : computeEndMs - downloadEndMs!,
    uploadMs: computeEndMs === null || finishMs === null ? null : finishMs - computeEndMs,
    gradNorm,
    volatility,
    weight,
    timeline,
  };
  if (samplesMs !== undefined) record.samplesMs = samplesMs;
  return record;
}

/**
 * The round's records. `timelines` false: a record carries no `timeline` (its events), for a
 * run none of whose outputs reads them; building them is most of a round's garbage at scale.
 */
export function roundRecord(round: Aggregated, ids: readonly string[], trace: boolean, timelines = true): RoundRecord {
  const { plans } = round;
  const count = plans.batch.length;
  const slot = new Int32Array(count).fill(-1);
  round.participants.forEach((i, k) => (slot[i] = k));
  let globalBatch = 0;
  let squaredWeights = 0;
  round.participants.forEach((i, k) => {
    globalBatch += plans.batch[i]!;
    squaredWeights += round.weights[k]! * round.weights[k]!;
  });
  const { times } = round;
  const nodes: NodeRoundRecord[] = [];
  for (let i = 0; i < count; i++) {
    const k = slot[i]!;
    const timeline = timelines ? times.timeline(i) : undefined;
    const samplesMs = trace ? round.samplesMs[i]! : undefined;
    nodes.push(k >= 0
      ? nodeRecord(ids[i]!, plans, round.startMs, times, i, timeline, samplesMs, true, round.gradNorms[k]!, round.volatilities[k]!, round.weights[k]!)
      : nodeRecord(ids[i]!, plans, round.startMs, times, i, timeline, samplesMs, false, null, null, 0));
  }
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
    nodes,
  };
}

export function summarise(rounds: readonly RoundRecord[], samplesTrained: number, target: number | null): RunSummary {
  const last = rounds[rounds.length - 1];
  const reached = target === null ? undefined : rounds.find((r) => !r.skipped && r.accuracy >= target);
  return {
    // no round finished (stopped or diverged in the first): no accuracy, not 0 (NaN is written null, shown –)
    finalAccuracy: last?.accuracy ?? Number.NaN,
    bestAccuracy: last === undefined ? Number.NaN : rounds.reduce((best, r) => Math.max(best, r.accuracy), 0),
    simulatedMs: last?.endMs ?? 0,
    samplesTrained,
    timeToTargetMs: reached === undefined ? null : reached.endMs,
  };
}
