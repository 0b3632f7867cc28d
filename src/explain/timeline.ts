/**
 * The round's timeline in words (SPEC §2 "Compute and time model", §6): each dispatched node's
 * download (tries, latency, transfer, time waiting for a shared server link), local steps (the
 * step-time formula with the S3 allocation), upload, when a drop became known, and how long it
 * waited at the barrier; then what ended the round: the last outcome known, a finish or a drop.
 * Everything printed is the schedule's own events, kept in the records (every try with the
 * latency it met, each step, each arrival, each drop): nothing is replayed.
 */
import { formatBandwidth } from '../report/html/scenario-text.js';
import { linkWaitMs } from '../report/round-phases.js';
import type { NodeRoundRecord } from '../sim/records.js';
import { amdahlSpeedup, stepMs, type TransferEvents, type TransferTry } from '../sim/time-model.js';
import { DECIMALS, ms, num } from './format.js';
import { NODE_INDENT, continuation, type RoundView } from './types.js';

function lostTries(tries: readonly TransferTry[]): string {
  const lost = tries.filter((t) => t.latencyMs === null);
  if (lost.length === 0) return '';
  if (lost.length <= 3) return `${lost.map((t) => `${ms(t.atMs)} (lost)`).join(', ')}, `;
  return `${ms(lost[0]!.atMs)} … ${ms(lost.at(-1)!.atMs)} (${lost.length} tries lost), `;
}

/** What the words of a transfer may add from the round around it (all optional: older records lack them). */
export interface TransferContext {
  /** a lost try is learnt this long after it was made */
  retryMs?: number;
  /** when the server learnt the node was dropped (time model v2) */
  droppedAtMs?: number | null;
  /** the part of the transfer spent waiting for the shared server link */
  linkWaitMs?: number;
}

const at = (droppedAtMs: number | null | undefined): string => (droppedAtMs === null || droppedAtMs === undefined ? '' : ` at ${ms(droppedAtMs)}`);

/** `tried at 412.3 ms → latency 5 ms + transfer 0.077 ms → arrives 417.377 ms` and the failure forms. */
export function transferText(events: TransferEvents, transferMs: number, deadlineMs: number | null, context: TransferContext = {}): string {
  const { droppedAtMs } = context;
  if (events.arrivedMs !== null) {
    const last = events.tries.at(-1)!;
    const wait = context.linkWaitMs === undefined || context.linkWaitMs === 0 ? '' : ` + ${ms(context.linkWaitMs)} waiting for the server link`;
    const late = events.failure === 'deadline' ? `, after the deadline ${ms(deadlineMs!)} → dropped (deadline)${at(droppedAtMs)}` : '';
    // past the deadline the server stopped waiting: the bytes never arrived for it
    const arrives = events.failure === 'deadline' ? 'would arrive' : 'arrives';
    return `tried at ${lostTries(events.tries)}${ms(last.atMs)} → latency ${ms(last.latencyMs!)} + transfer ${ms(transferMs)}${wait}`
      + ` → ${arrives} ${ms(events.arrivedMs)}${late}`;
  }
  const first = events.tries[0]?.atMs;
  const last = events.tries.at(-1)?.atMs;
  const span = first === undefined ? '' : events.tries.length === 1 ? ms(first) : `${ms(first)} … ${ms(last!)}`;
  if (events.failure === 'retries') {
    const learnt = droppedAtMs === null || droppedAtMs === undefined ? '' : ` at ${ms(droppedAtMs)}, when the last failure was learnt`;
    return `tried at ${span}: all ${events.tries.length} tries lost → dropped (retries)${learnt}`;
  }
  if (events.nextTryMs === null && last !== undefined) {
    // every try lost, the last one's failure learnt only after the deadline: the server stopped waiting then
    const learnt = context.retryMs === undefined ? '' : `; the last failure would be learnt at ${ms(last + context.retryMs)}, after the deadline ${ms(deadlineMs!)}`;
    return `tried at ${span}: all ${events.tries.length} tries lost${learnt} → dropped (deadline)${at(droppedAtMs)}`;
  }
  const tried = events.tries.length === 0 ? '' : `tried at ${lostTries(events.tries).replace(/, $/, '')}; `;
  return `${tried}the next try at ${ms(events.nextTryMs!)} is not before the deadline ${ms(deadlineMs!)} → dropped (deadline)${at(droppedAtMs)}`;
}

function stepText(view: RoundView, nodeIndex: number): string {
  const spec = view.input.scenario.cluster.nodes[nodeIndex]!;
  const node = view.record.nodes[nodeIndex]!;
  const speedup = amdahlSpeedup(spec.parallelFraction, node.threads);
  const overheadMs = spec.stepOverheadMs ?? 0;
  const computeMs = overheadMs + (node.plannedBatch * spec.msPerSample) / speedup;
  const ioMs = spec.ioMsPerBatch / node.ioQueue;
  const overhead = overheadMs > 0 ? `${ms(overheadMs)} + ` : '';
  return `speedup = 1 / ((1 − ${spec.parallelFraction}) + ${spec.parallelFraction} / ${node.threads} threads) = ${num(speedup, DECIMALS.ms)};`
    + ` step = max(${overhead}${node.plannedBatch} × ${ms(spec.msPerSample)} / ${num(speedup, DECIMALS.ms)}, ${ms(spec.ioMsPerBatch)} / ${node.ioQueue} queue)`
    + ` = max(${ms(computeMs)}, ${ms(ioMs)}) = ${ms(stepMs(spec, node.plannedBatch, node.threads, node.ioQueue))}`;
}

