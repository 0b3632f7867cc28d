/**
 * User-facing wording of the terminal reports, kept apart from the layout logic so it can
 * be read, reviewed and changed in one place. Values arrive pre-formatted, names already
 * escaped for the terminal. Lines are wrapped to 80 columns (wrap.ts).
 */
import type { RunResult } from '../sim/records.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { wrapParts } from './wrap.js';
import { formatCount } from './format.js';

/** Column headers of the per-round node table; the order is the column order. */
export const NODE_COLUMNS = [
  'node', 'e', 'batch', 'thr', 'io q', 'prev step ms', 'vol', 'weight', 'status',
] as const;

export const STATUS_OK = '✓';
export const STATUS_IDLE = 'idle';
export const STATUS_DROPPED = {
  retries: '✗ retries',
  deadline: '✗ deadline',
} as const;

/** The median row holds the lower median: a value some node has (a whole batch, not 30.5). */
export const STAT_LABELS = { min: 'min', median: 'low median', max: 'max' } as const;

export const WORST_NODES_HEADING = 'lowest efficiency or weight (below the median):';
export const DROPPED_NODES_HEADING = 'dropped:';

const LEGEND_PARTS = [
  'e = S1 communication efficiency',
  'batch = S2 batch (planned)',
  'thr, io q = S3 threads and I/O queue depth',
  'prev step ms = S3’s response time: its mean step time when it last took part',
  '(before that: its step time at this batch with the base threads and queue)',
  'vol = S4 gradient-norm volatility',
  'weight = S4 share (<0.001: small but not 0)',
  '✓ took part',
  'idle = batch 0, not dispatched',
  '✗ = dropped at the round deadline or after the last retry',
];

const LARGE_LEGEND = 'above {max} nodes a round shows min / low median / max over participants (e over all '
  + 'nodes; low median = the lower middle value, one a node has), then the nodes below the median with the lowest '
  + 'e or weight, then the dropped nodes';

/**
 * The legend under the report header; when the cluster has more than `maxNodeRows` nodes
 * (`summarised`), also what the summary rows of a round are.
 */
export function legend(maxNodeRows: number, summarised: boolean): string {
  const columns = wrapParts(LEGEND_PARTS, ' · ', undefined, '');
  if (!summarised) return columns;
  return `${columns}\n${wrapParts(LARGE_LEGEND.replace('{max}', String(maxNodeRows)).split(' '), ' ', undefined, '')}`;
}

export const ROUND_SKIPPED = 'skipped (no node took part)';

export function reportHeader(scenario: string, file: string | null, seed: number, nodes: number): string {
  return wrapParts([`dtrain · scenario ${scenario}`, ...(file === null ? [] : [`(${file})`]), `· seed ${seed}`, `· ${formatCount(nodes)} nodes`], ' ');
}

export function runHeader(
  strategy: { name: string; batch: string; resources: string; aggregation: string },
  backend: string,
): string {
  return wrapParts([
    `== ${strategy.name}:`, `batch ${strategy.batch}`, `· resources ${strategy.resources}`,
    `· aggregation ${strategy.aggregation}`, `· backend ${backend} ==`,
  ], ' ');
}

export interface RoundLineParts {
  round: number;
  start: string;
  end: string;
  participants: number;
  nodes: number;
  loss: string;
  accuracy: string;
  skipped: boolean;
}

/** `round 3  t = 6.420 s → 8.115 s  participants 4/4  loss 0.4821  acc 0.8833` */
export function roundLine(parts: RoundLineParts): string {
  const head = [`round ${parts.round}`, `t = ${parts.start} → ${parts.end}`, `participants ${parts.participants}/${parts.nodes}`];
  return wrapParts(parts.skipped ? [...head, ROUND_SKIPPED] : [...head, `loss ${parts.loss}`, `acc ${parts.accuracy}`], '  ');
}

