/**
 * Raw latency object → LatencySpec (SPEC §3): one process, `loss` (default 0), `down`
 * intervals; trace files are read and parsed here, relative to the scenario file, once per
 * file however many nodes share them. A node's `slowdown` (SPEC §6.4) resolves the same way,
 * but its traces may not hold an empty (lost) value: that is reported at the `trace` value,
 * naming the place in the trace file.
 */
import type { IssueCode } from '../errors.js';
import type { FileHost } from '../host.js';
import { readDataFile, type ScenarioContext } from './context.js';
import { DataFileError } from './dataset-csv.js';
import type { PathSegment } from './field-path.js';
import type { RawLatency, RawPhase } from './latency-schema.js';
import { parseTrace, type FilePosition } from './trace-file.js';
import type { LatencyProcess, LatencySpec, TraceSamples } from './types.js';

type TraceResult =
  | { samples: TraceSamples; firstLost: FilePosition | null }
  | { code: IssueCode; expected: string; found: string };

/** What the resolved spec is for: a slowdown's traces must have a value at every sample. */
export type LatencyUse = 'latency' | 'slowdown';

/** Reads each trace file once; a failure is reported at every place that names the file. */
export class TraceLibrary {
  private readonly cache = new Map<string, TraceResult>();

  constructor(private readonly ctx: ScenarioContext) {}

  load(written: string, path: readonly PathSegment[], use: LatencyUse = 'latency'): { file: string; samples: TraceSamples } | undefined {
    const file = this.ctx.host.resolvePath(this.ctx.baseDir, written);
    let result = this.cache.get(file);
    if (result === undefined) {
      result = readTrace(this.ctx.host, file, written);
      this.cache.set(file, result);
    }
    if (!('samples' in result)) {
      this.ctx.report(path, result.expected, result.found, 'value', result.code);
      return undefined;
    }
    if (use === 'slowdown' && result.firstLost !== null) {
      // the position, never the line's content (the file may not be meant to be shown)
      const at = `${shownPath(written)}:${result.firstLost.line}:${result.firstLost.column}`;
      this.ctx.report(path, 'a slowdown trace with a value in every sample (a step always takes some time)', `an empty (lost) value at ${at}`, 'value', 'file.invalid');
      return undefined;
    }
    return { file, samples: result.samples };
  }
}

function readTrace(host: FileHost, file: string, written: string): TraceResult {
  const read = readDataFile(host, file, written, 'trace file');
  if (!('text' in read)) return read;
  try {
    return parseTrace(read.text, written);
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    return { code: 'file.invalid', expected: error.expected, found: `${error.found} at ${written}:${error.line}:${error.column}` };
  }
}

/** A path with control characters is shown quoted (as readDataFile does), so it cannot garble the terminal. */
function shownPath(written: string): string {
  return /[\u0000-\u001f\u007f]/.test(written) ? JSON.stringify(written) : written;
}

export function resolveLatency(raw: RawLatency, path: readonly PathSegment[], traces: TraceLibrary, use: LatencyUse = 'latency'): LatencySpec | undefined {
  const process = resolveProcess(raw, path, traces, use);
  if (process === undefined) return undefined;
  const down = (raw.down ?? []).map((interval) => ({ fromMs: interval.from, toMs: interval.to }));
  return { process, loss: raw.loss ?? 0, down };
}

function resolveProcess(raw: RawLatency, path: readonly PathSegment[], traces: TraceLibrary, use: LatencyUse): LatencyProcess | undefined {
  if (raw.constant !== undefined) return { kind: 'constant', valueMs: raw.constant };
  if (raw.uniform !== undefined) return { kind: 'uniform', minMs: raw.uniform.min, maxMs: raw.uniform.max };
  if (raw.normal !== undefined) return { kind: 'normal', meanMs: raw.normal.mean, stdMs: raw.normal.std };
  if (raw.lognormal !== undefined) return { kind: 'lognormal', medianMs: raw.lognormal.median, sigma: raw.lognormal.sigma };
  if (raw.spikes !== undefined) {
    const { base, spike, probability } = raw.spikes;
    return { kind: 'spikes', baseMs: base, spikeMs: spike, probability };
  }
  if (raw.burst !== undefined) {
    const { good, bad, toBad, toGood } = raw.burst;
    return { kind: 'burst', goodMs: good, badMs: bad, toBad, toGood };
  }
  if (raw.periodic !== undefined) {
    const { base, amplitude, period } = raw.periodic;
    return { kind: 'periodic', baseMs: base, amplitudeMs: amplitude, periodMs: period };
  }
  if (raw.trace !== undefined) {
    const trace = traces.load(raw.trace, [...path, 'trace'], use);
    return trace === undefined ? undefined : { kind: 'trace', file: trace.file, loop: raw.loop ?? true, samples: trace.samples };
  }
  if (raw.phases !== undefined) return resolvePhases(raw.phases, [...path, 'phases'], traces, use);
  return undefined;
}

function resolvePhases(raw: RawPhase[], path: readonly PathSegment[], traces: TraceLibrary, use: LatencyUse): LatencyProcess | undefined {
  const phases = raw.map((phase, index) => {
    const latency = resolveLatency(phase, [...path, index], traces, use);
    return latency === undefined ? undefined : { untilMs: phase.until ?? null, latency };
  });
  if (phases.some((phase) => phase === undefined)) return undefined;
  return { kind: 'phases', phases: phases as NonNullable<(typeof phases)[number]>[] };
}
