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

/** Per-transfer states: no transfer made, bytes moving, every try lost, the deadline came first. */
const NO_TRANSFER = 0;
const THROUGH = 1;
const RETRIES_SPENT = 2;
const DEADLINE_FIRST = 3;

/** What a failure code stands for: the failure of a direction, the reason of a node's drop. */
const FAILURE: ReadonlyArray<DropReason | null> = [null, 'retries', 'deadline'];
const NO_FAILURE = 0;
const RETRIES = 1;
const DEADLINE = 2;

/** One direction's columns (Direction), as a helper thread hands a round over. */
export interface DirectionColumns {
  retryMs: number;
  state: Uint8Array;
  firstMs: Float64Array;
  tries: Uint32Array;
  latencyMs: Float64Array;
  arrivedMs: Float64Array;
  failure: Uint8Array;
  nextTryMs: Float64Array;
  droppedAtMs: Float64Array;
}

/**
 * A round's times as plain columns (RoundTimes), every array its own buffer: what a helper
 * thread that simulated the round transfers, and RoundTimes.fromColumns takes back.
 */
export interface RoundTimesColumns {
  localSteps: number;
  outcome: Uint8Array;
  reason: Uint8Array;
  stepMs: Float64Array;
  downloadEndMs: Float64Array;
  computeEndMs: Float64Array;
  finishMs: Float64Array;
  droppedAtMs: Float64Array;
  stepStartMs: Float64Array;
  stepEndMs: Float64Array;
  download: DirectionColumns;
  upload: DirectionColumns;
}

/**
 * One direction's transfers as columns, per node (NaN = null). A try k is made at
 * firstMs + k · retryMs and only the last can have got through, so the tries are a count and
 * one latency: at 131,072 nodes an object per try, transfer and node was most of the
 * simulator's garbage. `events(i)` builds the TransferEvents a reader asks for.
 */
class Direction {
  readonly state: Uint8Array;
  readonly firstMs: Float64Array;
  readonly tries: Uint32Array;
  /** the latency the last try met (THROUGH only) */
  readonly latencyMs: Float64Array;
  readonly arrivedMs: Float64Array;
  readonly failure: Uint8Array;
  /** DEADLINE_FIRST: the try that was not made */
  readonly nextTryMs: Float64Array;
  /** when the node was given up (NaN while it was not) */
  readonly droppedAtMs: Float64Array;
  private readonly retryMs: number;

  constructor(columns: DirectionColumns) {
    ({
      state: this.state, firstMs: this.firstMs, tries: this.tries, latencyMs: this.latencyMs, arrivedMs: this.arrivedMs,
      failure: this.failure, nextTryMs: this.nextTryMs, droppedAtMs: this.droppedAtMs, retryMs: this.retryMs,
    } = columns);
  }

  static empty(n: number, retryMs: number): Direction {
    return new Direction({
      retryMs,
      state: new Uint8Array(n),
      firstMs: new Float64Array(n),
      tries: new Uint32Array(n),
      latencyMs: new Float64Array(n),
      arrivedMs: new Float64Array(n).fill(Number.NaN),
      failure: new Uint8Array(n),
      nextTryMs: new Float64Array(n),
      droppedAtMs: new Float64Array(n).fill(Number.NaN),
    });
  }

  columns(): DirectionColumns {
    const { state, firstMs, tries, latencyMs, arrivedMs, failure, nextTryMs, droppedAtMs, retryMs } = this;
    return { state, firstMs, tries, latencyMs, arrivedMs, failure, nextTryMs, droppedAtMs, retryMs };
  }

  made(i: number): boolean {
    return this.state[i] !== NO_TRANSFER;
  }

  /** When node i's bytes started to move (the successful try + its latency); NaN when no try got through. */
  activeMs(i: number): number {
    return this.state[i] === THROUGH ? this.firstMs[i]! + (this.tries[i]! - 1) * this.retryMs + this.latencyMs[i]! : Number.NaN;
  }

