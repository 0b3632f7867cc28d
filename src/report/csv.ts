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

/** One CSV line: the cells, comma-separated, and the line end. */
function csvLine(cells: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? '' : ',') + csvCell(cells[i]!);
  return `${line}\n`;
}

/** nodes.csv's rows handed over per this many: one string of 131,072 nodes' rows would be some 20 MB. */
const NODE_ROWS_PER_PIECE = 4096;

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

/**
 * The two files written as the rounds finish (SPEC §9), so a run of 131,072 nodes need not keep
 * every node's record for them: nodes.csv's header and then each round's rows go to
 * `emitNodes` as they come, a piece at a time; rounds.csv's rows (one per strategy × round) are
 * kept and returned by `roundsCsv`. Fed every round in order (runScenario's onRound), it gives
 * the bytes toNodesCsv and toRoundsCsv give for the whole run.
 */
export class CsvStream {
  private readonly roundLines: string[] = [];

  constructor(private readonly emitNodes: (text: string) => void) {
    emitNodes(csvLine(NODE_COLUMNS));
  }

  round(record: RoundRecord, strategy: string): void {
    this.roundLines.push(csvLine(roundRow(strategy, record)));
    const nodes = record.nodes;
    for (let start = 0; start < nodes.length; start += NODE_ROWS_PER_PIECE) {
      const end = Math.min(start + NODE_ROWS_PER_PIECE, nodes.length);
      let text = '';
      for (let i = start; i < end; i++) text += csvLine(nodeRow(strategy, record, nodes[i]!));
      this.emitNodes(text);
    }
  }

  /** rounds.csv: its header and a row for every round fed so far. */
  roundsCsv(): string {
    return csvLine(ROUND_COLUMNS) + this.roundLines.join('');
  }
}

/** Both files of a run that kept its records, through the stream. */
function streamWhole(result: RunResult): { rounds: string; nodes: string } {
  const pieces: string[] = [];
  const stream = new CsvStream((text) => pieces.push(text));
  for (const run of result.runs) for (const round of run.rounds) stream.round(round, run.strategy.name);
  return { rounds: stream.roundsCsv(), nodes: pieces.join('') };
}

/** `rounds.csv`: strategy, round, startMs, endMs, skipped, loss, accuracy, participants, globalBatch, effectiveParticipants. */
export function toRoundsCsv(result: RunResult): string {
  return streamWhole(result).rounds;
}

/** `nodes.csv`: one row per strategy × round × node, in run, round and scenario node order. */
export function toNodesCsv(result: RunResult): string {
  return streamWhole(result).nodes;
}

/** Both files, by name, ready to be written into the `--csv` directory. */
export function toCsvFiles(result: RunResult): Record<typeof ROUNDS_CSV | typeof NODES_CSV, string> {
  const { rounds, nodes } = streamWhole(result);
  return { [ROUNDS_CSV]: rounds, [NODES_CSV]: nodes };
}
