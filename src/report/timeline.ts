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
 * fixed order (per strategy: its metadata, then per round the marker and each node's phases).
 */
import type { Scenario } from '../scenario/types.js';
import type { RoundRecord, RunResult, RunSetting, StrategyRun } from '../sim/records.js';
import { nodeRoundPhases, type Phase, settingTransferTimes } from './round-phases.js';

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

/** A strategy's process and its node threads, named and in order. */
function runMetadata(strategy: string, pid: number, nodeIds: readonly string[]): TraceEvent[] {
  const events: TraceEvent[] = [
    { name: 'process_name', ph: 'M', pid, tid: 0, args: { name: strategy } },
    { name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: pid } },
  ];
  nodeIds.forEach((id, n) => {
    events.push({ name: 'thread_name', ph: 'M', pid, tid: n + 1, args: { name: id } });
    events.push({ name: 'thread_sort_index', ph: 'M', pid, tid: n + 1, args: { sort_index: n + 1 } });
  });
  return events;
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

/** A round's marker, then each node's phases (node `n` is thread n + 1 of process `pid`). */
function roundEvents(round: RoundRecord, pid: number, ownTransferMs: readonly number[] | null, first: number, end: number): TraceEvent[] {
  const events: TraceEvent[] = [];
  if (first === 0) {
    const participants = round.nodes.filter((node) => node.participated).length;
    events.push({
      name: `round ${round.round}`, cat: 'round', ph: 'i', s: 'p', ts: toMicros(round.startMs), pid, tid: 0,
      args: { round: round.round, skipped: round.skipped, participants, loss: round.loss, accuracy: round.accuracy },
    });
  }
  for (let n = first; n < end; n++) {
    const node = round.nodes[n]!;
    const args = { round: round.round, batch: node.batch, threads: node.threads, ioQueue: node.ioQueue };
    for (const phase of nodeRoundPhases(round, node, ownTransferMs === null ? null : ownTransferMs[n] ?? null)) {
      const event = phaseEvent(phase, pid, n + 1, args);
      if (event !== null) events.push(event);
    }
  }
  return events;
}

function otherData(scenario: Scenario, options: TimelineOptions): TraceFile['otherData'] {
  return { tool: 'dtrain', version: options.version, scenario: scenario.name, seed: scenario.seed, clock: 'simulated time (µs)' };
}

/** Nodes whose events are serialised at a time: a round of 131,072 nodes would be some 80 MB as one string. */
const NODES_PER_PIECE = 2048;

/**
 * The timeline written as the rounds finish (SPEC §9), so a run need not keep its node records
 * for it: each strategy's process and threads are named as its run starts, then each round's
 * events follow, a piece at a time, one event per line. Fed `setting` (runScenario's
 * onSetting), every round (onRound), every run kept in the result (onRunEnd) and `finish`, it
 * writes the bytes toTimelineJson writes for the whole run.
 */
export class TimelineStream {
  private ownTransferMs: readonly number[] | null = null;
  private runs = 0;
  private inRun = false;
  private events = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly options: TimelineOptions,
    private readonly emit: (text: string) => void,
  ) {
    emit('{"traceEvents": [\n');
  }

  /** The transfer times a `link` phase is split by, when the cluster has a server link. */
  setting(setting: RunSetting): void {
    this.ownTransferMs = settingTransferTimes(this.scenario, setting);
  }

  round(record: RoundRecord, strategy: string): void {
    this.openRun(strategy);
    // one piece at least: a round without nodes still has its marker
    const count = Math.max(1, record.nodes.length);
    for (let first = 0; first < count; first += NODES_PER_PIECE) {
      this.write(roundEvents(record, this.runs + 1, this.ownTransferMs, first, Math.min(first + NODES_PER_PIECE, record.nodes.length)));
    }
  }

  runEnd(run: StrategyRun): void {
    this.openRun(run.strategy.name);
    this.inRun = false;
    this.runs += 1;
  }

  finish(): void {
    this.emit(`\n],\n"displayTimeUnit": "ms",\n"otherData": ${JSON.stringify(otherData(this.scenario, this.options))}}\n`);
  }

  private openRun(strategy: string): void {
    if (this.inRun) return;
    this.inRun = true;
    this.write(runMetadata(strategy, this.runs + 1, this.scenario.cluster.nodes.map((node) => node.id)));
  }

  private write(events: readonly TraceEvent[]): void {
    if (events.length === 0) return;
    let text = '';
    for (const event of events) text += `${this.events++ === 0 ? '' : ',\n'}  ${JSON.stringify(event)}`;
    this.emit(text);
  }
}

/** The trace as plain data (what the tests read): each strategy's names, then its rounds' events. */
export function toTimeline(result: RunResult, options: TimelineOptions): TraceFile {
  return JSON.parse(toTimelineJson(result, options)) as TraceFile;
}

/**
 * The trace as a file: one event per line, so the file stays readable and diffs cleanly
 * at thousands of events, with a trailing newline.
 */
export function toTimelineJson(result: RunResult, options: TimelineOptions): string {
  let text = '';
  const stream = new TimelineStream(result.scenario, options, (piece) => (text += piece));
  if (result.setting !== undefined) stream.setting(result.setting);
  for (const run of result.runs) {
    for (const round of run.rounds) stream.round(round, run.strategy.name);
    stream.runEnd(run);
  }
  stream.finish();
  return text;
}
