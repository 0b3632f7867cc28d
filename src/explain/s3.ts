/**
 * S3 in words (SPEC §2 S3): where each node's response time comes from, its pressure
 * (batch × response), P_ref (the median over the dispatched nodes) and the rounded, clamped
 * threads and I/O queue. Response time, pressure, threads and queue are the record's; P_ref
 * and the ratios are recomputed from the records with S3's own functions.
 */
import { applyRounding } from '../pipeline/s2-batch-size.js';
import { fixedResources, referencePressure } from '../pipeline/s3-resources.js';
import { DECIMALS, listOf, ms, num, workingPairs } from './format.js';
import { NODE_INDENT, continuation, type RoundView } from './types.js';

function pressureText(value: number): string {
  return num(value, DECIMALS.pressure);
}

/** P_ref over the dispatched nodes (batch > 0); null when none was dispatched. */
export function roundReferencePressure(view: RoundView): number | null {
  const pressures = view.record.nodes.filter((n) => n.plannedBatch > 0).map((n) => n.pressure);
  return pressures.length === 0 ? null : referencePressure(pressures);
}

function responseSource(view: RoundView, nodeIndex: number): string {
  const { scenario, history } = view.input;
  const previous = history.lastParticipation(nodeIndex, view.record.round);
  if (previous !== undefined) return `its mean step time in round ${previous}, the last it took part in`;
  const base = fixedResources(scenario.cluster.nodes[nodeIndex]!.cores, scenario.pipeline.s3);
  return `no earlier round: its step time at this batch with the base ${base.threads} threads and ${base.ioQueue} queue`;
}

/** The resources stage's ratios for a node, when it scaled by pressure (the patent's S3). */
function pressureRatios(view: RoundView, nodeIndex: number): { threads: number; queue: number } | null {
  const w = view.record.working?.resources[nodeIndex];
  if (w === undefined || typeof w.threadsRatio !== 'number' || typeof w.queueRatio !== 'number') return null;
  return { threads: w.threadsRatio, queue: w.queueRatio };
}

/** How the resources stage allocated this round: by pressure, the base allocation, or a stage of its own. */
function roundRule(view: RoundView): string {
  const rules = new Set(view.record.nodes.flatMap((n, i) => (n.plannedBatch > 0 ? [String(view.record.working?.resources[i]?.rule)] : [])));
  return rules.size === 1 ? [...rules][0]! : 'mixed';
}

/** The rules of S3's own formula (pressure, its P_ref-is-0 fallback, fixed); any other is a stage of its own. */
const S3_RULES = new Set(['pressure', 'base', 'fixed']);

function allocationLines(view: RoundView, nodeIndex: number, pRef: number): string[] {
  const { scenario } = view.input;
  const { s3 } = scenario.pipeline;
  const node = view.record.nodes[nodeIndex]!;
  const cores = scenario.cluster.nodes[nodeIndex]!.cores;
  const pad = continuation(node.id);
  const working = view.record.working?.resources[nodeIndex];
  if (working !== undefined && !S3_RULES.has(String(working.rule))) {
    // a stage explain has no words for (e.g. `cores`): its own working as name = value pairs
    const pairs = workingPairs(working, DECIMALS.pressure).join(', ');
    return [`${pad}threads ${node.threads}, I/O queue ${node.ioQueue} (resources stage ${view.input.stages.resources.name}${pairs === '' ? '' : `: ${pairs}`})`];
  }
  const threadClamp = `clamp [${s3.minThreads}, min(${s3.maxThreads}, ${cores} cores)] → ${node.threads}`;
  const queueClamp = `clamp [${s3.minQueue}, ${s3.maxQueue}] → ${node.ioQueue}`;
  const ratios = pressureRatios(view, nodeIndex);
  if (ratios === null || !(pRef > 0)) {
    return [
      `${pad}threads = ${s3.baseThreads} → ${threadClamp}`,
      `${pad}I/O queue = ${s3.baseQueue} → ${queueClamp}`,
    ];
  }
  const p = pressureText(node.pressure);
  const r = pressureText(pRef);
  const { threads, queue } = ratios;
  return [
    `${pad}threads = round(${s3.baseThreads} × ${p} / ${r}) = round(${num(threads, DECIMALS.ratio)}) = ${applyRounding(threads, 'round')} → ${threadClamp}`,
    `${pad}I/O queue = round(${s3.baseQueue} × ${p} / ${r}) = round(${num(queue, DECIMALS.ratio)}) = ${applyRounding(queue, 'round')} → ${queueClamp}`,
  ];
}

function nodeLines(view: RoundView, nodeIndex: number, pRef: number | null): string[] {
  const node = view.record.nodes[nodeIndex]!;
  if (node.plannedBatch === 0 || pRef === null) {
    return [`${NODE_INDENT}node ${node.id}: not dispatched → no pressure, threads or queue this round`];
  }
  const unused = view.record.working?.resources[nodeIndex]?.rule === 'fixed' ? ' (shown, not used: resources are fixed)' : '';
  return [
    `${NODE_INDENT}node ${node.id}: response ${ms(node.responseMs ?? Number.NaN)} (${responseSource(view, nodeIndex)})`
      + ` → pressure = ${node.plannedBatch} × ${ms(node.responseMs ?? Number.NaN)} = ${pressureText(node.pressure)}${unused}`,
    ...allocationLines(view, nodeIndex, pRef),
  ];
}

export function resourcesSection(view: RoundView): string[] {
  const { scenario, stages } = view.input;
  const { s3 } = scenario.pipeline;
  const pRef = roundReferencePressure(view);
  const dispatched = view.record.nodes.filter((n) => n.plannedBatch > 0);
  const sorted = dispatched.map((n) => n.pressure).sort((a, b) => a - b).map(pressureText);
  const header = [
    `S3 compute pressure → threads and I/O queue (resources stage: ${stages.resources.summary})`,
    `${NODE_INDENT}pressure = batch × response time (ms); P_ref = median pressure of the dispatched nodes`,
  ];
  if (pRef === null) return [...header, `${NODE_INDENT}no node was dispatched: nothing to allocate`];
  const how = roundRule(view);
  const rule = how === 'fixed'
    ? `${NODE_INDENT}resources are fixed: every dispatched node gets the base ${s3.baseThreads} threads and ${s3.baseQueue} queue (pressure / P_ref taken as 1)`
    : how === 'pressure' || how === 'base'
      ? `${NODE_INDENT}threads = round(${s3.baseThreads} × pressure / P_ref), I/O queue = round(${s3.baseQueue} × pressure / P_ref), each clamped; round = half up`
      : `${NODE_INDENT}resources stage ${stages.resources.name}: ${stages.resources.summary}`;
  const zero = how === 'base' && !(pRef > 0) ? ' → P_ref is 0: every node gets the base allocation' : '';
  return [
    ...header,
    `${NODE_INDENT}P_ref = median(${listOf(sorted)}) = ${pressureText(pRef)} over ${dispatched.length} dispatched node${dispatched.length === 1 ? '' : 's'}${zero}`,
    rule,
    ...view.shown.flatMap((i) => nodeLines(view, i, pRef)),
  ];
}
