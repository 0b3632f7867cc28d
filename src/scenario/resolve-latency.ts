/**
 * Raw latency object → LatencySpec (SPEC §3): one process, `loss` (default 0), `down`
 * intervals; trace files are read and parsed here, relative to the scenario file, once per
 * file however many nodes share them.
 */
import type { IssueCode } from '../errors.js';
import type { FileHost } from '../host.js';
import { readDataFile, type ScenarioContext } from './context.js';
import { DataFileError } from './dataset-csv.js';
import type { PathSegment } from './field-path.js';
import type { RawLatency, RawPhase } from './latency-schema.js';
import { parseTraceText } from './trace-file.js';
import type { LatencyProcess, LatencySpec, TraceSample } from './types.js';

type TraceResult = { samples: TraceSample[] } | { code: IssueCode; expected: string; found: string };

/** Reads each trace file once; a failure is reported at every place that names the file. */
export class TraceLibrary {
  private readonly cache = new Map<string, TraceResult>();

  constructor(private readonly ctx: ScenarioContext) {}

  load(written: string, path: readonly PathSegment[]): { file: string; samples: TraceSample[] } | undefined {
    const file = this.ctx.host.resolvePath(this.ctx.baseDir, written);
    let result = this.cache.get(file);
    if (result === undefined) {
      result = readTrace(this.ctx.host, file, written);
      this.cache.set(file, result);
    }
    if ('samples' in result) return { file, samples: result.samples };
    this.ctx.report(path, result.expected, result.found, 'value', result.code);
    return undefined;
  }
}

function readTrace(host: FileHost, file: string, written: string): TraceResult {
  const read = readDataFile(host, file, written, 'trace file');
  if (!('text' in read)) return read;
  try {
    return { samples: parseTraceText(read.text, written) };
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    return { code: 'file.invalid', expected: error.expected, found: `${error.found} at ${written}:${error.line}:${error.column}` };
  }
}

export function resolveLatency(raw: RawLatency, path: readonly PathSegment[], traces: TraceLibrary): LatencySpec | undefined {
  const process = resolveProcess(raw, path, traces);
  if (process === undefined) return undefined;
  const down = (raw.down ?? []).map((interval) => ({ fromMs: interval.from, toMs: interval.to }));
  return { process, loss: raw.loss ?? 0, down };
}

function resolveProcess(raw: RawLatency, path: readonly PathSegment[], traces: TraceLibrary): LatencyProcess | undefined {
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
    const trace = traces.load(raw.trace, [...path, 'trace']);
    return trace === undefined ? undefined : { kind: 'trace', file: trace.file, loop: raw.loop ?? true, samples: trace.samples };
  }
  if (raw.phases !== undefined) return resolvePhases(raw.phases, [...path, 'phases'], traces);
  return undefined;
}

function resolvePhases(raw: RawPhase[], path: readonly PathSegment[], traces: TraceLibrary): LatencyProcess | undefined {
  const phases = raw.map((phase, index) => {
    const latency = resolveLatency(phase, [...path, index], traces);
    return latency === undefined ? undefined : { untilMs: phase.until ?? null, latency };
  });
  if (phases.some((phase) => phase === undefined)) return undefined;
  return { kind: 'phases', phases: phases as NonNullable<(typeof phases)[number]>[] };
}
