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
  stepMs: number;
  downloadEndMs: number | null;
  computeEndMs: number | null;
  /** when the upload arrived; null unless the node finished */
  finishMs: number | null;
  /** when the server learnt the node was dropped; null unless dropped (time model v2) */
  droppedAtMs?: number | null;
}

/**
 * One transfer with retries. Try i (0-based) starts at firstTryMs + i · retryMs (computed from
 * i, not accumulated, so there is no drift). A try starting at or after the deadline is not
 * made: dropped 'deadline'. A try whose latency is null fails. max(1, maxRetries) tries in all
 * (the first try counts; at least one is always made); if all fail: dropped 'retries'. A
 * successful try ends at its start + latency + transferMs.
 */
export function transferEvents(firstTryMs: number, input: NodeTimelineInput): TransferEvents {
  const tries: TransferTry[] = [];
  const count = Math.max(1, input.maxRetries);
  for (let attempt = 0; attempt < count; attempt += 1) {
    const atMs = firstTryMs + attempt * input.retryMs;
    if (input.deadlineMs !== null && atMs >= input.deadlineMs) return { tries, arrivedMs: null, failure: 'deadline', nextTryMs: atMs };
    const latencyMs = input.latencyAt(atMs);
    tries.push({ atMs, latencyMs });
    if (latencyMs !== null) return { tries, arrivedMs: atMs + latencyMs + input.transferMs, failure: null, nextTryMs: null };
  }
  return { tries, arrivedMs: null, failure: 'retries', nextTryMs: null };
}

/** `localSteps` steps of `stepMs` from `startMs`; the last ends at startMs + localSteps · stepMs exactly. */
export function stepSpans(startMs: number, stepMs: number, localSteps: number): StepSpan[] {
  const spans: StepSpan[] = [];
  for (let k = 0; k < localSteps; k++) {
    spans.push({ startMs: k === 0 ? startMs : startMs + k * stepMs, endMs: startMs + (k + 1) * stepMs });
  }
  return spans;
}

/**
 * A dispatched node's round: download (from startMs, with retries), localSteps · stepMs of
 * compute, upload (from the end of compute, with its own retries); finishMs is when the upload
 * arrives. An upload arriving exactly at the deadline counts; one arriving after it is dropped
 * 'deadline' (the deadline only cuts tries and arrivals — compute past it is still modelled so
 * the reason is known). Dropped timelines keep whichever phase ends were reached.
 */
export function nodeTimeline(input: NodeTimelineInput): NodeTimeline {
  const download = transferEvents(input.startMs, input);
  const dropped = { outcome: 'dropped' as const, stepMs: input.stepMs, finishMs: null };
  if (download.arrivedMs === null) {
    return { ...dropped, reason: download.failure, download, steps: [], upload: null, downloadEndMs: null, computeEndMs: null };
  }
  const downloadEndMs = download.arrivedMs;
  const computeEndMs = downloadEndMs + input.localSteps * input.stepMs;
  const steps = stepSpans(downloadEndMs, input.stepMs, input.localSteps);
  const upload = transferEvents(computeEndMs, input);
  const reached = { download, steps, upload, downloadEndMs, computeEndMs };
  if (upload.arrivedMs === null) return { ...dropped, reason: upload.failure, ...reached };
  if (input.deadlineMs !== null && upload.arrivedMs > input.deadlineMs) {
    upload.failure = 'deadline';
    return { ...dropped, reason: 'deadline', ...reached };
  }
  return { outcome: 'finished', reason: null, stepMs: input.stepMs, finishMs: upload.arrivedMs, ...reached };
}
