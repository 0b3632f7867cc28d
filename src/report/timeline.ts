/**
 * The `--timeline FILE.json` report: the run in the Trace Event Format (JSON object form,
 * `{ traceEvents, displayTimeUnit }`) that Perfetto (ui.perfetto.dev) and chrome://tracing
 * load. Times are SIMULATED time (SPEC §1.3) in microseconds, the format's unit.
 *
 *   process (pid)  one per strategy, pid = strategy index + 1, named after the strategy
 *   thread (tid)   one per node,     tid = node index + 1,     named after the node id
 *   `X` events     download, compute, upload, link, idle — the phases of src/report/round-phases.ts;
 *                  idle carries args.reason: `barrier` (waiting for the slowest node),
 *                  `notDispatched`, `retries` or `deadline` (dropped); link (behind a shared
 *                  server link: the end of a transfer spent waiting for it) args.transfer
 *   `i` events     one marker per round start, process-scoped (`s: "p"`), so that each
 *                  strategy's rounds are marked on its own clock and not across the others
 *
 * Node and strategy indices start at 1 because trace viewers reserve pid 0 for the kernel's
 * idle task. Times are whole microseconds, each phase boundary rounded once: Perfetto reads
 * a fractional `ts` and `dur` separately and truncates each to nanoseconds, which can push
 * one phase's end a nanosecond past the next one's start and mis-nest them; whole numbers
 * are exact, and adjacent phases share their boundary. Phases shorter than that (and empty
 * ones, which Perfetto also mis-nests) are left out. Output is deterministic: events in a
 * fixed order (metadata, then per strategy and round: the marker, then each node's phases).
 */
import type { RunResult } from '../sim/records.js';
import { nodeRoundPhases, ownTransferTimes, type Phase } from './round-phases.js';

export type TraceEvent =
  | { name: 'process_name' | 'thread_name'; ph: 'M'; pid: number; tid: number; args: { name: string } }
  | { name: 'process_sort_index' | 'thread_sort_index'; ph: 'M'; pid: number; tid: number; args: { sort_index: number } }
  | { name: string; cat: string; ph: 'X'; ts: number; dur: number; pid: number; tid: number; args: Record<string, unknown> }
  | { name: string; cat: string; ph: 'i'; s: 'p'; ts: number; pid: number; tid: number; args: Record<string, unknown> };

export interface TraceFile {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string | number>;
}

export interface TimelineOptions {
  /** dtrain's version, written to otherData */
  version: string;
}

const US_PER_MS = 1000;

/** Simulated ms → whole µs (the format's unit); see the file comment for why whole. */
export function toMicros(ms: number): number {
  return Math.round(ms * US_PER_MS);
}

function metadata(result: RunResult): TraceEvent[] {
  return result.runs.flatMap((run, s) => {
    const pid = s + 1;
    return [
      { name: 'process_name' as const, ph: 'M' as const, pid, tid: 0, args: { name: run.strategy.name } },
      { name: 'process_sort_index' as const, ph: 'M' as const, pid, tid: 0, args: { sort_index: pid } },
      ...result.scenario.cluster.nodes.flatMap((node, n) => [
        { name: 'thread_name' as const, ph: 'M' as const, pid, tid: n + 1, args: { name: node.id } },
        { name: 'thread_sort_index' as const, ph: 'M' as const, pid, tid: n + 1, args: { sort_index: n + 1 } },
      ]),
    ];
  });
}

/** The phase as an `X` event, or null when it is shorter than a microsecond. */
function phaseEvent(phase: Phase, pid: number, tid: number, args: Record<string, unknown>): TraceEvent | null {
  const ts = toMicros(phase.startMs);
  const dur = toMicros(phase.endMs) - ts;
  if (dur <= 0) return null;
  const name = phase.kind === 'waiting' ? 'idle' : phase.kind;
  const reason = phase.kind === 'waiting' ? 'barrier' : phase.reason;
  const extra = reason !== undefined ? { reason } : phase.transfer !== undefined ? { transfer: phase.transfer } : undefined;
  return { name, cat: name, ph: 'X', ts, dur, pid, tid, args: extra === undefined ? args : { ...args, ...extra } };
}

function runEvents(result: RunResult, s: number): TraceEvent[] {
  const run = result.runs[s]!;
  const pid = s + 1;
  const ownTransferMs = ownTransferTimes(result);
  const events: TraceEvent[] = [];
  for (const round of run.rounds) {
    const participants = round.nodes.filter((node) => node.participated).length;
    events.push({
      name: `round ${round.round}`, cat: 'round', ph: 'i', s: 'p', ts: toMicros(round.startMs), pid, tid: 0,
      args: { round: round.round, skipped: round.skipped, participants, loss: round.loss, accuracy: round.accuracy },
    });
    round.nodes.forEach((node, n) => {
      const args = { round: round.round, batch: node.batch, threads: node.threads, ioQueue: node.ioQueue };
      for (const phase of nodeRoundPhases(round, node, ownTransferMs === null ? null : ownTransferMs[n] ?? null)) {
        const event = phaseEvent(phase, pid, n + 1, args);
        if (event !== null) events.push(event);
      }
    });
  }
  return events;
}

/** The trace as plain data (what the tests read). */
export function toTimeline(result: RunResult, options: TimelineOptions): TraceFile {
  return {
    traceEvents: [...metadata(result), ...result.runs.flatMap((_, s) => runEvents(result, s))],
    displayTimeUnit: 'ms',
    otherData: {
      tool: 'dtrain',
      version: options.version,
      scenario: result.scenario.name,
      seed: result.scenario.seed,
      clock: 'simulated time (µs)',
    },
  };
}

/**
 * The trace as a file: one event per line, so the file stays readable and diffs cleanly
 * at thousands of events, with a trailing newline.
 */
export function toTimelineJson(result: RunResult, options: TimelineOptions): string {
  const trace = toTimeline(result, options);
  const events = trace.traceEvents.map((event) => `  ${JSON.stringify(event)}`).join(',\n');
  return `{"traceEvents": [\n${events}\n],\n"displayTimeUnit": "ms",\n"otherData": ${JSON.stringify(trace.otherData)}}\n`;
}
