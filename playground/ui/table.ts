/**
 * The per-round node table: one row per node with what each stage decided, as text cells.
 * A big cluster shows its first MAX_TABLE_ROWS nodes plus the selected node, so the DOM stays
 * small at a round per frame; the JSON download holds every node.
 */
import type { JsonRound } from '../../src/browser/protocol.js';
import { duration, fixed, MISSING } from './format.js';

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

export function tableRows(round: JsonRound, selectedNode: number | null, maxRows = MAX_TABLE_ROWS): { rows: TableRow[]; hidden: number } {
  const indices: number[] = [];
  for (let i = 0; i < Math.min(maxRows, round.nodes.length); i += 1) indices.push(i);
  if (selectedNode !== null && selectedNode >= maxRows && selectedNode < round.nodes.length) indices.push(selectedNode);
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
        fixed(num(record.weight), 3),
        fixed(num(record.gradNorm), 3),
      ],
    };
  });
  return { rows, hidden: round.nodes.length - indices.length };
}
