/**
 * Phase 6, record: the round as the reports see it — one record per node (what was planned,
 * what happened on the clock, what S4 decided) — and the run's summary.
 */
import type { NodeRoundRecord, RoundRecord, RunSummary } from '../sim/records.js';
import { nullIfNaN, type RoundTimes } from '../sim/round-time.js';
import type { DropReason, NodeTimeline } from '../sim/time-model.js';
import { responseMsAt, type PlanColumns } from './plan-columns.js';
import type { Aggregated } from './round-state.js';

/** What every node record of one round reads. */
interface RoundColumns {
  ids: readonly string[];
  plans: PlanColumns;
  startMs: number;
  times: RoundTimes;
  /** per node: its place among the participants, −1 if it did not take part */
  slot: Int32Array;
  gradNorms: Float64Array;
  volatilities: ReadonlyArray<number | null>;
  weights: readonly number[];
  /** the raw S1 samples (--trace), else null */
  samplesMs: ReadonlyArray<Array<number | null>> | null;
  /** per node: when the model arrived and the last step ended, NaN where the record says null (reportedEnds) */
  downloadEndMs: Float64Array;
  computeEndMs: Float64Array;
}

/**
 * When each node's model arrived and its last step ended, as its record reports them: a phase
 * counts only if it completed before the node's outcome was known (its finish, or its drop), so
 * compute still running at the deadline did not complete and reports no end. NaN = null.
 */
function reportedEnds(times: RoundTimes): { downloadEndMs: Float64Array; computeEndMs: Float64Array } {
  const count = times.finishMs.length;
  const downloadEndMs = new Float64Array(count).fill(Number.NaN);
  const computeEndMs = new Float64Array(count).fill(Number.NaN);
  for (let i = 0; i < count; i++) {
    if (!times.dispatched(i)) continue;
    const arrivedMs = times.finishMs[i]!;
    const droppedAtMs = times.droppedAtMs[i]!;
    const knownMs = !Number.isNaN(arrivedMs) ? arrivedMs : !Number.isNaN(droppedAtMs) ? droppedAtMs : Number.POSITIVE_INFINITY;
    const downloadMs = times.downloadEndMs[i]!;
    if (Number.isNaN(downloadMs) || downloadMs > knownMs) continue;
    downloadEndMs[i] = downloadMs;
    const computeMs = times.computeEndMs[i]!;
    if (!Number.isNaN(computeMs) && computeMs <= knownMs) computeEndMs[i] = computeMs;
  }
  return { downloadEndMs, computeEndMs };
}

/**
 * Node i's record, read from the round's columns when a field is read. A phase's end is null
 * unless it completed before the node's outcome was known (reportedEnds); thus
 * startMs + downloadMs + computeMs + uploadMs = finishMs for a participant.
 *
 * A run that streams its outputs and keeps no node records hands its outputs these views as
 * they are: building a record object per node, 131,072 a round, each number in it a heap
 * allocation, was half of the round loop's own time at scale, for records that lived one round.
 * A run that keeps its records copies each view into a plain object (plainNodeRecord), so that
 * what it keeps does not hold the round's columns.
 */
export class NodeRecordView implements NodeRoundRecord {
  constructor(
    private readonly round: RoundColumns,
    private readonly i: number,
    /** whether the record carries its events (`timeline`); false: undefined */
    private readonly events: boolean,
  ) {}

  /**
   * Built from the round's columns each time it is read, never kept: a node that retried a
   * transfer a hundred times has two hundred events, and a round of 131,072 such nodes held
   * 26 million of them at once when every record built its own as the round ended.
   */
  get timeline(): NodeTimeline | null | undefined { return this.events ? this.round.times.timeline(this.i) : undefined; }

