/**
 * Time model v2 (SPEC §6): one round of every dispatched node on the simulated clock, as
 * events. Per node: the download's tries from the round start, the bytes through the server's
 * outgoing link, the local steps (each as long as the step time × the slowdown at its start),
 * the upload's tries from the end of the last step, the bytes through the incoming link.
 *
 * - A try at τ whose sample is lost fails; the node learns it at τ + retryMs and tries again
 *   then. After maxRetries tries in all it is dropped when the last failure is learnt.
 * - A try that would start at or after the deadline is not made, a transfer still under way
 *   at the deadline is stopped, and a failure learnt after the deadline is not waited for: the
 *   node is dropped at the deadline (reason `deadline`).
 * - Downloads share the server's outgoing capacity and uploads its incoming capacity
 *   (server-link.ts); without a server link each transfer moves at its node's bandwidth.
 *
 * Pure: the latency and slowdown lookups are handed in.
 */
import { shareLinkArrays } from './server-link.js';
import type { DropReason, NodeTimeline, StepSpan, TransferEvents, TransferTry } from './time-model.js';

export interface RoundNodeInput {
  /** the node's latency at simulated time t; null = lost or down (the try fails) */
  latencyAt: (timeMs: number) => number | null;
  /** bytes of one model copy on the wire */
  bytes: number;
  bandwidthBps: number;
  /** one local step without slowdown */
  stepMs: number;
  /** the compute slowdown multiplier at t (null = none: every step lasts stepMs) */
  slowdownAt: ((timeMs: number) => number) | null;
}

export interface RoundTimeInput {
  startMs: number;
  /** absolute simulated time; null = no deadline */
  deadlineMs: number | null;
  retryMs: number;
  /** tries per transfer, the first included */
  maxRetries: number;
  localSteps: number;
  /** the server link's capacity per direction, bits/s; Infinity = no shared link */
  serverBps: number;
  /** per node; null = not dispatched */
  nodes: ReadonlyArray<RoundNodeInput | null>;
}

/**
 * One direction's transfers, per node: the events (null when the node made no such transfer)
 * and when the node was given up (NaN while it was not). Arrays, not an object per node: at
 * 131,072 nodes a round's short-lived objects are most of the simulator's garbage.
 */
interface Direction {
  events: Array<TransferEvents | null>;
  droppedAtMs: Float64Array;
}

function direction(n: number): Direction {
  return { events: new Array<TransferEvents | null>(n).fill(null), droppedAtMs: new Float64Array(n).fill(Number.NaN) };
}

/** Node i's tries from `firstMs` into `into`: where its bytes start to move, or when and why it was given up. */
function tryTransfer(firstMs: number, node: RoundNodeInput, input: RoundTimeInput, into: Direction, i: number): void {
  // most transfers get through at the first try: a one-element literal is allocated at its size
  let tries: TransferTry[] | null = null;
  const { deadlineMs, retryMs } = input;
  const count = Math.max(1, input.maxRetries);
  for (let k = 0; k < count; k++) {
    const atMs = firstMs + k * retryMs;
    if (deadlineMs !== null && atMs >= deadlineMs) {
      into.events[i] = { tries: tries ?? [], arrivedMs: null, activeMs: null, failure: 'deadline', nextTryMs: atMs };
      into.droppedAtMs[i] = deadlineMs;
      return;
    }
    const latencyMs = node.latencyAt(atMs);
    const attempt: TransferTry = { atMs, latencyMs };
    if (tries === null) tries = [attempt];
    else tries.push(attempt);
    if (latencyMs !== null) {
      into.events[i] = { tries, arrivedMs: null, activeMs: atMs + latencyMs, failure: null, nextTryMs: null };
      return;
    }
  }
  tries ??= [];
  const learnedMs = tries[tries.length - 1]!.atMs + retryMs;
  const late = deadlineMs !== null && learnedMs > deadlineMs;
  const failure: DropReason = late ? 'deadline' : 'retries';
  into.events[i] = { tries, arrivedMs: null, activeMs: null, failure, nextTryMs: null };
  into.droppedAtMs[i] = late ? deadlineMs : learnedMs;
}

/** The bytes of every transfer that got through its tries, through one direction of the link. */
function moveBytes(into: Direction, input: RoundTimeInput): void {
  const n = into.events.length;
  const moving = new Uint32Array(n);
  const startMs = new Float64Array(n);
  const bytes = new Float64Array(n);
  const capBps = new Float64Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const activeMs = into.events[i]?.activeMs ?? null;
    if (activeMs === null) continue;
    const node = input.nodes[i]!;
    moving[count] = i;
    startMs[count] = activeMs;
    bytes[count] = node.bytes;
    capBps[count] = node.bandwidthBps;
    count++;
  }
  const arrivals = shareLinkArrays(startMs.subarray(0, count), bytes, capBps, input.serverBps);
  const { deadlineMs } = input;
  for (let k = 0; k < count; k++) {
    const i = moving[k]!;
    const events = into.events[i]!;
    const arrivedMs = arrivals[k]!;
    events.arrivedMs = arrivedMs;
    // still under way at the deadline: the server stops waiting then
    if (deadlineMs !== null && arrivedMs > deadlineMs) {
      events.failure = 'deadline';
      into.droppedAtMs[i] = deadlineMs;
    }
  }
}

