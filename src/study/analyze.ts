/**
 * A study's answer from its stored runs: per strategy the mean and 95 % interval of every
 * metric, then each strategy against the baseline paired on the seed (both ran on the same
 * network and data: common random numbers), with the paired t-test's and the Wilcoxon
 * signed-rank test's p-values Holm-adjusted over every comparison of the study (strategies ×
 * metrics; each test its own family), and a verdict from the adjusted t-test.
 *
 * Time to target is never summarised over the runs that reached it alone: its mean always
 * travels with the reach rate, and its paired difference with the number of seeds on which
 * only one of the two reached it.
 */
import { holm, meanCi, pairedTest, ALPHA, type MeanCi } from './stats.js';
import { horizons, sampleHorizons, METRIC_INFO, METRICS, runMetrics, type Metric, type RunMetrics } from './metrics.js';
import type { StudyRecord } from './record.js';

export interface MetricSummary extends MeanCi {
  /** runs of the strategy (the denominator of a reach rate) */
  of: number;
}

export interface StrategySummary {
  strategy: string;
  runs: number;
  metrics: Record<Metric, MetricSummary>;
}

export type Verdict = 'higher' | 'lower' | 'faster' | 'slower' | 'more' | 'fewer' | 'larger' | 'smaller' | 'no significant difference' | 'not tested';

export interface Comparison {
  strategy: string;
  baseline: string;
  metric: Metric;
  /** seeds on which both runs have the metric */
  pairs: number;
  meanDifference: number | null;
  halfWidth: number | null;
  tP: number | null;
  wilcoxonP: number | null;
  tPHolm: number | null;
  wilcoxonPHolm: number | null;
  verdict: Verdict;
  /** time to target only: seeds on which only this strategy, or only the baseline, reached it */
  onlyStrategy?: number;
  onlyBaseline?: number;
}

export interface StudyRun {
  strategy: string;
  seed: number;
  /** the seed's equal-time horizon, ms */
  horizonMs: number | null;
  /** the seed's equal-samples horizon: the fewest samples any strategy trained on it */
  horizonSamples: number | null;
  metrics: RunMetrics;
}

export interface StudyAnalysis {
  summaries: StrategySummary[];
  comparisons: Comparison[];
  runs: StudyRun[];
}

export interface AnalysisInput {
  records: readonly StudyRecord[];
  /** in display order; the baseline among them */
  strategies: readonly string[];
  baseline: string;
  /** time-to-target threshold; null: no target (time to target is never reached) */
  target: number | null;
}

function verdictOf(metric: Metric, difference: number | null, adjusted: number | null): Verdict {
  if (adjusted === null || difference === null) return 'not tested';
  if (!(adjusted < ALPHA) || difference === 0) return 'no significant difference';
  const [more, less] = METRIC_INFO[metric].words;
  return (difference > 0 ? more : less) as Verdict;
}

export function analyzeStudy(input: AnalysisInput): StudyAnalysis {
  const horizon = horizons(input.records);
  const sampleHorizon = sampleHorizons(input.records);
  const target = input.target ?? Infinity;
  const runs: StudyRun[] = [...input.records]
    .sort((a, b) => a.seed - b.seed || input.strategies.indexOf(a.strategy) - input.strategies.indexOf(b.strategy))
    .map((record) => ({
      strategy: record.strategy,
      seed: record.seed,
      horizonMs: horizon.get(record.seed) ?? null,
      horizonSamples: sampleHorizon.get(record.seed) ?? null,
      metrics: runMetrics(record, target, horizon.get(record.seed), sampleHorizon.get(record.seed)),
    }));
  const byStrategy = new Map<string, Map<number, StudyRun>>();
  for (const name of input.strategies) byStrategy.set(name, new Map());
  for (const run of runs) byStrategy.get(run.strategy)?.set(run.seed, run);

  const summaries = input.strategies.map((strategy): StrategySummary => {
    const own = [...byStrategy.get(strategy)!.values()];
    const metrics = {} as Record<Metric, MetricSummary>;
    for (const metric of METRICS) {
      const values: number[] = [];
      for (const run of own) if (run.metrics[metric] !== null) values.push(run.metrics[metric]!);
      metrics[metric] = { ...meanCi(values), of: own.length };
    }
    return { strategy, runs: own.length, metrics };
  });

  const base = byStrategy.get(input.baseline)!;
  const comparisons: Comparison[] = [];
  for (const strategy of input.strategies) {
    if (strategy === input.baseline) continue;
    const own = byStrategy.get(strategy)!;
    for (const metric of METRICS) {
      const differences: number[] = [];
      let onlyStrategy = 0;
      let onlyBaseline = 0;
      for (const [seed, run] of own) {
        const other = base.get(seed);
        if (other === undefined) continue;
        const a = run.metrics[metric];
        const b = other.metrics[metric];
        if (a !== null && b !== null) differences.push(a - b);
        else if (a !== null) onlyStrategy += 1;
        else if (b !== null) onlyBaseline += 1;
      }
      const test = pairedTest(differences);
      comparisons.push({
        strategy, baseline: input.baseline, metric, pairs: test.n,
        meanDifference: test.mean, halfWidth: test.halfWidth, tP: test.tP, wilcoxonP: test.wilcoxonP,
        tPHolm: null, wilcoxonPHolm: null, verdict: 'not tested',
        ...(metric === 'timeToTargetMs' ? { onlyStrategy, onlyBaseline } : {}),
      });
    }
  }
  const tAdjusted = holm(comparisons.map((c) => c.tP));
  const wAdjusted = holm(comparisons.map((c) => c.wilcoxonP));
  comparisons.forEach((c, i) => {
    c.tPHolm = tAdjusted[i]!;
    c.wilcoxonPHolm = wAdjusted[i]!;
    c.verdict = verdictOf(c.metric, c.meanDifference, c.tPHolm);
  });
  return { summaries, comparisons, runs };
}
