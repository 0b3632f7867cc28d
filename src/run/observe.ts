/**
 * Phase 1, observe (S1's monitoring): every node's latency samples of the round's window
 * [T_t − windowMs, T_t), one per Δ on the simulated clock, in one column (NaN = lost).
 */
import { SampleWindows } from '../pipeline/sample-windows.js';
import { windowSampleTimesMs } from '../pipeline/s1-efficiency.js';
import { isAddressableTimeMs, shortNumber } from '../sim/latency/time-range.js';
import type { Scenario } from '../scenario/types.js';
import { diverged } from './divergence.js';
import type { Observed } from './round-state.js';
import type { LatencyGuard } from './time-guard.js';

export function observeRound(scenario: Scenario, guard: LatencyGuard, round: number, startMs: number, scratch = new WindowScratch()): Observed {
  if (!isAddressableTimeMs(startMs, guard.gridMs)) {
    throw diverged('time', round, null, `simulated time reached ${shortNumber(startMs)} ms at the start of round ${round}, too far for a latency grid of ${guard.gridMs} ms`);
  }
  const n = scenario.cluster.nodes.length;
  const sampleTimes = windowSampleTimesMs(startMs, scenario.pipeline.s1);
  const perNode = sampleTimes.length;
  const values = scratch.take(n * perNode);
  // the window lies before startMs: when both ends are in reach for every node, so is each sample
  if (guard.allReach(sampleTimes[0]!, startMs)) {
    for (let i = 0, at = 0; i < n; i++) {
      for (let k = 0; k < perNode; k++, at++) values[at] = guard.latencyInReach(i, sampleTimes[k]!) ?? Number.NaN;
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (!guard.reaches(i, startMs, 'S1 window')) throw guard.divergence(round)!;
    }
    for (let i = 0, at = 0; i < n; i++) {
      for (let k = 0; k < perNode; k++, at++) values[at] = guard.latencyAt(i, sampleTimes[k]!, 'S1 window') ?? Number.NaN;
    }
  }
  return { round, startMs, windows: new SampleWindows(perNode, values) };
}

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
