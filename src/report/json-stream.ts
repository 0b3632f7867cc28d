/**
 * The `--json` report written round by round (SPEC §9): the same bytes as toJsonReport
 * (json.ts) of the whole run, but each round is serialised when it finishes and handed to
 * `emit`, so the run never holds every node of every round. It lays the report out the way
 * `JSON.stringify(report, null, 2)` does: a nested value is its own 2-space stringification
 * with every line after the first indented by its depth, and an empty array is `[]`.
 *
 * Feed it `round` for every round (runScenario's onRound), `runEnd` for every run kept in the
 * result (onRunEnd), then `finish` with the result.
 */
import type { StrategySpec } from '../scenario/types.js';
import type { RoundRecord, RunResult, StrategyRun } from '../sim/records.js';
import { ChunkSizer } from './chunk-sizer.js';
import {
  type JsonReportOptions, nodeToJson, reportHeadToJson, reportTailToJson, roundFieldsToJson, runHeadToJson, runTailToJson,
} from './json.js';

const INDENT = '  ';

/** `value` as JSON.stringify(…, null, 2) writes it `depth` levels deep. */
function nested(value: unknown, depth: number): string {
  // a number, string, boolean or null has no line to indent
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${INDENT.repeat(depth)}`);
}

/**
 * Nodes as the elements of the `nodes` array (depth 6) are written: each on its own line,
 * comma-separated, without the brackets. JSON.stringify indents them itself when they sit
 * five arrays deep, so the text between the wrapping brackets is theirs: one native call per
 * chunk instead of a stringification and a re-indenting pass per node.
 */
function nodesAtDepth6(nodes: ReadonlyArray<Record<string, unknown>>): string {
  const text = JSON.stringify([[[[[nodes]]]]], null, 2);
  return text.slice(NODES_OPENING.length, text.length - NODES_CLOSING.length);
}

/** What the five wrapping arrays and the chunk's own add before and after its elements. */
const NODES_OPENING = `[${[1, 2, 3, 4, 5].map((depth) => `\n${INDENT.repeat(depth)}[`).join('')}`;
const NODES_CLOSING = [5, 4, 3, 2, 1, 0].map((depth) => `\n${INDENT.repeat(depth)}]`).join('');

/** The `"key": value` lines of an object's fields at `depth`, joined as in an object. */
function fields(object: Record<string, unknown>, depth: number): string[] {
  const pad = INDENT.repeat(depth);
  return Object.entries(object).map(([key, value]) => `${pad}${JSON.stringify(key)}: ${nested(value, depth)}`);
}

type Phase = 'start' | 'runs' | 'rounds' | 'done';

export class JsonReportStream {
  private phase: Phase = 'start';
  /** runs written so far (a comma goes before the next) */
  private runs = 0;
  private rounds = 0;
  private readonly chunks = new ChunkSizer();

  constructor(
    private readonly scenario: RunResult['scenario'],
    private readonly options: JsonReportOptions,
    private readonly emit: (text: string) => void,
  ) {}

  /** A finished round of the current run (`backend`: the run's). */
  round(record: RoundRecord, strategy: StrategySpec, backend: string): void {
    this.openRun(strategy, backend);
    const head = fields(roundFieldsToJson(record), 5);
    const opening = `${this.rounds === 0 ? '[\n' : ',\n'}${INDENT.repeat(4)}{\n${head.join(',\n')},\n${INDENT.repeat(5)}"nodes": `;
    if (record.nodes.length === 0) {
      this.emit(`${opening}[]\n${INDENT.repeat(4)}}`);
    } else {
      this.emit(`${opening}[`);
      // a chunk at a time (chunk-sizer.ts): one string of 131,072 nodes would be some hundred megabytes
      for (let start = 0; start < record.nodes.length; ) {
        const end = Math.min(start + this.chunks.nodes(), record.nodes.length);
        const chunk = new Array<Record<string, unknown>>(end - start);
        for (let i = start; i < end; i++) chunk[i - start] = nodeToJson(record.nodes[i]!, record, this.options);
        const text = nodesAtDepth6(chunk);
        this.chunks.measured(text.length, end - start);
        this.emit(`${start === 0 ? '' : ','}${text}`);
        start = end;
      }
      this.emit(`\n${INDENT.repeat(5)}]\n${INDENT.repeat(4)}}`);
    }
    this.rounds += 1;
  }

  /** A run as it is kept in the result: its rounds close, its summary follows. */
  runEnd(run: StrategyRun): void {
    this.openRun(run.strategy, run.backend);
    const closing = this.rounds === 0 ? '[]' : `\n${INDENT.repeat(3)}]`;
    const tail = fields(runTailToJson(run, this.options), 3);
    this.emit(`${closing}${tail.map((line) => `,\n${line}`).join('')}\n${INDENT.repeat(2)}}`);
    this.phase = 'runs';
    this.runs += 1;
  }

  /** The end of the report: the runs close, then how the whole run ended. */
  finish(result: RunResult): void {
    if (this.phase === 'done') return;
    if (this.phase === 'rounds') throw new Error('JsonReportStream: a run was not ended');
    if (this.phase === 'start') this.head(result.runs[0]?.backend);
    const closing = this.runs === 0 ? '[]' : `\n${INDENT}]`;
    const tail = fields(reportTailToJson(result), 1);
    this.emit(`${closing}${tail.map((line) => `,\n${line}`).join('')}\n}\n`);
    this.phase = 'done';
  }

  private openRun(strategy: StrategySpec, backend: string): void {
    if (this.phase === 'rounds') return;
    if (this.phase === 'done') throw new Error('JsonReportStream: round after finish');
    if (this.phase === 'start') this.head(backend);
    const head = fields(runHeadToJson(strategy, backend), 3);
    const pad = INDENT.repeat(2);
    this.emit(`${this.runs === 0 ? '[\n' : ',\n'}${pad}{\n${head.join(',\n')},\n${INDENT.repeat(3)}"rounds": `);
    this.phase = 'rounds';
    this.rounds = 0;
  }

  /** The fields before `runs`; the `run` block names the first run's backend, as json.ts does. */
  private head(backend: string | undefined): void {
    const runs = backend === undefined ? [] : [{ backend }];
    const head = fields(reportHeadToJson({ scenario: this.scenario, runs }, this.options), 1);
    this.emit(`{\n${head.join(',\n')},\n${INDENT}"runs": `);
    this.phase = 'runs';
  }
}
