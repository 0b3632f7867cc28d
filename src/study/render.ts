/**
 * The study on stdout, readable at 80 columns: per metric, each strategy's mean ± 95 %
 * interval (time to target with its reach rate on the same line); then, per strategy, the
 * paired differences against the baseline with raw and Holm-adjusted p-values, and one plain
 * verdict line per metric. Names come from the user or a shared study.json: escaped.
 */
import { TERMINAL_WIDTH, wrapParts } from '../report/wrap.js';
import { escapeForTerminal as shown } from '../text/terminal-escape.js';
import type { Comparison, StudyAnalysis } from './analyze.js';
import { METRIC_INFO, METRICS, type Kind, type Metric } from './metrics.js';

export interface StudyHeading {
  scenario: string;
  seeds: readonly number[];
  baseline: string;
  target: number | null;
}

const NONE = '—';

function fixed(value: number, digits: number, signed: boolean): string {
  const text = value.toFixed(digits);
  // only a true zero loses its sign: a small negative difference stays −0.00, never +0.00 beside "fewer"
  const unsigned = value === 0 && text.startsWith('-') ? text.slice(1) : text;
  const minus = unsigned.startsWith('-') ? `−${unsigned.slice(1)}` : unsigned;
  return signed && !unsigned.startsWith('-') ? `+${minus}` : minus;
}

const DIGITS: Record<Kind, number> = { accuracy: 4, duration: 3, count: 1, share: 3 };

function digitsOf(metric: Metric): number {
  if (metric === 'meanEffectiveParticipants' || metric === 'skippedRounds') return 2;
  return DIGITS[METRIC_INFO[metric].kind];
}

/** `mean ± half`, durations in seconds. */
export function showValue(metric: Metric, mean: number | null, half: number | null, signed = false): string {
  if (mean === null) return NONE;
  const scale = METRIC_INFO[metric].kind === 'duration' ? 1000 : 1;
  const digits = digitsOf(metric);
  const unit = scale === 1000 ? ' s' : '';
  const main = fixed(mean / scale, digits, signed);
  return half === null ? `${main}${unit}` : `${main} ± ${fixed(half / scale, digits, false)}${unit}`;
}

/**
 * A verdict's difference: as the table shows it, or, where that has no non-zero digit beside a
 * significant verdict (`fewer (−0.00, …)`), to two significant digits: `fewer (−0.0023, …)`.
 */
export function verdictValue(metric: Metric, mean: number | null, significant: boolean): string {
  const text = showValue(metric, mean, null, true);
  if (mean === null || mean === 0 || !significant || /[1-9]/.test(text) || !Number.isFinite(mean)) return text;
  const duration = METRIC_INFO[metric].kind === 'duration';
  const value = duration ? mean / 1000 : mean;
  const digits = Math.min(100, Math.max(digitsOf(metric), 1 - Math.floor(Math.log10(Math.abs(value)))));
  return `${fixed(value, digits, true)}${duration ? ' s' : ''}`;
}

/**
 * What a time-to-target verdict does not say by itself: it compares only the seeds on which
 * both reached the target, so a strategy "faster" there, or not tested, may have missed the
 * target on seeds the baseline reached. The parts of the note (`both reached it on 4 seeds`,
 * `only the baseline on 1`, …), or none when neither reached it alone on any seed.
 */
export function reachNote(c: Pick<Comparison, 'metric' | 'pairs' | 'onlyStrategy' | 'onlyBaseline'>): string[] {
  const alone = [
    ...(c.onlyBaseline ? [`only the baseline on ${c.onlyBaseline}`] : []),
    ...(c.onlyStrategy ? [`only this strategy on ${c.onlyStrategy}`] : []),
  ];
  if (c.metric !== 'timeToTargetMs' || alone.length === 0) return [];
  return [`both reached it on ${c.pairs === 0 ? 'no seed' : `${c.pairs} seed${c.pairs === 1 ? '' : 's'}`}`, ...alone];
}

