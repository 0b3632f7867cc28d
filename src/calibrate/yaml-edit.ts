/**
 * Setting a few numbers in a scenario file without touching anything else (`calibrate
 * --write`, SPEC §8: comments and key order kept). The yaml package's Document API would
 * re-print the whole file (flow lists re-spaced, aligned comments moved, long strings
 * re-folded), so the Document only tells where each value sits: an existing scalar is
 * replaced in the text, a missing key is added at the end of its map (`, key: value` in a
 * flow map, a new line at the map's indentation in a block map), and a missing map is added
 * to its parent as a flow map. The result is parsed again and must hold exactly the old
 * values with the new ones set, or nothing is returned.
 */
import { isAlias, isMap, isScalar, parseDocument, type Node, type YAMLMap } from 'yaml';
import { DtrainError } from '../errors.js';

export type YamlPath = readonly (string | number)[];

/** Values to set in the map at `path` (a missing map is added), in the order to add missing keys. */
export interface MapEdit {
  path: YamlPath;
  values: readonly (readonly [key: string, value: number])[];
}

const PARSE = { schema: 'core', merge: false, uniqueKeys: false, prettyErrors: false, logLevel: 'error' } as const;

interface Splice {
  at: number;
  remove: number;
  insert: string;
  /** nesting of the map an addition goes into: at one offset, a deeper map's lines come first */
  depth: number;
}

/** A number as written into the file: 4 significant digits, no exponent for ordinary sizes. */
export function formatYamlNumber(value: number): string {
  return String(Number(value.toPrecision(4)));
}

function pathText(path: YamlPath): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('').replace(/^\./, '');
}

function cannotEdit(path: YamlPath, why: string): DtrainError {
  return new DtrainError('calibrate.cannotWrite', `cannot update ${pathText(path)} in place: ${why}; nothing was written`, {
    hint: 'set the values by hand (the YAML to paste is printed above)',
  });
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** End of the line holding the last character before `offset` that is not a blank or a line break. */
function endOfContentLine(text: string, offset: number): number {
  let p = offset;
  while (p > 0 && /[ \t\r\n]/.test(text[p - 1]!)) p--;
  const eol = text.indexOf('\n', p);
  if (eol < 0) return text.length;
  return text[eol - 1] === '\r' ? eol - 1 : eol;
}

/** Where and how to add `key: value` pairs to `map`. */
function appendPairs(text: string, map: YAMLMap, pairs: readonly string[], path: YamlPath): Splice {
  const range = map.range;
  if (range === null || range === undefined) throw cannotEdit(path, 'its place in the file is unknown');
  if (map.flow === true) {
    const last = map.items[map.items.length - 1];
    if (last === undefined) {
      const open = text.indexOf('{', range[0]);
      return { at: open + 1, remove: 0, insert: ` ${pairs.join(', ')} `, depth: path.length };
    }
    const end = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
    return { at: end, remove: 0, insert: `, ${pairs.join(', ')}`, depth: path.length };
  }
  const first = map.items[0]?.key as Node | undefined;
  const last = map.items[map.items.length - 1];
  if (first?.range == null || last === undefined) throw cannotEdit(path, 'it is an empty block map');
  const indent = ' '.repeat(first.range[0] - lineStart(text, first.range[0]));
  const end = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  return { at: endOfContentLine(text, end), remove: 0, insert: pairs.map((pair) => `${newline}${indent}${pair}`).join(''), depth: path.length };
}

function mapAt(doc: ReturnType<typeof parseDocument>, path: YamlPath): YAMLMap | null | 'absent' {
  let node: unknown = doc.contents;
  for (const part of path) {
    if (isAlias(node)) return null;
    const child: unknown = (node as { get?: (key: unknown, keep: boolean) => unknown }).get?.(part, true);
    if (child === undefined) return 'absent';
    node = child;
  }
  if (isAlias(node) || !isMap(node)) return null;
  return node;
}

function editsFor(text: string, doc: ReturnType<typeof parseDocument>, edit: MapEdit): Splice[] {
  const map = mapAt(doc, edit.path);
  if (map === null) throw cannotEdit(edit.path, 'it is not a map written out in the file (an alias or another value)');
  if (map === 'absent') {
    const parentPath = edit.path.slice(0, -1);
    const parent = mapAt(doc, parentPath);
    if (parent === null || parent === 'absent') throw cannotEdit(edit.path, 'its parent is not a map written out in the file');
    const inner = edit.values.map(([key, value]) => `${key}: ${formatYamlNumber(value)}`).join(', ');
    return [appendPairs(text, parent, [`${String(edit.path[edit.path.length - 1])}: { ${inner} }`], parentPath)];
  }
  const splices: Splice[] = [];
  const missing: string[] = [];
  for (const [key, value] of edit.values) {
    const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (pair === undefined) {
      missing.push(`${key}: ${formatYamlNumber(value)}`);
      continue;
    }
    const node = pair.value as Node | null;
    if (!isScalar(node) || node.range == null || node.value === null) throw cannotEdit([...edit.path, key], 'it is not a value written out in the file');
    splices.push({ at: node.range[0], remove: node.range[1] - node.range[0], insert: formatYamlNumber(value), depth: edit.path.length });
  }
  if (missing.length > 0) splices.push(appendPairs(text, map, missing, edit.path));
  return splices;
}

function setIn(target: Record<string, unknown> | unknown[], path: YamlPath, key: string, value: number): void {
  let node = target as Record<string | number, unknown>;
  for (const part of path) {
    node[part] ??= {};
    node = node[part] as Record<string | number, unknown>;
  }
  node[key] = value;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `text` with every edit applied, each value written as formatYamlNumber shows it. */
export function editYamlValues(text: string, edits: readonly MapEdit[]): string {
  const doc = parseDocument(text, PARSE);
  const splices = edits.flatMap((edit) => editsFor(text, doc, edit));
  // back to front, so earlier offsets stay valid; of two additions at one place the one made
  // last comes first in the text, so the shallower map's goes in first (it must end up after
  // the lines of a map nested in it)
  const ordered = [...splices].sort((a, b) => b.at - a.at || a.depth - b.depth);
  let result = text;
  for (const { at, remove, insert } of ordered) result = result.slice(0, at) + insert + result.slice(at + remove);

  const expected = doc.toJS() as Record<string, unknown>;
  for (const edit of edits) for (const [key, value] of edit.values) setIn(expected, edit.path, key, Number(formatYamlNumber(value)));
  const reread = parseDocument(result, PARSE);
  if (reread.errors.length > 0 || !sameValue(reread.toJS(), expected)) {
    throw cannotEdit(edits[0]?.path ?? [], 'the file is laid out in a way this edit does not handle');
  }
  return result;
}
