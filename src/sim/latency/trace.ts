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
 * Samples are copied into typed arrays once per trace (stable-sorted by time, in case the source
 * was not ordered), so a query allocates nothing; the nodes of a group share their trace's spec,
 * and with it these arrays (65,536 nodes replaying a 400-sample trace held 420 MB of copies).
 */
import { DtrainError } from '../../errors.js';
import type { ProcessOf, SlotProcess } from './types.js';

export interface TraceTable {
  timesMs: Float64Array;
  /** NaN marks a lost sample so the values fit one typed array */
  latenciesMs: Float64Array;
}

/** Each trace spec's table, made when a node first replays it (specs are not changed once resolved). */
const tables = new WeakMap<ProcessOf<'trace'>, TraceTable>();

export function traceTable(process: ProcessOf<'trace'>): TraceTable {
  let table = tables.get(process);
  if (table === undefined) {
    // a parsed trace is in time order already: copying and sorting millions of samples took
    // seconds and an array as long again, for the order they had
    const sorted = inTimeOrder(process.samples) ? process.samples : [...process.samples].sort((a, b) => a.timeMs - b.timeMs);
    table = {
      timesMs: Float64Array.from(sorted, (s) => s.timeMs),
      latenciesMs: Float64Array.from(sorted, (s) => (s.latencyMs === null ? Number.NaN : s.latencyMs)),
    };
    tables.set(process, table);
  }
  return table;
}

function inTimeOrder(samples: ProcessOf<'trace'>['samples']): boolean {
  for (let i = 1; i < samples.length; i++) if (!(samples[i - 1]!.timeMs <= samples[i]!.timeMs)) return false;
  return true;
}

export function traceProcess(process: ProcessOf<'trace'>): SlotProcess {
  const count = process.samples.length;
  if (count === 0) {
    throw new DtrainError('scenario.invalid', `latency trace ${process.file} has no samples`);
  }
  const { timesMs, latenciesMs } = traceTable(process);
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
