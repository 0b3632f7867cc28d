/**
 * The `--ndjson` records (SPEC §9): one JSON object per line, written as the run goes, so a
 * run stopped by a crash or Ctrl-C keeps every round that finished.
 *
 *   {"type":"header", schemaVersion, tool, scenario, run}   first, when the first round finishes
 *   {"type":"round", strategy, round, …, nodes: […]}        one per finished round
 *   {"type":"summary", runs: [{strategy, backend, summary, interrupted?, diverged?}], interrupted?, diverged?}
 *                                                           last, when the run ends
 *   {"type":"error", code?, message, exitCode}              last instead, when the run fails
 *
 * Every field is the `--json` report's (json.ts), under the same names; a round line adds
 * the strategy's name. A file that ends in neither comes from a run that never ended (killed
 * outright, or out of memory beyond recovery), so a reader following the file knows whether
 * more is coming.
 */
import type { StrategySpec } from '../scenario/types.js';
import type { RoundRecord, RunResult } from '../sim/records.js';
import {
  type JsonReportOptions, nodeToJson, reportHeadToJson, reportTailToJson, roundFieldsToJson, runHeadToJson, runTailToJson,
} from './json.js';
import { ChunkSizer } from './chunk-sizer.js';

export const NDJSON_TYPES = ['header', 'round', 'summary', 'error'] as const;

/** How a failed run's last line describes its error: what standard error says, and the exit code. */
export interface NdjsonFailure {
  /** the error's kind for programs (DtrainError's code), when the failure is a known one */
  code?: string;
  message: string;
  exitCode: number;
}

/** `object` as one JSON text without its closing brace, so that more fields can follow. */
function open(object: Record<string, unknown>): string {
  return JSON.stringify(object).slice(0, -1);
}

export class NdjsonStream {
  private headed = false;
  private ended = false;
  /** a round's line is being written, in parts */
  private lineOpen = false;
  private readonly chunks = new ChunkSizer();

  constructor(
    private readonly scenario: RunResult['scenario'],
    private readonly options: JsonReportOptions,
    /** one call per line or part of a line; a line ends in `\n` */
    private readonly emit: (text: string) => void,
  ) {}

  round(record: RoundRecord, strategy: StrategySpec, backend: string): void {
    this.head(backend);
    this.lineOpen = true;
    this.emit(`${open({ type: 'round', strategy: strategy.name, ...roundFieldsToJson(record) })},"nodes":[`);
    // a chunk at a time, each string short enough for V8's ordinary heap (chunk-sizer.ts)
    for (let start = 0; start < record.nodes.length; ) {
      const end = Math.min(start + this.chunks.nodes(), record.nodes.length);
      let text = '';
      for (let i = start; i < end; i++) text += `${i === 0 ? '' : ','}${JSON.stringify(nodeToJson(record.nodes[i]!, record, this.options))}`;
      this.chunks.measured(text.length, end - start);
      this.emit(text);
      start = end;
    }
    this.emit(']}\n');
    this.lineOpen = false;
  }

  /** The last line: every run's summary and how the run ended. */
  finish(result: RunResult): void {
    if (this.ended) return;
    this.head(result.runs[0]?.backend);
    const runs = result.runs.map((run) => ({ ...runHeadToJson(run.strategy, run.backend), ...runTailToJson(run, this.options) }));
    this.emit(`${JSON.stringify({ type: 'summary', runs, ...reportTailToJson(result) })}\n`);
    this.ended = true;
  }

  /** The last line of a run that failed: the error standard error shows. Nothing after a summary. */
  fail(failure: NdjsonFailure): void {
    if (this.ended) return;
    this.head(undefined);
    // a round's line the failure cut short stays as it is, on a line of its own
    this.emit(`${this.lineOpen ? '\n' : ''}${JSON.stringify({ type: 'error', ...failure })}\n`);
    this.lineOpen = false;
    this.ended = true;
  }

  private head(backend: string | undefined): void {
    if (this.headed) return;
    this.headed = true;
    const runs = backend === undefined ? [] : [{ backend }];
    this.emit(`${JSON.stringify({ type: 'header', ...reportHeadToJson({ scenario: this.scenario, runs }, this.options) })}\n`);
  }
}