  get id(): string { return this.round.ids[this.i]!; }
  get efficiency(): number { return this.round.plans.efficiency[this.i]!; }
  get effectiveMs(): number { return this.round.plans.effectiveMs[this.i]!; }
  get observedMs(): number { return this.round.plans.observedMs[this.i]!; }
  get samplesMs(): Array<number | null> | undefined { return this.round.samplesMs?.[this.i]; }
  // SPEC §4: nodes that did not take part report batch 0 and weight 0.
  get batch(): number { return this.participated ? this.plannedBatch : 0; }
  get plannedBatch(): number { return this.round.plans.batch[this.i]!; }
  get responseMs(): number | null { return responseMsAt(this.round.plans, this.i); }
  get pressure(): number { return this.round.plans.pressure[this.i]!; }
  get threads(): number { return this.round.plans.threads[this.i]!; }
  get ioQueue(): number { return this.round.plans.ioQueue[this.i]!; }
  get participated(): boolean { return this.round.slot[this.i]! >= 0; }
  get dropReason(): DropReason | 'notDispatched' | null {
    return this.round.times.dispatched(this.i) ? this.round.times.dropReason(this.i) : 'notDispatched';
  }
  get finishMs(): number | null {
    const { times } = this.round;
    return times.dispatched(this.i) && times.finished(this.i) ? times.finishMs[this.i]! : null;
  }
  get droppedAtMs(): number | null {
    const { times } = this.round;
    return times.dispatched(this.i) ? nullIfNaN(times.droppedAtMs[this.i]!) : null;
  }
  get downloadEndMs(): number | null { return nullIfNaN(this.round.downloadEndMs[this.i]!); }
  get computeEndMs(): number | null { return nullIfNaN(this.round.computeEndMs[this.i]!); }
  get downloadMs(): number | null { return nullIfNaN(this.round.downloadEndMs[this.i]! - this.round.startMs); }
  get computeMs(): number | null { return nullIfNaN(this.round.computeEndMs[this.i]! - this.round.downloadEndMs[this.i]!); }
  get uploadMs(): number | null {
    const finishMs = this.finishMs;
    return finishMs === null ? null : nullIfNaN(finishMs - this.round.computeEndMs[this.i]!);
  }
  get gradNorm(): number | null {
    const k = this.round.slot[this.i]!;
    return k >= 0 ? this.round.gradNorms[k]! : null;
  }
  get volatility(): number | null {
    const k = this.round.slot[this.i]!;
    return k >= 0 ? this.round.volatilities[k]! : null;
  }
  get weight(): number {
    const k = this.round.slot[this.i]!;
    return k >= 0 ? this.round.weights[k]! : 0;
  }
}

/**
 * A record's fields as a plain object, in the order records have always had (samplesMs only
 * with --trace): what a run that keeps its records keeps, and what an `onRound` that keeps a
 * streamed record beyond its round should keep of it.
 */
export function plainNodeRecord(view: NodeRoundRecord): NodeRoundRecord {
  // One object shape for every record (no conditional spread): at 1,000 nodes these are the
  // loop's most frequent allocation. The JSON reporter fixes the key order itself.
  const record: NodeRoundRecord = {
    id: view.id,
    efficiency: view.efficiency,
    effectiveMs: view.effectiveMs,
    observedMs: view.observedMs,
    batch: view.batch,
    plannedBatch: view.plannedBatch,
    responseMs: view.responseMs,
    pressure: view.pressure,
    threads: view.threads,
    ioQueue: view.ioQueue,
    participated: view.participated,
    dropReason: view.dropReason,
    finishMs: view.finishMs,
    downloadEndMs: view.downloadEndMs,
    computeEndMs: view.computeEndMs,
    droppedAtMs: view.droppedAtMs,
    downloadMs: view.downloadMs,
    computeMs: view.computeMs,
    uploadMs: view.uploadMs,
    gradNorm: view.gradNorm,
    volatility: view.volatility,
    weight: view.weight,
    timeline: view.timeline,
  };
  const samplesMs = view.samplesMs;
  if (samplesMs !== undefined) record.samplesMs = samplesMs;
  return record;
}

/**
 * The round's records. `timelines` false: a record carries no `timeline` (its events), for a
 * run none of whose outputs reads them; building them is most of a round's garbage at scale.
 * `views` true: the records are NodeRecordViews over the round's columns, for a run that
 * hands each round to its outputs and keeps no node record; false: plain objects.
 */
export function roundRecord(round: Aggregated, ids: readonly string[], trace: boolean, timelines = true, views = false): RoundRecord {
  const { plans } = round;
  const count = plans.batch.length;
  const slot = new Int32Array(count).fill(-1);
  const { participants, weights } = round;
  let globalBatch = 0;
  let squaredWeights = 0;
  for (let k = 0; k < participants.length; k++) {
    const i = participants[k]!;
    slot[i] = k;
    globalBatch += plans.batch[i]!;
    squaredWeights += weights[k]! * weights[k]!;
  }
  const { times } = round;
  const columns: RoundColumns = {
    ids, plans, startMs: round.startMs, times, slot, gradNorms: round.gradNorms, volatilities: round.volatilities, weights: round.weights,
    samplesMs: trace ? round.samplesMs : null, ...reportedEnds(times),
  };
  const nodes: NodeRoundRecord[] = [];
  for (let i = 0; i < count; i++) {
    const view = new NodeRecordView(columns, i, timelines);
    nodes.push(views ? view : plainNodeRecord(view));
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
