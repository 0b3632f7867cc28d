/**
 * Known, user-fixable failures carry a dotted code and an exit code (after commander's
 * CommanderError). The CLI prints them as `error: <message>` with no stack; anything else is
 * a bug and is re-thrown so Node prints the stack (exit 1).
 */
import { escapeForTerminal } from './text/terminal-escape.js';

export class DtrainError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint?: string;

  constructor(code: string, message: string, options: { exitCode?: number; hint?: string } = {}) {
    super(message);
    this.name = 'DtrainError';
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
    this.hint = options.hint;
  }
}

export function isKnownError(error: unknown): error is DtrainError {
  return error instanceof DtrainError;
}

/**
 * What kind of problem an issue is, for programs (a editor plug-in, a test); the words are
 * formatIssue's alone.
 *
 *   file.notText      the scenario file is not UTF-8 text (a NUL byte, an invalid byte)
 *   file.unreadable   a file the scenario names cannot be read (missing, a directory, too large)
 *   file.invalid      a file the scenario names was read, but what it holds is wrong
 *   yaml.syntax       not valid YAML (tabs, a second document, a parse error, nesting too deep)
 *   yaml.duplicateKey a key twice in one map
 *   yaml.unsupported  YAML this format refuses: tags, %YAML 1.1, an alias before its anchor, an alias bomb
 *   field.unknownKey  a key the map does not have (with a did-you-mean)
 *   field.type        a value of the wrong type (a list for a number, a map for a name)
 *   field.range       a number out of its range or not a multiple it must be
 *   field.value       a value that is not one of the allowed ones, or not valid as written
 *   field.conflict    fields that contradict each other (both strategy and compare, a repeated id)
 */
export type IssueCode =
  | 'file.notText' | 'file.unreadable' | 'file.invalid'
  | 'yaml.syntax' | 'yaml.duplicateKey' | 'yaml.unsupported'
  | 'field.unknownKey' | 'field.type' | 'field.range' | 'field.value' | 'field.conflict';

/** One problem found in a user's file, located as precisely as the source allows. */
export interface Issue {
  code: IssueCode;
  file: string;
  line: number;
  column: number;
  /** dotted field path, e.g. `cluster.nodes[2].latency.normal.std` (empty for the whole file) */
  path: string;
  expected: string;
  found: string;
}

/**
 * `file:line:col  field.path: expected …, found …` — one line per issue (SPEC §5 / issue 2).
 * Every part can hold the user's text (a file named with an ESC or a newline, a key with a
 * bidi override): each is escaped, so that one issue is one line and cannot restyle the terminal.
 */
export function formatIssue(issue: Omit<Issue, 'code'>): string {
  const where = `${escapeForTerminal(issue.file)}:${issue.line}:${issue.column}`;
  const field = issue.path === '' ? '' : `${escapeForTerminal(issue.path)}: `;
  return `${where}  ${field}expected ${escapeForTerminal(issue.expected)}, found ${escapeForTerminal(issue.found)}`;
}

export function formatIssues(issues: readonly Issue[]): string {
  return issues.map(formatIssue).join('\n');
}

/**
 * A file with thousands of problems must still fit on one screen: the first `limit` issues,
 * then one line saying how many more there are and how to list them all.
 */
export const MAX_SHOWN_ISSUES = 20;

export function formatIssuesCapped(issues: readonly Issue[], limit = MAX_SHOWN_ISSUES, more = 'run dtrain validate --all to list them all'): string {
  if (issues.length <= limit) return formatIssues(issues);
  return `${formatIssues(issues.slice(0, limit))}\n… and ${issues.length - limit} more (${more})`;
}

/** The scenario-level error: every issue at once, exit code 2. */
export class ScenarioError extends DtrainError {
  readonly issues: readonly Issue[];

  constructor(file: string, issues: readonly Issue[]) {
    const noun = issues.length === 1 ? 'problem' : 'problems';
    super('scenario.invalid', `${escapeForTerminal(file)}: ${issues.length} ${noun}\n${formatIssuesCapped(issues)}`);
    this.issues = issues;
  }
}
