/**
 * The rows each HTML chart plots, derived from the RunResult alone — the records the JSON
 * report serialises — so every chart agrees with the JSON of the same run. Pure functions;
 * the vega-lite specs (charts.ts) only add encodings.
 *
 * Large runs stay readable: above MAX_HEATMAP_NODES nodes the per-node charts show the
 * nodes with the lowest mean efficiency (the ones a reader looks for); above
 * MAX_ROUND_COLUMNS rounds, consecutive rounds are averaged into one column; the weight
 * chart stacks the WEIGHT_SERIES − 1 heaviest nodes and sums the rest as OTHERS_LABEL.
 *
 * Names (node ids, strategy names) reach vega only as data values, never in a spec's
 * `sort` list, field or signal name: vega-lite turns a sort list into an expression whose
 * string literals vega's parser reads as identifiers, so a node named `constructor` or
 * `toString` resolved to Object.prototype and crashed the render. Every row therefore
 * carries a numeric `rank` (the order to draw in) and the specs sort by it.
 */
import type { StrategyRun } from '../../sim/records.js';
import { PHASE_KINDS, phaseKinds, phaseTotalsMs, type PhaseKind } from '../round-phases.js';

/**
 * What the per-node charts read of one strategy run: per round position, one value per node
 * (scenario order), and each node's phase totals. Made from the run's records (`runColumns`),
 * or gathered round by round for a run that does not keep them (html/accumulate.ts).
 */
export interface RunColumns {
  efficiency: ReadonlyArray<ArrayLike<number>>;
  batch: ReadonlyArray<ArrayLike<number>>;
  weight: ReadonlyArray<ArrayLike<number>>;
  /** ms per phase kind of node `i` over the run */
  phaseTotals(i: number): Record<PhaseKind, number>;
}

export function runColumns(run: StrategyRun, ownTransferMs: readonly number[] | null = null): RunColumns {
  const column = (field: 'efficiency' | 'batch' | 'weight') => run.rounds.map((round) => round.nodes.map((node) => node[field]));
  return {
    efficiency: column('efficiency'),
    batch: column('batch'),
    weight: column('weight'),
    phaseTotals: (i) => phaseTotalsMs(run.rounds, i, ownTransferMs === null ? null : ownTransferMs[i] ?? null),
  };
}

/** The mean over every strategy and round of one node's value, summed in that order. */
function meanOver(columns: readonly RunColumns[], field: 'efficiency' | 'weight', i: number): number {
  let sum = 0;
  let count = 0;
  for (const run of columns) {
    for (const values of run[field]) {
      sum += values[i]!;
      count += 1;
    }
  }
  return count === 0 ? 0 : sum / count;
}

export const MAX_HEATMAP_NODES = 64;
export const MAX_ROUND_COLUMNS = 150;
/**
 * The per-strategy charts' round columns over every strategy of a page: past four strategies
 * each gets fewer (at least MIN_ROUND_COLUMNS), so that 48 strategies of 1,000 rounds make a
 * page of a few MB rather than 37 (their 144 grids of 64 × 150 cells).
 */
export const ROUND_COLUMNS_PER_PAGE = 600;
export const MIN_ROUND_COLUMNS = 20;
/**
 * The accuracy and loss lines' points over every strategy: a longer run draws every k-th round
 * (and its last), at least MIN_LINE_POINTS a strategy. A point is about 14 bytes of the page,
 * twice: 8 strategies of 100,000 rounds drew 22 MB of lines.
 */
export const LINE_POINTS_PER_PAGE = 20_000;
export const MIN_LINE_POINTS = 500;

/** The round columns each strategy's grids get on a page of `strategies`. */
export function roundColumnsFor(strategies: number): number {
  return Math.max(MIN_ROUND_COLUMNS, Math.min(MAX_ROUND_COLUMNS, Math.floor(ROUND_COLUMNS_PER_PAGE / Math.max(1, strategies))));
}

/** The most points each strategy's line gets on a page of `strategies`. */
export function linePointsFor(strategies: number): number {
  return Math.max(MIN_LINE_POINTS, Math.floor(LINE_POINTS_PER_PAGE / Math.max(1, strategies)));
}

