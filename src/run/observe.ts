/**
 * Phase 1, observe (S1's monitoring): every node's latency samples of the round's window
 * [T_t − windowMs, T_t), one per Δ on the simulated clock, in one column (NaN = lost).
 *
 * Latency is a pure function of (seed, node, time) (SPEC §1.2), so a round's windows depend on
 * nothing but its start, which is known once the round before has been scheduled. A host with
 * a spare thread may draw them there ahead of time (`WindowPrefetch`; the Node host's is
 * src/node/window-thread.ts) while this thread trains and writes the outputs: the same numbers
 * as drawn here (`drawWindows` is this file's own fill), taken only where this thread would
 * have drawn them the same way.
 */
import { SampleWindows } from '../pipeline/sample-windows.js';
import { windowSampleTimesMs, type S1Config } from '../pipeline/s1-efficiency.js';
import { isAddressableTimeMs, shortNumber } from '../sim/latency/time-range.js';
import { diverged } from './divergence.js';
import type { RoundsAhead, RoundsAheadSpec } from './round-ahead.js';
import type { Observed, TimelineSetting } from './round-state.js';
import type { LatencyGuard } from './time-guard.js';

/**
 * `drawn`: the round's windows drawn ahead (`drawWindows` for this startMs), used where the
 * whole window is in reach, as they are then the numbers this function would draw.
 */
export function observeRound(
  scenario: TimelineSetting, guard: LatencyGuard, round: number, startMs: number, scratch = new WindowScratch(), drawn: Float64Array | null = null,
): Observed {
  if (!isAddressableTimeMs(startMs, guard.gridMs)) {
    throw diverged('time', round, null, `simulated time reached ${shortNumber(startMs)} ms at the start of round ${round}, too far for a latency grid of ${guard.gridMs} ms`);
  }
  const n = scenario.cluster.nodes.length;
  const sampleTimes = windowSampleTimesMs(startMs, scenario.pipeline.s1);
  const perNode = sampleTimes.length;
  // the window lies before startMs: when both ends are in reach for every node, so is each sample
  if (guard.allReach(sampleTimes[0]!, startMs)) {
    if (drawn !== null && drawn.length === n * perNode) return { round, startMs, windows: new SampleWindows(perNode, drawn) };
    const values = scratch.take(n * perNode);
    guard.fillInReach(sampleTimes, values);
    return { round, startMs, windows: new SampleWindows(perNode, values) };
  }
  for (let i = 0; i < n; i++) {
    if (!guard.reaches(i, startMs, 'S1 window')) throw guard.divergence(round)!;
  }
  const values = scratch.take(n * perNode);
  for (let i = 0, at = 0; i < n; i++) {
    for (let k = 0; k < perNode; k++, at++) values[at] = guard.latencyAt(i, sampleTimes[k]!, 'S1 window') ?? Number.NaN;
  }
  return { round, startMs, windows: new SampleWindows(perNode, values) };
}

/**
 * The windows of the round that starts at `startMs` as `observeRound` draws them where the
 * whole window is in reach, in a new column; null where it is not (observeRound then draws
 * them itself, checking each sample). What a window helper thread computes.
 */
export function drawWindows(s1: Pick<S1Config, 'intervalMs' | 'windowMs'>, guard: LatencyGuard, startMs: number): Float64Array | null {
  if (!isAddressableTimeMs(startMs, guard.gridMs)) return null;
  const sampleTimes = windowSampleTimesMs(startMs, s1);
  if (!guard.allReach(sampleTimes[0]!, startMs)) return null;
  const values = new Float64Array(guard.nodeCount * sampleTimes.length);
  guard.fillInReach(sampleTimes, values);
  return values;
}

/**
 * S1 windows drawn ahead of the round that reads them, on a thread of the host's (the Node
 * host: a worker). One request at a time is what the loop makes; a take for a start never
 * requested, or a helper that failed, gives null and the round draws its windows itself, so
 * a helper can change how long a run takes but never a number.
 */
export interface WindowPrefetch {
  /** start drawing the windows of the round that starts at `startMs` (nothing new while one for it waits untaken) */
  request(startMs: number): void;
  /** the column `drawWindows` gives for the latest request of `startMs`, or null */
  take(startMs: number): Promise<Float64Array | null>;
  /**
   * A strategy's whole rounds simulated ahead (round-ahead.ts), for built-in batch and
   * resources stages and no `--trace`; null (or absent) where the helper cannot. The helper
   * does one strategy's at a time: starting another ends the one before.
   */
  roundsAhead?(spec: RoundsAheadSpec): RoundsAhead | null;
  dispose(): void;
}

/**
 * A host's way to start a helper for a run (its network, and the rest of the timeline
 * setting for rounds ahead), or null where it has none to give.
 */
export type WindowPrefetchStarter = (setting: TimelineSetting) => WindowPrefetch | null;

/**
 * From this many window samples a round (nodes × K) a run asks its host for a window helper.
 * A worker thread costs tens of ms to start and to build its copy of the network; a round's
 * samples cost about 50 ns each to draw (fdlibm's log, cos and exp per lognormal sample), so
 * 2^18 samples (13,108 nodes at the default K = 20) are some 13 ms a round.
 */
export const PREFETCH_MIN_SAMPLES = 2 ** 18;

/**
 * One column of samples reused from round to round: a round's windows are read by planning
 * (and copied into rows for `--trace`) before the next round observes.
 */
export class WindowScratch {
  private values = new Float64Array(0);

  take(length: number): Float64Array {
    if (this.values.length !== length) this.values = new Float64Array(length);
    return this.values;
  }
}
