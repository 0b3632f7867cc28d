/**
 * The `--report FILE.html` page: one self-contained file — inline CSS, inline SVG charts
 * rendered in Node by vega (render.ts), no script, no external asset, and a
 * Content-Security-Policy that forbids the browser any request, so it works offline and
 * cannot leak. Deterministic: the same RunResult gives the same bytes (wall time only with
 * `timing`, as in the JSON).
 */
import type { RunResult } from '../../sim/records.js';
import type { RunColumns } from './chart-data.js';
import { buildCharts, type ChartDef, type ChartKind } from './charts.js';
import { baseNameOnly, type PathDisplay } from './path-display.js';
import { escapeHtml } from './escape.js';
import { renderSvg } from './render.js';
import { STYLE } from './style.js';
import { nodesTable, scenarioTable, summaryTable } from './tables.js';
import { CAPTION, FOOTER, PAGE_TITLE_PREFIX, SECTION, headerLine, stoppedNote } from './wording.js';
import { formatCount } from '../format.js';

export interface HtmlReportOptions {
  /** dtrain's version, shown in the header */
  version: string;
  /** show host wall-clock time in the summary (non-deterministic, like the JSON's wallMs) */
  timing: boolean;
  /** how file paths are shown (path-display.ts); default: by base name alone */
  showPath?: PathDisplay;
  /** per run, the per-node values gathered as a run that kept no node records went (accumulate.ts) */
  columns?: readonly RunColumns[];
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

interface ChartSection {
  id: string;
  heading: string;
  captions: string[];
  kinds: ChartKind[];
}

const CHART_SECTIONS: ChartSection[] = [
  { id: 'progress', heading: SECTION.progress, captions: [CAPTION.accuracy, CAPTION.loss], kinds: ['accuracy', 'loss'] },
  { id: 'efficiency', heading: SECTION.efficiency, captions: [CAPTION.efficiency], kinds: ['efficiency'] },
  { id: 'batch', heading: SECTION.batch, captions: [CAPTION.batch], kinds: ['batch'] },
  { id: 'weights', heading: SECTION.weights, captions: [CAPTION.weights], kinds: ['weights'] },
  { id: 'breakdown', heading: SECTION.breakdown, captions: [CAPTION.breakdown], kinds: ['breakdown'] },
];

/** A chart's figure: its title, the rendered SVG and its notes (the browser test finds charts by it). */
export function figure(chart: { id: string; kind: string; title: string; notes: readonly string[] }, svg: string): string {
  const notes = chart.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('');
  return `<figure class="chart" id="${chart.id}" data-chart="${chart.kind}">`
    + `<figcaption><h3>${escapeHtml(chart.title)}</h3></figcaption>\n${svg}\n${notes}</figure>`;
}

function chartSection(section: ChartSection, charts: ChartDef[], svgs: Map<string, string>): string {
  const figures = charts.filter((chart) => section.kinds.includes(chart.kind))
    .map((chart) => figure(chart, svgs.get(chart.id)!)).join('\n');
  const captions = section.captions.map((text) => `<p class="caption">${escapeHtml(text)}</p>`).join('\n');
  return `<section id="${section.id}"><h2>${escapeHtml(section.heading)}</h2>\n${captions}\n<div class="charts">\n${figures}\n</div></section>`;
}

function nav(): string {
  const links: Array<[string, string]> = [
    ['summary', SECTION.summary], ...CHART_SECTIONS.map((s): [string, string] => [s.id, s.heading]), ['scenario', SECTION.scenario],
  ];
  return `<nav><ul>${links.map(([id, text]) => `<li><a href="#${id}">${escapeHtml(text)}</a></li>`).join('')}</ul></nav>`;
}

/** The whole page as a string, ending in a newline. */
export async function renderHtmlReport(result: RunResult, options: HtmlReportOptions): Promise<string> {
  const { scenario } = result;
  const charts = buildCharts(result, options.columns);
  const svgs = new Map<string, string>();
  for (const chart of charts) svgs.set(chart.id, await renderSvg(chart.spec, chart.id));
  const nodeCount = scenario.cluster.nodes.length;
  const stopped = stoppedNote(result);
  const showPath = options.showPath ?? baseNameOnly;
  const file = scenario.file === null ? null : showPath(scenario.file);
  const header = `<h1>${escapeHtml(scenario.name)}</h1>
<p class="meta">${escapeHtml(headerLine(options.version, scenario.seed, file))}</p>
${scenario.description === '' ? '' : `<p>${escapeHtml(scenario.description)}</p>`}
${stopped === null ? '' : `<p class="alert">${escapeHtml(stopped)}</p>`}
${nav()}`;
  const main = `<section id="summary"><h2>${SECTION.summary}</h2>
${summaryTable(result, options.timing)}
</section>
${CHART_SECTIONS.map((section) => chartSection(section, charts, svgs)).join('\n')}
<section id="scenario"><h2>${SECTION.scenario}</h2>
${scenarioTable(scenario, showPath)}
<details><summary>${escapeHtml(`${SECTION.nodes} (${formatCount(nodeCount)})`)}</summary>
${nodesTable(scenario, showPath)}
</details>
</section>`;
  return htmlDocument({ version: options.version, title: `${PAGE_TITLE_PREFIX} · ${scenario.name}`, header, main, footer: FOOTER });
}

/**
 * The page around a report's header and main parts (already HTML): the CSP, the inline
 * stylesheet and the footer. Shared by the run report and the study report (src/study).
 */
export function htmlDocument(parts: { version: string; title: string; header: string; main: string; footer: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dtrain ${escapeHtml(parts.version)}">
<title>${escapeHtml(parts.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
${parts.header}
</header>
<main>
${parts.main}
</main>
<footer>${escapeHtml(parts.footer)}</footer>
</body>
</html>
`;
}
