/**
 * Compute and time model (SPEC §2 "Compute and time model"): what S3's allocation changes and
 * when a dispatched node's upload arrives. Pure functions of their inputs; times in ms.
 *
 *   speedup  = 1 / ((1 − p) + p / threads)                      (Amdahl, p = parallelFraction)
 *   stepMs   = max(batch · msPerSample / speedup, ioMsPerBatch / ioQueue)
 *   modelBytes = 4 · paramCount                                 (float32)
 *   transferMs = modelBytes · 8 / bandwidthBps · 1000           (bandwidth in bits/s)
 */

/** The per-node figures the step-time model reads (a subset of NodeSpec). */
export interface ComputeProfile {
  msPerSample: number;
  parallelFraction: number;
  ioMsPerBatch: number;
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
  const computeMs = (batch * node.msPerSample) / amdahlSpeedup(node.parallelFraction, threads);
  return Math.max(computeMs, node.ioMsPerBatch / ioQueue);
}

export function modelBytes(paramCount: number): number {
  return 4 * paramCount;
}

/**
 * Serialisation time of one model transfer. Evaluated as (bytes · 8 · 1000) / bps: the
 * products of whole numbers are exact, so the one division is the only rounding
 * (4,810 params at 1 Gbps give exactly 0.15392).
 */
export function transferMs(bytes: number, bandwidthBps: number): number {
  return (bytes * 8 * 1000) / bandwidthBps;
}

export interface NodeTimelineInput {
  /** round start T_t: the download is first tried here */
  startMs: number;
  /** the node's latency at simulated time t; null = lost or down (the try fails) */
  latencyAt: (timeMs: number) => number | null;
  transferMs: number;
  stepMs: number;
  localSteps: number;
  retryMs: number;
  /** tries per transfer (download and upload each have their own count) */
  maxRetries: number;
  /** the round's deadline (absolute simulated time); null = none */
  deadlineMs: number | null;
}

export type DropReason = 'retries' | 'deadline';

export type NodeTimeline =
  | { outcome: 'finished'; downloadEndMs: number; computeEndMs: number; finishMs: number; stepMs: number }
  | { outcome: 'dropped'; reason: DropReason; downloadEndMs: number | null; computeEndMs: number | null };

type TransferResult = { ok: true; endMs: number } | { ok: false; reason: DropReason };

/**
 * One transfer with retries. Try i (0-based) starts at firstTryMs + i · retryMs (computed from
 * i, not accumulated, so there is no drift). A try starting at or after the deadline is not
 * made: dropped 'deadline'. A try whose latency is null fails. max(1, maxRetries) tries in all
 * (the first try counts; at least one is always made); if all fail: dropped 'retries'. A
 * successful try ends at its start + latency + transferMs.
 */
function transfer(firstTryMs: number, input: NodeTimelineInput): TransferResult {
  const tries = Math.max(1, input.maxRetries);
  for (let attempt = 0; attempt < tries; attempt += 1) {
    const tryMs = firstTryMs + attempt * input.retryMs;
    if (input.deadlineMs !== null && tryMs >= input.deadlineMs) return { ok: false, reason: 'deadline' };
    const latencyMs = input.latencyAt(tryMs);
    if (latencyMs !== null) return { ok: true, endMs: tryMs + latencyMs + input.transferMs };
  }
  return { ok: false, reason: 'retries' };
}

/**
 * A dispatched node's round: download (from startMs, with retries), localSteps · stepMs of
 * compute, upload (from the end of compute, with its own retries); finishMs is when the upload
 * arrives. An upload arriving exactly at the deadline counts; one arriving after it is dropped
 * 'deadline' (the deadline only cuts tries and arrivals — compute past it is still modelled so
 * the reason is known). Dropped timelines keep whichever phase ends were reached.
 */
export function nodeTimeline(input: NodeTimelineInput): NodeTimeline {
  const download = transfer(input.startMs, input);
  if (!download.ok) return { outcome: 'dropped', reason: download.reason, downloadEndMs: null, computeEndMs: null };
  const downloadEndMs = download.endMs;
  const computeEndMs = downloadEndMs + input.localSteps * input.stepMs;
  const upload = transfer(computeEndMs, input);
  if (!upload.ok) return { outcome: 'dropped', reason: upload.reason, downloadEndMs, computeEndMs };
  if (input.deadlineMs !== null && upload.endMs > input.deadlineMs) {
    return { outcome: 'dropped', reason: 'deadline', downloadEndMs, computeEndMs };
  }
  return { outcome: 'finished', downloadEndMs, computeEndMs, finishMs: upload.endMs, stepMs: input.stepMs };
}
