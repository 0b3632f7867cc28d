/**
 * A scheduled round (round-state.ts Scheduled) as a message between threads: the plans and
 * the time model's results as typed columns whose buffers are transferred, not copied, and each
 * stage's working as its distinct objects and an index per node (the built-in stages share one
 * object between the nodes that decided alike, and a clone keeps that). Decoding gives the
 * same values, field by field and in the same key order, so records and reports are the same
 * bytes.
 */
import type { StageWorking } from '../pipeline/stage-registry.js';
import type { NodePlan } from '../pipeline/types.js';
import { RoundTimes, type DirectionColumns, type RoundTimesColumns } from '../sim/round-time.js';
import type { Scheduled } from './round-state.js';

/** NodePlan as columns; responseMs's null is a 1 in `noResponse`. */
interface PlanColumns {
  efficiency: Float64Array;
  effectiveMs: Float64Array;
  observedMs: Float64Array;
  batch: Float64Array;
  responseMs: Float64Array;
  noResponse: Uint8Array;
  pressure: Float64Array;
  threads: Float64Array;
  ioQueue: Float64Array;
}

/** A stage's per-node working: each distinct object once, and which one each node has. */
interface WorkingColumn {
  table: StageWorking[];
  index: Uint32Array;
}

export interface ScheduledMessage {
  round: number;
  startMs: number;
  deadlineMs: number | null;
  samplesMs: Array<Array<number | null>>;
  plans: PlanColumns;
  working: { batch: WorkingColumn; resources: WorkingColumn };
  times: RoundTimesColumns;
  participants: Int32Array;
}

function planColumns(plans: readonly NodePlan[]): PlanColumns {
  const n = plans.length;
  const columns: PlanColumns = {
    efficiency: new Float64Array(n), effectiveMs: new Float64Array(n), observedMs: new Float64Array(n), batch: new Float64Array(n),
    responseMs: new Float64Array(n), noResponse: new Uint8Array(n), pressure: new Float64Array(n), threads: new Float64Array(n), ioQueue: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const plan = plans[i]!;
    columns.efficiency[i] = plan.efficiency;
    columns.effectiveMs[i] = plan.effectiveMs;
    columns.observedMs[i] = plan.observedMs;
    columns.batch[i] = plan.batch;
    if (plan.responseMs === null) columns.noResponse[i] = 1;
    else columns.responseMs[i] = plan.responseMs;
    columns.pressure[i] = plan.pressure;
    columns.threads[i] = plan.threads;
    columns.ioQueue[i] = plan.ioQueue;
  }
  return columns;
}

/** The plans back, as decideRound builds them (one literal, the same key order). */
function plansOf(c: PlanColumns): NodePlan[] {
  const n = c.batch.length;
  const plans = new Array<NodePlan>(n);
  for (let i = 0; i < n; i++) {
    plans[i] = {
      efficiency: c.efficiency[i]!, effectiveMs: c.effectiveMs[i]!, observedMs: c.observedMs[i]!, batch: c.batch[i]!,
      responseMs: c.noResponse[i] === 1 ? null : c.responseMs[i]!, pressure: c.pressure[i]!, threads: c.threads[i]!, ioQueue: c.ioQueue[i]!,
    };
  }
  return plans;
}

function workingColumn(working: readonly StageWorking[]): WorkingColumn {
  const table: StageWorking[] = [];
  const at = new Map<StageWorking, number>();
  const index = new Uint32Array(working.length);
  for (let i = 0; i < working.length; i++) {
    const w = working[i]!;
    let k = at.get(w);
    if (k === undefined) {
      k = table.length;
      table.push(w);
      at.set(w, k);
    }
    index[i] = k;
  }
  return { table, index };
}

function workingOf({ table, index }: WorkingColumn): StageWorking[] {
  const working = new Array<StageWorking>(index.length);
  for (let i = 0; i < index.length; i++) working[i] = table[index[i]!]!;
  return working;
}

function directionBuffers(d: DirectionColumns): ArrayBuffer[] {
  return [d.state, d.firstMs, d.tries, d.latencyMs, d.arrivedMs, d.failure, d.nextTryMs, d.droppedAtMs].map((a) => a.buffer as ArrayBuffer);
}

/**
 * The round as a message, and the buffers to transfer with it. The round's columns move with
 * the message: the sender must not read `scheduled` afterwards.
 */
export function encodeScheduled(scheduled: Scheduled): { message: ScheduledMessage; transfer: ArrayBuffer[] } {
  const plans = planColumns(scheduled.plans);
  const times = scheduled.times.columns();
  const participants = Int32Array.from(scheduled.participants);
  const message: ScheduledMessage = {
    round: scheduled.round,
    startMs: scheduled.startMs,
    deadlineMs: scheduled.deadlineMs,
    samplesMs: scheduled.samplesMs,
    plans,
    working: { batch: workingColumn(scheduled.working.batch), resources: workingColumn(scheduled.working.resources) },
    times,
    participants,
  };
  const transfer = [
    ...Object.values(plans).map((a: Float64Array | Uint8Array) => a.buffer as ArrayBuffer),
    message.working.batch.index.buffer as ArrayBuffer,
    message.working.resources.index.buffer as ArrayBuffer,
    ...[times.outcome, times.reason, times.stepMs, times.downloadEndMs, times.computeEndMs, times.finishMs, times.droppedAtMs, times.stepStartMs, times.stepEndMs].map((a) => a.buffer as ArrayBuffer),
    ...directionBuffers(times.download),
    ...directionBuffers(times.upload),
    participants.buffer as ArrayBuffer,
  ];
  return { message, transfer };
}

export function decodeScheduled(message: ScheduledMessage): Scheduled {
  return {
    round: message.round,
    startMs: message.startMs,
    samplesMs: message.samplesMs,
    plans: plansOf(message.plans),
    working: { batch: workingOf(message.working.batch), resources: workingOf(message.working.resources) },
    deadlineMs: message.deadlineMs,
    times: RoundTimes.fromColumns(message.times),
    participants: Array.from(message.participants),
  };
}
