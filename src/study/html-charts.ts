/**
 * The study report's charts as vega-lite specs with their data inline: mean accuracy with its
 * 95 % band against simulated time and against samples trained (bands.ts), and per metric
 * each strategy's paired difference from the baseline as a dot with its 95 % whisker and a
 * rule at 0. Strategies are ordered by a numeric `rank`, never by a list of names (a name
 * such as `constructor` would break vega's expression parser; see report/html/chart-data.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG } from '../report/html/charts.js';
import type { Comparison, StudyAnalysis } from './analyze.js';
import { accuracyBands, type BandAxis, type BandRow } from './bands.js';
import { METRIC_INFO, METRICS, type Metric } from './metrics.js';
import type { StudyRecord } from './record.js';

export interface StudyChart {
  id: string;
  kind: 'band' | 'difference';
  title: string;
  notes: string[];
  spec: TopLevelSpec;
}

const BY_RANK = { field: 'rank', op: 'min' } as const;
const WIDTH = 460;
const HEIGHT = 280;

const BAND_TEXT: Record<BandAxis, { title: string; axis: string }> = {
  time: { title: 'Mean accuracy against simulated time', axis: 'simulated time (s)' },
  samples: { title: 'Mean accuracy against samples trained', axis: 'samples trained' },
};

export function bandChart(rows: BandRow[], axis: BandAxis): StudyChart {
  const color = { field: 'strategy', type: 'nominal', title: 'strategy', sort: BY_RANK, legend: { orient: 'bottom', direction: 'horizontal' } } as const;
  const x = { field: 'x', type: 'quantitative', title: BAND_TEXT[axis].axis, scale: { zero: true } } as const;
  return {
    id: `chart-accuracy-${axis}`,
    kind: 'band',
    title: BAND_TEXT[axis].title,
    notes: [],
    spec: {
      description: `mean accuracy over seeds with its 95 % interval against ${BAND_TEXT[axis].axis}, per strategy`,
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      data: { values: rows },
      encoding: { x, color },
      layer: [
        {
          mark: { type: 'area', opacity: 0.18, clip: true },
          encoding: {
            y: { field: 'low', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
            y2: { field: 'high' },
          },
        },
        {
          mark: { type: 'line', strokeWidth: 2, clip: true },
          encoding: { y: { field: 'mean', type: 'quantitative' } },
        },
      ],
    },
  };
}

export interface DifferenceRow {
  strategy: string;
  rank: number;
  /** strategy − baseline, in the metric's display unit (seconds for durations) */
  mean: number;
  low: number;
  high: number;
  verdict: string;
  /** the colour: whether the Holm-adjusted paired t-test found a difference */
  finding: Finding;
  pairs: number;
}

export type Finding = 'significant' | 'not significant' | 'not tested';
const FINDINGS: Finding[] = ['significant', 'not significant', 'not tested'];
/** One colour per finding in every chart: red draws the eye to a real difference. */
const FINDING_COLORS = ['#d1242f', '#4c78a8', '#8c959f'];

function findingOf(c: Comparison): Finding {
  if (c.tPHolm === null) return 'not tested';
  return c.verdict === 'no significant difference' ? 'not significant' : 'significant';
}

/** The rows of one metric's difference chart: the strategies with a tested difference. */
export function differenceRows(comparisons: readonly Comparison[], metric: Metric, strategies: readonly string[]): DifferenceRow[] {
  const scale = METRIC_INFO[metric].kind === 'duration' ? 1000 : 1;
  const rows: DifferenceRow[] = [];
  for (const c of comparisons) {
    if (c.metric !== metric || c.meanDifference === null) continue;
    const half = c.halfWidth ?? 0;
    rows.push({
      strategy: c.strategy,
      rank: strategies.indexOf(c.strategy),
      mean: c.meanDifference / scale,
      low: (c.meanDifference - half) / scale,
      high: (c.meanDifference + half) / scale,
      verdict: c.verdict,
      finding: findingOf(c),
      pairs: c.pairs,
    });
  }
  return rows;
}

function differenceChart(metric: Metric, rows: DifferenceRow[], baseline: string, index: number): StudyChart {
  const unit = METRIC_INFO[metric].kind === 'duration' ? ' (s)' : '';
  const y = { field: 'strategy', type: 'nominal', title: null, sort: BY_RANK } as const;
  return {
    id: `chart-difference-${index + 1}`,
    kind: 'difference',
    title: `${METRIC_INFO[metric].label}: strategy − ${baseline}`,
    notes: [],
    spec: {
      description: `paired difference in ${METRIC_INFO[metric].label} against ${baseline} with its 95 % interval`,
      width: 300,
      height: { step: 26 },
      config: CONFIG,
      layer: [
        {
          data: { values: [{ zero: 0 }] },
          mark: { type: 'rule', color: '#8c959f', strokeDash: [4, 3] },
          encoding: { x: { field: 'zero', type: 'quantitative' } },
        },
        {
          data: { values: rows },
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            y,
            x: { field: 'low', type: 'quantitative', title: `Δ ${METRIC_INFO[metric].label}${unit}` },
            x2: { field: 'high' },
            color: { field: 'finding', type: 'nominal', title: 'Holm-adjusted paired t-test', scale: { domain: FINDINGS, range: FINDING_COLORS }, legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 200 } },
          },
        },
        {
          data: { values: rows },
          mark: { type: 'point', filled: true, size: 60 },
          encoding: {
            y,
            x: { field: 'mean', type: 'quantitative' },
            color: { field: 'finding', type: 'nominal' },
          },
        },
      ],
    },
  };
}

/** Every chart of the study report, in page order; metrics without a tested difference are listed in `untested`. */
export function buildStudyCharts(records: readonly StudyRecord[], strategies: readonly string[], baseline: string, analysis: StudyAnalysis): { bands: StudyChart[]; differences: StudyChart[]; untested: Metric[] } {
  const bands = (['time', 'samples'] as const).map((axis) => bandChart(accuracyBands(records, strategies, axis), axis));
  const differences: StudyChart[] = [];
  const untested: Metric[] = [];
  for (const metric of METRICS) {
    const rows = differenceRows(analysis.comparisons, metric, strategies);
    if (rows.length === 0) untested.push(metric);
    else differences.push(differenceChart(metric, rows, baseline, METRICS.indexOf(metric)));
  }
  return { bands, differences, untested };
}
