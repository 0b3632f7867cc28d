/**
 * A round's plans (pipeline NodePlan, one per node) as columns: what S1–S3 decided, as the time
 * model, the round's records and the helper's messages read it. At 131,072 nodes an object per
 * node was some 13 MB of every round's garbage on the thread that trains, and columns cross
 * threads as they are, their buffers transferred. They are written from the stages' decisions
 * (RoundParts), with no plan object per node in between.
 */
import { plannedAllocation, type RoundParts } from '../pipeline/index.js';
import type { NodePlan } from '../pipeline/types.js';

/** NodePlan as columns; responseMs's null is a 1 in `noResponse` (its number is then 0). */
export interface PlanColumns {
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

/** The columns of decideRound's plans (pipeline/index.ts), each value as its NodePlan has it. */
export function planColumns(parts: RoundParts): PlanColumns {
  const { efficiency, batches, responseMs, pressures } = parts;
  const n = efficiency.length;
  const columns: PlanColumns = {
    efficiency: new Float64Array(n), effectiveMs: new Float64Array(n), observedMs: new Float64Array(n), batch: new Float64Array(n),
    responseMs: new Float64Array(n), noResponse: new Uint8Array(n), pressure: new Float64Array(n), threads: new Float64Array(n), ioQueue: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const s1 = efficiency[i]!;
    const batch = batches[i]!;
    const response = responseMs[i]!;
    columns.efficiency[i] = s1.efficiency;
    columns.effectiveMs[i] = s1.effectiveMs;
    columns.observedMs[i] = s1.observedMs;
    columns.batch[i] = batch;
    if (response === null) columns.noResponse[i] = 1;
    else columns.responseMs[i] = response;
    columns.pressure[i] = pressures[i]!;
    const { threads, ioQueue } = plannedAllocation(parts, i);
    columns.threads[i] = threads;
    columns.ioQueue[i] = ioQueue;
  }
  return columns;
}

export function responseMsAt(columns: PlanColumns, i: number): number | null {
  return columns.noResponse[i] === 1 ? null : columns.responseMs[i]!;
}

/** Node i's plan as decideRound builds it (the same key order). */
export function planAt(columns: PlanColumns, i: number): NodePlan {
  return {
    efficiency: columns.efficiency[i]!, effectiveMs: columns.effectiveMs[i]!, observedMs: columns.observedMs[i]!, batch: columns.batch[i]!,
    responseMs: responseMsAt(columns, i), pressure: columns.pressure[i]!, threads: columns.threads[i]!, ioQueue: columns.ioQueue[i]!,
  };
}

/** The columns' buffers, to transfer with a message. */
export function planBuffers(columns: PlanColumns): ArrayBuffer[] {
  return Object.values(columns).map((column: Float64Array | Uint8Array) => column.buffer as ArrayBuffer);
}
