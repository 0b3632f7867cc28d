/**
 * The per-round node table: one row per node with what each stage decided, as text cells.
 * A big cluster shows MAX_TABLE_ROWS nodes, so the DOM stays small at a round per frame: the
 * ones a teacher looks at (dropped, not sent, then those that finished last and held the
 * barrier) and the selected node; the JSON download holds every node.
 */
import type { JsonRound } from '../../src/browser/protocol.js';
import { duration, fixed, MISSING, significant } from './format.js';

export const MAX_TABLE_ROWS = 40;

export const TABLE_COLUMNS = [
  'node', 'took part', 'S1 efficiency', 'S2 batch', 'S3 threads', 'S3 queue', 'finished at', 'S4 weight', 'gradient norm',
] as const;

export interface TableRow {
  node: number;
  cells: string[];
  /** the node was dropped or not dispatched */
  absent: boolean;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function tookPart(record: JsonRound['nodes'][number]): string {
  if (record.participated) return 'yes';
  const reason = record.dropReason;
  if (reason === 'retries') return 'dropped (retries)';
  if (reason === 'deadline') return 'dropped (deadline)';
  return num(record.batch) === 0 ? 'not sent (batch 0)' : 'no';
}

/** How much a node's row deserves a place: dropped, then not sent, then by finish time, latest first. */
function interest(record: JsonRound['nodes'][number]): number {
  if (record.dropReason === 'retries' || record.dropReason === 'deadline') return Number.POSITIVE_INFINITY;
  if (!record.participated) return Number.MAX_VALUE;
  return num(record.finishMs) ?? Number.NEGATIVE_INFINITY;
}

/**
 * The nodes to list: all of a small cluster in scenario order; of a big one the selected node,
 * then the `maxRows` most interesting others (see `interest`), stable on ties, scenario order kept.
 */
export function tableNodes(round: JsonRound, selectedNode: number | null, maxRows = MAX_TABLE_ROWS): number[] {
  const count = round.nodes.length;
  if (count <= maxRows) return Array.from({ length: count }, (_, i) => i);
  const order = Array.from({ length: count }, (_, i) => i);
  const score = order.map((i) => interest(round.nodes[i]!));
  order.sort((a, b) => (score[b]! === score[a]! ? a - b : score[b]! > score[a]! ? 1 : -1));
  const picked = new Set(order.slice(0, maxRows));
  if (selectedNode !== null && selectedNode >= 0 && selectedNode < count) picked.add(selectedNode);
  return [...picked].sort((a, b) => a - b);
}

export function tableRows(round: JsonRound, selectedNode: number | null, maxRows = MAX_TABLE_ROWS): { rows: TableRow[]; hidden: number } {
  const indices = tableNodes(round, selectedNode, maxRows);
  const rows = indices.map((index) => {
    const record = round.nodes[index]!;
    const start = num(round.startMs) ?? 0;
    const finish = num(record.finishMs);
    const batch = num(record.batch);
    const planned = num(record.plannedBatch);
    return {
      node: index,
      absent: !record.participated,
      cells: [
        record.id,
        tookPart(record),
        fixed(num(record.efficiency), 2),
        batch === null ? MISSING : planned !== null && planned !== batch ? `${batch} (planned ${planned})` : String(batch),
        fixed(num(record.threads), 0),
        fixed(num(record.ioQueue), 0),
        finish === null ? MISSING : `+${duration(finish - start)}`,
        significant(num(record.weight), 3),
        fixed(num(record.gradNorm), 3),
      ],
    };
  });
  return { rows, hidden: round.nodes.length - indices.length };
}
