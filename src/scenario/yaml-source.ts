/**
 * The scenario text as YAML: plain data for validation plus a map back to line and column
 * for every field path (SPEC §1.5: every message names the line and column). YAML's own
 * problems (syntax, tabs, duplicate keys, unresolved aliases, alias bombs, tags, a YAML 1.1
 * directive) become issues too. Everything here is linear in the size of the document: a
 * file with 300,000 keys must be checked in seconds, not hours.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Issue, IssueCode } from '../errors.js';
import { formatPath, type PathSegment } from './field-path.js';
import { shorten } from '../text/shorten.js';

/** Aliases may expand to at most this many nodes (yaml's guard against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/**
 * Anchors and aliases a document may hold. yaml resolves each alias by a pass over every
 * anchor and alias before it, so their number costs its square in time: 20,000 pairs in a
 * 378 KB file took 6.7 s, 80,000 in 1 MB 109 s, and a 4 MiB file would take most of an hour.
 * 10,000 in all keep that under two seconds; a scenario names a few (a shared latency spec).
 */
export const MAX_ANCHORS_AND_ALIASES = 10_000;
/**
 * Maps and lists may nest at most this deep. A real scenario needs about 10 levels (nested
 * phases a few more); past a few hundred, recursive parsing and validation would overflow
 * the stack, so deeper documents are refused up front with a message instead of a crash.
 */
export const MAX_NESTING_DEPTH = 64;
const NESTING_WORDS = `maps and lists nested at most ${MAX_NESTING_DEPTH} levels deep`;

/**
 * Always YAML 1.2's core schema without merge keys, whatever a `%YAML` directive says: a
 * `%YAML 1.1` line would otherwise bring back octals (017 → 15), sexagesimals (1:30 → 90),
 * `off` as false and `<<` merges. Such a directive is also refused (versionIssue), so that
 * nobody's file silently means something other than they meant. Duplicate keys are found
 * in one pass here (duplicateKey): yaml's own check compares each key with every earlier one.
 */
const PARSE_OPTIONS = {
  schema: 'core',
  merge: false,
  resolveKnownTags: true,
  uniqueKeys: false,
  prettyErrors: false,
  // yaml would otherwise print some warnings to stderr itself
  logLevel: 'error',
} as const;

