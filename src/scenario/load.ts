/**
 * Scenario files in, resolved Scenario out (SPEC §3): YAML with positions → section-by-section
 * validation → cross-field checks → defaults, `count` expansion, data and trace files read.
 * Every problem is collected and reported at once, in file order (SPEC §1.5).
 */
import { DtrainError, formatIssue, ScenarioError, type Issue } from '../errors.js';
import type { FileHost } from '../host.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { makeContext } from './context.js';
import { resolveScenario } from './resolve.js';
import { MAX_SCENARIO_BYTES, nearFileHint, readTextFileWith } from './text-file.js';
import type { Scenario } from './types.js';
import { readYamlSource } from './yaml-source.js';
import { shorten } from '../text/shorten.js';

export { resolveStrategyNames } from './strategy-names.js';
export { scenarioJsonSchema } from './schema.js';

export interface ScenarioTextOptions {
  /** reads the scenario, trace and CSV files and resolves their paths (src/host.ts) */
  host: FileHost;
  /** where relative trace and CSV paths start; default: the folder of `file` (the host's) */
  baseDir?: string;
  /** the stages and presets `strategy` / `compare` may name; default: the built-in ones */
  registry?: StageRegistry;
}

/** Options when the scenario is read from its file: its folder is where relative paths start. */
export type FileOptions = Omit<ScenarioTextOptions, 'baseDir'>;

function analyse(text: string, file: string, options: ScenarioTextOptions): { scenario?: Scenario; issues: Issue[] } {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { issues: [notText(file, positionIn(text, nul), 'binary data (a NUL byte)')] };
  // a classic Mac file (CR alone ends its lines) reads to the YAML parser as a few odd mappings
  const cr = text.indexOf('\r');
  if (cr >= 0 && text[cr + 1] !== '\n' && !text.includes('\n')) {
    return { issues: [{ code: 'file.notText', file, line: 1, column: cr + 1, path: '', expected: 'lines ending in LF or CRLF (save the file with Unix or Windows line endings)', found: 'lines ending in CR alone (classic Mac line endings)' }] };
  }
  const source = readYamlSource(text, file);
  if (source.fatal) return { issues: inFileOrder(source.issues) };
  const issues = [...source.issues];
  const baseDir = options.baseDir ?? options.host.scenarioFolder(file);
  const ctx = makeContext({ file, root: source.value, locate: source.locate, written: source.written }, baseDir, issues, options.host);
  const scenario = resolveScenario(ctx, source.value, file, options.registry);
  return issues.length === 0 && scenario !== undefined ? { scenario, issues } : { issues: inFileOrder(issues) };
}

function notText(file: string, at: { line: number; column: number }, found: string): Issue {
  return { code: 'file.notText', file, ...at, path: '', expected: 'a scenario file in UTF-8 text', found };
}

function positionIn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Field paths and found values come from the file: a 1 MB key must not make a 1 MB message. */
const MAX_PATH_CHARS = 120;
const MAX_FOUND_CHARS = 160;

/**
 * Shortened, with control characters escaped (as JSON writes them) and bidi or invisible
 * format characters too: a key holding an ESC or a U+202E must not restyle or reorder the terminal.
 */
function clip(text: string, max: number): string {
  const printable = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escapeForTerminal(shorten(printable, max));
}

/** Sorted by line and column (stable), each distinct message once, long parts shortened. */
function inFileOrder(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues
    .map((issue) => ({ ...issue, path: clip(issue.path, MAX_PATH_CHARS), found: clip(issue.found, MAX_FOUND_CHARS) }))
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .filter((issue) => {
      const text = formatIssue(issue);
      if (seen.has(text)) return false;
      seen.add(text);
      return true;
    });
}

/** Resolve scenario text; throws ScenarioError (exit 2) carrying every issue. */
export function parseScenarioText(text: string, file: string, options: ScenarioTextOptions): Scenario {
  const { scenario, issues } = analyse(text, file, options);
  if (scenario === undefined) throw new ScenarioError(file, issues);
  return scenario;
}

/**
 * Every problem in a scenario, in file order; empty means valid (`dtrain validate`). Given
 * only a file name it reads the file, and an unreadable file is `scenario.notFound`.
 */
export function collectScenarioIssues(file: string, options: FileOptions): Issue[];
export function collectScenarioIssues(text: string, file: string, options: ScenarioTextOptions): Issue[];
export function collectScenarioIssues(textOrFile: string, fileOrOptions: string | FileOptions, options?: ScenarioTextOptions): Issue[] {
  if (typeof fileOrOptions !== 'string') {
    const read = readScenarioFile(textOrFile, fileOrOptions.host);
    return 'issues' in read ? read.issues : analyse(read.text, textOrFile, fileOrOptions).issues;
  }
  return analyse(textOrFile, fileOrOptions, options!).issues;
}

/**
 * An already-open descriptor (`/dev/stdin`, `<(…)` as /dev/fd/63): its writer exists, so it is
 * read as the stream it is. Any other path must be a regular file: a named pipe nobody writes
 * to would block the read forever.
 */
const OPEN_DESCRIPTOR = /^\/(dev\/stdin|dev\/fd\/\d+|proc\/self\/fd\/\d+)$/;

/**
 * The scenario file's text, read with a size limit. A file that cannot be read (missing, a
 * directory, too large, a named pipe) is `scenario.notFound`; bytes that are not text are a
 * located issue.
 */
function readScenarioFile(file: string, host: FileHost): { text: string } | { issues: Issue[] } {
  const read = readTextFileWith(host, file, MAX_SCENARIO_BYTES, { regularOnly: !OPEN_DESCRIPTOR.test(file) });
  if (read.ok) return { text: read.text };
  if ('line' in read) return { issues: [notText(file, { line: read.line, column: read.column }, read.problem)] };
  // a file this large is a cluster written node by node (parsing 12 MB of YAML took 17 s and 1.6 GB)
  const hint = 'tooLarge' in read && read.tooLarge === true ? 'write nodes that share their settings as one entry with count: N' : nearFileHint(read);
  throw new DtrainError('scenario.notFound', `cannot read scenario file '${escapeForTerminal(file)}': ${read.problem}`, { hint });
}

/** Read and resolve a scenario file; relative paths inside start at its directory. */
export async function loadScenario(file: string, options: FileOptions): Promise<Scenario> {
  const read = readScenarioFile(file, options.host);
  if ('issues' in read) throw new ScenarioError(file, read.issues);
  return parseScenarioText(read.text, file, { host: options.host, baseDir: options.host.scenarioFolder(file), registry: options.registry });
}
