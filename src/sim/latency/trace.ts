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
 * A query allocates nothing: it searches the trace's own columns, which a parsed trace has in
 * time order. Samples out of order (a trace built in memory) are replayed from a copy sorted by
 * time (stable), made once per spec: the nodes of a group share their trace's spec, and with
 * it that copy (65,536 nodes replaying a 400-sample trace held 420 MB of copies).
 */
import { DtrainError } from '../../errors.js';
import type { TraceSamples } from '../../scenario/types.js';
import type { ProcessOf, SlotProcess } from './types.js';

/** Each trace spec's samples in time order, found when a node first replays it (specs are not changed once resolved). */
const tables = new WeakMap<ProcessOf<'trace'>, TraceSamples>();

/** The trace's samples in time order: its own columns when they are (a parsed trace's are), else a sorted copy. */
export function traceTable(process: ProcessOf<'trace'>): TraceSamples {
  let table = tables.get(process);
  if (table === undefined) {
    table = inTimeOrder(process.samples.timesMs) ? process.samples : sortedByTime(process.samples);
    tables.set(process, table);
  }
  return table;
}

function sortedByTime({ timesMs, latenciesMs }: TraceSamples): TraceSamples {
  // ties keep their order, as a stable sort keeps them
  const order = Array.from({ length: timesMs.length }, (_, k) => k).sort((a, b) => timesMs[a]! - timesMs[b]! || a - b);
  return { timesMs: Float64Array.from(order, (k) => timesMs[k]!), latenciesMs: Float64Array.from(order, (k) => latenciesMs[k]!) };
}

function inTimeOrder(timesMs: Float64Array): boolean {
  for (let i = 1; i < timesMs.length; i++) if (!(timesMs[i - 1]! <= timesMs[i]!)) return false;
  return true;
}

export function traceProcess(process: ProcessOf<'trace'>): SlotProcess {
  const count = process.samples.timesMs.length;
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
