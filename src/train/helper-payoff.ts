/**
 * Whether the fast engine's helper thread pays off (issue 14). On a machine whose second core
 * is busy, waking the helper and waiting for it (its rows, half of the aggregate) costs more
 * than its share brings: measured 17.2k against 20.3k node-steps/s alone at N = 256. Nodes ×
 * parameters says when a round is large enough to split; only the machine says whether it is
 * worth it, so the engine times its large rounds and plans each one by this rule.
 *
 * The figure of a round is its wall time on this thread (training, then forming θ_{t+1}) per
 * training row. A shared machine's rounds vary by 2× and more, and both threads' code gets
 * faster over the first tens of rounds (V8 compiles hot JS and wasm to faster tiers), so:
 * - the first WARM_UP large rounds use the helper and are not timed (both threads warm up);
 * - then ALONE_FIGURES rounds run alone; the figure alone is the median of the latest
 *   ALONE_FIGURES rounds alone;
 * - a helper round pays when its figure is at most PAYOFF_RATIO of the figure alone; when
 *   MISSES helper rounds in a row do not (fewer are too easily the machine's noise), the next
 *   `backoff` large rounds run alone (which also refreshes the figure alone), then the helper
 *   is tried again; backoff starts at RETRY_FIRST and doubles with each failed retry up to
 *   RETRY_MAX, so a busy machine pays for slow tries rarely and a machine that became quiet
 *   again gets both cores back within RETRY_MAX rounds;
 * - while the helper pays, one large round in SOLO_CHECK + 1 runs alone, so that the figure
 *   it is held to is never that of a long-gone (say, busier) moment.
 * Which thread computes what never changes a number (fast-engine.ts), so neither does this rule.
 */

/** Large rounds at the start that use the helper untimed, while both threads' code warms up. */
export const WARM_UP = 24;
/** Rounds alone whose median is the figure a helper round is held to. */
export const ALONE_FIGURES = 3;
/** A helper round must take at most this share of one thread's time to be worth it. */
export const PAYOFF_RATIO = 0.95;
/** Helper rounds in a row that do not pay before the engine goes alone. */
export const MISSES = 3;
/** Large rounds run alone the first time the helper did not pay. */
export const RETRY_FIRST = 4;
/** The most large rounds run alone between two tries of the helper. */
export const RETRY_MAX = 64;
/** While the helper pays, one large round after this many helper rounds runs alone. */
export const SOLO_CHECK = 32;

/** How to run the next large round: with the helper or alone, and whether to time it for record(). */
export interface RoundPlan {
  helper: boolean;
  timed: boolean;
}

const ALONE: RoundPlan = { helper: false, timed: true };
const SPLIT: RoundPlan = { helper: true, timed: true };

export class HelperPayoff {
  private warmUpLeft = WARM_UP;
  /** ms per row of the latest rounds alone, oldest first */
  private readonly aloneFigures: number[] = [];
  /** large rounds still to run alone before the helper is tried again */
  private waitLeft = 0;
  private backoff = RETRY_FIRST;
  /** helper rounds in a row that did not pay */
  private misses = 0;
  /** helper rounds since the last round alone */
  private sinceAlone = 0;

  /** The plan of the next large round, once the helper has joined. Call once per round. */
  plan(): RoundPlan {
    if (this.warmUpLeft > 0) {
      this.warmUpLeft--;
      return { helper: true, timed: false };
    }
    if (this.waitLeft > 0) {
      this.waitLeft--;
      return ALONE;
    }
    if (this.aloneFigures.length < ALONE_FIGURES) return ALONE;
    if (this.sinceAlone >= SOLO_CHECK) {
      this.sinceAlone = 0;
      return ALONE;
    }
    this.sinceAlone++;
    return SPLIT;
  }

  /** A timed round's wall time `ms` for `rows` training rows, with the helper or alone; judges a helper round. */
  record(withHelper: boolean, ms: number, rows: number): void {
    if (!(rows > 0) || !(ms >= 0)) return;
    if (!withHelper) {
      this.aloneFigures.push(ms / rows);
      if (this.aloneFigures.length > ALONE_FIGURES) this.aloneFigures.shift();
      return;
    }
    if (this.aloneFigures.length === 0) return;
    if (ms / rows <= PAYOFF_RATIO * this.aloneFigure()) {
      this.misses = 0;
      this.backoff = RETRY_FIRST;
      return;
    }
    if (++this.misses < MISSES) return;
    this.misses = 0;
    this.waitLeft = this.backoff;
    this.backoff = Math.min(RETRY_MAX, 2 * this.backoff);
    this.sinceAlone = 0;
  }

  /** The median of the latest figures alone (the mean of two). */
  private aloneFigure(): number {
    const sorted = this.aloneFigures.slice().sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  }
}
