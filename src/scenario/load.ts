/**
 * Scenario files in, resolved Scenario out (SPEC §3): YAML with positions → section-by-section
 * validation → cross-field checks → defaults, `count` expansion, data and trace files read.
 * Every problem is collected and reported at once, in file order (SPEC §1.5).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DtrainError, formatIssue, ScenarioError, type Issue } from '../errors.js';
import { fileProblem, makeContext } from './context.js';
import { resolveScenario } from './resolve.js';
import type { Scenario } from './types.js';
import { readYamlSource } from './yaml-source.js';

export { resolveStrategyNames } from './strategy-names.js';
export { scenarioJsonSchema } from './schema.js';

export interface ScenarioTextOptions {
  /** where relative trace and CSV paths start; default: the directory of `file` */
  baseDir?: string;
}

function analyse(text: string, file: string, options: ScenarioTextOptions): { scenario?: Scenario; issues: Issue[] } {
  const source = readYamlSource(text, file);
  if (source.fatal) return { issues: inFileOrder(source.issues) };
  const issues = [...source.issues];
  const ctx = makeContext({ file, root: source.value, locate: source.locate }, options.baseDir ?? dirname(resolve(file)), issues);
  const scenario = resolveScenario(ctx, source.value, file);
  return issues.length === 0 && scenario !== undefined ? { scenario, issues } : { issues: inFileOrder(issues) };
}

/** Sorted by line and column (stable), each distinct message once. */
function inFileOrder(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return [...issues]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .filter((issue) => {
      const text = formatIssue(issue);
      if (seen.has(text)) return false;
      seen.add(text);
      return true;
    });
}

/** Resolve scenario text; throws ScenarioError (exit 2) carrying every issue. */
export function parseScenarioText(text: string, file: string, options: ScenarioTextOptions = {}): Scenario {
  const { scenario, issues } = analyse(text, file, options);
  if (scenario === undefined) throw new ScenarioError(file, issues);
  return scenario;
}

/**
 * Every problem in a scenario, in file order; empty means valid (`dtrain validate`). Given
 * only a file name it reads the file, and an unreadable file is `scenario.notFound`.
 */
export function collectScenarioIssues(file: string): Issue[];
export function collectScenarioIssues(text: string, file: string, options?: ScenarioTextOptions): Issue[];
export function collectScenarioIssues(textOrFile: string, file?: string, options: ScenarioTextOptions = {}): Issue[] {
  if (file === undefined) return analyse(readScenarioFileSync(textOrFile), textOrFile, {}).issues;
  return analyse(textOrFile, file, options).issues;
}

function notFound(file: string, error: unknown): DtrainError {
  return new DtrainError('scenario.notFound', `cannot read scenario file '${file}': ${fileProblem(error)}`);
}

function readScenarioFileSync(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw notFound(file, error);
  }
}

/** Read and resolve a scenario file; relative paths inside start at its directory. */
export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw notFound(file, error);
  }
  return parseScenarioText(text, file, { baseDir: dirname(resolve(file)) });
}
