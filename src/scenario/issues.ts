/**
 * zod issue → located `Issue` (SPEC §1.5): `file:line:col  field.path: expected …, found …`.
 * Wording is ours, never zod's: a message set by a schema (fields.ts, units.ts, refinements)
 * is the "expected" text; every other issue is worded here from its code. "found" always
 * describes the value the user wrote.
 */
import type { z } from 'zod';
import type { Issue, IssueCode } from '../errors.js';
import { formatPath, valueAt, type PathSegment } from './field-path.js';
import { suggestionSuffix } from './suggest.js';
import type { Position } from './yaml-source.js';
import { shorten } from '../text/shorten.js';

type ZodIssue = z.core.$ZodIssue;

/** Marks zod's default messages, so that a schema's own message can be told apart. */
const OURS = '\u0000';

/**
 * The per-parse error map. It ranks below messages set on a schema, so those survive; for
 * unknown keys it records the keys the map does know, which the issue itself lacks.
 */
export function errorMap(issue: z.core.$ZodRawIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
    return OURS + Object.keys(shape ?? {}).join(',');
  }
  return OURS;
}

/** What a scenario check needs to place and describe an issue. */
export interface IssueContext {
  file: string;
  /** the whole document as plain data */
  root: unknown;
  locate(path: readonly PathSegment[], target?: 'value' | 'key'): Position;
  /**
   * A number at `path` as the file spells it (yaml-source.ts). Only where `root` is that
   * file's own data: a sweep point's root has `--set` values written in, so it leaves this out.
   */
  written?(path: readonly PathSegment[]): string | undefined;
}

/** A located issue about the value at `path` (or the key, with `target: 'key'`). */
export function issueAt(
  ctx: IssueContext,
  path: readonly PathSegment[],
  expected: string,
  found?: string,
  target: 'value' | 'key' = 'value',
  code: IssueCode = 'field.value',
): Issue {
  return { code, file: ctx.file, ...ctx.locate(path, target), path: formatPath(path), expected, found: found ?? foundAt(ctx.root, path, ctx.written) };
}

/**
 * The value at `path` in words; a number as the user wrote it where its value would show
 * something else (`1e309`, not `.inf`; `9007199254740993`, not the …992 it rounds to).
 */
export function foundAt(root: unknown, path: readonly PathSegment[], written?: (path: readonly PathSegment[]) => string | undefined): string {
  const { exists, value } = valueAt(root, path);
  if (!exists) return 'nothing';
  const shown = describeValue(value);
  if (typeof value !== 'number' || written === undefined) return shown;
  return written(path) ?? shown;
}

/** `"abc" (a string)`, `-5`, `a list`, `a map`, `an empty value` … */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    return `${JSON.stringify(shorten(value))} (a string)`;
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (ArrayBuffer.isView(value)) return 'binary data (!!binary)';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty map' : 'a map';
  return typeof value;
}

/** Convert zod issues raised while parsing the value at `base`. */
export function issuesFromZod(ctx: IssueContext, issues: readonly ZodIssue[], base: readonly PathSegment[]): Issue[] {
  return issues.flatMap((issue) => convert(ctx, issue, [...base, ...issue.path.map(toSegment)]));
}

function toSegment(key: PropertyKey): PathSegment {
  return typeof key === 'number' ? key : String(key);
}

function convert(ctx: IssueContext, issue: ZodIssue, path: PathSegment[]): Issue[] {
  const own = issue.message.startsWith(OURS) ? undefined : issue.message;
  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownKeys(ctx, issue.keys, issue.message.slice(OURS.length).split(',').filter(Boolean), path);
    case 'invalid_union':
      return unionIssues(ctx, issue, path, own);
    case 'invalid_element':
    case 'invalid_key':
      return issue.issues.flatMap((inner) => convert(ctx, inner, [...path, ...inner.path.map(toSegment)]));
    case 'custom': {
      const params = (issue.params ?? {}) as { found?: string; locateKey?: string };
      if (params.locateKey !== undefined) {
        const at = ctx.locate([...path, params.locateKey], 'key');
        return [{ ...issueAt(ctx, path, own ?? 'a valid value', params.found, 'value', 'field.conflict'), ...at }];
      }
      return [issueAt(ctx, path, own ?? 'a valid value', params.found)];
    }
    default: {
      // a list too long or too short: how many items it has
      const sized = (issue.code === 'too_big' || issue.code === 'too_small') && issue.origin === 'array' ? listSize(ctx.root, path) : undefined;
      return [issueAt(ctx, path, own ?? expectedWords(issue), sized, 'value', codeOf(issue))];
    }
  }
}

