/**
 * Whether the fast engine's helper thread pays off (issue 14). On a machine whose second core
 * is busy, waking the helper and waiting for it (its rows, half of the aggregate) costs more
 * than its share brings: measured 17.2k against 20.3k node-steps/s alone at N = 256. Nodes ×
 * parameters says when a round is large enough to split; only the machine says whether it is
 * worth it, so the engine times its large rounds and asks this rule before each one.
 *
 * The figure of a round is its wall time on this thread (training, then forming θ_{t+1}) per
 * training row. The rule keeps the latest figure alone and the latest with the helper:
 * - a helper round pays when its figure is at most PAYOFF_RATIO of the latest alone;
 * - when one does not, the next `backoff` large rounds run alone (which also refreshes the
 *   figure alone), then the helper is tried again; backoff starts at RETRY_FIRST and doubles
 *   with each failed retry up to RETRY_MAX, so a busy machine pays for a slow try rarely and a
 *   machine that became quiet again gets both cores back within RETRY_MAX rounds;
 * - while the helper pays, one round in SOLO_CHECK runs alone, so that the figure it is held
 *   to is never that of a long-gone (say, busier) moment;
 * - the first round of each kind is a warm-up (JIT, uploads, the worker's first round) and not
 *   taken as a figure; until there is a figure alone, rounds run alone.
 * Which thread computes what never changes a number (fast-engine.ts), so neither does this rule.
 */

/** A helper round must take at most this share of one thread's time to be worth it. */
export const PAYOFF_RATIO = 0.9;
/** Large rounds run alone after the first helper round that did not pay. */
export const RETRY_FIRST = 4;
/** The most large rounds run alone between two tries of the helper. */
export const RETRY_MAX = 64;
/** While the helper pays, one large round in this many runs alone to refresh that figure. */
export const SOLO_CHECK = 32;

export class HelperPayoff {
  /** ms per row of the latest timed round alone */
  private alone: number | null = null;
  private roundsAlone = 0;
  private roundsSplit = 0;
  /** large rounds still to run alone before the helper is tried again */
  private waitLeft = 0;
  private backoff = RETRY_FIRST;
  /** helper rounds since the last round alone */
  private sinceAlone = 0;

  /** Whether the next large round should use the helper (it has joined). Call once per round. */
  useHelper(): boolean {
    if (this.waitLeft > 0) {
      this.waitLeft--;
      return false;
    }
    if (this.alone === null) return false;
    if (this.sinceAlone >= SOLO_CHECK) {
      this.sinceAlone = 0;
      return false;
    }
    this.sinceAlone++;
    return true;
  }

  /** A large round's wall time `ms` for `rows` training rows, with the helper or alone; judges a helper round. */
  record(withHelper: boolean, ms: number, rows: number): void {
    if (!(rows > 0) || !(ms >= 0)) return;
    if (!withHelper) {
      if (this.roundsAlone++ > 0) this.alone = ms / rows;
      return;
    }
    if (this.roundsSplit++ === 0 || this.alone === null) return;
    if (ms / rows <= PAYOFF_RATIO * this.alone) {
      this.backoff = RETRY_FIRST;
      return;
    }
    this.waitLeft = this.backoff;
    this.backoff = Math.min(RETRY_MAX, 2 * this.backoff);
    this.sinceAlone = 0;
  }
}