/** The line above a large round's summary table (more nodes than rows to show). */
export function nodeCountsLine(counts: { nodes: number; ok: number; dropped: number; idle: number }): string {
  return `${formatCount(counts.nodes)} nodes: ${formatCount(counts.ok)} ${STATUS_OK} · ${formatCount(counts.dropped)} dropped · ${formatCount(counts.idle)} idle`;
}

const WORST_KEY_LABEL = { efficiency: 'e', weight: 'weight' } as const;

/** A row under the weakest nodes: nodes tied with the last one listed, counted. */
export function tiedOutText(key: 'efficiency' | 'weight', value: string, more: number): string {
  return `… and ${more} more with ${WORST_KEY_LABEL[key]} ${value}`;
}

export function moreDroppedText(more: number): string {
  return `… and ${more} more dropped`;
}

export const GROUPS_HEADING = 'by group (low median; weight = the group’s sum; status ✓/✗/idle):';

export function moreGroupsText(more: number): string {
  return `… and ${more} more group${more === 1 ? '' : 's'}`;
}

export const SUMMARY_COLUMNS = {
  strategy: 'strategy',
  finalAccuracy: 'final acc',
  bestAccuracy: 'best acc',
  simulated: 'simulated',
  timeToTarget: 'to target',
  samples: 'samples',
  wall: 'wall time',
} as const;

export function summaryHeader(scenario: string, seed: number): string {
  return wrapParts([`summary · scenario ${scenario}`, `· seed ${seed}`], ' ');
}

/** After a strategy's name in the summary: its run was stopped early (see interruptedNote). */
export const INTERRUPTED_MARK = '*';

export function interruptedNote(strategy: string, rounds: number, planned: number): string {
  if (rounds === 0) return `${INTERRUPTED_MARK} ${strategy}: interrupted before the first of ${planned} rounds finished; no figures`;
  return `${INTERRUPTED_MARK} ${strategy}: interrupted after ${rounds} of ${planned} rounds; its figures cover those rounds`;
}

/** Under the summary: a strategy none of whose rounds trained a sample (every node dropped, lost or idle). */
export function untrainedNote(strategy: string, rounds: number): string {
  const inRounds = rounds === 1 ? 'its round' : `its ${rounds} rounds`;
  return `! ${strategy} trained no sample in ${inRounds} (no update was aggregated):\n    its accuracy is the untrained model's`;
}

export function targetNote(targetAccuracy: string | null): string {
  return targetAccuracy === null
    ? 'to target: – (the scenario sets no targetAccuracy) · simulated = simulated time'
    : `to target: simulated time until accuracy ≥ ${targetAccuracy} (– = never reached)`;
}

/** Standard error's line for a run stopped by Ctrl-C or SIGTERM: where it stopped, what the outputs hold. */
export function stoppedMessage(result: Pick<RunResult, 'runs' | 'scenario'>, strategies: number): string {
  const last = result.runs[result.runs.length - 1];
  // no run: stopped while the data was prepared, before the first strategy's first round, as
  // a stop at that round's boundary is (the same words, whichever came first)
  const notStarted = strategies - Math.max(1, result.runs.length);
  const later = notStarted <= 0 ? '' : `; ${notStarted} later strateg${notStarted === 1 ? 'y' : 'ies'} not started`;
  const first = result.scenario.strategies[0]?.name;
  const strategy = last !== undefined ? escapeForTerminal(last.strategy.name) : first !== undefined ? escapeForTerminal(first) : 'the first strategy';
  const done = last?.rounds.length ?? 0;
  const planned = result.scenario.rounds;
  const where = done === 0 ? `before the first of ${planned} rounds of ${strategy} finished` : `after round ${done} of ${planned} of ${strategy}`;
  const kept = result.runs.some((run) => run.rounds.length > 0) ? 'the outputs hold the finished rounds' : 'no round finished, so the outputs hold none';
  return `interrupted: stopped ${where}${later}; ${kept}`;
}
