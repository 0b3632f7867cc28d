/**
 * The HTML report's charts as vega-lite specs, built from the RunResult by the pure row
 * builders of chart-data.ts (render.ts turns them into SVG). Every spec carries its data
 * inline (`data.values`), so a chart can be checked against the JSON of the same run.
 * Nominal scales are ordered by the rows' numeric `rank`, never by a list of names: vega
 * would compile such a list into an expression, where a name like `constructor` breaks it.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunResult, StrategyRun } from '../../sim/records.js';
import { ownTransferTimes, phaseKinds, type PhaseKind } from '../round-phases.js';
import {
  breakdownRowsOf, heatCellsOf, lineStride, progressRows, roundColumns, roundColumnsFor, runColumns, selectNodesOf, weightRowsOf, weightSeriesOf,
  type NodeSelection, type RoundColumn, type RunColumns, type WeightSeries,
} from './chart-data.js';
import {
  AXIS, CAPTION, PHASE_LABELS, averagedRoundsNote, limitedNodesNote, othersNote, roundAxisTitle, strategyHeading, thinnedLineNote,
} from './wording.js';

export type ChartKind = 'accuracy' | 'loss' | 'efficiency' | 'batch' | 'weights' | 'breakdown';

export interface ChartDef {
  /** unique, usable as an HTML id */
  id: string;
  kind: ChartKind;
  /** strategy name for per-strategy charts */
  strategy: string | null;
  title: string;
  caption: string;
  notes: string[];
  spec: TopLevelSpec;
}

/** Phase colours: transfers cool, compute warm, the server link purple, waiting red, idle grey. */
const PHASE_COLORS: Record<PhaseKind, string> = {
  download: '#4c78a8', compute: '#f58518', upload: '#72b7b2', link: '#b279a2', waiting: '#e45756', idle: '#bab0ac',
};
const LINE_WIDTH = 420;
const LINE_HEIGHT = 260;
/** Beyond this many rounds the lines drop their point markers. */
const MAX_POINTS = 60;

/** Order a nominal or ordinal scale by the rows' `rank` field (chart-data.ts). */
const BY_RANK = { field: 'rank', op: 'min' } as const;

export const CONFIG = {
  font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif',
  background: 'white',
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const },
  legend: { labelFontSize: 11, titleFontSize: 12 },
};

function progressChart(result: RunResult, field: 'accuracy' | 'loss'): ChartDef {
  const many = result.runs.some((run) => run.rounds.length > MAX_POINTS);
  const longest = Math.max(0, ...result.runs.map((run) => run.rounds.length));
  const stride = lineStride(longest, result.runs.length);
  return {
    id: `chart-${field}`,
    kind: field,
    strategy: null,
    title: field === 'accuracy' ? 'Accuracy' : 'Loss',
    caption: CAPTION[field],
    notes: stride > 1 ? [thinnedLineNote(stride)] : [],
    spec: {
      description: `${field} against simulated time per strategy`,
      width: LINE_WIDTH,
      height: LINE_HEIGHT,
      config: CONFIG,
      data: { values: progressRows(result.runs) },
      mark: { type: 'line', point: !many, strokeWidth: 2 },
      encoding: {
        // simulated time starts at 0 for every strategy
        x: { field: 'timeS', type: 'quantitative', title: AXIS.time, scale: { zero: true } },
        y: {
          field,
          type: 'quantitative',
          title: AXIS[field],
          scale: field === 'accuracy' ? { domain: [0, 1] } : { zero: false },
        },
        color: {
          field: 'strategy', type: 'nominal', title: AXIS.strategy,
          sort: BY_RANK,
          legend: { orient: 'bottom', direction: 'horizontal' },
        },
        order: { field: 'round', type: 'quantitative' },
      },
    },
  };
}

function cellSize(count: number, span: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.floor(span / Math.max(1, count))));
}

function gridNotes(selection: NodeSelection, columns: readonly RoundColumn[]): string[] {
  const perColumn = columns[0]?.positions.length ?? 1;
  return [
    ...(selection.limited ? [limitedNodesNote(selection.indices.length, selection.total)] : []),
    ...(perColumn > 1 ? [averagedRoundsNote(perColumn)] : []),
  ];
}

/** The largest batch any strategy dispatched: one colour scale for every batch heat map. */
function maxBatch(runs: readonly RunColumns[]): number {
  let max = 1;
  for (const run of runs) for (const values of run.batch) for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  return max;
}

function heatmap(
  run: StrategyRun, data: RunColumns, index: number, field: 'efficiency' | 'batch', selection: NodeSelection, maxColumns: number, batchMax = 1,
): ChartDef {
  const columns = roundColumns(run, maxColumns);
  const perColumn = columns[0]?.positions.length ?? 1;
  const color = field === 'efficiency'
    ? { scale: { domain: [0, 1], scheme: 'viridis' }, title: AXIS.efficiency }
    : { scale: { domain: [0, batchMax], range: ['#ffffff', '#08519c'], interpolate: 'lab' }, title: AXIS.batch };
  return {
    id: `chart-${field}-${index + 1}`,
    kind: field,
    strategy: run.strategy.name,
    title: strategyHeading(run.strategy.name, run.strategy),
    caption: CAPTION[field],
    notes: gridNotes(selection, columns),
    spec: {
      description: `${field} per node and round, strategy ${run.strategy.name}`,
      width: { step: cellSize(columns.length, 640, 4, 24) },
      height: { step: cellSize(selection.ids.length, 640, 9, 26) },
      config: { ...CONFIG, axis: { ...CONFIG.axis, grid: false, domain: false, ticks: false } },
      data: { values: heatCellsOf(data, selection, columns) },
      mark: { type: 'rect' },
      encoding: {
        x: {
          field: 'round', type: 'ordinal', title: roundAxisTitle(perColumn),
          axis: { labelAngle: 0, labelOverlap: 'parity' },
        },
        y: { field: 'node', type: 'ordinal', title: AXIS.node, sort: BY_RANK, axis: { labelOverlap: 'parity' } },
        color: { field, type: 'quantitative', ...color },
      },
    },
  };
}