export function showP(p: number | null): string {
  if (p === null) return NONE;
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

const HORIZON_NOTES = new Map<Metric, string>([
  ['horizonAccuracy', ' (per seed, at the shortest run\'s end)'],
  ['samplesHorizonAccuracy', ' (per seed, at the fewest samples any run trained)'],
]);

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length));
const padStart = (text: string, width: number) => ' '.repeat(Math.max(0, width - [...text].length)) + text;

export function renderStudy(heading: StudyHeading, analysis: StudyAnalysis): string {
  const lines: string[] = [];
  const names = analysis.summaries.map((s) => shown(s.strategy));
  let nameWidth = 8;
  for (const name of names) nameWidth = Math.min(28, Math.max(nameWidth, [...name].length));
  const seeds = heading.seeds.length;
  const target = heading.target === null ? 'no target' : `target ${heading.target}`;
  lines.push(`study · ${shown(heading.scenario)} · ${seeds} seed${seeds === 1 ? '' : 's'} × ${names.length} strategies · baseline ${shown(heading.baseline)} · ${target}`);
  lines.push('mean ± 95 % CI across seeds (Student t)');
  for (const metric of METRICS) {
    lines.push('', METRIC_INFO[metric].label + (HORIZON_NOTES.get(metric) ?? ''));
    analysis.summaries.forEach((summary, i) => {
      const m = summary.metrics[metric];
      let text = showValue(metric, m.mean, m.halfWidth);
      if (metric === 'timeToTargetMs') text = `${pad(text, 20)} reached ${m.n}/${m.of}`;
      lines.push(`  ${pad(names[i]!, nameWidth)}  ${text}`);
    });
  }
  const strategies = analysis.summaries.map((s) => s.strategy).filter((s) => s !== heading.baseline);
  for (const strategy of strategies) {
    const rows = analysis.comparisons.filter((c) => c.strategy === strategy);
    lines.push('', `${shown(strategy)} − ${shown(heading.baseline)}, paired on the same seed`);
    lines.push(`  ${pad('metric', 22)} ${padStart('Δ mean ± 95 % CI', 20)} ${padStart('pairs', 5)} ${padStart('t p', 6)} ${padStart('Holm', 6)} ${padStart('W p', 6)} ${padStart('Holm', 6)}`);
    for (const c of rows) {
      lines.push(`  ${pad(METRIC_INFO[c.metric].label, 22)} ${padStart(showValue(c.metric, c.meanDifference, c.halfWidth, true), 20)} ${padStart(String(c.pairs), 5)} ${padStart(showP(c.tP), 6)} ${padStart(showP(c.tPHolm), 6)} ${padStart(showP(c.wilcoxonP), 6)} ${padStart(showP(c.wilcoxonPHolm), 6)}`);
    }
    const ttt = rows.find((c) => c.metric === 'timeToTargetMs');
    if (ttt !== undefined) {
      lines.push(`  time to target reached by both on ${ttt.pairs} seeds, only by this strategy on ${ttt.onlyStrategy},`);
      lines.push(`  only by the baseline on ${ttt.onlyBaseline}`);
    }
    lines.push(`  verdict (Holm-adjusted paired t-test, p < 0.05):`);
    for (const c of rows) {
      const significant = c.verdict !== 'no significant difference' && c.verdict !== 'not tested';
      const detail = c.tPHolm === null ? '' : ` (${verdictValue(c.metric, c.meanDifference, significant)}, Holm p ${showP(c.tPHolm)})`;
      lines.push(`    ${pad(METRIC_INFO[c.metric].label, 24)}${c.verdict}${detail}`);
      const reach = reachNote(c);
      // never one part alone: the baseline or this strategy reached it alone on some seed
      if (reach.length > 0) lines.push(wrapParts(reach.map((part, i) => `${i === 0 ? '      (' : ''}${part}${i === reach.length - 1 ? ')' : ','}`), ' ', TERMINAL_WIDTH, '       '));
    }
  }
  lines.push('', 'Δ = strategy − baseline. t p: paired t-test, W p: Wilcoxon signed-rank test,');
  lines.push('both two-sided; Holm: adjusted over every comparison of the study (strategies ×');
  lines.push('metrics). Lowest weight share: a run\'s lowest node weight × participants');
  lines.push('(1 = an equal share).');
  return `${lines.join('\n')}\n`;
}
