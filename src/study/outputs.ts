/**
 * What a complete study writes besides its records: `summary.csv` (one row per run, in grid
 * order: seed, strategy, the seed's equal-time and equal-samples horizons, every metric) and `study-results.json`,
 * the whole study (also what `--json FILE` writes; docs/study.md documents it). Both depend
 * only on the stored records and study.json, so a merge of shards writes the same bytes.
 */
import { csvCell } from '../report/csv-cell.js';
import type { StudyAnalysis } from './analyze.js';
import type { StudyManifest } from './manifest.js';
import { METRICS } from './metrics.js';
import type { StudyRecord } from './record.js';
import { CONFIDENCE } from './stats.js';

export const STUDY_SUMMARY_FILE = 'summary.csv';
export const STUDY_RESULTS_FILE = 'study-results.json';
export const RESULTS_VERSION = 1;

export function studySummaryCsv(manifest: StudyManifest, analysis: StudyAnalysis): string {
  const files = new Map(manifest.grid.runs.map((run) => [`${run.strategy}\u0000${run.seed}`, run.report]));
  const header = ['seed', 'strategy', 'horizonMs', 'horizonSamples', ...METRICS, 'record'];
  const rows = analysis.runs.map((run) => [
    run.seed, run.strategy, run.horizonMs, run.horizonSamples, ...METRICS.map((metric) => run.metrics[metric]), files.get(`${run.strategy}\u0000${run.seed}`) ?? null,
  ]);
  return [header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';
}

export function studyResultsJson(manifest: StudyManifest, analysis: StudyAnalysis, records: readonly StudyRecord[]): string {
  const rounds = new Map(records.map((r) => [`${r.strategy}\u0000${r.seed}`, r.rounds]));
  const interval = (mean: number | null, half: number | null) => ({
    low: mean === null || half === null ? null : mean - half,
    high: mean === null || half === null ? null : mean + half,
  });
  const study = {
    studyVersion: RESULTS_VERSION,
    tool: manifest.grid.tool,
    scenario: manifest.grid.scenario,
    seeds: manifest.seeds,
    strategies: manifest.grid.strategies,
    baseline: manifest.baseline,
    target: manifest.target,
    ablate: manifest.ablate,
    confidence: CONFIDENCE,
    summaries: analysis.summaries.map((s) => ({
      strategy: s.strategy,
      runs: s.runs,
      metrics: Object.fromEntries(METRICS.map((metric) => {
        const m = s.metrics[metric];
        return [metric, { n: m.n, of: m.of, mean: m.mean, halfWidth: m.halfWidth, ...interval(m.mean, m.halfWidth) }];
      })),
    })),
    comparisons: analysis.comparisons.map((c) => ({ ...c, ...interval(c.meanDifference, c.halfWidth) })),
    runs: analysis.runs.map((run) => ({ ...run, rounds: rounds.get(`${run.strategy}\u0000${run.seed}`) ?? null })),
  };
  return `${JSON.stringify(study, null, 2)}\n`;
}
