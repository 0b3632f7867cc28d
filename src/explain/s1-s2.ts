/**
 * S1 → S2 in words (SPEC §2 S1, S2), one line per node:
 * `node c: 16 of 20 samples under 50 ms → e = 1600 ms / 2000 ms = 0.80 → b = 64 · 0.80 / 1.80 = 28.44 → floor → 28`.
 * The count, e, effectiveMs, observedMs and the batch are the record's; b' and the rounding are
 * the batch stage's own working, kept with the round.
 */
import { maxOf } from '../extremes.js';
import type { NodeRoundRecord } from '../sim/records.js';
import { DECIMALS, eff, ms, num, workingPairs } from './format.js';
import { NODE_INDENT, type RoundView } from './types.js';

function sampleDetail(node: NodeRoundRecord, thresholdMs: number): string {
  if (node.samplesMs === undefined) return '';
  const lost = node.samplesMs.filter((s) => s === null).length;
  const slow = node.samplesMs.filter((s): s is number => s !== null && s >= thresholdMs);
  const parts = [
    ...(lost > 0 ? [`${lost} lost`] : []),
    ...(slow.length > 0 ? [`${slow.length} at ${ms(thresholdMs)} or more, up to ${ms(maxOf(slow))}`] : []),
  ];
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

/** The batch stage's working for a node when it is S2's formula (the built-in stages). */
interface S2Working {
  rule: string;
  efficiencyUsed: number;
  preliminary: number;
  rounded: number;
}

function s2Working(view: RoundView, nodeIndex: number): S2Working | null {
  const w = view.record.working?.batch[nodeIndex];
  if (w === undefined || typeof w.efficiencyUsed !== 'number' || typeof w.preliminary !== 'number' || typeof w.rounded !== 'number') return null;
  return { rule: String(w.rule), efficiencyUsed: w.efficiencyUsed, preliminary: w.preliminary, rounded: w.rounded };
}

/** A stage explain has no words for (a plug-in): its working as name = value pairs. */
function workingText(view: RoundView, nodeIndex: number): string {
  const w = view.record.working?.batch[nodeIndex] ?? {};
  const pairs = workingPairs(w, DECIMALS.batch);
  return pairs.length === 0 ? '' : ` (${pairs.join(', ')})`;
}

export function efficiencyBatchLine(view: RoundView, nodeIndex: number): string {
  const { scenario, stages } = view.input;
  const { s1, s2 } = scenario.pipeline;
  const node = view.record.nodes[nodeIndex]!;
  const effective = Math.round(node.effectiveMs / s1.intervalMs);
  const total = Math.round(node.observedMs / s1.intervalMs);
  const s1Text = `${effective} of ${total} samples under ${ms(s1.thresholdMs)}${sampleDetail(node, s1.thresholdMs)}`
    + ` → e = ${ms(node.effectiveMs)} / ${ms(node.observedMs)} = ${eff(node.efficiency)}`;
  const idleText = node.plannedBatch === 0 ? ': not dispatched this round (still monitored)' : '';
  const working = s2Working(view, nodeIndex);
  if (working === null) {
    return `${NODE_INDENT}node ${node.id}: ${s1Text} → batch stage ${stages.batch.name}${workingText(view, nodeIndex)} → ${node.plannedBatch}${idleText}`;
  }
  const { efficiencyUsed: used, preliminary: b, rounded } = working;
  const fixedNote = working.rule === 'fixed' ? ` (batch is fixed: S2 uses e = ${eff(used)})` : '';
  const clampText = rounded === node.plannedBatch
    ? ''
    : ` → clamp [${s2.minBatch}, ${s2.maxBatch ?? s2.standardBatch}] → ${node.plannedBatch}`;
  return `${NODE_INDENT}node ${node.id}: ${s1Text}${fixedNote} → b = ${s2.standardBatch} · ${eff(used)} / ${eff(used + 1)}`
    + ` = ${num(b, DECIMALS.batch)} → ${s2.rounding} → ${rounded}${clampText}${idleText}`;
}

export function efficiencyBatchSection(view: RoundView): string[] {
  const { scenario, stages } = view.input;
  const { s1, s2 } = scenario.pipeline;
  const windowStart = view.record.startMs - s1.windowMs;
  const count = Math.round(s1.windowMs / s1.intervalMs);
  const usesS2 = view.record.nodes.every((_, i) => s2Working(view, i) !== null);
  return [
    `S1 communication efficiency → S2 batch size (batch stage: ${stages.batch.summary})`,
    `${NODE_INDENT}window [${ms(windowStart)}, ${ms(view.record.startMs)}): ${count} samples, one every ${ms(s1.intervalMs)};`
      + ` a sample is effective when under ${ms(s1.thresholdMs)} (a lost one never is)`,
    ...(usesS2
      ? [`${NODE_INDENT}b = B · e / (e + 1) with B = ${s2.standardBatch}, rounded ${s2.rounding},`
        + ` clamped to [${s2.minBatch}, ${s2.maxBatch ?? s2.standardBatch}]; batch 0 = not dispatched`]
      : [`${NODE_INDENT}batch stage ${stages.batch.name}: ${stages.batch.summary}; batch 0 = not dispatched`]),
    ...view.shown.map((i) => efficiencyBatchLine(view, i)),
  ];
}
