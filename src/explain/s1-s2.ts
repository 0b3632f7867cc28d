/**
 * S1 → S2 in words (SPEC §2 S1, S2), one line per node:
 * `node c: 16 of 20 samples under 50 ms → e = 1600 ms / 2000 ms = 0.80 → b = 64 · 0.80 / 1.80 = 28.44 → floor → 28`.
 * The count, e, effectiveMs, observedMs and the batch are the record's; b' and the rounding are
 * recomputed from them with S2's own functions, so the words follow the code.
 */
import { maxOf } from '../extremes.js';
import { applyRounding, preliminaryBatch } from '../pipeline/s2-batch-size.js';
import type { NodeRoundRecord } from '../sim/records.js';
import { DECIMALS, eff, ms, num } from './format.js';
import { NODE_INDENT, type RoundView } from './types.js';

/** The `fixed` batch stage is S2 with e = 1 (SPEC §2 Strategies). */
const FIXED_EFFICIENCY = 1;

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

export function efficiencyBatchLine(view: RoundView, nodeIndex: number): string {
  const { scenario, run } = view.input;
  const { s1, s2 } = scenario.pipeline;
  const node = view.record.nodes[nodeIndex]!;
  const effective = Math.round(node.effectiveMs / s1.intervalMs);
  const total = Math.round(node.observedMs / s1.intervalMs);
  const used = run.strategy.batch === 'efficiency' ? node.efficiency : FIXED_EFFICIENCY;
  const b = preliminaryBatch(used, s2.standardBatch);
  const rounded = applyRounding(b, s2.rounding);
  const s1Text = `${effective} of ${total} samples under ${ms(s1.thresholdMs)}${sampleDetail(node, s1.thresholdMs)}`
    + ` → e = ${ms(node.effectiveMs)} / ${ms(node.observedMs)} = ${eff(node.efficiency)}`;
  const fixedNote = run.strategy.batch === 'fixed' ? ` (batch is fixed: S2 uses e = ${eff(FIXED_EFFICIENCY)})` : '';
  const clampText = rounded === node.plannedBatch
    ? ''
    : ` → clamp [${s2.minBatch}, ${s2.maxBatch ?? s2.standardBatch}] → ${node.plannedBatch}`;
  const idleText = node.plannedBatch === 0 ? ': not dispatched this round (still monitored)' : '';
  return `${NODE_INDENT}node ${node.id}: ${s1Text}${fixedNote} → b = ${s2.standardBatch} · ${eff(used)} / ${eff(used + 1)}`
    + ` = ${num(b, DECIMALS.batch)} → ${s2.rounding} → ${rounded}${clampText}${idleText}`;
}

export function efficiencyBatchSection(view: RoundView): string[] {
  const { scenario, run } = view.input;
  const { s1, s2 } = scenario.pipeline;
  const windowStart = view.record.startMs - s1.windowMs;
  const count = Math.round(s1.windowMs / s1.intervalMs);
  const how = run.strategy.batch === 'efficiency' ? 'efficiency' : 'fixed (every node as if e = 1)';
  return [
    `S1 communication efficiency → S2 batch size (batch stage: ${how})`,
    `${NODE_INDENT}window [${ms(windowStart)}, ${ms(view.record.startMs)}): ${count} samples, one every ${ms(s1.intervalMs)};`
      + ` a sample is effective when under ${ms(s1.thresholdMs)} (a lost one never is)`,
    `${NODE_INDENT}b = B · e / (e + 1) with B = ${s2.standardBatch}, rounded ${s2.rounding},`
      + ` clamped to [${s2.minBatch}, ${s2.maxBatch ?? s2.standardBatch}]; batch 0 = not dispatched`,
    ...view.shown.map((i) => efficiencyBatchLine(view, i)),
  ];
}
