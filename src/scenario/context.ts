/**
 * The state of one scenario check: where things are in the file, the issues found so far
 * (all of them are reported at once, SPEC §1.5), and where relative paths start.
 */
import type { z } from 'zod';
import type { Issue, IssueCode } from '../errors.js';
import type { FileHost } from '../host.js';
import type { PathSegment } from './field-path.js';
import { errorMap, issueAt, issuesFromZod, type IssueContext } from './issues.js';
import { decodeText, MAX_DATA_FILE_BYTES } from './text-file.js';

export interface ScenarioContext extends IssueContext {
  /** directory that relative data and trace paths start from (the scenario file's) */
  baseDir: string;
  /** reads the data and trace files the scenario names, resolves their paths */
  host: FileHost;
  issues: Issue[];
  /** `code` defaults to field.value */
  report(path: readonly PathSegment[], expected: string, found?: string, target?: 'value' | 'key', code?: IssueCode): void;
  /** parse `value` (found at `path`) with `schema`; on failure record its issues, return undefined */
  parse<S extends z.ZodType>(schema: S, value: unknown, path: readonly PathSegment[]): z.output<S> | undefined;
}

export function makeContext(base: IssueContext, baseDir: string, issues: Issue[], host: FileHost): ScenarioContext {
  const ctx: ScenarioContext = {
    ...base,
    baseDir,
    host,
    issues,
    report(path, expected, found, target, code) {
      issues.push(issueAt(ctx, path, expected, found, target, code));
    },
    parse(schema, value, path) {
      const result = schema.safeParse(value, { error: errorMap, reportInput: true });
      if (result.success) return result.data;
      // a loop, not push(...): a document with 300k bad keys has 300k issues
      for (const issue of issuesFromZod(ctx, result.error.issues, path)) issues.push(issue);
      return undefined;
    },
  };
  return ctx;
}

/**
 * A data file's text (a trace, a CSV dataset) and the bytes it was decoded from (a dataset's
 * hash is taken from them), or what is wrong with it as `expected` / `found` words: `found`
 * names the file as the user wrote it, with the position of a bad byte but never its value (a
 * data path may name a secret by mistake, and CI logs are public).
 */
export function readDataFile(
  host: FileHost,
  absolutePath: string,
  written: string,
  what: string,
): { text: string; bytes: Uint8Array } | { code: IssueCode; expected: string; found: string } {
  const read = host.readFile(absolutePath, MAX_DATA_FILE_BYTES, { regularOnly: true });
  // a path with control characters is shown quoted, so that it cannot garble the terminal
  const shown = /[\u0000-\u001f\u007f]/.test(written) ? JSON.stringify(written) : written;
  if (!read.ok) {
    // the close name as the user would write it: their folder, the name found beside the file
    const near = read.near === undefined ? '' : ` (did you mean ${written.slice(0, written.length - baseName(written).length)}${baseName(read.near)}?)`;
    return { code: 'file.unreadable', expected: `a readable ${what}`, found: `${read.problem}: ${shown}${near}` };
  }
  const decoded = decodeText(read.bytes, { quoteBytes: false });
  if (decoded.ok) return { text: decoded.text, bytes: read.bytes };
  const at = 'line' in decoded ? `${shown}:${decoded.line}:${decoded.column}` : shown;
  return { code: 'file.notText', expected: 'a UTF-8 text file', found: `${decoded.problem} at ${at}` };
}

/** The last segment of a path written with / or \\ (the core has no node:path). */
function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
