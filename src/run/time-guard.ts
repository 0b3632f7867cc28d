/**
 * Latency lookups that cannot run away. A time a node's latency is asked at must be
 * addressable on the latency grid and, for a burst (Markov) chain, reachable from the
 * monitoring origin (src/sim/latency/time-range.ts). The guard never throws into the pure time
 * model: a time out of reach counts as a lost sample there, the first one is remembered, and
 * the phase that asked turns it into a divergence (data) once the model has returned.
 */
import type { LatencyModel } from '../sim/latency/index.js';
import { keepsChain } from '../scenario/burst-chains.js';
import { chainReachMs, finestGridMs, isAddressableTimeMs, shortNumber } from '../sim/latency/time-range.js';
import type { NetworkSetting } from './network.js';
import { diverged, type RoundDiverged } from './divergence.js';
import { formatSecondsTo } from '../text/duration.js';
import { MAX_CHAIN_SLOTS } from '../scenario/burst-chains.js';

/** Where a lookup went out of reach: enough to word the message. */
interface OutOfReach {
  node: number;
  timeMs: number;
  what: string;
  chain: boolean;
}

/** A compute slowdown process (time model v2): its value at t multiplies a step's time. */
export interface SlowdownModel {
  at(timeMs: number): number | null;
}

/** A latency as the guard gives it: one that overflowed (1e308-scale settings) never arrives. */
function arrived(latencyMs: number | null): number | null {
  return latencyMs !== null && Number.isFinite(latencyMs) ? latencyMs : null;
}

export class LatencyGuard {
  readonly gridMs: number;
  private readonly chained: boolean[];
  private readonly anyChained: boolean;
  private readonly reachMs: number;
  private outOfReach: OutOfReach | null = null;

  constructor(
    private readonly scenario: NetworkSetting,
    private readonly latency: readonly LatencyModel[],
    private readonly slowdowns: ReadonlyArray<SlowdownModel | null> = [],
  ) {
    const { s1 } = scenario.pipeline;
    this.gridMs = finestGridMs(s1.intervalMs, scenario.cluster.latencyResolutionMs);
    // a node's lookups reach as far as its latency chain, or its slowdown chain, allows
    this.chained = scenario.cluster.nodes.map(keepsChain);
    this.anyChained = this.chained.includes(true);
    this.reachMs = chainReachMs(-s1.windowMs, scenario.cluster.latencyResolutionMs);
  }

  /**
   * Whether every node can be looked up at every time in [fromMs, toMs] and nothing is out of
   * reach yet: then `latencyInReach` may skip the per-lookup checks (one check per round
   * instead of one per node and sample; |t| is largest at an end of the interval).
   */
  allReach(fromMs: number, toMs: number): boolean {
    return this.outOfReach === null
      && isAddressableTimeMs(fromMs, this.gridMs) && isAddressableTimeMs(toMs, this.gridMs)
      && (!this.anyChained || toMs <= this.reachMs);
  }

  /** Node i's latency at a time `allReach` vouched for (null = lost); as `latencyAt` gives it. */
  latencyInReach(i: number, timeMs: number): number | null {
    return arrived(this.latency[i]!.at(timeMs));
  }

  /** how many nodes the guard looks up */
  get nodeCount(): number {
    return this.latency.length;
  }

  /**
   * Every node's latency at each of `times`, all vouched for by `allReach`, into one column:
   * node i's at values[i·K … i·K + K − 1] (K = times.length), NaN where `latencyInReach` gives null.
   */
  fillInReach(times: readonly number[], values: Float64Array): void {
    const perNode = times.length;
    for (let i = 0, at = 0; i < this.latency.length; i++) {
      const model = this.latency[i]!;
      for (let k = 0; k < perNode; k++, at++) values[at] = arrived(model.at(times[k]!)) ?? Number.NaN;
    }
  }

  hasSlowdown(i: number): boolean {
    return this.slowdowns[i] != null;
  }

  /**
   * Node i's slowdown multiplier at `timeMs` (a step that starts then lasts stepMs × it). Out
   * of reach it is remembered, like a latency, and the step takes no time meanwhile.
   */
  slowdownAt(i: number, timeMs: number): number {
    if (this.outOfReach !== null || !this.reaches(i, timeMs, 'local step')) return 0;
    const value = this.slowdowns[i]!.at(timeMs);
    return value === null || Number.isNaN(value) ? 0 : value;
  }

  /** Whether `timeMs` can be looked up for node `i`; remembers the first time that cannot. */
  reaches(i: number, timeMs: number, what: string): boolean {
    const far = !isAddressableTimeMs(timeMs, this.gridMs);
    const chain = !far && this.chained[i]! && timeMs > this.reachMs;
    if (!far && !chain) return true;
    this.outOfReach ??= { node: i, timeMs, what, chain };
    return false;
  }

  /**
   * Node i's latency at `timeMs` (null = lost). A latency that overflowed (1e308-scale
   * settings) never arrives: it counts as lost rather than an Infinity in the reports.
   */
  latencyAt(i: number, timeMs: number, what: string): number | null {
    if (this.outOfReach !== null || !this.reaches(i, timeMs, what)) return null;
    return arrived(this.latency[i]!.at(timeMs));
  }

  /** The divergence for the first time out of reach in `round`, or null when there was none. */
  divergence(round: number): RoundDiverged | null {
    const bad = this.outOfReach;
    if (bad === null) return null;
    this.outOfReach = null;
    const id = this.scenario.cluster.nodes[bad.node]!.id;
    const at = shortNumber(bad.timeMs);
    if (!bad.chain) return diverged('time', round, id, `node ${id}'s ${bad.what} in round ${round} would be at ${at} ms, too far for a latency grid of ${this.gridMs} ms`);
    // not an extreme value: a run long enough in simulated time for its grid (the estimate
    // refuses the runs it sees coming, limits/budget.ts burstChainRefusal)
    const { s1 } = this.scenario.pipeline;
    const gridMs = this.scenario.cluster.latencyResolutionMs;
    const reach = formatSecondsTo(this.reachMs / 1000, 3);
    const message = `node ${id}'s burst chain ends at ${reach} of simulated time, reached in round ${round}: a burst chain covers 2^28 slots of the ${gridMs} ms latency grid from the start of S1's first window (${shortNumber(s1.windowMs)} ms before round 1)`;
    // the same seed runs the same rounds: the ones before this fit
    const fewer = round > 1 ? `, run at most ${String(round - 1).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${round === 2 ? 'round' : 'rounds'}` : '';
    const hint = `set a coarser cluster.latencyResolutionMs (a grid ten times as coarse reaches ${formatSecondsTo((MAX_CHAIN_SLOTS * gridMs * 10 - s1.windowMs) / 1000, 3)})${fewer}, or set a round deadline (cluster.roundTimeoutMs) that cuts the long rounds short`;
    return diverged('time', round, id, message, hint);
  }
}
