/**
 * A run's figures per round as columns (one array per field) and its summary, built a round at
 * a time from the rounds as the JSON report writes them (roundFieldsToJson, or the same read
 * back from a report file; of the nodes only participated, batch and weight are read, so the
 * node records themselves do): what a study keeps of each run
 * (src/study/record.ts). Built as the run goes, it needs neither the run's node records nor
 * its report as one string.
 *
 * `minWeightShare` is the round's lowest participant weight times the number of participants
 * (1 = an equal share, 0.5 = half of it); null in a skipped round. `samples` counts the samples
 * trained up to the end of the round (Σ participants' batch × localSteps).
 */

export const ROUND_FIELDS = ['round', 'endMs', 'accuracy', 'loss', 'globalBatch', 'effectiveParticipants', 'skipped', 'samples', 'minWeightShare'] as const;
export type RoundField = (typeof ROUND_FIELDS)[number];

export interface RunSummaryFigures {
  finalAccuracy: number | null;
  bestAccuracy: number | null;
  simulatedMs: number | null;
  samplesTrained: number | null;
  timeToTargetMs: number | null;
}

export interface RoundColumns {
  round: number[];
  endMs: Array<number | null>;
  accuracy: Array<number | null>;
  loss: Array<number | null>;
  globalBatch: Array<number | null>;
  effectiveParticipants: Array<number | null>;
  skipped: boolean[];
  samples: number[];
  minWeightShare: Array<number | null>;
}

/** A run's summary figures and its rounds as columns. */
export interface RunColumns {
  summary: RunSummaryFigures;
  rounds: RoundColumns;
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

interface ReportNode { participated?: unknown; batch?: unknown; weight?: unknown }
/** A round as the JSON report writes it (the fields read here). */
export interface ReportRound { round?: unknown; endMs?: unknown; accuracy?: unknown; loss?: unknown; globalBatch?: unknown; effectiveParticipants?: unknown; skipped?: unknown; nodes?: unknown }

function lowestShare(nodes: readonly ReportNode[]): number | null {
  let count = 0;
  let lowest = Infinity;
  for (const node of nodes) {
    if (node.participated !== true) continue;
    count += 1;
    lowest = Math.min(lowest, num(node.weight) ?? 0);
  }
  return count === 0 ? null : lowest * count;
}

export class RunColumnsBuilder {
  private readonly columns: RoundColumns = { round: [], endMs: [], accuracy: [], loss: [], globalBatch: [], effectiveParticipants: [], skipped: [], samples: [], minWeightShare: [] };
  private samples = 0;

  constructor(private readonly localSteps: number) {}

  round(round: ReportRound): void {
    const nodes = Array.isArray(round.nodes) ? (round.nodes as ReportNode[]) : [];
    const columns = this.columns;
    let batch = 0;
    for (const node of nodes) if (node.participated === true) batch += num(node.batch) ?? 0;
    this.samples += batch * this.localSteps;
    columns.round.push(num(round.round) ?? columns.round.length + 1);
    columns.endMs.push(num(round.endMs));
    columns.accuracy.push(num(round.accuracy));
    columns.loss.push(num(round.loss));
    columns.globalBatch.push(num(round.globalBatch));
    columns.effectiveParticipants.push(num(round.effectiveParticipants));
    columns.skipped.push(round.skipped === true);
    columns.samples.push(this.samples);
    columns.minWeightShare.push(round.skipped === true ? null : lowestShare(nodes));
  }

  /** The columns so far, with the run's report `summary`. */
  finish(summary: Record<string, unknown>): RunColumns {
    return { summary: summaryFigures(summary), rounds: this.columns };
  }
}

/** The figures of a run's report `summary` (non-finite or missing as null): a study's and a sweep's. */
export function summaryFigures(summary: Record<string, unknown>): RunSummaryFigures {
  return {
    finalAccuracy: num(summary.finalAccuracy),
    bestAccuracy: num(summary.bestAccuracy),
    simulatedMs: num(summary.simulatedMs),
    samplesTrained: num(summary.samplesTrained),
    timeToTargetMs: num(summary.timeToTargetMs),
  };
}

/**
 * The largest time or count a stored run (a study's record, a sweep's report) may hold when
 * read back. Runs stay far below: the simulated clock stops a run at 2^50 steps of its grid
 * (S1's interval or the latency resolution), so only a grid step over 1e285 ms would let one
 * come near. Below it every statistic of a study or sweep stays a number — a mean, an interval
 * on two seeds (t₀.₉₇₅,₁ ≈ 12.7 times the spread) and its ends — where larger, edited figures
 * would print as Infinity and be written as null.
 */
export const MAX_FIGURE = 1e300;

/** MAX_FIGURE as messages write it. */
export const MAX_FIGURE_TEXT = '1e300';
