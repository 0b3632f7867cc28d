/** A trace's samples written out one by one in tests (null = lost), to and from the columns the scenario holds. */
import type { TraceSamples } from '../../src/scenario/types.js';

export interface Sample {
  timeMs: number;
  latencyMs: number | null;
}

export function traceSamples(list: readonly Sample[]): TraceSamples {
  return {
    timesMs: Float64Array.from(list, (s) => s.timeMs),
    latenciesMs: Float64Array.from(list, (s) => s.latencyMs ?? Number.NaN),
  };
}

export function sampleList({ timesMs, latenciesMs }: TraceSamples): Sample[] {
  return Array.from(timesMs, (timeMs, k) => ({ timeMs, latencyMs: Number.isNaN(latenciesMs[k]!) ? null : latenciesMs[k]! }));
}