/**
 * Back-to-back steps from `startMs`; each lasts stepMs × the slowdown at its start (≥ 0).
 * Returns the sum of the multipliers (localSteps without slowdown).
 */
function runSteps(startMs: number, node: RoundNodeInput, localSteps: number, into: { steps: StepSpan[] }): number {
  let multiplierSum = 0;
  let steps: StepSpan[] | null = null;
  for (let k = 0; k < localSteps; k++) {
    const stepStartMs = k === 0 ? startMs : startMs + node.stepMs * multiplierSum;
    const raw = node.slowdownAt === null ? 1 : node.slowdownAt(stepStartMs);
    multiplierSum += raw > 0 ? raw : 0;
    const span: StepSpan = { startMs: stepStartMs, endMs: startMs + node.stepMs * multiplierSum };
    // one local step (the usual case): a one-element literal, allocated at its size
    if (steps === null) steps = [span];
    else steps.push(span);
  }
  into.steps = steps ?? [];
  return multiplierSum;
}

/** One shape for every timeline (plain literals, no spreads): one per dispatched node per round. */
function timeline(
  outcome: NodeTimeline['outcome'], reason: DropReason | null, download: TransferEvents, steps: StepSpan[], upload: TransferEvents | null,
  stepMs: number, downloadEndMs: number | null, computeEndMs: number | null, finishMs: number | null, droppedAtMs: number | null,
): NodeTimeline {
  return { outcome, reason, download, steps, upload, stepMs, downloadEndMs, computeEndMs, finishMs, droppedAtMs };
}

/** Every node's round (null for a node not dispatched), in node order. */
export function roundTimelines(input: RoundTimeInput): Array<NodeTimeline | null> {
  const { nodes, localSteps } = input;
  const n = nodes.length;
  const downloads = direction(n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    if (node !== null) tryTransfer(input.startMs, node, input, downloads, i);
  }
  moveBytes(downloads, input);
  // the local steps of every node whose model arrived, then its upload's tries
  const steps = new Array<StepSpan[] | null>(n).fill(null);
  const multiplierSums = new Float64Array(n);
  const uploads = direction(n);
  const computed = { steps: [] as StepSpan[] };
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    if (node === null || !Number.isNaN(downloads.droppedAtMs[i]!)) continue;
    const downloadEndMs = downloads.events[i]!.arrivedMs!;
    multiplierSums[i] = runSteps(downloadEndMs, node, localSteps, computed);
    const nodeSteps = computed.steps;
    steps[i] = nodeSteps;
    tryTransfer(nodeSteps[nodeSteps.length - 1]?.endMs ?? downloadEndMs, node, input, uploads, i);
  }
  moveBytes(uploads, input);
  const timelines = new Array<NodeTimeline | null>(n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    if (node === null) {
      timelines[i] = null;
      continue;
    }
    const download = downloads.events[i]!;
    const nodeSteps = steps[i]!;
    // the mean actual step time: stepMs × the mean multiplier (exactly stepMs without slowdown)
    const stepMs = nodeSteps === null ? node.stepMs : node.stepMs * (multiplierSums[i]! / localSteps);
    const downloadDroppedMs = downloads.droppedAtMs[i]!;
    if (!Number.isNaN(downloadDroppedMs)) {
      timelines[i] = timeline('dropped', download.failure, download, [], null, stepMs, null, null, null, downloadDroppedMs);
      continue;
    }
    const downloadEndMs = download.arrivedMs!;
    const computeEndMs = nodeSteps.length === 0 ? downloadEndMs : nodeSteps[nodeSteps.length - 1]!.endMs;
    const upload = uploads.events[i]!;
    const uploadDroppedMs = uploads.droppedAtMs[i]!;
    timelines[i] = !Number.isNaN(uploadDroppedMs)
      ? timeline('dropped', upload.failure, download, nodeSteps, upload, stepMs, downloadEndMs, computeEndMs, null, uploadDroppedMs)
      : timeline('finished', null, download, nodeSteps, upload, stepMs, downloadEndMs, computeEndMs, upload.arrivedMs!, null);
  }
  return timelines;
}

/**
 * When the round ends: once the outcome of every dispatched node is known — its upload's
 * arrival or the moment it was dropped — capped at the deadline. null when none was dispatched.
 */
export function roundOutcomeKnownMs(timelines: ReadonlyArray<NodeTimeline | null>, deadlineMs: number | null): number | null {
  let lastMs: number | null = null;
  for (const t of timelines) {
    if (t === null) continue;
    const knownMs = t.finishMs ?? t.droppedAtMs!;
    lastMs = lastMs === null ? knownMs : Math.max(lastMs, knownMs);
  }
  return lastMs === null || deadlineMs === null ? lastMs : Math.min(lastMs, deadlineMs);
}
