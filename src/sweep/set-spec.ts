/**
 * `--set path=values` (issue 5): one axis of a sweep's grid. The path is dotted into the
 * scenario's YAML (`pipeline.s1.thresholdMs`, `cluster.nodes[0].cores` or `cluster.nodes.0.cores`);
 * the values are a comma list read as YAML scalars/flow collections, as they would be
 * written in the file (`20,50ms,100`, `[],[16],[32,16]`), or an integer range `1..10`
 * (inclusive). Whether a value fits its field is left to the scenario loader (resolve-point.ts),
 * so a wrong type gets the loader's usual message.
 */
import { DtrainError } from '../errors.js';
import { canonicalJson } from '../golden/canonical-json.js';
import { formatPath, type PathSegment } from '../scenario/field-path.js';
import { readYamlSource } from '../scenario/yaml-source.js';
import { escapeForTerminal, hasUnsafeCharacters } from '../text/terminal-escape.js';

/** A grid larger than this is surely a typo (`1..1000000`), not a plan. */
export const MAX_AXIS_VALUES = 100_000;

export interface SetAxis {
  /** the argument as typed, for messages */
  arg: string;
  path: PathSegment[];
  /** the path as the loader writes it: `cluster.nodes[0].cores` */
  pathText: string;
  values: unknown[];
  /** each value as the user wrote it (CSV cells and table labels) */
  labels: string[];
}

function invalid(arg: string, problem: string): DtrainError {
  return new DtrainError('cli.invalidArgument', `--set ${escapeForTerminal(arg)}: ${problem}`, {
    hint: 'write --set path=v1,v2,… or --set path=FROM..TO, e.g. --set pipeline.s1.thresholdMs=20,50,100 --set seed=1..10',
  });
}

/**
 * Names that reach a JavaScript object's prototype instead of a field: no scenario field has
 * them, and writing one would change every object in the process.
 */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `a.b[2].c` / `a.b.2.c` → ['a', 'b', 2, 'c']. */
export function parseSetPath(text: string, arg: string): PathSegment[] {
  const path: PathSegment[] = [];
  for (const part of text.split('.')) {
    const match = /^([A-Za-z_][\w-]*|\d+)?((?:\[\d+\])*)$/.exec(part);
    if (part === '' || match === null || (match[1] === undefined && match[2] === '')) {
      throw invalid(arg, `'${text}' is not a field path (expected names separated by dots, e.g. pipeline.s1.thresholdMs)`);
    }
    if (match[1] !== undefined && FORBIDDEN_SEGMENTS.has(match[1])) {
      throw invalid(arg, `'${match[1]}' cannot be a field name (no scenario field is called that)`);
    }
    if (match[1] !== undefined) path.push(/^\d+$/.test(match[1]) ? Number(match[1]) : match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  if (typeof path[0] === 'number') throw invalid(arg, `'${text}' must start with a field name`);
  return path;
}

/** Split on commas outside brackets, braces and quotes, so `[16,8],[32]` is two values. */
export function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') depth += 1;
    else if (ch === ']' || ch === '}') depth -= 1;
    else if (ch === ',' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items.map((item) => item.trim());
}

function expandItem(item: string, arg: string): Array<{ value: unknown; label: string }> {
  if (item === '') throw invalid(arg, 'an empty value (two commas in a row, or nothing after =)');
  const range = /^(-?\d+)\s*\.\.\s*(-?\d+)$/.exec(item);
  if (range !== null) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (to < from) throw invalid(arg, `the range ${item} is empty (it counts up: write ${to}..${from})`);
    if (to - from + 1 > MAX_AXIS_VALUES) throw invalid(arg, `the range ${item} has more than ${MAX_AXIS_VALUES} values`);
    return Array.from({ length: to - from + 1 }, (_, i) => ({ value: from + i, label: String(from + i) }));
  }
  if (/^-?\d*\.\.\.?-?\d*$/.test(item)) throw invalid(arg, `'${item}' is not a range (expected whole numbers FROM..TO, e.g. 1..10)`);
  // the label reaches the tables, summary.csv and the report as written
  if (hasUnsafeCharacters(item)) throw invalid(arg, `'${escapeForTerminal(item)}' holds control, bidi or invisible characters`);
  // read as the scenario file is read: the same tags refused, the same YAML rules
  const source = readYamlSource(item, '--set');
  const problem = source.issues[0];
  if (problem !== undefined) throw invalid(arg, `'${item}' is not a value a scenario file may hold: expected ${problem.expected}, found ${problem.found}`);
  return [{ value: source.value, label: item }];
}

/** Parse one `--set` argument; a malformed one is a usage error (exit 2). */
export function parseSetArg(arg: string): SetAxis {
  const eq = arg.indexOf('=');
  if (eq < 0) throw invalid(arg, 'expected path=values');
  const path = parseSetPath(arg.slice(0, eq).trim(), arg);
  const expanded = splitTopLevel(arg.slice(eq + 1)).flatMap((item) => expandItem(item, arg));
  const seen = new Map<string, string>();
  for (const { value, label } of expanded) {
    const key = canonicalJson(value);
    const earlier = seen.get(key);
    if (earlier !== undefined) throw invalid(arg, `the value ${label} is listed twice${earlier === label ? '' : ` (as ${earlier} too)`}`);
    seen.set(key, label);
  }
  return {
    arg, path, pathText: formatPath(path),
    values: expanded.map((entry) => entry.value), labels: expanded.map((entry) => entry.label),
  };
}

/** Several `--set` flags: each field at most once (no path inside another). */
export function parseSetArgs(args: readonly string[]): SetAxis[] {
  const axes = args.map(parseSetArg);
  const isPrefix = (a: SetAxis, b: SetAxis) => a.path.length <= b.path.length && a.path.every((segment, i) => segment === b.path[i]);
  axes.forEach((axis, index) => {
    const earlier = axes.findIndex((other) => isPrefix(other, axis) || isPrefix(axis, other));
    if (earlier !== index) throw invalid(axis.arg, `${axis.pathText} overlaps --set ${axes[earlier]!.arg} (set each field once)`);
  });
  return axes;
}
