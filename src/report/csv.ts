/**
 * The `--csv DIR` report: two flat tables for spreadsheets and pandas, read from the same
 * records as the JSON (SPEC §4) and agreeing with it cell for cell.
 *
 *   rounds.csv  one row per strategy × round
 *   nodes.csv   one row per strategy × round × node: every NodeRoundRecord field but samplesMs
 *
 * RFC 4180 quoting (a cell holding `,`, `"`, CR or LF is quoted, `"` doubled), a header row,
 * `\n` line ends (what pandas and spreadsheets expect on every platform), numbers in
 * JSON.stringify's shortest round-trip form — the JSON report's form — booleans as
 * `true`/`false`, and an empty cell for null and for non-finite numbers (the JSON's null).
 */
import type { NodeRoundRecord, RoundRecord, RunResult } from '../sim/records.js';

export const ROUNDS_CSV = 'rounds.csv';
export const NODES_CSV = 'nodes.csv';

type Cell = string | number | boolean | null | undefined;

export const ROUND_COLUMNS = ['strategy', 'round', 'startMs', 'endMs', 'skipped', 'loss', 'accuracy', 'participants'] as const;

/** JSON key order of a node record; `id` is named `node` next to `strategy` and `round`. */
export const NODE_COLUMNS = [
  'strategy', 'round', 'node', 'efficiency', 'effectiveMs', 'observedMs', 'batch', 'responseMs', 'pressure',
  'threads', 'ioQueue', 'participated', 'finishMs', 'gradNorm', 'volatility', 'weight', 'plannedBatch',
  'dropReason', 'downloadEndMs', 'computeEndMs',
] as const;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvText(header: readonly string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\n`).join('');
}

function roundRow(strategy: string, round: RoundRecord): Cell[] {
  const participants = round.nodes.filter((node) => node.participated).length;
  return [strategy, round.round, round.startMs, round.endMs, round.skipped, round.loss, round.accuracy, participants];
}

function nodeRow(strategy: string, round: number, node: NodeRoundRecord): Cell[] {
  return [
    strategy, round, node.id, node.efficiency, node.effectiveMs, node.observedMs, node.batch, node.responseMs,
    node.pressure, node.threads, node.ioQueue, node.participated, node.finishMs, node.gradNorm, node.volatility,
    node.weight, node.plannedBatch, node.dropReason, node.downloadEndMs, node.computeEndMs,
  ];
}

/** `rounds.csv`: strategy, round, startMs, endMs, skipped, loss, accuracy, participants. */
export function toRoundsCsv(result: RunResult): string {
  const rows = result.runs.flatMap((run) => run.rounds.map((round) => roundRow(run.strategy.name, round)));
  return csvText(ROUND_COLUMNS, rows);
}

/** `nodes.csv`: one row per strategy × round × node, in run, round and scenario node order. */
export function toNodesCsv(result: RunResult): string {
  const rows = result.runs.flatMap((run) =>
    run.rounds.flatMap((round) => round.nodes.map((node) => nodeRow(run.strategy.name, round.round, node))));
  return csvText(NODE_COLUMNS, rows);
}

/** Both files, by name, ready to be written into the `--csv` directory. */
export function toCsvFiles(result: RunResult): Record<typeof ROUNDS_CSV | typeof NODES_CSV, string> {
  return { [ROUNDS_CSV]: toRoundsCsv(result), [NODES_CSV]: toNodesCsv(result) };
}
