/**
 * Rules that tie two fields together (SPEC §2–3), checked once both fields are valid. Each
 * issue sits on the field to change and names the other one.
 */
import { MAX_CHAIN_SLOTS, keepsChain } from './burst-chains.js';
import type { ScenarioContext } from './context.js';
import { valueAt, type PathSegment } from './field-path.js';
import type { RawPipeline } from './schema.js';
import type { NodeSpec } from './types.js';

/** How a value the user gave as a quantity reads back: `250`, `"2.5s" (= 2500 ms)`, `2000 (the default)`. */
export function foundQuantity(ctx: ScenarioContext, path: readonly PathSegment[], resolved: number): string {
  const { exists, value } = valueAt(ctx.root, path);
  if (!exists) return `${resolved} (the default)`;
  return typeof value === 'string' ? `${JSON.stringify(value)} (= ${resolved} ms)` : String(value);
}

/** Whole number of intervals in the window (SPEC §2 S1: K = windowMs / Δ is an integer). */
export function isWholeMultiple(value: number, step: number): boolean {
  const ratio = value / step;
  return Math.abs(ratio - Math.round(ratio)) <= 1e-9 * Math.max(1, ratio);
}

export function checkPipeline(ctx: ScenarioContext, pipeline: RawPipeline): void {
  const base: PathSegment[] = ['pipeline'];
  const { s1, s2, s3 } = pipeline;
  if (!isWholeMultiple(s1.windowMs, s1.intervalMs)) {
    const path = [...base, 's1', 'windowMs'];
    ctx.report(path, `a multiple of intervalMs (${s1.intervalMs})`, foundQuantity(ctx, path, s1.windowMs), 'value', 'field.range');
  }
  const maxBatch = s2.maxBatch ?? s2.standardBatch;
  if (s2.minBatch > maxBatch) {
    const path = [...base, 's2', 'minBatch'];
    const bound = s2.maxBatch === null ? `standardBatch (${maxBatch}), which maxBatch defaults to` : `maxBatch (${maxBatch})`;
    ctx.report(path, `an integer ≤ ${bound}`, foundQuantity(ctx, path, s2.minBatch), 'value', 'field.conflict');
  }
  checkRange(ctx, [...base, 's3'], s3, 'Threads');
  checkRange(ctx, [...base, 's3'], s3, 'Queue');
}

/** S3 clamps `base·ratio` into [min, max]: the range must exist and hold the base value. */
function checkRange(ctx: ScenarioContext, path: PathSegment[], s3: RawPipeline['s3'], what: 'Threads' | 'Queue'): void {
  const min = s3[`min${what}`];
  const max = s3[`max${what}`];
  const baseValue = s3[`base${what}`];
  if (min > max) {
    const at = [...path, `min${what}`];
    ctx.report(at, `an integer ≤ max${what} (${max})`, foundQuantity(ctx, at, min), 'value', 'field.conflict');
  } else if (baseValue < min || baseValue > max) {
    const at = [...path, `base${what}`];
    ctx.report(at, `an integer from min${what} to max${what} (${min} to ${max})`, foundQuantity(ctx, at, baseValue), 'value', 'field.range');
  }
}

/**
 * A burst chain is stepped slot by slot from the start of S1's first window, at most
 * MAX_CHAIN_SLOTS of them (burst-chains.ts): a grid so fine that the window alone
 * needs more could not run its first round.
 */
export function checkChainReach(ctx: ScenarioContext, nodes: readonly NodeSpec[], windowMs: number, resolutionMs: number, path: PathSegment[]): void {
  if (windowMs / resolutionMs <= MAX_CHAIN_SLOTS) return;
  const node = nodes.find(keepsChain);
  if (node === undefined) return;
  const least = Number((windowMs / MAX_CHAIN_SLOTS).toPrecision(3));
  ctx.report(path, `a latency grid of at least ${least} ms, as node ${node.id} keeps a burst chain (a burst latency or slowdown steps through every slot of S1's ${windowMs} ms window, at most 2^28 of them)`, foundQuantity(ctx, path, resolutionMs), 'value', 'field.range');
}
