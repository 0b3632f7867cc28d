/**
 * The scenario text as YAML: plain data for validation plus a map back to line and column
 * for every field path (SPEC §1.5: every message names the line and column). YAML's own
 * problems (syntax, tabs, duplicate keys, unresolved aliases, alias bombs) become issues too.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { Issue } from '../errors.js';
import { formatPath, type PathSegment } from './field-path.js';

/** Aliases may expand to at most this many nodes (yaml's guard against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/**
 * Maps and lists may nest at most this deep. A real scenario needs about 10 levels (nested
 * phases a few more); past a few hundred, recursive parsing and validation would overflow
 * the stack, so deeper documents are refused up front with a message instead of a crash.
 */
export const MAX_NESTING_DEPTH = 64;
const NESTING_WORDS = `maps and lists nested at most ${MAX_NESTING_DEPTH} levels deep`;

export interface Position {
  line: number;
  column: number;
}

export interface YamlSource {
  file: string;
  /** the document as plain data (a YAML map becomes an object); undefined when unreadable */
  value: unknown;
  /** YAML-level problems, in file order */
  issues: Issue[];
  /** true when the structure cannot be trusted, so schema checks would only add noise */
  fatal: boolean;
  /** where `path` is: its value (or key) when present, else the nearest enclosing node */
  locate(path: readonly PathSegment[], target?: 'value' | 'key'): Position;
}

/** YAML errors that leave the structure intact: validation goes on after them. */
const SOFT_ERRORS = new Set(['DUPLICATE_KEY']);

export function readYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const issue: MakeIssue = (offset, path, expected, found) => ({ file, ...position(offset), path, expected, found });
  const unreadable = (problem: Issue): YamlSource => ({ file, value: undefined, issues: [problem], fatal: true, locate: () => position(0) });
  let doc: Document;
  try {
    // logLevel 'error': yaml would otherwise print some warnings to stderr itself
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter, logLevel: 'error' });
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    return unreadable(issue(0, '', NESTING_WORDS, 'nesting too deep to parse'));
  }
  const at = (node: Node | null | undefined): Position => position(node?.range?.[0] ?? 0);

  const tooDeep = nodeDeeperThan(doc.contents, MAX_NESTING_DEPTH);
  if (tooDeep !== undefined) return unreadable(issue(tooDeep.range?.[0] ?? 0, '', NESTING_WORDS, 'deeper nesting'));
  const { issues, fatal } = yamlProblems(doc, text, issue, at);
  if (fatal) return { file, value: undefined, issues, fatal, locate: () => position(0) };
  try {
    const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { file, value, issues, fatal: false, locate: (path, target) => locateIn(doc, at, path, target) };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const bomb = issue(firstAliasOffset(doc), '', `at most ${MAX_ALIAS_COUNT} nodes from YAML aliases`, 'aliases that expand to more (an alias bomb)');
    return { file, value: undefined, issues: [...issues, bomb], fatal: true, locate: () => position(0) };
  }
}

function yamlProblems(doc: Document, text: string, issue: MakeIssue, at: (node: Node | null | undefined) => Position) {
  const issues: Issue[] = [];
  let fatal = false;
  const pairs = listPairs(doc);
  const seen = new Set<number>();
  for (const error of [...doc.errors, ...doc.warnings]) {
    if (error.name === 'YAMLParseError' && !SOFT_ERRORS.has(error.code)) fatal = true;
    // one mistake often trips several checks at the same spot; the first says it best
    if (seen.has(error.pos[0])) continue;
    seen.add(error.pos[0]);
    issues.push(describeYamlError(error, text, pairs, issue, at));
  }
  const broken = unresolvedAliases(doc, issue);
  return { issues: [...issues, ...broken], fatal: fatal || broken.length > 0 };
}