/** When the server learnt the node was dropped: the record's, else its timeline's. */
function droppedAt(node: NodeRoundRecord): number | null {
  return node.droppedAtMs ?? node.timeline?.droppedAtMs ?? null;
}

function nodeLines(view: RoundView, nodeIndex: number): string[] {
  const { scenario, context } = view.input;
  const node = view.record.nodes[nodeIndex]!;
  const timeline = node.timeline ?? null;
  if (node.plannedBatch === 0 || timeline === null) return [`${NODE_INDENT}node ${node.id}: not dispatched → no transfers, no compute`];
  const { cluster, model } = scenario;
  const transferMs = context.transferMs[nodeIndex]!;
  const deadlineMs = cluster.roundTimeoutMs === null ? null : view.record.startMs + cluster.roundTimeoutMs;
  const shared = cluster.server === undefined || cluster.server === null ? null : transferMs;
  const words = (events: TransferEvents): string => transferText(events, transferMs, deadlineMs, {
    retryMs: cluster.retryMs, droppedAtMs: droppedAt(node), linkWaitMs: linkWaitMs(events, shared),
  });
  const pad = continuation(node.id);
  const lines = [`${NODE_INDENT}node ${node.id}: download ${words(timeline.download)}`];
  if (timeline.upload === null || timeline.computeEndMs === null) return lines;
  const steps = model.localSteps;
  const slowed = scenario.cluster.nodes[nodeIndex]!.slowdown;
  const each = slowed === undefined || slowed === null ? `× ${ms(timeline.stepMs)}` : `of ${ms(timeline.stepMs)} on average (slowdown)`;
  lines.push(
    `${pad}compute ${steps} step${steps === 1 ? '' : 's'} ${each} → ends ${ms(timeline.computeEndMs)}`,
    `${pad}  (${stepText(view, nodeIndex)})`,
  );
  const wait = node.finishMs === null || !node.participated ? '' : `; waits ${ms(view.record.endMs - node.finishMs)} at the barrier`;
  lines.push(`${pad}upload ${words(timeline.upload)}${wait}`);
  return lines;
}

/** When the node's outcome was known: its upload's arrival, or its drop; null when not dispatched or unknown. */
function outcomeKnownMs(node: NodeRoundRecord): number | null {
  if (node.participated) return node.finishMs;
  return node.dropReason === 'retries' || node.dropReason === 'deadline' ? droppedAt(node) : null;
}

function barrierLine(view: RoundView): string {
  const { record, input } = view;
  const { cluster, pipeline } = input.scenario;
  const nobody = record.skipped ? 'no node took part (θ unchanged); ' : '';
  const deadlineMs = cluster.roundTimeoutMs === null ? null : record.startMs + cluster.roundTimeoutMs;
  const last = record.nodes.find((n) => n.participated && n.finishMs === record.endMs)
    ?? record.nodes.find((n) => !n.participated && n.dropReason !== 'deadline' && outcomeKnownMs(n) === record.endMs);
  if (last === undefined && deadlineMs !== null && record.endMs === deadlineMs) {
    const late = record.nodes.filter((n) => n.dropReason === 'deadline').map((n) => n.id).join(', ');
    return `${NODE_INDENT}barrier: ${nobody}${late} missed the deadline, so the round ends at the deadline`
      + ` T + ${ms(cluster.roundTimeoutMs!)} = ${ms(record.endMs)}`;
  }
  if (last === undefined && record.skipped) {
    return `${NODE_INDENT}no node took part: the round is skipped (θ unchanged) and lasts windowMs = ${ms(pipeline.s1.windowMs)}`
      + ` → ends at ${ms(record.endMs)}`;
  }
  const outcome = last === undefined ? `node ?'s outcome is known at ${ms(record.endMs)}`
    : last.participated ? `node ${last.id}'s upload arrives at ${ms(record.endMs)}`
    : `node ${last.id} is dropped (${last.dropReason}) at ${ms(record.endMs)}`;
  return `${NODE_INDENT}barrier: ${nobody}the round ends when the last outcome is known (a finish or a drop): ${outcome};`
    + ` the next round starts at T = ${ms(record.endMs)}`;
}

export function timelineSection(view: RoundView): string[] {
  const { scenario, context } = view.input;
  const { record } = view;
  const { cluster, model } = scenario;
  const deadline = cluster.roundTimeoutMs === null
    ? 'no deadline'
    : `deadline T + ${ms(cluster.roundTimeoutMs)} = ${ms(record.startMs + cluster.roundTimeoutMs)}`;
  const bytes = context.modelBytes === 4 * context.paramCount
    ? `model ${context.paramCount} parameters × 4 bytes = ${context.modelBytes} bytes`
    : `model on the wire ${context.modelBytes} bytes (transferBytes; the trained model has ${context.paramCount} parameters)`;
  const server = cluster.server === undefined || cluster.server === null ? ''
    : `; the server link's ${formatBandwidth(cluster.server.bandwidthBps)} per direction is shared fairly by the transfers under way`;
  return [
    `Timeline from T = ${ms(record.startMs)}: download, ${model.localSteps} local step${model.localSteps === 1 ? '' : 's'}, upload; the round ends at the barrier`,
    `${NODE_INDENT}${bytes}; transfer = bytes · 8 / bandwidth${server};`
      + ` a lost try is retried ${ms(cluster.retryMs)} later, ${cluster.maxRetries} tries at most; ${deadline}`,
    ...view.shown.flatMap((i) => nodeLines(view, i)),
    barrierLine(view),
  ];
}
