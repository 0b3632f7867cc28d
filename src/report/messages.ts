/**
 * User-facing wording of the terminal reports (SPEC §4), kept apart from the layout logic
 * so it can be read, reviewed and changed in one place. Values arrive pre-formatted.
 */

/** Column headers of the per-round node table; the order is the column order. */
export const NODE_COLUMNS = [
  'node', 'e', 'batch', 'threads', 'io q', 'response ms', 'volatility', 'weight', 'status',
] as const;

export const STATUS_OK = '✓';
export const STATUS_IDLE = 'idle';
export const STATUS_DROPPED = {
  retries: 'dropped: retries',
  deadline: 'dropped: deadline',
} as const;

export const STAT_LABELS = { min: 'min', median: 'median', max: 'max' } as const;

export const WORST_NODES_HEADING = 'lowest efficiency and lowest weight:';

export const LEGEND =
  'e = S1 communication efficiency · batch = S2 batch (planned) · threads, io q = S3 allocation · '
  + 'weight = S4 share · ✓ took part · idle = batch 0, not dispatched';

export const ROUND_SKIPPED = 'skipped: no node took part, model unchanged';

export function reportHeader(scenario: string, file: string | null, seed: number, nodes: number): string {
  const where = file === null ? '' : ` (${file})`;
  return `dtrain · scenario ${scenario}${where} · seed ${seed} · ${nodes} nodes`;
}

export function runHeader(
  strategy: { name: string; batch: string; resources: string; aggregation: string },
  backend: string,
): string {
  return `== ${strategy.name}: batch ${strategy.batch} · resources ${strategy.resources} · `
    + `aggregation ${strategy.aggregation} · backend ${backend} ==`;
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
  const head = `round ${parts.round}  t = ${parts.start} → ${parts.end}  participants ${parts.participants}/${parts.nodes}`;
  return parts.skipped ? `${head}  ${ROUND_SKIPPED}` : `${head}  loss ${parts.loss}  acc ${parts.accuracy}`;
}

/** The line above a large round's summary table (more nodes than rows to show). */
export function nodeCountsLine(counts: { nodes: number; ok: number; dropped: number; idle: number }): string {
  return `${counts.nodes} nodes: ${counts.ok} ${STATUS_OK} · ${counts.dropped} dropped · ${counts.idle} idle`
    + ' — min / median / max over participants (e over all nodes), then the weakest nodes';
}

export const SUMMARY_COLUMNS = {
  strategy: 'strategy',
  finalAccuracy: 'final acc',
  bestAccuracy: 'best acc',
  simulated: 'simulated time',
  timeToTarget: 'time to target',
  samples: 'samples trained',
  wall: 'wall time',
} as const;

export function summaryHeader(scenario: string, seed: number): string {
  return `summary · scenario ${scenario} · seed ${seed}`;
}

export function targetNote(targetAccuracy: string | null): string {
  return targetAccuracy === null
    ? 'time to target: – (the scenario sets no targetAccuracy)'
    : `time to target: simulated time until accuracy ≥ ${targetAccuracy} (– = never reached)`;
}
