/**
 * The round's timeline in words (SPEC §2 "Compute and time model"): each dispatched node's
 * download (tries, latency, transfer), local steps (the step-time formula with the S3
 * allocation), upload, and how long it waited at the barrier; then what ended the round.
 * Everything printed is the schedule's own events, kept in the records (every try with the
 * latency it met, each step, each arrival): nothing is replayed.
 */
import { amdahlSpeedup, stepMs, type TransferEvents, type TransferTry } from '../sim/time-model.js';
import { DECIMALS, ms, num } from './format.js';
import { NODE_INDENT, continuation, type RoundView } from './types.js';

function lostTries(tries: readonly TransferTry[]): string {
  const lost = tries.filter((t) => t.latencyMs === null);
  if (lost.length === 0) return '';
  if (lost.length <= 3) return `${lost.map((t) => `${ms(t.atMs)} (lost)`).join(', ')}, `;
  return `${ms(lost[0]!.atMs)} … ${ms(lost.at(-1)!.atMs)} (${lost.length} tries lost), `;
}

/** `tried at 412.3 ms → latency 5 ms + transfer 0.077 ms → arrives 417.377 ms` and the failure forms. */
export function transferText(events: TransferEvents, transferMs: number, deadlineMs: number | null): string {
  if (events.arrivedMs !== null) {
    const last = events.tries.at(-1)!;
    const late = events.failure === 'deadline' ? `, after the deadline ${ms(deadlineMs!)} → dropped (deadline)` : '';
    return `tried at ${lostTries(events.tries)}${ms(last.atMs)} → latency ${ms(last.latencyMs!)} + transfer ${ms(transferMs)}`
      + ` → arrives ${ms(events.arrivedMs)}${late}`;
  }
  if (events.failure === 'retries') {
    const first = events.tries[0]!.atMs;
    const last = events.tries.at(-1)!.atMs;
    const when = events.tries.length === 1 ? ms(first) : `${ms(first)} … ${ms(last)}`;
    return `tried at ${when}: all ${events.tries.length} tries lost → dropped (retries)`;
  }
  const tried = events.tries.length === 0 ? '' : `tried at ${lostTries(events.tries).replace(/, $/, '')}; `;
  return `${tried}the next try at ${ms(events.nextTryMs!)} is not before the deadline ${ms(deadlineMs!)} → dropped (deadline)`;
}

function stepText(view: RoundView, nodeIndex: number): string {
  const spec = view.input.scenario.cluster.nodes[nodeIndex]!;
  const node = view.record.nodes[nodeIndex]!;
  const speedup = amdahlSpeedup(spec.parallelFraction, node.threads);
  const computeMs = (node.plannedBatch * spec.msPerSample) / speedup;
  const ioMs = spec.ioMsPerBatch / node.ioQueue;
  return `speedup = 1 / ((1 − ${spec.parallelFraction}) + ${spec.parallelFraction} / ${node.threads} threads) = ${num(speedup, DECIMALS.ms)};`
    + ` step = max(${node.plannedBatch} × ${ms(spec.msPerSample)} / ${num(speedup, DECIMALS.ms)}, ${ms(spec.ioMsPerBatch)} / ${node.ioQueue} queue)`
    + ` = max(${ms(computeMs)}, ${ms(ioMs)}) = ${ms(stepMs(spec, node.plannedBatch, node.threads, node.ioQueue))}`;
}

function nodeLines(view: RoundView, nodeIndex: number): string[] {
  const { scenario, context } = view.input;
  const node = view.record.nodes[nodeIndex]!;
  const timeline = node.timeline ?? null;
  if (node.plannedBatch === 0 || timeline === null) return [`${NODE_INDENT}node ${node.id}: not dispatched → no transfers, no compute`];
  const { cluster, model } = scenario;
  const transferMs = context.transferMs[nodeIndex]!;
  const deadlineMs = cluster.roundTimeoutMs === null ? null : view.record.startMs + cluster.roundTimeoutMs;
  const pad = continuation(node.id);
  const lines = [`${NODE_INDENT}node ${node.id}: download ${transferText(timeline.download, transferMs, deadlineMs)}`];
  if (timeline.upload === null || timeline.computeEndMs === null) return lines;
  const steps = model.localSteps;
  lines.push(
    `${pad}compute ${steps} step${steps === 1 ? '' : 's'} × ${ms(timeline.stepMs)} → ends ${ms(timeline.computeEndMs)}`,
    `${pad}  (${stepText(view, nodeIndex)})`,
  );
  const wait = node.finishMs === null ? '' : `; waits ${ms(view.record.endMs - node.finishMs)} at the barrier`;
  lines.push(`${pad}upload ${transferText(timeline.upload, transferMs, deadlineMs)}${wait}`);
  return lines;
}

function barrierLine(view: RoundView): string {
  const { record, input } = view;
  const { cluster, pipeline } = input.scenario;
  if (record.skipped) {
    return `${NODE_INDENT}no node took part: the round is skipped (θ unchanged) and lasts windowMs = ${ms(pipeline.s1.windowMs)}`
      + ` → ends at ${ms(record.endMs)}`;
  }
  const last = record.nodes.find((n) => n.participated && n.finishMs === record.endMs);
  if (last === undefined && cluster.roundTimeoutMs !== null) {
    const late = record.nodes.filter((n) => n.dropReason === 'deadline').map((n) => n.id).join(', ');
    return `${NODE_INDENT}barrier: ${late} missed the deadline, so the round ends at the deadline`
      + ` T + ${ms(cluster.roundTimeoutMs)} = ${ms(record.endMs)}`;
  }
  return `${NODE_INDENT}barrier: the last upload, node ${last?.id ?? '?'}'s, arrives at ${ms(record.endMs)} → the round ends;`
    + ` the next round starts at T = ${ms(record.endMs)}`;
}

export function timelineSection(view: RoundView): string[] {
  const { scenario, context } = view.input;
  const { record } = view;
  const { cluster, model } = scenario;
  const deadline = cluster.roundTimeoutMs === null
    ? 'no deadline'
    : `deadline T + ${ms(cluster.roundTimeoutMs)} = ${ms(record.startMs + cluster.roundTimeoutMs)}`;
  return [
    `Timeline from T = ${ms(record.startMs)}: download, ${model.localSteps} local step${model.localSteps === 1 ? '' : 's'}, upload; the round ends at the barrier`,
    `${NODE_INDENT}model ${context.paramCount} parameters × 4 bytes = ${context.modelBytes} bytes; transfer = bytes · 8 / bandwidth;`
      + ` a lost try is retried ${ms(cluster.retryMs)} later, ${cluster.maxRetries} tries at most; ${deadline}`,
    ...view.shown.flatMap((i) => nodeLines(view, i)),
    barrierLine(view),
  ];
}
