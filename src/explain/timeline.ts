/**
 * The round's timeline in words (SPEC §2 "Compute and time model"): each dispatched node's
 * download (tries, latency, transfer), local steps (the step-time formula with the S3
 * allocation), upload, and how long it waited at the barrier; then what ended the round.
 * Arrival and compute-end times printed are the record's (downloadEndMs, computeEndMs,
 * finishMs); the latency at each try comes from the node's latency process, a pure function
 * of (seed, node, time), so it is the value the run saw.
 */
import { amdahlSpeedup, stepMs } from '../sim/time-model.js';
import { DECIMALS, ms, num } from './format.js';
import { NODE_INDENT, continuation, type RoundView } from './types.js';

export interface TransferTry {
  atMs: number;
  /** null = lost or down */
  latencyMs: number | null;
}

export type TransferOutcome =
  | { ok: true; tries: TransferTry[]; arrivesMs: number }
  | { ok: false; tries: TransferTry[]; reason: 'retries' }
  | { ok: false; tries: TransferTry[]; reason: 'deadline'; nextTryMs: number };

export interface TransferSetting {
  latencyAt: (timeMs: number) => number | null;
  transferMs: number;
  retryMs: number;
  maxRetries: number;
  deadlineMs: number | null;
}

/** The tries of one transfer, as the time model makes them (try i at first + i · retryMs). */
export function replayTransfer(firstTryMs: number, setting: TransferSetting): TransferOutcome {
  const tries: TransferTry[] = [];
  for (let attempt = 0; attempt < Math.max(1, setting.maxRetries); attempt++) {
    const atMs = firstTryMs + attempt * setting.retryMs;
    if (setting.deadlineMs !== null && atMs >= setting.deadlineMs) return { ok: false, tries, reason: 'deadline', nextTryMs: atMs };
    const latencyMs = setting.latencyAt(atMs);
    tries.push({ atMs, latencyMs });
    if (latencyMs !== null) return { ok: true, tries, arrivesMs: atMs + latencyMs + setting.transferMs };
  }
  return { ok: false, tries, reason: 'retries' };
}

function lostTries(tries: readonly TransferTry[]): string {
  const lost = tries.filter((t) => t.latencyMs === null);
  if (lost.length === 0) return '';
  if (lost.length <= 3) return `${lost.map((t) => `${ms(t.atMs)} (lost)`).join(', ')}, `;
  return `${ms(lost[0]!.atMs)} … ${ms(lost.at(-1)!.atMs)} (${lost.length} tries lost), `;
}

/** `tried at 412.3 ms → latency 5 ms + transfer 0.077 ms → arrives 417.377 ms` and the failure forms. */
export function transferText(outcome: TransferOutcome, setting: TransferSetting, recordedArrivalMs: number | null): string {
  if (outcome.ok) {
    const last = outcome.tries.at(-1)!;
    const arrives = recordedArrivalMs ?? outcome.arrivesMs;
    const late = setting.deadlineMs !== null && arrives > setting.deadlineMs ? `, after the deadline ${ms(setting.deadlineMs)} → dropped (deadline)` : '';
    return `tried at ${lostTries(outcome.tries)}${ms(last.atMs)} → latency ${ms(last.latencyMs!)} + transfer ${ms(setting.transferMs)}`
      + ` → arrives ${ms(arrives)}${late}`;
  }
  if (outcome.reason === 'retries') {
    const first = outcome.tries[0]!.atMs;
    const last = outcome.tries.at(-1)!.atMs;
    const when = outcome.tries.length === 1 ? ms(first) : `${ms(first)} … ${ms(last)}`;
    return `tried at ${when}: all ${outcome.tries.length} tries lost → dropped (retries)`;
  }
  const tried = outcome.tries.length === 0 ? '' : `tried at ${lostTries(outcome.tries).replace(/, $/, '')}; `;
  return `${tried}the next try at ${ms(outcome.nextTryMs)} is not before the deadline ${ms(setting.deadlineMs!)} → dropped (deadline)`;
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
  if (node.plannedBatch === 0) return [`${NODE_INDENT}node ${node.id}: not dispatched → no transfers, no compute`];
  const { cluster, model } = scenario;
  const setting: TransferSetting = {
    latencyAt: context.latencyAt[nodeIndex]!,
    transferMs: context.transferMs[nodeIndex]!,
    retryMs: cluster.retryMs,
    maxRetries: cluster.maxRetries,
    deadlineMs: cluster.roundTimeoutMs === null ? null : view.record.startMs + cluster.roundTimeoutMs,
  };
  const pad = continuation(node.id);
  const download = replayTransfer(view.record.startMs, setting);
  const lines = [`${NODE_INDENT}node ${node.id}: download ${transferText(download, setting, node.downloadEndMs)}`];
  if (!download.ok || node.downloadEndMs === null || node.computeEndMs === null) return lines;
  const spec = scenario.cluster.nodes[nodeIndex]!;
  const steps = model.localSteps;
  lines.push(
    `${pad}compute ${steps} step${steps === 1 ? '' : 's'} × ${ms(stepMs(spec, node.plannedBatch, node.threads, node.ioQueue))}`
      + ` → ends ${ms(node.computeEndMs)}`,
    `${pad}  (${stepText(view, nodeIndex)})`,
  );
  const upload = replayTransfer(node.computeEndMs, setting);
  const wait = node.finishMs === null ? '' : `; waits ${ms(view.record.endMs - node.finishMs)} at the barrier`;
  lines.push(`${pad}upload ${transferText(upload, setting, node.finishMs)}${wait}`);
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
