/**
 * `dtrain study … --report FILE.html`: the study on one self-contained page, built with the
 * run report's page, table and SVG helpers (report/html): mean accuracy with 95 % bands
 * against simulated time and against samples trained, each metric's paired differences from
 * the baseline with their intervals, and the mechanism table — every metric per strategy and
 * the verdicts, in the terminal's own wording and number formats (render.ts). Deterministic:
 * it depends only on study.json and the records, so a merge of shards writes the same bytes.
 */
import { escapeHtml } from '../report/html/escape.js';
import { figure, htmlDocument } from '../report/html/page.js';
import { renderSvg } from '../report/html/render.js';
import { table, type Align } from '../report/html/tables.js';
import type { StudyAnalysis } from './analyze.js';
import { buildStudyCharts, type StudyChart } from './html-charts.js';
import type { StudyManifest } from './manifest.js';
import { METRIC_INFO, METRICS } from './metrics.js';
import type { StudyRecord } from './record.js';
import { reachNote, showP, showValue } from './render.js';

export const STUDY_CAPTION = {
  bands: 'The mean test accuracy over seeds of the model each strategy holds at that point, with its 95 % interval '
    + '(Student t) shaded. Each seed’s run counts the accuracy of its last round ended by then; after its last round '
    + 'a run keeps its final model. A point is drawn once every seed has an evaluated round. Against samples trained, '
    + 'a strategy that reaches an accuracy further left learns more from each sample; against time, sooner.',
  differences: 'Each strategy minus the baseline, paired on the seed: the dot is the mean difference, the whisker its '
    + '95 % interval. The colour is the verdict of the Holm-adjusted paired t-test: red where it finds a '
    + 'difference (p < 0.05), blue where it does not, grey below two pairs. The dashed line is 0.',
  mechanism: 'Mean ± 95 % interval over seeds of every metric, and each strategy’s verdict against the baseline '
    + '(Holm-adjusted paired t-test, p < 0.05; the Wilcoxon signed-rank p beside it). Time to target counts the runs '
    + 'that reached it; lowest weight share is a run’s lowest node weight × participants (1 = an equal share).',
} as const;

function chartSection(id: string, heading: string, caption: string, charts: StudyChart[], svgs: Map<string, string>, notes: string[] = []): string {
  const figures = charts.map((chart) => figure(chart, svgs.get(chart.id)!)).join('\n');
  const extra = notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('\n');
  return `<section id="${id}"><h2>${escapeHtml(heading)}</h2>\n<p class="caption">${escapeHtml(caption)}</p>\n<div class="charts">\n${figures}\n</div>${extra}</section>`;
}

/** Rows: metrics; columns: each strategy's mean ± interval (time to target with its reach rate). */
function meansTable(analysis: StudyAnalysis): string {
  const head = ['metric', ...analysis.summaries.map((s) => s.strategy)];
  const rows = METRICS.map((metric) => [
    METRIC_INFO[metric].label,
    ...analysis.summaries.map((s) => {
      const m = s.metrics[metric];
      const text = showValue(metric, m.mean, m.halfWidth);
      return metric === 'timeToTargetMs' ? `${text} (reached ${m.n}/${m.of})` : text;
    }),
  ]);
  return table('summary', head, rows, ['left', ...analysis.summaries.map((): Align => 'right')]);
}

/** Rows: strategy × metric against the baseline: Δ ± interval, pairs, p-values, verdict. */
export function verdictTable(analysis: StudyAnalysis): string {
  const head = ['strategy', 'metric', 'Δ mean ± 95 % CI', 'pairs', 't p', 'Holm', 'W p', 'Holm', 'verdict'];
  const rows = analysis.comparisons.map((c) => [
    c.strategy, METRIC_INFO[c.metric].label, showValue(c.metric, c.meanDifference, c.halfWidth, true), String(c.pairs),
    showP(c.tP), showP(c.tPHolm), showP(c.wilcoxonP), showP(c.wilcoxonPHolm), reachNote(c).length === 0 ? c.verdict : `${c.verdict} (${reachNote(c).join(', ')})`,
  ]);
  return table('summary', head, rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left']);
}

export async function renderStudyReport(manifest: StudyManifest, analysis: StudyAnalysis, records: readonly StudyRecord[], version: string): Promise<string> {
  const { grid, baseline, seeds, target } = manifest;
  const { bands, differences, untested } = buildStudyCharts(records, grid.strategies, baseline, analysis);
  const svgs = new Map<string, string>();
  for (const chart of [...bands, ...differences]) svgs.set(chart.id, await renderSvg(chart.spec, chart.id));
  const scenario = grid.scenario.name;
  const meta = `dtrain ${version} · study · ${seeds.length} seed${seeds.length === 1 ? '' : 's'} × ${grid.strategies.length} strategies · `
    + `baseline ${baseline} · ${target === null ? 'no target' : `target ${target}`}`;
  const header = `<h1>${escapeHtml(scenario)}</h1>
<p class="meta">${escapeHtml(meta)}</p>
<nav><ul><li><a href="#accuracy">Accuracy over seeds</a></li><li><a href="#differences">Paired differences</a></li><li><a href="#mechanism">Mechanism table</a></li></ul></nav>`;
  const untestedNote = untested.length === 0 ? [] : [`No paired difference to draw (fewer than one pair): ${untested.map((m) => METRIC_INFO[m].label).join(', ')}.`];
  const main = [
    chartSection('accuracy', 'Accuracy over seeds: against simulated time and samples trained', STUDY_CAPTION.bands, bands, svgs),
    chartSection('differences', `Paired differences against ${baseline}`, STUDY_CAPTION.differences, differences, svgs, untestedNote),
    `<section id="mechanism"><h2>Mechanism table</h2>\n<p class="caption">${escapeHtml(STUDY_CAPTION.mechanism)}</p>\n${meansTable(analysis)}\n${verdictTable(analysis)}\n</section>`,
  ].join('\n');
  return htmlDocument({
    version,
    title: `dtrain study · ${scenario}`,
    header,
    main,
    footer: 'Generated by dtrain from the study’s stored runs (the same as study-results.json). Times are simulated; the page is self-contained and works offline.',
  });
}