  /** Node i's transfer as events (it made one). */
  events(i: number): TransferEvents {
    const count = this.tries[i]!;
    const through = this.state[i] === THROUGH;
    const tries: TransferTry[] = new Array<TransferTry>(count);
    for (let k = 0; k < count; k++) {
      const atMs = this.firstMs[i]! + k * this.retryMs;
      tries[k] = { atMs, latencyMs: through && k === count - 1 ? this.latencyMs[i]! : null };
    }
    return {
      tries,
      arrivedMs: nullIfNaN(this.arrivedMs[i]!),
      activeMs: through ? this.activeMs(i) : null,
      failure: FAILURE[this.failure[i]!]!,
      nextTryMs: this.state[i] === DEADLINE_FIRST ? this.nextTryMs[i]! : null,
    };
  }
}

/** A column's NaN as the null an object reports. */
export function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/** Node i's tries from `firstMs` into `into`: where its bytes start to move, or when and why it was given up. */
function tryTransfer(firstMs: number, node: RoundNodeInput, input: RoundTimeInput, into: Direction, i: number): void {
  const { deadlineMs, retryMs } = input;
  const count = Math.max(1, input.maxRetries);
  into.firstMs[i] = firstMs;
  for (let k = 0; k < count; k++) {
    const atMs = firstMs + k * retryMs;
    if (deadlineMs !== null && atMs >= deadlineMs) {
      into.state[i] = DEADLINE_FIRST;
      into.tries[i] = k;
      into.failure[i] = DEADLINE;
      into.nextTryMs[i] = atMs;
      into.droppedAtMs[i] = deadlineMs;
      return;
    }
    const latencyMs = node.latencyAt(atMs);
    if (latencyMs !== null) {
      into.state[i] = THROUGH;
      into.tries[i] = k + 1;
      into.latencyMs[i] = latencyMs;
      return;
    }
  }
  const learnedMs = firstMs + (count - 1) * retryMs + retryMs;
  const late = deadlineMs !== null && learnedMs > deadlineMs;
  into.state[i] = RETRIES_SPENT;
  into.tries[i] = count;
  into.failure[i] = late ? DEADLINE : RETRIES;
  into.droppedAtMs[i] = late ? deadlineMs : learnedMs;
}

/** The bytes of every transfer that got through its tries, through one direction of the link. */
function moveBytes(into: Direction, input: RoundTimeInput): void {
  const n = into.state.length;
  const moving = new Uint32Array(n);
  const startMs = new Float64Array(n);
  const bytes = new Float64Array(n);
  const capBps = new Float64Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (into.state[i] !== THROUGH) continue;
    const node = input.nodes[i]!;
    moving[count] = i;
    startMs[count] = into.activeMs(i);
    bytes[count] = node.bytes;
    capBps[count] = node.bandwidthBps;
    count++;
  }
  const arrivals = shareLinkArrays(startMs.subarray(0, count), bytes, capBps, input.serverBps);
  const { deadlineMs } = input;
  for (let k = 0; k < count; k++) {
    const i = moving[k]!;
    const arrivedMs = arrivals[k]!;
    into.arrivedMs[i] = arrivedMs;
    // still under way at the deadline: the server stops waiting then
    if (deadlineMs !== null && arrivedMs > deadlineMs) {
      into.failure[i] = DEADLINE;
      into.droppedAtMs[i] = deadlineMs;
    }
  }
}

const NOT_DISPATCHED = 0;
const FINISHED = 1;
const DROPPED = 2;

/**
 * Every node's round as columns (NaN = null), in node order: what the round loop and the
 * records read. `timeline(i)` builds node i's NodeTimeline, the events explain and the
 * reports read, only when one is asked for.
 */
export class RoundTimes {
  readonly nodeCount: number;
  /** 0 not dispatched, 1 finished, 2 dropped */
  readonly outcome: Uint8Array;
  /** the mean actual step time (the slowdown included) */
  readonly stepMs: Float64Array;
  readonly downloadEndMs: Float64Array;
  readonly computeEndMs: Float64Array;
  readonly finishMs: Float64Array;
  readonly droppedAtMs: Float64Array;
  /** the drop's reason code (FAILURE) */
  private readonly reason: Uint8Array;
  /** each node's step k spans [stepStartMs, stepEndMs] at k + i · localSteps (download arrived only) */
  private readonly stepStartMs: Float64Array;
  private readonly stepEndMs: Float64Array;

