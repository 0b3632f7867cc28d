/**
 * The sweep's table on stdout. Per grid point (seed aside) and strategy: the mean
 * and 95 % confidence interval across seeds of final accuracy, time to target (over the
 * seeds that reached it) and simulated time. Then, per point, paired differences between
 * strategies on the same seed: strategies of one seed share network, data and initial
 * weights (common random numbers), so most of the seed-to-seed noise cancels in A − B and
 * its interval is much tighter than the two separate ones suggest. With a baseline, each
 * strategy is compared with it alone (A − baseline) instead of every pair. Names and `--set` values come
 * from the user or, under `merge`, from a shared sweep.json: each is escaped for the terminal.
 */
import { Chalk } from 'chalk';
import { NONE } from '../report/format.js';
import { makeTable, tableText } from '../report/table-style.js';
import { escapeForTerminal as shown } from '../text/terminal-escape.js';
import type { SweepManifest } from './manifest.js';
import { meanCi, type MeanCi } from './stats.js';
import { pointAxes, type SweepRow } from './summary-csv.js';

type Figure = 'finalAccuracy' | 'timeToTargetMs' | 'simulatedMs';

interface Group {
  point: string[];
  /** strategy → seed → row */
  byStrategy: Map<string, Map<number, SweepRow>>;
}

function groupRows(manifest: SweepManifest, rows: readonly SweepRow[]): Group[] {
  const axes = pointAxes(manifest);
  const groups = new Map<string, Group>();
  for (const row of [...rows].sort((a, b) => a.run.index - b.run.index)) {
    const point = axes.map((i) => row.run.point[i]!);
    const id = JSON.stringify(point);
    let group = groups.get(id);
    if (group === undefined) groups.set(id, (group = { point, byStrategy: new Map() }));
    let seeds = group.byStrategy.get(row.run.strategy);
    if (seeds === undefined) group.byStrategy.set(row.run.strategy, (seeds = new Map()));
    seeds.set(row.outcome.seed, row);
  }
  return [...groups.values()];
}

const present = (values: Array<number | null>): number[] => values.filter((v): v is number => v !== null);

/** `toFixed` without the `-0.0000` a tiny negative value rounds to. */
function fixed(value: number, digits: number, signed: boolean): string {
  const text = value.toFixed(digits);
  const unsigned = /^-0\.?0*$/.test(text) ? text.slice(1) : text;
  return signed && !unsigned.startsWith('-') ? `+${unsigned}` : unsigned;
}

function show(ci: MeanCi, digits: number, signed: boolean): string {
  if (ci.mean === null) return NONE;
  const mean = fixed(ci.mean, digits, signed);
  return ci.halfWidth === null ? mean : `${mean} ± ${fixed(ci.halfWidth, digits, false)}`;
}

/** Durations in s (3 decimals), or in ms (1 decimal) when mean and interval are under a second. */
function showDuration(ci: MeanCi, signed: boolean): string {
  if (ci.mean === null) return NONE;
  const inMs = Math.max(Math.abs(ci.mean), ci.halfWidth ?? 0) < 999.95;
  const scale = inMs ? 1 : 1000;
  const scaled = { ...ci, mean: ci.mean / scale, halfWidth: ci.halfWidth === null ? null : ci.halfWidth / scale };
  return `${show(scaled, inMs ? 1 : 3, signed)} ${inMs ? 'ms' : 's'}`;
}

function cells(values: Record<Figure, Array<number | null>>, total: number, signed: boolean): string[] {
  const reached = present(values.timeToTargetMs);
  const counted = reached.length === total ? '' : ` (${reached.length}/${total})`;
  return [
    show(meanCi(present(values.finalAccuracy)), 4, signed),
    reached.length === 0 ? NONE : showDuration(meanCi(reached), signed) + counted,
    showDuration(meanCi(present(values.simulatedMs)), signed),
  ];
}

function figures(rows: SweepRow[], pick: (row: SweepRow, figure: Figure) => number | null): Record<Figure, Array<number | null>> {
  return {
    finalAccuracy: rows.map((row) => pick(row, 'finalAccuracy')),
    timeToTargetMs: rows.map((row) => pick(row, 'timeToTargetMs')),
    simulatedMs: rows.map((row) => pick(row, 'simulatedMs')),
  };
}

const difference = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);

export interface SweepSummaryOptions {
  /** compare every strategy with this one (a name of the sweep) instead of every pair */
  baseline?: string;
}

/** The pairs of the paired table: every pair in strategy order, or each strategy against the baseline. */
function comparisons(strategies: readonly string[], baseline: string | undefined): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (baseline !== undefined) {
    if (!strategies.includes(baseline)) return pairs;
    for (const name of strategies) if (name !== baseline) pairs.push([name, baseline]);
    return pairs;
  }
  strategies.forEach((a, i) => { for (const b of strategies.slice(i + 1)) pairs.push([a, b]); });
  return pairs;
}

export function renderSweepSummary(manifest: SweepManifest, rows: readonly SweepRow[], options: SweepSummaryOptions = {}): string {
  const paint = new Chalk({ level: 0 });
  const axisNames = pointAxes(manifest).map((i) => shown(manifest.axes[i]!.path));
  const groups = groupRows(manifest, rows);
  const figureHeads = ['final accuracy', 'time to target', 'simulated time'];
  const aligns = (n: number) => [...axisNames.map(() => 'left' as const), 'left' as const, ...Array(n).fill('right')];

  const means = makeTable([...axisNames, 'strategy', 'seeds', ...figureHeads], aligns(4), paint);
  const paired = makeTable([...axisNames, 'difference', 'pairs', ...figureHeads.map((h) => `Δ ${h}`)], aligns(4), paint);
  for (const group of groups) {
    const strategies = manifest.strategies.filter((name) => group.byStrategy.has(name));
    for (const name of strategies) {
      const seeds = [...group.byStrategy.get(name)!.values()];
      means.push([...group.point.map(shown), shown(name), String(seeds.length), ...cells(figures(seeds, (row, f) => row.outcome[f]), seeds.length, false)]);
    }
    for (const [a, b] of comparisons(strategies, options.baseline)) {
      const other = group.byStrategy.get(b)!;
      const pairs = [...group.byStrategy.get(a)!.values()].filter((row) => other.has(row.outcome.seed));
      const values = figures(pairs, (row, f) => difference(row.outcome[f], other.get(row.outcome.seed)!.outcome[f]));
      paired.push([...group.point.map(shown), `${shown(a)} − ${shown(b)}`, String(pairs.length), ...cells(values, pairs.length, true)]);
    }
  }
  const parts = [`sweep · ${shown(manifest.scenario.name)} · ${rows.length} runs · mean ± 95 % CI across seeds (Student t)`, tableText(means)];
  if (paired.length > 0) {
    const against = options.baseline === undefined ? '' : ` against ${shown(options.baseline)}`;
    parts.push('', `paired differences${against} on the same seed (common random numbers), mean ± 95 % CI`, tableText(paired));
  }
  parts.push('  time to target: over the runs that reached it (n/N when not all did)');
  return `${parts.join('\n')}\n`;
}