/** Tags that only restate what the core schema reads anyway (`!!str 007`, the non-specific `!`). */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`).concat('!'));
const TAG_WORDS = 'a plain YAML value (no tags but !!str, !!int, !!float, !!bool, !!null, !!map, !!seq)';
/** What each core tag can read, for a value it cannot (`!!float 2`, `!!bool yes`). */
const CORE_TAG_FITS: Record<string, string> = {
  '!!float': 'a number with a decimal point or an exponent after !!float (2.0, 1e3)',
  '!!int': 'a whole number after !!int',
  '!!bool': 'true or false after !!bool',
  '!!null': 'null, ~ or nothing after !!null',
  '!!str': 'a single value after !!str, not a list or map',
  '!!map': 'a map after !!map',
  '!!seq': 'a list after !!seq',
};
const VERSION_WORDS = 'no %YAML directive, or %YAML 1.2 (scenarios are YAML 1.2: 017 is 17, 1:30 and off are strings, << merges nothing)';

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
  /**
   * Where `path` is: its value (or key) when present, else the nearest enclosing node. A
   * path that runs through an alias is placed at the alias (`*name`), where that use is.
   */
  locate(path: readonly PathSegment[], target?: 'value' | 'key'): Position;
  /**
   * A number at `path` as the file spells it (`1e309`, `9007199254740993`, `0x1F`), which
   * its value does not always show (Infinity, 9007199254740992, 31); else undefined.
   */
  written(path: readonly PathSegment[]): string | undefined;
}

type MakeIssue = (offset: number, path: string, expected: string, found: string, code: IssueCode) => Issue;
type At = (node: Node | null | undefined) => Position;

export function readYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const issue: MakeIssue = (offset, path, expected, found, code) => ({ code, file, ...position(offset), path, expected, found });
  const unreadable = (issues: Issue[]): YamlSource => ({ file, value: undefined, issues, fatal: true, locate: () => position(0), written: () => undefined });
  // flow brackets nested far too deep are refused before yaml builds them all
  const flowTooDeep = flowDeeperThan(text, MAX_NESTING_DEPTH, FLOW_DEPTH_BEFORE_PARSING);
  if (flowTooDeep !== undefined) {
    // before parsing the line counter knows no lines yet: the position from the text itself
    const lineStart = text.lastIndexOf('\n', flowTooDeep - 1) + 1;
    const line = lineStart === 0 ? 1 : text.slice(0, lineStart).split('\n').length;
    return unreadable([{ code: 'yaml.syntax', file, line, column: flowTooDeep - lineStart + 1, path: '', expected: NESTING_WORDS, found: 'deeper nesting' }]);
  }
  let doc: Document;
  try {
    doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter });
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    return unreadable([issue(0, '', NESTING_WORDS, 'nesting too deep to parse', 'yaml.syntax')]);
  }
  const at: At = (node) => position(node?.range?.[0] ?? 0);

  const tooDeep = nodeDeeperThan(doc.contents, MAX_NESTING_DEPTH);
  if (tooDeep !== undefined) return unreadable([issue(tooDeep.range?.[0] ?? 0, '', NESTING_WORDS, 'deeper nesting', 'yaml.syntax')]);
  const scan = scanDocument(doc, text, issue, at);
  const { issues, fatal } = yamlProblems(doc, text, issue, scan);
  if (fatal) return unreadable(issues);
  try {
    const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    const locator = makeLocator(at, (alias) => scan.aliasTargets.get(alias));
    return {
      file, value, issues, fatal: false,
      locate: (path, target) => locator.locate(doc.contents, path, target),
      written: (path) => locator.written(doc.contents, path),
    };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const bomb = issue(scan.firstAlias?.range?.[0] ?? 0, '', `at most ${MAX_ALIAS_COUNT} nodes from YAML aliases`, 'aliases that expand to more (an alias bomb)', 'yaml.unsupported');
    return unreadable([...issues, bomb]);
  }
}

function yamlProblems(doc: Document, text: string, issue: MakeIssue, scan: Scan): { issues: Issue[]; fatal: boolean } {
  const issues: Issue[] = [];
  let fatal = false;
  const seen = new Set<number>();
  for (const error of [...doc.errors, ...doc.warnings]) {
    // an unknown tag is reported by scanDocument, in the same words as every other tag
    if (error.code === 'TAG_RESOLVE_FAILED') continue;
    if (error.name === 'YAMLParseError') fatal = true;
    // one mistake often trips several checks at the same spot; the first says it best
    if (seen.has(error.pos[0])) continue;
    seen.add(error.pos[0]);
    issues.push(describeYamlError(error, text, issue));
  }
  const version = versionIssue(doc, text, issue);
  const refused = [...(version === undefined ? [] : [version]), ...scan.tags, ...scan.collectionKeys, ...scan.unresolved, ...scan.tooManyAnchors];
  return { issues: [...issues, ...scan.duplicates, ...refused], fatal: fatal || refused.length > 0 };
}

/** A `%YAML 1.1` directive: the file was written for rules that dtrain does not apply. */
function versionIssue(doc: Document, text: string, issue: MakeIssue): Issue | undefined {
  const directive = doc.directives?.yaml;
  if (directive?.explicit !== true || directive.version !== '1.1') return undefined;
  const offset = /^%YAML[ \t]/m.exec(text)?.index ?? 0;
  return issue(offset, '', VERSION_WORDS, '%YAML 1.1', 'yaml.unsupported');
}

interface Scan {
  /** each alias's anchored node (undefined: no such anchor before it), as yaml resolves it */
  aliasTargets: Map<Alias, Node | undefined>;
  firstAlias: Alias | undefined;
  duplicates: Issue[];
  /** `? [a, b] : x`, refused */
  collectionKeys: Issue[];
  tags: Issue[];
  unresolved: Issue[];
  /** more anchors and aliases than MAX_ANCHORS_AND_ALIASES: one issue, at the first past it */
  tooManyAnchors: Issue[];
}

/**
 * One walk over the document in yaml's own order (key before value, anchors before what
 * they hold): aliases resolved to their anchors, keys repeated in a map, refused tags.
 * yaml's Alias.resolve() walks the whole document for every alias, hence the table.
 */
function scanDocument(doc: Document, text: string, issue: MakeIssue, at: At): Scan {
  const scan: Scan = { aliasTargets: new Map(), firstAlias: undefined, duplicates: [], collectionKeys: [], tags: [], unresolved: [], tooManyAnchors: [] };
  const anchors = new Map<string, Node>();
  let anchorsAndAliases = 0;
  let pastTheCap: Node | undefined;
  const counted = (node: Node): void => {
    if (++anchorsAndAliases > MAX_ANCHORS_AND_ALIASES) pastTheCap ??= node;
  };
  // where yaml could not apply a core tag to what follows it (it warns at the tag)
  const unfitTags = new Set(doc.warnings.filter((warning) => warning.code === 'TAG_RESOLVE_FAILED').map((warning) => warning.pos[0]));
  const visit = (node: unknown, path: PathSegment[]): void => {
    if (isAlias(node)) {
      counted(node);
      scan.firstAlias ??= node;
      const target = anchors.get(node.source);
      scan.aliasTargets.set(node, target);
      if (target === undefined) {
        scan.unresolved.push(issue(node.range?.[0] ?? 0, '', `an anchor &${node.source} defined before this alias`, `*${node.source}`, 'yaml.unsupported'));
      }
      return;
    }
    if (!isNode(node)) return;
    if (node.anchor !== undefined) {
      counted(node);
      anchors.set(node.anchor, node);
    }
    if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
      scan.tags.push(issue(tagOffset(text, node), formatPath(path), TAG_WORDS, `a YAML ${shortTag(node.tag)} tag`, 'yaml.unsupported'));
    } else if (node.tag !== undefined && unfitTags.has(tagOffset(text, node))) {
      // `!!float 2`: yaml leaves a value its core tag cannot read as a string, so the
      // schema would report "2" (a string), which the user did not write
      const tag = shortTag(node.tag);
      const found = isScalar(node) ? `${tag} ${node.source ?? String(node.value)}` : `${isMap(node) ? 'a map' : 'a list'} after ${tag}`;
      scan.tags.push(issue(tagOffset(text, node), formatPath(path), CORE_TAG_FITS[tag] ?? `a value that ${tag} can read`, found, 'yaml.unsupported'));
    }
    if (isMap(node)) {
      const firstByKey = new Map<unknown, Node>();
      for (const pair of node.items) {
        // an alias key (`*k : 3`) is visited first, so that its anchor is known by then
        visit(pair.key, [...path, keyText(pair.key)]);
        const keyNode = isAlias(pair.key) ? scan.aliasTargets.get(pair.key) : (pair.key as Node | undefined);
        const childPath = [...path, keyText(keyNode)];
        if (isMap(keyNode) || isSeq(keyNode)) {
          // toJS would spell it `[ a, b ]` (or `*k` through an alias): no scenario key is a
          // collection, and a made-up name could be neither located nor fixed from the message
          const kind = isMap(keyNode) ? 'a map' : 'a list';
          scan.collectionKeys.push(issue((pair.key as Node).range?.[0] ?? 0, formatPath(path), 'a plain key (a name)', `${kind} used as a key`, 'yaml.unsupported'));
        }
        const repeated = duplicateKey(firstByKey, pair.key as Node, keyNode, childPath, issue, at);
        if (repeated !== undefined) scan.duplicates.push(repeated);
        visit(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    }
  };
  visit(doc.contents, []);
  if (pastTheCap !== undefined) {
    const count = (value: number): string => value.toLocaleString('en-US');
    // an anchored node's range starts at its value: point at the anchor's `&`
    const start = pastTheCap.range?.[0] ?? 0;
    const offset = isAlias(pastTheCap) ? start : Math.max(0, text.lastIndexOf(`&${pastTheCap.anchor}`, start));
    scan.tooManyAnchors.push(issue(offset, '', `at most ${count(MAX_ANCHORS_AND_ALIASES)} YAML anchors (&name) and aliases (*name)`,
      `${count(anchorsAndAliases)} (nodes alike are one entry with count: N)`, 'yaml.unsupported'));
  }
  return scan;
}

/**
 * A scalar key equal to an earlier one of the same map (yaml's notion: same value). `written`
 * is the key as it stands in the map, `key` what it means: an alias key (`*k : 3`) counts as
 * its anchor's scalar, since that is the key toJS gives the value, and is reported where the
 * alias is.
 */
function duplicateKey(firstByKey: Map<unknown, Node>, written: Node, key: Node | undefined, path: PathSegment[], issue: MakeIssue, at: At): Issue | undefined {
  if (!isScalar(key)) return undefined;
  const first = firstByKey.get(key.value);
  if (first === undefined) {
    firstByKey.set(key.value, written);
    return undefined;
  }
  const text = keyText(key) === '' ? 'an empty key' : keyText(key);
  const name = isAlias(written) ? `${text} (as *${written.source})` : text;
  return issue(written.range?.[0] ?? 0, formatPath(path), 'each key at most once in a map', `${name} again (first at line ${at(first).line})`, 'yaml.duplicateKey');
}

/** `!!set` for the YAML 1.1 types, else the tag as resolved (`!foo`, `tag:example.com,2000:x`). */
function shortTag(tag: string): string {
  const prefix = 'tag:yaml.org,2002:';
  return tag.startsWith(prefix) ? `!!${tag.slice(prefix.length)}` : tag;
}

/** yaml places a tagged node after its tag; the tag itself is the last `!…` word before it. */
function tagOffset(text: string, node: Node): number {
  const start = node.range?.[0] ?? 0;
  const from = Math.max(0, start - 1024);
  let found: number | undefined;
  for (const match of text.slice(from, start).matchAll(/(^|[\s,[{])!/g)) found = from + match.index + match[1]!.length;
  return found ?? start;
}

/** Path → position (and source text), each map's keys indexed once (a lookup per issue must not scan the map). */
function makeLocator(at: At, resolveAlias: (alias: Alias) => Node | undefined) {
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, segment: PathSegment): Pair | undefined => {
    let index = indexes.get(map);
    if (index === undefined) {
      index = new Map();
      // the last of repeated keys: its value is the one toJS keeps, so the one checked
      for (const pair of map.items) index.set(keyText(isAlias(pair.key) ? resolveAlias(pair.key) : pair.key), pair as Pair);
      indexes.set(map, index);
    }
    return index.get(String(segment));
  };
  /** How far `path` leads: its node (else the nearest enclosing one), its key, the first alias on the way. */
  const walk = (root: unknown, path: readonly PathSegment[]): { node: unknown; key: Node | null; via: Alias | undefined; complete: boolean } => {
    let node: unknown = root;
    let key: Node | null = null;
    // the first alias on the way: the value used there is the anchor's, but the use is here
    let via: Alias | undefined;
    for (const segment of path) {
      let container = node;
      if (isAlias(node)) {
        via ??= node;
        container = resolveAlias(node);
      }
      if (isMap(container)) {
        const pair = pairOf(container as YAMLMap, segment);
        if (pair === undefined) return { node: container, key, via, complete: false };
        key = pair.key as Node;
        node = pair.value;
        if (node === null || node === undefined) return { node: key, key, via, complete: false };
      } else if (isSeq(container) && typeof segment === 'number' && container.items[segment] !== undefined) {
        key = null;
        node = container.items[segment];
      } else {
        return { node: container, key, via, complete: false };
      }
    }
    return { node, key, via, complete: true };
  };
  return {
    locate(root: unknown, path: readonly PathSegment[], target: 'value' | 'key' = 'value'): Position {
      const { node, key, via, complete } = walk(root, path);
      return at(via ?? ((complete && target === 'key' && key !== null ? key : node) as Node | null));
    },
    written(root: unknown, path: readonly PathSegment[]): string | undefined {
      const { node, complete } = walk(root, path);
      if (!complete) return undefined;
      const scalar = isAlias(node) ? resolveAlias(node) : node;
      return isScalar(scalar) && typeof scalar.value === 'number' && typeof scalar.source === 'string' ? scalar.source : undefined;
    },
  };
}

/** A scalar key as toJS spells it in the plain data, so that the data's paths find their pairs: `~` and `null` are ''. */
function keyText(key: unknown): string {
  if (key === null || key === undefined) return '';
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return String(key);
}

function describeYamlError(error: { code: string; message: string; pos: [number, number] }, text: string, issue: MakeIssue): Issue {
  const offset = error.pos[0];
  if (error.code === 'TAB_AS_INDENT') return issue(offset, '', 'spaces for indentation', 'a tab', 'yaml.syntax');
  if (error.code === 'MULTIPLE_DOCS') return issue(offset, '', 'one YAML document per scenario file', `a second document (${snippet(text, offset)})`, 'yaml.syntax');
  // yaml turns its own stack overflow on very deep flow collections into an error
  if (/call stack/i.test(error.message)) return issue(offset, '', NESTING_WORDS, 'deeper nesting', 'yaml.syntax');
  const message = error.message.charAt(0).toLowerCase() + error.message.slice(1);
  return issue(offset, '', `valid YAML (${message})`, snippet(text, offset), 'yaml.syntax');
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * Flow brackets (`[`, `{`) open this deep are refused before parsing: yaml builds the whole
 * document before its depth can be checked, and 2 million `[` in a 4 MiB file took it 38 s
 * and 2.3 GB (never closed: 47 s and 3.7 GB). Far above MAX_NESTING_DEPTH, so that a bracket
 * in a plain value (`name: a[1`) never counts against a real scenario.
 */
const FLOW_DEPTH_BEFORE_PARSING = 1000;

/**
 * Where unquoted flow brackets first open past `maxDepth`, if they go on to open past
 * `limit`; else undefined. Quoted text and comments are skipped; a quote in a plain value
 * (`don't`) can only hide brackets, never add any.
 */
function flowDeeperThan(text: string, maxDepth: number, limit: number): number | undefined {
  // a block map or list at the root is a level of its own, as nodeDeeperThan counts it
  const root = /^(?:\s*(?:[#%].*)?(?:\n|$))*(?:---\s*)?(.)/.exec(text)?.[1];
  let depth = root === '[' || root === '{' ? 0 : 1;
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      // "…", with backslash escapes
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (code === 0x27) {
      // '…', where '' is a quote
      for (i++; i < text.length; i++) {
        if (text.charCodeAt(i) !== 0x27) continue;
        if (text.charCodeAt(i + 1) !== 0x27) break;
        i++;
      }
    } else if (code === 0x23 && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth === maxDepth + 1 && first < 0) first = i;
      if (depth > limit) return first;
    } else if ((code === 0x5d || code === 0x7d) && depth > 0) {
      depth--;
    }
  }
  return undefined;
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

/**
 * What the reader sees at `offset`: the rest of that line, shortened. Only a bounded slice
 * is looked at, since a file can hold thousands of errors.
 */
function snippet(text: string, offset: number): string {
  const rest = text.slice(offset, offset + 256).split(/\r?\n/, 1)[0]!.trim();
  if (rest !== '') return JSON.stringify(shorten(rest));
  return /\S/.test(text.slice(offset)) ? 'an empty line' : 'the end of the file';
}