  private readonly localSteps: number;
  private readonly download: Direction;
  private readonly upload: Direction;

  private constructor(columns: RoundTimesColumns, download: Direction, upload: Direction) {
    ({
      outcome: this.outcome, reason: this.reason, stepMs: this.stepMs, downloadEndMs: this.downloadEndMs, computeEndMs: this.computeEndMs,
      finishMs: this.finishMs, droppedAtMs: this.droppedAtMs, stepStartMs: this.stepStartMs, stepEndMs: this.stepEndMs, localSteps: this.localSteps,
    } = columns);
    this.nodeCount = columns.outcome.length;
    this.download = download;
    this.upload = upload;
  }

  /** A round of n nodes with nothing settled yet. */
  static empty(n: number, localSteps: number, download: Direction, upload: Direction): RoundTimes {
    return new RoundTimes({
      localSteps,
      outcome: new Uint8Array(n),
      reason: new Uint8Array(n),
      stepMs: new Float64Array(n),
      downloadEndMs: new Float64Array(n).fill(Number.NaN),
      computeEndMs: new Float64Array(n).fill(Number.NaN),
      finishMs: new Float64Array(n).fill(Number.NaN),
      droppedAtMs: new Float64Array(n).fill(Number.NaN),
      stepStartMs: new Float64Array(n * localSteps),
      stepEndMs: new Float64Array(n * localSteps),
      download: download.columns(),
      upload: upload.columns(),
    }, download, upload);
  }

  /** The round these columns were taken from (`columns()`), reading them in place. */
  static fromColumns(columns: RoundTimesColumns): RoundTimes {
    return new RoundTimes(columns, new Direction(columns.download), new Direction(columns.upload));
  }

  /** Every column, by reference (no copy). */
  columns(): RoundTimesColumns {
    const { localSteps, outcome, reason, stepMs, downloadEndMs, computeEndMs, finishMs, droppedAtMs, stepStartMs, stepEndMs } = this;
    return {
      localSteps, outcome, reason, stepMs, downloadEndMs, computeEndMs, finishMs, droppedAtMs, stepStartMs, stepEndMs,
      download: this.download.columns(),
      upload: this.upload.columns(),
    };
  }

  finished(i: number): boolean {
    return this.outcome[i] === FINISHED;
  }

  dispatched(i: number): boolean {
    return this.outcome[i] !== NOT_DISPATCHED;
  }

  /** why node i was dropped; null when it finished or was not dispatched */
  dropReason(i: number): DropReason | null {
    return FAILURE[this.reason[i]!]!;
  }

  /** Node i's round as events; null when it was not dispatched. */
  timeline(i: number): NodeTimeline | null {
    const outcome = this.outcome[i]!;
    if (outcome === NOT_DISPATCHED) return null;
    const download = this.download.events(i);
    const upload = this.upload.made(i) ? this.upload.events(i) : null;
    const steps: StepSpan[] = [];
    if (!Number.isNaN(this.downloadEndMs[i]!)) {
      for (let k = 0, at = i * this.localSteps; k < this.localSteps; k++, at++) steps.push({ startMs: this.stepStartMs[at]!, endMs: this.stepEndMs[at]! });
    }
    return {
      outcome: outcome === FINISHED ? 'finished' : 'dropped',
      reason: this.dropReason(i),
      download,
      steps,
      upload,
      stepMs: this.stepMs[i]!,
      downloadEndMs: nullIfNaN(this.downloadEndMs[i]!),
      computeEndMs: nullIfNaN(this.computeEndMs[i]!),
      finishMs: nullIfNaN(this.finishMs[i]!),
      droppedAtMs: nullIfNaN(this.droppedAtMs[i]!),
    };
  }

  /** Every node's timeline (null for a node not dispatched), in node order. */
  timelines(): Array<NodeTimeline | null> {
    const all = new Array<NodeTimeline | null>(this.nodeCount);
    for (let i = 0; i < this.nodeCount; i++) all[i] = this.timeline(i);
    return all;
  }

