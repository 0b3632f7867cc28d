/**
 * Compute and time model (SPEC §2 "Compute and time model"): what S3's allocation changes and
 * when a dispatched node's upload arrives. Pure functions of their inputs; times in ms.
 *
 *   speedup  = 1 / ((1 − p) + p / threads)                      (Amdahl, p = parallelFraction)
 *   stepMs   = max(stepOverheadMs + batch · msPerSample / speedup, ioMsPerBatch / ioQueue)
 *   modelBytes = 4 · paramCount                                 (float32)
 *   transferMs = modelBytes · 8 / bandwidthBps · 1000           (bandwidth in bits/s)
 *
 * The round itself (tries, the server link, slowdowns, the barrier) is src/sim/round-time.ts;
 * the types of its events are here.
 */

/** The per-node figures the step-time model reads (a subset of NodeSpec). */
export interface ComputeProfile {
  msPerSample: number;
  parallelFraction: number;
  ioMsPerBatch: number;
  /** serial cost of every step, ms (time model v2; absent = 0) */
  stepOverheadMs?: number;
}

/** Amdahl's law. Fewer than one thread cannot run a step, so threads < 1 throws. */
export function amdahlSpeedup(parallelFraction: number, threads: number): number {
  if (!(threads >= 1)) throw new RangeError(`threads must be ≥ 1, got ${threads}`);
  return 1 / ((1 - parallelFraction) + parallelFraction / threads);
}

/**
 * One local SGD step: compute (shortened by threads) overlapped with I/O (shortened by the
 * queue depth); the slower of the two sets the pace. ioQueue < 1 throws.
 */
export function stepMs(node: ComputeProfile, batch: number, threads: number, ioQueue: number): number {
  if (!(ioQueue >= 1)) throw new RangeError(`ioQueue must be ≥ 1, got ${ioQueue}`);
  const parallelMs = (batch * node.msPerSample) / amdahlSpeedup(node.parallelFraction, threads);
  const overheadMs = node.stepOverheadMs ?? 0;
  const computeMs = overheadMs > 0 ? overheadMs + parallelMs : parallelMs;
  return Math.max(computeMs, node.ioMsPerBatch / ioQueue);
}

export function modelBytes(paramCount: number): number {
  return 4 * paramCount;
}

/** Bytes of one model copy on the wire: the scenario's `model.transferBytes`, else the float32 parameters. */
export function wireBytes(model: { transferBytes?: number | null }, paramCount: number): number {
  return model.transferBytes ?? modelBytes(paramCount);
}

/**
 * Serialisation time of one model transfer. Evaluated as (bytes · 8 · 1000) / bps: the
 * products of whole numbers are exact, so the one division is the only rounding
 * (4,810 params at 1 Gbps give exactly 0.15392).
 */
export function transferMs(bytes: number, bandwidthBps: number): number {
  return (bytes * 8 * 1000) / bandwidthBps;
}

export type DropReason = 'retries' | 'deadline';

/** One try of a transfer: when it was made and the latency it met (null = lost or down). */
export interface TransferTry {
  atMs: number;
  latencyMs: number | null;
}

/**
 * Everything that happened to one transfer: its tries in order, then either the arrival or
 * the reason it failed. A `deadline` failure names the try that was not made (`nextTryMs`),
 * or, when the last try succeeded too late, the arrival after the deadline (`arrivedMs`).
 */
export interface TransferEvents {
  tries: TransferTry[];
  /** when the bytes arrived (also set when they arrived after the deadline) */
  arrivedMs: number | null;
  /** when the bytes started to move (the successful try + its latency); null when no try got through */
  activeMs?: number | null;
  failure: DropReason | null;
  /** with a `deadline` failure before any late arrival: the try that was not made */
  nextTryMs: number | null;
}

/** One local step on the simulated clock. */
export interface StepSpan {
  startMs: number;
  endMs: number;
}

/**
 * A dispatched node's round as data (issue 10: the schedule, not a replay): the download's
 * tries, each local step, the upload's tries, and the outcome. explain and the reports read
 * these events; nothing recomputes them.
 */
export interface NodeTimeline {
  outcome: 'finished' | 'dropped';
  /** why a dropped node did not take part; null when it finished */
  reason: DropReason | null;
  download: TransferEvents;
  /** empty when the download failed */
  steps: StepSpan[];
  /** null when the download failed */
  upload: TransferEvents | null;
  /** the mean actual step time (the slowdown included): what S3 reads as the response time */
  stepMs: number;
  downloadEndMs: number | null;
  computeEndMs: number | null;
  /** when the upload arrived; null unless the node finished */
  finishMs: number | null;
  /** when the server learnt the node was dropped; null unless dropped */
  droppedAtMs: number | null;
}
