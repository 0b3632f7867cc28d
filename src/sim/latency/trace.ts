/**
 * `{ trace: file, loop }`: replay of recorded samples (SPEC §3). The value at slot start t_k is
 * the last sample at or before t_k (binary search); a sample with no latency is lost (null).
 *
 * - loop (default): t_k is wrapped into [0, span) with span = last time − first time
 *   (`((t mod span) + span) mod span`, so negative times wrap too). The last sample therefore
 *   marks where the loop restarts; its own value is replayed only with `loop: false`.
 *   A span of 0 (one sample, or all at one time) replays that sample for ever.
 * - no loop: before the first sample, the first sample; past the end, the last sample.
 *
 * Samples are copied into typed arrays once (stable-sorted by time, in case the source was not
 * ordered), so a query allocates nothing.
 */
import { DtrainError } from '../../errors.js';
import type { ProcessOf, SlotProcess } from './types.js';

export function traceProcess(process: ProcessOf<'trace'>): SlotProcess {
  const sorted = [...process.samples].sort((a, b) => a.timeMs - b.timeMs);
  const count = sorted.length;
  if (count === 0) {
    throw new DtrainError('scenario.invalid', `latency trace ${process.file} has no samples`);
  }
  const timesMs = Float64Array.from(sorted, (s) => s.timeMs);
  // NaN marks a lost sample so the values fit one typed array.
  const latenciesMs = Float64Array.from(sorted, (s) => (s.latencyMs === null ? Number.NaN : s.latencyMs));
  const firstMs = timesMs[0]!;
  const spanMs = timesMs[count - 1]! - firstMs;
  const loop = process.loop;

  /** index of the last sample with time ≤ t, or 0 when t precedes every sample */
  function indexAtOrBefore(tMs: number): number {
    let lo = 0;
    let hi = count - 1;
    if (tMs < timesMs[0]!) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (timesMs[mid]! <= tMs) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  return {
    valueAt(_slot, slotStartMs) {
      let tMs = slotStartMs;
      if (loop) {
        tMs = spanMs === 0 ? firstMs : firstMs + ((((slotStartMs - firstMs) % spanMs) + spanMs) % spanMs);
      }
      const latencyMs = latenciesMs[indexAtOrBefore(tMs)]!;
      return Number.isNaN(latencyMs) ? null : latencyMs;
    },
  };
}
