/**
 * Phase 1, observe (S1's monitoring): every node's latency samples of the round's window
 * [T_t − windowMs, T_t), one per Δ on the simulated clock.
 */
import { windowSampleTimesMs } from '../pipeline/s1-efficiency.js';
import { isAddressableTimeMs, shortNumber } from '../sim/latency/time-range.js';
import type { Scenario } from '../scenario/types.js';
import { diverged } from './divergence.js';
import type { Observed } from './round-state.js';
import type { LatencyGuard } from './time-guard.js';

export function observeRound(scenario: Scenario, guard: LatencyGuard, round: number, startMs: number): Observed {
  if (!isAddressableTimeMs(startMs, guard.gridMs)) {
    throw diverged('time', round, null, `simulated time reached ${shortNumber(startMs)} ms at the start of round ${round}, too far for a latency grid of ${guard.gridMs} ms`);
  }
  const nodes = scenario.cluster.nodes;
  const sampleTimes = windowSampleTimesMs(startMs, scenario.pipeline.s1);
  // the window lies before startMs: when both ends are in reach for every node, so is each sample
  const checked = !guard.allReach(sampleTimes[0]!, startMs);
  if (checked) {
    for (let i = 0; i < nodes.length; i++) {
      if (!guard.reaches(i, startMs, 'S1 window')) throw guard.divergence(round)!;
    }
  }
  const count = sampleTimes.length;
  const samplesMs = new Array<Array<number | null>>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const row = new Array<number | null>(count);
    for (let k = 0; k < count; k++) {
      row[k] = checked ? guard.latencyAt(i, sampleTimes[k]!, 'S1 window') : guard.latencyInReach(i, sampleTimes[k]!);
    }
    samplesMs[i] = row;
  }
  return { round, startMs, samplesMs };
}