/** The value (or key) at `path`; where the path stops existing, the enclosing node. */
function locateIn(
  doc: Document,
  at: (node: Node | null | undefined) => Position,
  path: readonly PathSegment[],
  target: 'value' | 'key' = 'value',
): Position {
  let node: unknown = doc.contents;
  let key: Node | null = null;
  for (const segment of path) {
    const container = deref(doc, node);
    if (isMap(container)) {
      const pair = container.items.find((p) => keyText(p.key) === String(segment));
      if (pair === undefined) return at(container);
      key = pair.key as Node;
      node = pair.value;
      if (node === null || node === undefined) return at(key);
    } else if (isSeq(container) && typeof segment === 'number' && container.items[segment] !== undefined) {
      key = null;
      node = container.items[segment];
    } else {
      return at(container as Node | null);
    }
  }
  return target === 'key' && key !== null ? at(key) : at(node as Node | null);
}

function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

interface LocatedPair {
  pair: Pair;
  path: PathSegment[];
}

/** Every map entry with its field path, for naming duplicate keys. */
function listPairs(doc: Document): LocatedPair[] {
  const found: LocatedPair[] = [];
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const childPath = [...path, keyText(pair.key)];
        found.push({ pair: pair as Pair, path: childPath });
        walk(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    }
  };
  walk(doc.contents, []);
  return found;
}

type MakeIssue = (offset: number, path: string, expected: string, found: string) => Issue;

function describeYamlError(
  error: { code: string; message: string; pos: [number, number] },
  text: string,
  pairs: LocatedPair[],
  issue: MakeIssue,
  at: (node: Node | null | undefined) => Position,
): Issue {
  const offset = error.pos[0];
  if (error.code === 'TAB_AS_INDENT') return issue(offset, '', 'spaces for indentation', 'a tab');
  if (error.code === 'MULTIPLE_DOCS') return issue(offset, '', 'one YAML document per scenario file', `a second document (${snippet(text, offset)})`);
  if (error.code === 'DUPLICATE_KEY') {
    const located = pairs.find((p) => (p.pair.key as Node | null)?.range?.[0] === offset);
    if (located !== undefined) {
      const name = String(located.path[located.path.length - 1]);
      const first = pairs.find((p) => p !== located && formatPath(p.path) === formatPath(located.path));
      const where = first === undefined ? '' : ` (first at line ${at(first.pair.key as Node).line})`;
      return issue(offset, formatPath(located.path), 'each key at most once in a map', `${name} again${where}`);
    }
  }
  // yaml turns its own stack overflow on very deep flow collections into an error
  if (/call stack/i.test(error.message)) return issue(offset, '', NESTING_WORDS, 'deeper nesting');
  const message = error.message.charAt(0).toLowerCase() + error.message.slice(1);
  return issue(offset, '', `valid YAML (${message})`, snippet(text, offset));
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** The first collection nested deeper than `maxDepth` (walked without recursion), if any. */
function nodeDeeperThan(root: unknown, maxDepth: number): Node | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > maxDepth) return node as Node;
    const children = isMap(node) ? node.items.flatMap((pair) => [pair.key, pair.value]) : node.items;
    for (const child of children) stack.push({ node: child, depth: depth + 1 });
  }
  return undefined;
}

/** What the reader sees at `offset`: the rest of that line, shortened. */
function snippet(text: string, offset: number): string {
  const rest = text.slice(offset).split(/\r?\n/, 1)[0]!.trim();
  if (offset >= text.length || rest === '') return offset >= text.trimEnd().length ? 'the end of the file' : 'an empty line';
  return JSON.stringify(rest.length > 30 ? `${rest.slice(0, 30)}…` : rest);
}

/** An alias whose anchor is missing; yaml only notices when converting, without a position. */
function unresolvedAliases(doc: Document, issue: MakeIssue): Issue[] {
  const found: Issue[] = [];
  walkNodes(doc.contents, (node) => {
    if (isAlias(node) && node.resolve(doc) === undefined) {
      found.push(issue(node.range?.[0] ?? 0, '', `an anchor &${node.source} defined before this alias`, `*${node.source}`));
    }
  });
  return found;
}

function firstAliasOffset(doc: Document): number {
  let offset: number | undefined;
  walkNodes(doc.contents, (node) => {
    if (offset === undefined && isAlias(node)) offset = node.range?.[0];
  });
  return offset ?? 0;
}

function walkNodes(node: unknown, visit: (node: unknown) => void): void {
  visit(node);
  if (isMap(node)) {
    for (const pair of node.items) {
      visit(pair.key);
      walkNodes(pair.value, visit);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walkNodes(item, visit);
  }
}
