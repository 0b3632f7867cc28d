/**
 * The `--csv DIR` report: two flat tables for spreadsheets and pandas, read from the same
 * records as the JSON and agreeing with it cell for cell.
 *
 *   rounds.csv  one row per strategy × round, the JSON's round fields and the participants
 *   nodes.csv   one row per strategy × round × node: every JSON node field but samplesMs
 *
 * A header row, `\n` line ends (what pandas and spreadsheets expect on every platform), and
 * cells written by csv-cell.ts: RFC 4180 quoting; a text cell starting with `=`, `+`, `-`,
 * `@`, a tab or CR (a strategy name is the user's text) prefixed with `'` and quoted so a
 * spreadsheet does not run it as a formula (OWASP); numbers in the JSON report's form; an
 * empty cell for null and for non-finite numbers (the JSON's null).
 */
import type { NodeRoundRecord, RoundRecord, RunResult } from '../sim/records.js';
import { csvCell, type CsvValue } from './csv-cell.js';
import {
  effectiveParticipants, globalBatch, nodePhaseDurations, reportedDropReason, reportedDroppedAtMs, reportedFinishMs,
} from './round-figures.js';

export { csvCell } from './csv-cell.js';

export const ROUNDS_CSV = 'rounds.csv';
export const NODES_CSV = 'nodes.csv';

type Cell = CsvValue;

export const ROUND_COLUMNS = [
  'strategy', 'round', 'startMs', 'endMs', 'skipped', 'loss', 'accuracy', 'participants', 'globalBatch', 'effectiveParticipants',
] as const;

/** JSON key order of a node record; `id` is named `node` next to `strategy` and `round`. */
export const NODE_COLUMNS = [
  'strategy', 'round', 'node', 'efficiency', 'effectiveMs', 'observedMs', 'batch', 'responseMs', 'pressure',
  'threads', 'ioQueue', 'participated', 'dropReason', 'droppedAtMs', 'finishMs', 'downloadMs', 'computeMs', 'uploadMs',
  'gradNorm', 'volatility', 'weight', 'plannedBatch', 'downloadEndMs', 'computeEndMs',
] as const;

function csvText(header: readonly string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\n`).join('');
}

function roundRow(strategy: string, round: RoundRecord): Cell[] {
  const participants = round.nodes.filter((node) => node.participated).length;
  return [
    strategy, round.round, round.startMs, round.endMs, round.skipped, round.loss, round.accuracy, participants,
    round.globalBatch ?? globalBatch(round), round.effectiveParticipants ?? effectiveParticipants(round),
  ];
}

function nodeRow(strategy: string, round: RoundRecord, node: NodeRoundRecord): Cell[] {
  const phases = nodePhaseDurations(round, node);
  return [
    strategy, round.round, node.id, node.efficiency, node.effectiveMs, node.observedMs, node.batch, node.responseMs,
    node.pressure, node.threads, node.ioQueue, node.participated, reportedDropReason(node), reportedDroppedAtMs(node),
    reportedFinishMs(node), phases.downloadMs, phases.computeMs, phases.uploadMs, node.gradNorm, node.volatility,
    node.weight, node.plannedBatch, node.downloadEndMs, node.computeEndMs,
  ];
}

/** `rounds.csv`: strategy, round, startMs, endMs, skipped, loss, accuracy, participants, globalBatch, effectiveParticipants. */
export function toRoundsCsv(result: RunResult): string {
  const rows = result.runs.flatMap((run) => run.rounds.map((round) => roundRow(run.strategy.name, round)));
  return csvText(ROUND_COLUMNS, rows);
}

/** `nodes.csv`: one row per strategy × round × node, in run, round and scenario node order. */
export function toNodesCsv(result: RunResult): string {
  const rows = result.runs.flatMap((run) =>
    run.rounds.flatMap((round) => round.nodes.map((node) => nodeRow(run.strategy.name, round, node))));
  return csvText(NODE_COLUMNS, rows);
}

/** Both files, by name, ready to be written into the `--csv` directory. */
export function toCsvFiles(result: RunResult): Record<typeof ROUNDS_CSV | typeof NODES_CSV, string> {
  return { [ROUNDS_CSV]: toRoundsCsv(result), [NODES_CSV]: toNodesCsv(result) };
}
