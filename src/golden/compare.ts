/**
 * Value-by-value comparison of a run's JSON report with a golden one (issue 5): S1–S3
 * outputs and times exactly, training floats within tolerances (tolerances.ts).
 *
 * Differences are listed in the order a reader wants the *first* one: strategy by strategy,
 * round by round, and inside a round by pipeline stage across nodes (every node's S1 fields,
 * then S2, S3, the time model, S4), then the round's own fields; the strategy's summary
 * comes after its rounds. So the first difference is the earliest cause, not a consequence
 * (a changed batch is reported before the finish times and round end it moves).
 */
import type { Report, ReportRound, ReportRun } from './report-file.js';
import { NODE_FIELDS, ROUND_FIELDS, SUMMARY_FIELDS, type Tolerances, withinTolerance } from './tolerances.js';

export interface Difference {
  strategy: string;
  /** null for the strategy's summary and for structural differences */
  round: number | null;
  /** null for round-level and summary fields */
  node: string | null;
  field: string;
  run: unknown;
  golden: unknown;
}

export interface Comparison {
  /** values compared (structural differences count as one each) */
  compared: number;
  differences: Difference[];
}

type FieldSpec = ReadonlyArray<{ field: string; tolerance?: keyof Tolerances }>;

class Collector {
  compared = 0;
  readonly differences: Difference[] = [];

  constructor(private readonly tolerances: Tolerances) {}

  value(where: Omit<Difference, 'run' | 'golden'>, run: unknown, golden: unknown, tolerance?: keyof Tolerances): void {
    this.compared += 1;
    // a missing field reads as null, as the report writer would have written it
    const same = tolerance === undefined ? (run ?? null) === (golden ?? null)
      : withinTolerance(run ?? null, golden ?? null, this.tolerances[tolerance]);
    if (!same) this.differences.push({ ...where, run, golden });
  }

  fields(where: Omit<Difference, 'run' | 'golden' | 'field'>, run: Record<string, unknown>, golden: Record<string, unknown>, spec: FieldSpec): void {
    for (const { field, tolerance } of spec) {
      // additive fields absent from both reports (an older writer) are not compared
      if (run[field] === undefined && golden[field] === undefined) continue;
      this.value({ ...where, field }, run[field], golden[field], tolerance);
    }
  }
}

const idList = (round: ReportRound): string => round.nodes.map((node) => node.id).join(', ');

function compareRound(out: Collector, strategy: string, run: ReportRound, golden: ReportRound): void {
  const round = golden.round;
  out.fields({ strategy, round, node: null }, run, golden, [{ field: 'startMs' }]);
  if (idList(run) !== idList(golden)) {
    out.value({ strategy, round, node: null, field: 'nodes' }, idList(run), idList(golden));
  } else {
    for (const spec of NODE_FIELDS) {
      run.nodes.forEach((node, index) => out.fields({ strategy, round, node: node.id }, node, golden.nodes[index]!, [spec]));
    }
  }
  out.fields({ strategy, round, node: null }, run, golden, ROUND_FIELDS);
}

function compareRun(out: Collector, run: ReportRun, golden: ReportRun): void {
  const strategy = golden.strategy.name;
  const stages = (r: ReportRun) => ['batch', 'resources', 'aggregation'].map((key) => String(r.strategy[key])).join('/');
  out.value({ strategy, round: null, node: null, field: 'strategy' }, stages(run), stages(golden));
  if (run.rounds.length !== golden.rounds.length) {
    out.value({ strategy, round: null, node: null, field: 'rounds' }, run.rounds.length, golden.rounds.length);
  }
  const common = Math.min(run.rounds.length, golden.rounds.length);
  for (let index = 0; index < common; index++) compareRound(out, strategy, run.rounds[index]!, golden.rounds[index]!);
  out.fields({ strategy, round: null, node: null }, run.summary, golden.summary, SUMMARY_FIELDS);
}

/** Every difference between `run` and `golden`; metadata (hash, backend, version) is checked elsewhere. */
export function compareReports(run: Report, golden: Report, tolerances: Tolerances): Comparison {
  const out = new Collector(tolerances);
  const names = (report: Report) => report.runs.map((r) => r.strategy.name).join(', ');
  if (names(run) !== names(golden)) {
    out.value({ strategy: '–', round: null, node: null, field: 'strategies' }, names(run), names(golden));
  }
  for (const goldenRun of golden.runs) {
    const runRun = run.runs.find((r) => r.strategy.name === goldenRun.strategy.name);
    if (runRun !== undefined) compareRun(out, runRun, goldenRun);
  }
  return { compared: out.compared, differences: out.differences };
}