function listSize(root: unknown, path: readonly PathSegment[]): string | undefined {
  const { exists, value } = valueAt(root, path);
  if (!exists || !Array.isArray(value)) return undefined;
  return value.length === 0 ? 'an empty list' : `a list of ${value.length.toLocaleString('en-US')} item${value.length === 1 ? '' : 's'}`;
}

function unknownKeys(ctx: IssueContext, keys: readonly string[], known: string[], path: PathSegment[]): Issue[] {
  const owner = ownerLabel(path);
  return keys.map((key) => {
    const expected = `a known key of ${owner} (${known.join(', ')})${suggestionSuffix(key, known)}`;
    return issueAt(ctx, [...path, key], expected, describeKey(key), 'key', 'field.unknownKey');
  });
}

/** A key as written; YAML's `~:` or `"":` reads as the empty string. */
export function describeKey(key: string): string {
  return key === '' ? 'an empty key' : key;
}

/** `s1`, `nodes[2]`, or `the scenario` for the top level. */
function ownerLabel(path: readonly PathSegment[]): string {
  let start = path.length;
  while (start > 0 && typeof path[start - 1] === 'number') start--;
  if (start === 0 && path.length === 0) return 'the scenario';
  return formatPath(path.slice(Math.max(0, start - 1)));
}

/**
 * A union of variants of different shapes (a name or a map). The variant whose type matches
 * the value explains the problem; when none matches, the union's own wording does.
 */
function unionIssues(ctx: IssueContext, issue: Extract<ZodIssue, { code: 'invalid_union' }>, path: PathSegment[], own: string | undefined): Issue[] {
  const fitting = issue.errors.filter((branch) => !branch.some((inner) => inner.path.length === 0 && isTypeMismatch(inner, issue.input)));
  if (fitting.length === 1) {
    return fitting[0]!.flatMap((inner) => convert(ctx, inner, [...path, ...inner.path.map(toSegment)]));
  }
  const types = issue.errors.flatMap((branch) =>
    branch.filter((inner) => inner.path.length === 0).map((inner) => (inner.code === 'invalid_type' ? typeWords(inner.expected) : expectedWords(inner))),
  );
  return [issueAt(ctx, path, own ?? [...new Set(types)].join(' or '), undefined, 'value', 'field.type')];
}

/** A zod issue's kind as an IssueCode. */
function codeOf(issue: ZodIssue): IssueCode {
  switch (issue.code) {
    case 'invalid_type':
      // z.never(): a key this map refuses by name (`loss` in a slowdown), with its own words
      return issue.expected === 'never' ? 'field.unknownKey' : 'field.type';
    case 'too_small':
    case 'too_big':
    case 'not_multiple_of':
      return 'field.range';
    default:
      return 'field.value';
  }
}

/** A branch rejected the value for its type: wrong type, or a name list offered a map or list. */
function isTypeMismatch(inner: ZodIssue, input: unknown): boolean {
  if (inner.code === 'invalid_type') return true;
  return inner.code === 'invalid_value' && typeof input === 'object' && input !== null;
}

function typeWords(expected: string): string {
  const words: Record<string, string> = {
    number: 'a number', int: 'an integer', string: 'a string', boolean: 'true or false', object: 'a map', array: 'a list',
  };
  return words[expected] ?? `a ${expected}`;
}

function expectedWords(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return typeWords(issue.expected);
    case 'invalid_value': {
      const values = issue.values.map(String);
      const typed = typeof issue.input === 'string' ? issue.input : undefined;
      const list = values.length === 1 ? values[0]! : `one of ${values.join(', ')}`;
      return list + (typed === undefined ? '' : suggestionSuffix(typed, values));
    }
    case 'too_small':
      return sizeWords(issue.origin, issue.inclusive ? '≥' : '>', Number(issue.minimum), 'at least');
    case 'too_big':
      return sizeWords(issue.origin, issue.inclusive ? '≤' : '<', Number(issue.maximum), 'at most');
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      return `a string in ${issue.format} format`;
    default:
      return 'a valid value';
  }
}

function sizeWords(origin: string, relation: string, bound: number, count: string): string {
  if (origin === 'array' || origin === 'set') return `a list with ${count} ${bound} item${bound === 1 ? '' : 's'}`;
  if (origin === 'string') return bound === 1 && count === 'at least' ? 'a non-empty string' : `a string with ${count} ${bound} characters`;
  const noun = origin === 'int' || origin === 'bigint' ? 'an integer' : 'a number';
  return `${noun} ${relation} ${bound}`;
}
