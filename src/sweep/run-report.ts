/**
 * A run's JSON report inside a sweep directory. It counts as complete — and an interrupted
 * sweep skips it — only when it parses as a report of exactly that run, of this schema
 * version: its `scenario.hash` is the run's key and it holds one strategy with a summary.
 * Reports are written atomically, so this also rejects files from other runs or hand-edited
 * leftovers.
 *
 * The report is read as a stream of pieces, never as one string: a 131,072-node run's report
 * is over a gigabyte, more than a JavaScript string holds. The streaming parser
 * (@streamparser/json) keeps only the few fields read here; everything else, the rounds above
 * all, is checked for syntax and dropped as it goes by.
 */
import { JSONParser } from '@streamparser/json';
import { SCHEMA_VERSION } from '../report/json.js';
import { MAX_FIGURE, MAX_FIGURE_TEXT, type RunSummaryFigures, summaryFigures } from '../report/run-columns.js';

export interface RunOutcome extends RunSummaryFigures {
  strategy: string;
  seed: number;
}

/** The outcome a sweep keeps of a run: its strategy, seed and summary (as the JSON report holds it). */
export function runOutcome(strategy: string, seed: number, summary: Record<string, unknown>): RunOutcome {
  return { strategy, seed, ...summaryFigures(summary) };
}

const PATHS = ['$.schemaVersion', '$.scenario.hash', '$.scenario.seed', '$.runs.*.strategy', '$.runs.*.summary'];

/**
 * Reads a report piece by piece (`write`), then `end` gives the run's outcome if it is that
 * run's complete report, else undefined. Bytes that are not UTF-8 make it no report, as JSON
 * that does not parse does (the parser decodes strings strictly, and outside them any byte
 * past ASCII is a syntax error); a key given twice counts by its last value, as in `JSON.parse`.
 */
export class RunReportReader {
  // buffered strings and numbers: some 12 % faster over a gigabyte than the parser's default
  private readonly parser = new JSONParser({ paths: PATHS, keepStack: false, stringBufferSize: 65_536, numberBufferSize: 64 });
  private readonly seen: { schemaVersion?: unknown; hash?: unknown; seed?: unknown; strategy?: unknown; summary?: unknown } = {};
  private otherRuns = false;
  private broken = false;

  constructor(private readonly key: string) {
    this.parser.onValue = ({ value, key, stack }) => {
      if (stack.length === 1 && key === 'schemaVersion') this.seen.schemaVersion = value;
      else if (stack.length === 2 && stack[1]!.key === 'scenario') {
        if (key === 'hash') this.seen.hash = value;
        else this.seen.seed = value;
      } else if (stack.length === 3 && stack[1]!.key === 'runs') {
        // a run other than the first one (or runs as an object): not a one-run report
        if (stack[2]!.key !== 0) this.otherRuns = true;
        else if (key === 'strategy') this.seen.strategy = value;
        else this.seen.summary = value;
      }
    };
  }

  /** false once the bytes so far are no report: the rest need not be read */
  write(piece: Uint8Array): boolean {
    if (this.broken) return false;
    try {
      this.parser.write(piece);
    } catch {
      this.broken = true;
    }
    return !this.broken;
  }

  end(): RunOutcome | undefined {
    if (this.broken) return undefined;
    try {
      if (!this.parser.isEnded) this.parser.end();
    } catch {
      return undefined;
    }
    const { schemaVersion, hash, seed, strategy, summary } = this.seen;
    if (schemaVersion !== SCHEMA_VERSION || hash !== this.key || typeof seed !== 'number' || this.otherRuns) return undefined;
    const name = (strategy as { name?: unknown } | null | undefined)?.name;
    if (typeof name !== 'string' || summary === null || typeof summary !== 'object' || Array.isArray(summary)) return undefined;
    return runOutcome(name, seed, summary as Record<string, unknown>);
  }
}

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/**
 * What is wrong with a complete report's outcome for `run`, the grid run its file is named
 * after: another strategy or seed than the run's (the key is checked, not the labels), or a
 * figure no run can have (an accuracy outside [0, 1], a time or count outside [0, MAX_FIGURE]). Undefined
 * when it is right.
 */
export function outcomeProblem(outcome: RunOutcome, run: { strategy: string; seed: number }): string | undefined {
  if (outcome.strategy !== run.strategy) return `runs[0].strategy.name: expected ${show(run.strategy)} (the run the file is named after), found ${show(outcome.strategy)}`;
  if (outcome.seed !== run.seed) return `scenario.seed: expected ${run.seed} (the run the file is named after), found ${show(outcome.seed)}`;
  for (const field of ['finalAccuracy', 'bestAccuracy'] as const) {
    const value = outcome[field];
    if (value !== null && !(value >= 0 && value <= 1)) return `runs[0].summary.${field}: expected an accuracy in [0, 1] or null, found ${value}`;
  }
  for (const field of ['simulatedMs', 'samplesTrained', 'timeToTargetMs'] as const) {
    const value = outcome[field];
    if (value !== null && !(value >= 0 && value <= MAX_FIGURE)) return `runs[0].summary.${field}: expected a number in [0, ${MAX_FIGURE_TEXT}] or null, found ${value}`;
  }
  return undefined;
}
