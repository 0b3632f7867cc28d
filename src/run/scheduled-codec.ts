/**
 * A scheduled round (round-state.ts Scheduled) as a message between threads: the plans and
 * the time model's results, typed columns, with their buffers transferred, not copied, and each
 * stage's working as its distinct objects and an index per node (the built-in stages share one
 * object between the nodes that decided alike, and a clone keeps that). Decoding gives the
 * same values, field by field and in the same key order, so records and reports are the same
 * bytes.
 */
import type { StageWorking } from '../pipeline/stage-registry.js';
import { RoundTimes, type DirectionColumns, type RoundTimesColumns } from '../sim/round-time.js';
import { planBuffers, type PlanColumns } from './plan-columns.js';
import type { Scheduled } from './round-state.js';

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
  batchIndices?: Int32Array;
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

/**
 * A plain array of the column's values: Array.from walks a typed array through its iterator,
 * 15–90 ms for the 131,072 participants of a round, against well under a millisecond so.
 */
function plainArray(column: Int32Array): number[] {
  const values = new Array<number>(column.length);
  for (let i = 0; i < column.length; i++) values[i] = column[i]!;
  return values;
}

function workingOf({ table, index }: WorkingColumn): StageWorking[] {
  const working = new Array<StageWorking>(index.length);
  for (let i = 0; i < index.length; i++) working[i] = table[index[i]!]!;
  return working;
}

/**
 * The round's workings, each stage's array made from its column when first read (own,
 * enumerable getters: a spread or a clone reads them as values). Most runs at scale read none:
 * the JSON holds no working, explain and a kept record do. An array of 131,072 entries is over
 * V8's large-object threshold, so each one is memory mapped afresh, about 4 ms on the virtual
 * machines measured, for two arrays a round that nothing read.
 */
function lazyWorking(columns: ScheduledMessage['working']): Scheduled['working'] {
  let batch: StageWorking[] | null = null;
  let resources: StageWorking[] | null = null;
  return {
    get batch(): StageWorking[] {
      return (batch ??= workingOf(columns.batch));
    },
    get resources(): StageWorking[] {
      return (resources ??= workingOf(columns.resources));
    },
  };
}

function directionBuffers(d: DirectionColumns): ArrayBuffer[] {
  return [d.state, d.firstMs, d.tries, d.latencyMs, d.arrivedMs, d.failure, d.nextTryMs, d.droppedAtMs].map((a) => a.buffer as ArrayBuffer);
}

/**
 * The round as a message, and the buffers to transfer with it. The round's columns move with
 * the message: the sender must not read `scheduled` afterwards.
 */
export function encodeScheduled(scheduled: Scheduled): { message: ScheduledMessage; transfer: ArrayBuffer[] } {
  const { plans } = scheduled;
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
  if (scheduled.batchIndices !== undefined) message.batchIndices = scheduled.batchIndices;
  const transfer = [
    ...planBuffers(plans),
    message.working.batch.index.buffer as ArrayBuffer,
    message.working.resources.index.buffer as ArrayBuffer,
    ...[times.outcome, times.reason, times.stepMs, times.downloadEndMs, times.computeEndMs, times.finishMs, times.droppedAtMs, times.stepStartMs, times.stepEndMs].map((a) => a.buffer as ArrayBuffer),
    ...directionBuffers(times.download),
    ...directionBuffers(times.upload),
    participants.buffer as ArrayBuffer,
    ...(message.batchIndices === undefined ? [] : [message.batchIndices.buffer as ArrayBuffer]),
  ];
  return { message, transfer };
}

export function decodeScheduled(message: ScheduledMessage): Scheduled {
  const scheduled: Scheduled = {
    round: message.round,
    startMs: message.startMs,
    samplesMs: message.samplesMs,
    plans: message.plans,
    working: lazyWorking(message.working),
    deadlineMs: message.deadlineMs,
    times: RoundTimes.fromColumns(message.times),
    participants: plainArray(message.participants),
  };
  if (message.batchIndices !== undefined) scheduled.batchIndices = message.batchIndices;
  return scheduled;
}
