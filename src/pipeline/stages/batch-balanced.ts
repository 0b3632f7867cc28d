/**
 * Batch stage `balanced` (LB-BSP, SPEC §7.1): the same global batch G = floor(B · n / 2) as
 * `proportional`, split so that every node's predicted finish time is the same.
 *
 * Over the nodes with at least one non-lost sample in the window (the others get 0), in ms:
 *   d_i = 2 · mean latency of its non-lost samples + 2 · 1000 · M · 8 / bandwidth_i
 *         (download and upload over its own link; a shared server link is not predicted)
 *   c_i = localSteps · responseMs / batch of the last round it was aggregated in; before any,
 *         localSteps · stepMs(B/2, S3's base allocation) / (B/2); at least 1e-6
 *   T   = (G + Σ d_j / c_j) / Σ 1 / c_j,    b_i = (T − d_i) / c_i
 * Nodes with b_i < 0 get 0 and the rest are solved again, all negative ones at once, until
 * none is negative; then largest remainder to Σ b_i = G and the clamp [minBatch,
 * maxBatch ?? G] (a split of 0 stays 0).
 */
import { fixedResources } from '../s3-resources.js';
import type { BatchRoundView, BatchStageDefinition, StageWorking } from '../stage-registry.js';
import { clampSplit, globalBatch, largestRemainder } from './split.js';

/** c_i's floor: a node whose steps cost nothing would otherwise take the whole batch (1 / 0). */
export const MIN_PER_SAMPLE_MS = 1e-6;

/** A node's predicted round: fixed time d (transfers) and time per sample c (local steps). */
interface Prediction {
  meanLatencyMs: number;
  fixedMs: number;
  perSampleMs: number;
  measured: boolean;
}

function predict(view: BatchRoundView, i: number): Prediction | null {
  let sum = 0;
  let count = 0;
  for (const sample of view.samplesMs[i]!) {
    if (sample === null) continue;
    sum += sample;
    count++;
  }
  if (count === 0) return null;
  const meanLatencyMs = sum / count;
  const node = view.nodes[i]!;
  const fixedMs = 2 * meanLatencyMs + (2 * 1000 * view.transferBytes * 8) / node.bandwidthBps;
  const lastResponse = view.lastResponseMs[i];
  const lastBatch = view.lastBatch[i];
  const measured = lastResponse !== null && lastResponse !== undefined && lastBatch !== null && lastBatch !== undefined && lastBatch > 0;
  let perSampleMs: number;
  if (measured) {
    perSampleMs = (view.localSteps * lastResponse) / lastBatch;
  } else {
    const half = view.s2.standardBatch / 2;
    const base = fixedResources(node.cores, view.s3);
    perSampleMs = (view.localSteps * view.stepMsOf(i, half, base.threads, base.ioQueue)) / half;
  }
  return { meanLatencyMs, fixedMs, perSampleMs: Math.max(perSampleMs, MIN_PER_SAMPLE_MS), measured };
}

/** The continuous split and the finish time T of the last solve; `clipped` = set to 0 by a re-solve. */
function solve(predictions: ReadonlyArray<Prediction | null>, G: number): { shares: number[]; finishMs: number | null; clipped: boolean[]; solves: number } {
  const shares = predictions.map(() => 0);
  const clipped = predictions.map(() => false);
  let active: number[] = [];
  for (let i = 0; i < predictions.length; i++) if (predictions[i] !== null) active.push(i);
  if (G === 0 || active.length === 0) return { shares, finishMs: null, clipped, solves: 0 };
  let finishMs = 0;
  let solves = 0;
  for (;;) {
    solves++;
    let inverse = 0;
    let weighted = 0;
    for (const i of active) {
      const p = predictions[i]!;
      inverse += 1 / p.perSampleMs;
      weighted += p.fixedMs / p.perSampleMs;
    }
    finishMs = (G + weighted) / inverse;
    const kept: number[] = [];
    for (const i of active) {
      const p = predictions[i]!;
      const share = (finishMs - p.fixedMs) / p.perSampleMs;
      if (share < 0) {
        shares[i] = 0;
        clipped[i] = true;
      } else {
        shares[i] = share;
        kept.push(i);
      }
    }
    if (kept.length === active.length) return { shares, finishMs, clipped, solves };
    // Σ over the active nodes of b_i is G > 0, so some node always stays
    active = kept;
  }
}

export const balancedBatchStage: BatchStageDefinition = {
  kind: 'batch',
  name: 'balanced',
  summary: 'balanced (LB-BSP: the global batch G = B · n / 2 split so that predicted finish times are equal)',
  decide: (view, options) => {
    const { s2 } = view;
    const G = globalBatch(view.efficiency, s2.standardBatch);
    const predictions = view.nodes.map((_, i) => predict(view, i));
    const { shares, finishMs, clipped, solves } = solve(predictions, G);
    const splits = largestRemainder(shares, G);
    const maxBatch = s2.maxBatch ?? G;
    const batches = splits.map((split) => clampSplit(split, s2, maxBatch));
    if (options?.working === false) return { batches, working: [] };
    const working = predictions.map((p, i): StageWorking => ({
      rule: 'balanced',
      G,
      latencyMs: p === null ? null : p.meanLatencyMs,
      d: p === null ? null : p.fixedMs,
      c: p === null ? null : p.perSampleMs,
      cFrom: p === null ? 'none' : p.measured ? 'last round' : 'estimate at B/2',
      T: finishMs,
      solves,
      share: shares[i]!,
      clipped: p === null ? 'no samples' : clipped[i]! ? 'yes' : 'no',
      split: splits[i]!,
    }));
    return { batches, working };
  },
};
