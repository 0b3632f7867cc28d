/**
 * One grid point → its resolved Scenario, through the normal loader (issue 5): the YAML is
 * parsed once, each point's `--set` values are written into a copy of the parsed data, and
 * that copy is validated exactly as `loadScenario` would validate the file. So a wrong type
 * (`--set seed=abc`) or an unknown key (`--set pipeline.s1.treshold=5`) gets the loader's
 * usual message with its did-you-mean; an issue about a field the point set names the
 * `--set` instead of a line in the file, which does not hold that value.
 */
import { escapeForTerminal } from '../text/terminal-escape.js';
import { dirname, resolve } from 'node:path';
import { DtrainError, formatIssue, ScenarioError, type Issue } from '../errors.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { nodeHost } from '../node/host.js';
import { makeContext } from '../scenario/context.js';
import { resolveScenario } from '../scenario/resolve.js';
import type { Scenario } from '../scenario/types.js';
import { readYamlSource, type YamlSource } from '../scenario/yaml-source.js';
import { applySets } from './apply-sets.js';
import type { SetAxis } from './set-spec.js';

export interface ScenarioSource {
  file: string;
  baseDir: string;
  yaml: YamlSource;
}

export interface Assignment {
  axis: SetAxis;
  value: unknown;
  label: string;
}

/** Parse the scenario text once; YAML that cannot be read at all fails here (exit 2). */
export function readScenarioSource(text: string, file: string): ScenarioSource {
  const yaml = readYamlSource(text, file);
  if (yaml.fatal) throw new ScenarioError(file, yaml.issues);
  return { file, baseDir: dirname(resolve(file)), yaml };
}

/** `a.b` covers `a.b`, `a.b.c` and `a.b[0]`; also the other way round (`a` for `a.b`). */
function related(issuePath: string, setPath: string): boolean {
  const covers = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return covers(setPath, issuePath) || (issuePath !== '' && covers(issuePath, setPath));
}

function describeIssue(issue: Issue, assignments: readonly Assignment[]): string {
  const cause = assignments.find((a) => related(issue.path, a.axis.pathText));
  if (cause === undefined) return formatIssue(issue);
  return escapeForTerminal(`--set ${cause.axis.pathText}=${cause.label}  ${issue.path}: expected ${issue.expected}, found ${issue.found}`);
}

export function pointLabel(assignments: ReadonlyArray<Pick<Assignment, 'axis' | 'label'>>): string {
  return assignments.map((a) => `${a.axis.pathText}=${a.label}`).join(' ');
}

/** The point's scenario, or a DtrainError (exit 2) listing every problem of this point. */
export function resolvePoint(source: ScenarioSource, assignments: readonly Assignment[], registry?: StageRegistry): Scenario {
  const issues: Issue[] = [...source.yaml.issues];
  const root = applySets(source.yaml.value, assignments);
  const ctx = makeContext({ file: source.file, root, locate: source.yaml.locate }, source.baseDir, issues, nodeHost);
  const scenario = resolveScenario(ctx, root, source.file, registry);
  if (scenario !== undefined && issues.length === 0) return scenario;
  const lines = [...new Set([...issues].sort((a, b) => a.line - b.line || a.column - b.column).map((issue) => describeIssue(issue, assignments)))];
  const noun = lines.length === 1 ? 'problem' : 'problems';
  const where = escapeForTerminal(assignments.length === 0 ? source.file : `${source.file} with --set ${pointLabel(assignments)}`);
  return fail(`${where}: ${lines.length} ${noun}\n${lines.join('\n')}`);
}

function fail(message: string): never {
  throw new DtrainError('scenario.invalid', message);
}
