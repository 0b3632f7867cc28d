/**
 * The groups of a cluster as the scenario wrote them: `count: N` expands a node into ids
 * `id-1 … id-N` (scenario/resolve-nodes.ts), so a run of consecutive ids `p-1, p-2, …, p-k` is
 * one group `p`. Read back from the ids rather than kept on each node, so that the resolved
 * scenario (and its hash) is what it was. Nodes outside any such run form a group of their own.
 */

export interface NodeGroup {
  name: string;
  /** first node index (scenario order) */
  start: number;
  /** one past the last node index */
  end: number;
}

const COUNTED = /^(.*)-([1-9]\d*)$/;

export function nodeGroups(ids: readonly string[]): NodeGroup[] {
  const groups: NodeGroup[] = [];
  let i = 0;
  while (i < ids.length) {
    const match = COUNTED.exec(ids[i]!);
    let end = i + 1;
    if (match !== null && match[2] === '1') {
      const prefix = match[1]!;
      while (end < ids.length && ids[end] === `${prefix}-${end - i + 1}`) end += 1;
      groups.push({ name: end - i > 1 ? prefix : ids[i]!, start: i, end });
    } else {
      groups.push({ name: ids[i]!, start: i, end });
    }
    i = end;
  }
  return groups;
}
