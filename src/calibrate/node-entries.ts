/**
 * The node entries of a scenario file as `calibrate --from` sees them (SPEC §8): one per item
 * of `cluster.nodes`, a `count` group being one entry whose nodes are `id-1 … id-N`. A CSV row
 * may name a node or a group; it counts for the entry that holds it.
 */
import type { Issue } from '../errors.js';
import { suggestionSuffix } from '../scenario/suggest.js';
import type { CsvStep } from './steps-csv.js';
import { shorten } from '../text/shorten.js';

export interface NodeEntry {
  /** position in cluster.nodes */
  index: number;
  id: string;
  /** the group's size; null for a single node */
  count: number | null;
}

/** Entries from the scenario's raw `cluster.nodes` (already validated: every item has an id). */
export function nodeEntries(rawNodes: readonly unknown[]): NodeEntry[] {
  return rawNodes.map((item, index) => {
    const { id, count } = item as { id: unknown; count?: unknown };
    return { index, id: String(id), count: typeof count === 'number' ? count : null };
  });
}

export function entryLabel(entry: NodeEntry): string {
  return entry.count === null ? entry.id : `${entry.id} (×${entry.count})`;
}

/** The rows of each entry, in file order, or an issue for every row naming no node of the scenario. */
export function rowsByEntry(rows: readonly CsvStep[], entries: readonly NodeEntry[], file: string): { ok: true; rows: Map<NodeEntry, CsvStep[]> } | { ok: false; issues: Issue[] } {
  const byName = new Map<string, NodeEntry>();
  for (const entry of entries) {
    if (entry.count === null) continue;
    byName.set(entry.id, entry);
    for (let k = 1; k <= entry.count; k++) byName.set(`${entry.id}-${k}`, entry);
  }
  // a single node's own id wins over a group's id (ids are unique only after expansion)
  for (const entry of entries) if (entry.count === null) byName.set(entry.id, entry);
  const names = [...byName.keys()];
  const issues: Issue[] = [];
  const grouped = new Map<NodeEntry, CsvStep[]>();
  for (const row of rows) {
    const entry = byName.get(row.node);
    if (entry === undefined) {
      issues.push({
        code: 'file.invalid', file, line: row.line, column: row.nodeColumn, path: 'node',
        expected: `a node or group id of the scenario${suggestionSuffix(row.node, names)}`,
        found: `unknown node ${shorten(row.node)}`,
      });
      continue;
    }
    if (!grouped.has(entry)) grouped.set(entry, []);
    grouped.get(entry)!.push(row);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, rows: grouped };
}