/** Every how many rounds a line of `rounds` draws a point on a page of `strategies` (1: every round). */
export function lineStride(rounds: number, strategies: number): number {
  return Math.max(1, Math.ceil(rounds / linePointsFor(strategies)));
}
/** Distinct colours of the weight chart (Tableau 10): nodes beyond this share "others". */
export const WEIGHT_SERIES = 10;
/** The summed series' label: the space and parentheses keep it apart from any node id. */
export const OTHERS_LABEL = '(other nodes)';

export interface ProgressRow {
  strategy: string;
  /** the strategy's position in the scenario: the legend's order */
  rank: number;
  round: number;
  /** simulated time at the end of the round (after aggregation and evaluation), seconds */
  timeS: number;
  accuracy: number;
  loss: number;
}

/** Accuracy and loss after every round of every strategy, against simulated time. */
/** The lines' points: every round, or every lineStride-th and the last of a long run. */
export function progressRows(runs: readonly StrategyRun[]): ProgressRow[] {
  return runs.flatMap((run, rank) => {
    const stride = lineStride(run.rounds.length, runs.length);
    const drawn = stride === 1 ? run.rounds : run.rounds.filter((_, p) => p % stride === 0 || p === run.rounds.length - 1);
    return drawn.map((round) => ({
      strategy: run.strategy.name,
      rank,
      round: round.round,
      timeS: round.endMs / 1000,
      accuracy: round.accuracy,
      loss: round.loss,
    }));
  });
}

