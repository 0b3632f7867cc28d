/**
 * The state of one scenario check: where things are in the file, the issues found so far
 * (all of them are reported at once, SPEC §1.5), and where relative paths start.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { Issue } from '../errors.js';
import type { PathSegment } from './field-path.js';
import { errorMap, issueAt, issuesFromZod, type IssueContext } from './issues.js';

export interface ScenarioContext extends IssueContext {
  /** directory that relative data and trace paths start from (the scenario file's) */
  baseDir: string;
  issues: Issue[];
  report(path: readonly PathSegment[], expected: string, found?: string, target?: 'value' | 'key'): void;
  /** parse `value` (found at `path`) with `schema`; on failure record its issues, return undefined */
  parse<S extends z.ZodType>(schema: S, value: unknown, path: readonly PathSegment[]): z.output<S> | undefined;
}

export function makeContext(base: IssueContext, baseDir: string, issues: Issue[]): ScenarioContext {
  const ctx: ScenarioContext = {
    ...base,
    baseDir,
    issues,
    report(path, expected, found, target) {
      issues.push(issueAt(ctx, path, expected, found, target));
    },
    parse(schema, value, path) {
      const result = schema.safeParse(value, { error: errorMap, reportInput: true });
      if (result.success) return result.data;
      issues.push(...issuesFromZod(ctx, result.error.issues, path));
      return undefined;
    },
  };
  return ctx;
}

/** A file's text, or what went wrong in words that fit "found …". */
export function readTextFile(absolutePath: string): { text: string } | { problem: string } {
  try {
    return { text: readFileSync(absolutePath, 'utf8') };
  } catch (error) {
    return { problem: fileProblem(error) };
  }
}

export function fileProblem(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EISDIR') return 'a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'a file it has no permission to read';
  return code ?? String(error);
}