function weightsChart(run: StrategyRun, data: RunColumns, index: number, series: readonly WeightSeries[], total: number, maxColumns: number): ChartDef {
  const columns = roundColumns(run, maxColumns);
  const perColumn = columns[0]?.positions.length ?? 1;
  const summed = series.at(-1)?.node === null;
  return {
    id: `chart-weights-${index + 1}`,
    kind: 'weights',
    strategy: run.strategy.name,
    title: strategyHeading(run.strategy.name, run.strategy),
    caption: CAPTION.weights,
    notes: [
      ...(summed ? [othersNote(series.length - 1, total)] : []),
      ...(perColumn > 1 ? [averagedRoundsNote(perColumn)] : []),
    ],
    spec: {
      description: `aggregation weight per node and round, strategy ${run.strategy.name}`,
      width: { step: cellSize(columns.length, 640, 3, 24) },
      height: 220,
      config: CONFIG,
      data: { values: weightRowsOf(data, columns, series) },
      mark: { type: 'bar' },
      encoding: {
        x: {
          field: 'round', type: 'ordinal', title: roundAxisTitle(perColumn),
          // touching columns read as one band per node across the rounds
          scale: { paddingInner: 0 },
          axis: { labelAngle: 0, labelOverlap: 'parity' },
        },
        y: { field: 'weight', type: 'quantitative', stack: 'zero', title: AXIS.weight, scale: { domain: [0, 1] } },
        color: { field: 'series', type: 'nominal', title: AXIS.node, sort: BY_RANK, scale: { scheme: 'tableau10' } },
        order: { field: 'rank', type: 'quantitative' },
      },
    },
  };
}

function breakdownChart(run: StrategyRun, data: RunColumns, index: number, selection: NodeSelection, withLink: boolean): ChartDef {
  const kinds = phaseKinds(withLink);
  const labels = kinds.map((kind) => PHASE_LABELS[kind]);
  return {
    id: `chart-breakdown-${index + 1}`,
    kind: 'breakdown',
    strategy: run.strategy.name,
    title: strategyHeading(run.strategy.name, run.strategy),
    caption: CAPTION.breakdown,
    notes: gridNotes(selection, [{ first: 1, last: 1, positions: [0] }]),
    spec: {
      description: `simulated time per phase and node, strategy ${run.strategy.name}`,
      width: 560,
      height: { step: cellSize(selection.ids.length, 640, 9, 22) },
      config: CONFIG,
      data: { values: breakdownRowsOf(data, selection, withLink).map((row) => ({ ...row, label: PHASE_LABELS[row.phase] })) },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'node', type: 'ordinal', title: AXIS.node, sort: BY_RANK, axis: { labelOverlap: 'parity' } },
        // no rounding of the axis end: every bar ends at the run's simulated time
        x: { field: 'seconds', type: 'quantitative', stack: 'zero', title: AXIS.seconds, scale: { nice: false } },
        color: {
          field: 'label', type: 'nominal', title: AXIS.phase, sort: labels,
          scale: { domain: labels, range: kinds.map((kind) => PHASE_COLORS[kind]) },
          // vertical: headless vega only estimates text widths, which spaces a horizontal legend unevenly
          legend: { labelLimit: 320 },
        },
        order: { field: 'order', type: 'quantitative' },
      },
    },
  };
}

/**
 * Every chart of the report, in page order. `columns` (one per run) are the per-node values
 * gathered as the run went when it did not keep its node records; by default they come from
 * the records.
 */
export function buildCharts(result: RunResult, columns?: readonly RunColumns[]): ChartDef[] {
  const own = ownTransferTimes(result);
  const data = columns ?? result.runs.map((run) => runColumns(run, own));
  // shared across strategies: the same node rows, batch colours and weight series everywhere
  const nodeIds = result.scenario.cluster.nodes.map((node) => node.id);
  const selection = selectNodesOf(data, nodeIds);
  const batchMax = maxBatch(data);
  const series = weightSeriesOf(data, nodeIds);
  const maxColumns = roundColumnsFor(result.runs.length);
  return [
    progressChart(result, 'accuracy'),
    progressChart(result, 'loss'),
    ...result.runs.map((run, s) => heatmap(run, data[s]!, s, 'efficiency', selection, maxColumns)),
    ...result.runs.map((run, s) => heatmap(run, data[s]!, s, 'batch', selection, maxColumns, batchMax)),
    ...result.runs.map((run, s) => weightsChart(run, data[s]!, s, series, nodeIds.length, maxColumns)),
    ...result.runs.map((run, s) => breakdownChart(run, data[s]!, s, selection, own !== null)),
  ];
}