function meanOf(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

export interface NodeSelection {
  /** node indices to show, in scenario order */
  indices: number[];
  /** their ids, in the same order */
  ids: string[];
  /** how many nodes the run has */
  total: number;
  /** true when `indices` is the lowest-mean-efficiency subset */
  limited: boolean;
}

/**
 * All nodes, or the `limit` nodes with the lowest mean efficiency over every strategy and
 * round (ties: scenario order) — one selection for all strategies, so their charts show the
 * same rows side by side.
 */
export function selectNodes(runs: readonly StrategyRun[], nodeIds: readonly string[], limit = MAX_HEATMAP_NODES): NodeSelection {
  return selectNodesOf(runs.map((run) => runColumns(run)), nodeIds, limit);
}

export function selectNodesOf(runs: readonly RunColumns[], nodeIds: readonly string[], limit = MAX_HEATMAP_NODES): NodeSelection {
  const total = nodeIds.length;
  const all = Array.from({ length: total }, (_, i) => i);
  if (total <= limit) return { indices: all, ids: [...nodeIds], total, limited: false };
  const mean = all.map((i) => meanOver(runs, 'efficiency', i));
  const lowest = [...all].sort((a, b) => mean[a]! - mean[b]! || a - b).slice(0, limit);
  const indices = lowest.sort((a, b) => a - b);
  return { indices, ids: indices.map((i) => nodeIds[i]!), total, limited: true };
}

/** Consecutive round positions averaged into one column: [first, last] round numbers. */
export interface RoundColumn {
  first: number;
  last: number;
  positions: number[];
}

export function roundColumns(run: StrategyRun, maxColumns = MAX_ROUND_COLUMNS): RoundColumn[] {
  const size = Math.max(1, Math.ceil(run.rounds.length / maxColumns));
  const columns: RoundColumn[] = [];
  for (let start = 0; start < run.rounds.length; start += size) {
    const positions = Array.from({ length: Math.min(size, run.rounds.length - start) }, (_, k) => start + k);
    columns.push({ first: run.rounds[start]!.round, last: run.rounds[positions.at(-1)!]!.round, positions });
  }
  return columns;
}

export interface HeatCell {
  node: string;
  /** the node's row in the chart (position in the selection) */
  rank: number;
  /** the column's first round */
  round: number;
  efficiency: number;
  /** the dispatched batch (0 = did not take part), the JSON's `batch` */
  batch: number;
}

/** One cell per shown node × round column: efficiency and batch (column means when averaged). */
export function heatCells(run: StrategyRun, selection: NodeSelection, columns: readonly RoundColumn[]): HeatCell[] {
  return heatCellsOf(runColumns(run), selection, columns);
}

export function heatCellsOf(run: RunColumns, selection: NodeSelection, columns: readonly RoundColumn[]): HeatCell[] {
  return columns.flatMap((column) => selection.indices.map((i, rank) => ({
    node: selection.ids[rank]!,
    rank,
    round: column.first,
    efficiency: meanOf(column.positions.map((p) => run.efficiency[p]![i]!)),
    batch: meanOf(column.positions.map((p) => run.batch[p]![i]!)),
  })));
}

export interface WeightRow {
  round: number;
  series: string;
  /** the series' position in the stack and legend */
  rank: number;
  weight: number;
}

/** One series of the weight chart: a node (by index), or the sum of the nodes not drawn (`node` null). */
export interface WeightSeries {
  label: string;
  node: number | null;
}

/**
 * The weight chart's series, the same for every strategy so a node keeps its colour across
 * charts: all nodes in scenario order, or above `maxSeries` nodes the `maxSeries − 1` with
 * the highest mean weight over all strategies and rounds (ties: scenario order), then the
 * sum of the others. Series are told apart by index, so a node named like the sum's label
 * is still its own series.
 */
export function weightSeries(runs: readonly StrategyRun[], ids: readonly string[], maxSeries = WEIGHT_SERIES): WeightSeries[] {
  return weightSeriesOf(runs.map((run) => runColumns(run)), ids, maxSeries);
}

export function weightSeriesOf(runs: readonly RunColumns[], ids: readonly string[], maxSeries = WEIGHT_SERIES): WeightSeries[] {
  const all = ids.map((_, i) => i);
  if (ids.length <= maxSeries) return all.map((i) => ({ label: ids[i]!, node: i }));
  const mean = all.map((i) => meanOver(runs, 'weight', i));
  const top = all.sort((a, b) => mean[b]! - mean[a]! || a - b).slice(0, maxSeries - 1);
  return [...top.map((i) => ({ label: ids[i]!, node: i })), { label: OTHERS_LABEL, node: null }];
}

/** Each series' S4 weight per round column (column means); the summed series adds the nodes not drawn. */
export function weightRows(run: StrategyRun, columns: readonly RoundColumn[], series: readonly WeightSeries[]): WeightRow[] {
  return weightRowsOf(runColumns(run), columns, series);
}

export function weightRowsOf(run: RunColumns, columns: readonly RoundColumn[], series: readonly WeightSeries[]): WeightRow[] {
  const drawn = new Set<number>();
  for (const one of series) if (one.node !== null) drawn.add(one.node);
  const nodeCount = run.weight[0]?.length ?? 0;
  const weightOf = (column: RoundColumn, i: number) => meanOf(column.positions.map((p) => run.weight[p]![i]!));
  const restOf = (column: RoundColumn) => {
    let sum = 0;
    for (let i = 0; i < nodeCount; i += 1) if (!drawn.has(i)) sum += weightOf(column, i);
    return sum;
  };
  return columns.flatMap((column) => series.map((one, rank) => ({
    round: column.first,
    series: one.label,
    rank,
    weight: one.node === null ? restOf(column) : weightOf(column, one.node),
  })));
}

export interface BreakdownRow {
  node: string;
  /** the node's row in the chart (position in the selection) */
  rank: number;
  phase: PhaseKind;
  /** position of the phase in a round (stacking order) */
  order: number;
  /** total simulated seconds the node spent in this phase over the run */
  seconds: number;
}

/**
 * Where each shown node's simulated time went over the whole run (round-phases.ts).
 * `ownTransferMs` (per node, ownTransferTimes) splits off the time transfers waited for a
 * shared server link; without it (no server link) there is no `link` row.
 */
export function breakdownRows(run: StrategyRun, selection: NodeSelection, ownTransferMs: readonly number[] | null = null): BreakdownRow[] {
  return breakdownRowsOf(runColumns(run, ownTransferMs), selection, ownTransferMs !== null);
}

export function breakdownRowsOf(run: RunColumns, selection: NodeSelection, withLink: boolean): BreakdownRow[] {
  const kinds = phaseKinds(withLink);
  return selection.indices.flatMap((i, k) => {
    const totals = run.phaseTotals(i);
    const node = selection.ids[k]!;
    return kinds.map((phase) => ({ node, rank: k, phase, order: PHASE_KINDS.indexOf(phase), seconds: totals[phase] / 1000 }));
  });
}