  /**
   * When the round ends: once the outcome of every dispatched node is known — its upload's
   * arrival or the moment it was dropped — capped at the deadline. null when none was dispatched.
   */
  outcomeKnownMs(deadlineMs: number | null): number | null {
    let lastMs: number | null = null;
    for (let i = 0; i < this.nodeCount; i++) {
      const outcome = this.outcome[i]!;
      if (outcome === NOT_DISPATCHED) continue;
      const knownMs = outcome === FINISHED ? this.finishMs[i]! : this.droppedAtMs[i]!;
      lastMs = lastMs === null ? knownMs : Math.max(lastMs, knownMs);
    }
    return lastMs === null || deadlineMs === null ? lastMs : Math.min(lastMs, deadlineMs);
  }

  /** Node i's back-to-back steps from `startMs`, each stepMs × the slowdown at its start (≥ 0); the sum of the multipliers. */
  runSteps(i: number, startMs: number, node: RoundNodeInput): number {
    let multiplierSum = 0;
    for (let k = 0, at = i * this.localSteps; k < this.localSteps; k++, at++) {
      const stepStartMs = k === 0 ? startMs : startMs + node.stepMs * multiplierSum;
      const raw = node.slowdownAt === null ? 1 : node.slowdownAt(stepStartMs);
      multiplierSum += raw > 0 ? raw : 0;
      this.stepStartMs[at] = stepStartMs;
      this.stepEndMs[at] = startMs + node.stepMs * multiplierSum;
    }
    return multiplierSum;
  }

  /** The end of node i's last step (its download's arrival with no step). */
  lastStepEndMs(i: number, downloadEndMs: number): number {
    return this.localSteps === 0 ? downloadEndMs : this.stepEndMs[(i + 1) * this.localSteps - 1]!;
  }

  /** Node i's outcome from its two directions (it was dispatched). */
  settle(i: number, node: RoundNodeInput, multiplierSum: number): void {
    const { download, upload } = this;
    const arrived = Number.isNaN(download.droppedAtMs[i]!);
    // the mean actual step time: stepMs × the mean multiplier (exactly stepMs without slowdown)
    this.stepMs[i] = arrived ? node.stepMs * (multiplierSum / this.localSteps) : node.stepMs;
    if (!arrived) {
      this.outcome[i] = DROPPED;
      this.reason[i] = download.failure[i]!;
      this.droppedAtMs[i] = download.droppedAtMs[i]!;
      return;
    }
    const downloadEndMs = download.arrivedMs[i]!;
    this.downloadEndMs[i] = downloadEndMs;
    this.computeEndMs[i] = this.lastStepEndMs(i, downloadEndMs);
    const uploadDroppedMs = upload.droppedAtMs[i]!;
    if (!Number.isNaN(uploadDroppedMs)) {
      this.outcome[i] = DROPPED;
      this.reason[i] = upload.failure[i]!;
      this.droppedAtMs[i] = uploadDroppedMs;
      return;
    }
    this.outcome[i] = FINISHED;
    this.finishMs[i] = upload.arrivedMs[i]!;
  }
}

/** Every node's round, as columns. */
export function roundTimes(input: RoundTimeInput): RoundTimes {
  const { nodes, localSteps } = input;
  const n = nodes.length;
  const download = Direction.empty(n, input.retryMs);
  const upload = Direction.empty(n, input.retryMs);
  const times = RoundTimes.empty(n, localSteps, download, upload);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    if (node !== null) tryTransfer(input.startMs, node, input, download, i);
  }
  moveBytes(download, input);
  // the local steps of every node whose model arrived, then its upload's tries
  const multiplierSums = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    if (node === null || !Number.isNaN(download.droppedAtMs[i]!)) continue;
    const downloadEndMs = download.arrivedMs[i]!;
    multiplierSums[i] = times.runSteps(i, downloadEndMs, node);
    tryTransfer(times.lastStepEndMs(i, downloadEndMs), node, input, upload, i);
  }
  moveBytes(upload, input);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    if (node !== null) times.settle(i, node, multiplierSums[i]!);
  }
  return times;
}

/** Every node's round (null for a node not dispatched), in node order, as events. */
export function roundTimelines(input: RoundTimeInput): Array<NodeTimeline | null> {
  return roundTimes(input).timelines();
}
