/**
 * What calibrate needs from the scenario's own text beyond the resolved scenario: its node
 * entries as written (a `count` group is one), which entries set a field themselves, and
 * where a field is (file:line:col for a message). The text has already passed validation.
 */
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { YamlPath } from './yaml-edit.js';

const PARSE = { schema: 'core', merge: false, uniqueKeys: false, prettyErrors: false, logLevel: 'error' } as const;

/** The items of `cluster.nodes` as plain values. */
export function rawClusterNodes(text: string): unknown[] {
  const value = parseDocument(text, PARSE).toJS() as { cluster?: { nodes?: unknown } } | null;
  const nodes = value?.cluster?.nodes;
  return Array.isArray(nodes) ? nodes : [];
}

/** Ids of the entries that set any of `keys` themselves. */
export function entriesSetting(rawNodes: readonly unknown[], keys: readonly string[]): string[] {
  return rawNodes.flatMap((item) => {
    const entry = item as Record<string, unknown>;
    return keys.some((key) => Object.hasOwn(entry, key)) ? [String(entry.id)] : [];
  });
}

/** `file:line:col` of the value at `path`, or of its nearest written ancestor (1:1 for none). */
export function locate(text: string, file: string, path: YamlPath): string {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...PARSE, lineCounter });
  let offset = 0;
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range != null) {
      offset = node.range[0];
      break;
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return `${file}:${line}:${col}`;
}
