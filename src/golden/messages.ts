/**
 * The wording of golden-check results, apart from the logic (STYLE §12). The outcome goes to
 * stdout (it is the command's result); notes are diagnostics for stderr. A golden file is
 * often shared (a repository, a CI artefact): every string taken from a report or a golden
 * (names, versions, backends, hashes, values, the file's path) is escaped for the terminal,
 * so it cannot move the cursor, set the window title or reorder the line.
 */
import { maxOf } from '../extremes.js';
import { formatCount } from '../report/format.js';
import type { CheckOutcome, MetadataProblem, Note } from './check.js';
import type { Difference } from './compare.js';
import { escapeForTerminal as shown } from '../text/terminal-escape.js';

const UPDATE_HINT = 'if the change is intended, re-record the golden: dtrain simulate SCENARIO --expect GOLDEN --update';

function showValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  return shown(typeof value === 'string' ? JSON.stringify(value) : String(value));
}

/** `strategy s1s4, round 4, node c, field batch` (summary and structural fields say so). */
export function locate(difference: Omit<Difference, 'run' | 'golden'>): string {
  const parts = difference.strategy === '–' ? [] : [`strategy ${shown(difference.strategy)}`];
  if (difference.round !== null) parts.push(`round ${difference.round}`);
  else if (!['strategy', 'rounds', 'strategies'].includes(difference.field)) parts.push('summary');
  if (difference.node !== null) parts.push(`node ${shown(difference.node)}`);
  parts.push(`field ${shown(difference.field)}`);
  return parts.join(', ');
}

function valuesText(difference: Difference): string {
  const { run, golden } = difference;
  const delta = typeof run === 'number' && typeof golden === 'number' ? ` (Δ ${String(run - golden)})` : '';
  return `run ${showValue(run)}, golden ${showValue(golden)}${delta}`;
}

function shortHash(hash: string): string {
  return `${shown(hash.slice(0, 12))}…`;
}

function problemText(problem: MetadataProblem): string {
  if (problem.kind === 'scenario') {
    const seeds = problem.seeds === undefined ? '' : `; seed ${problem.seeds.golden} in the golden, ${problem.seeds.run} now`;
    const what = problem.names !== undefined
      ? `the golden is of scenario ${shown(problem.names.golden)}, this run of ${shown(problem.names.run)}`
      : problem.seeds?.only === true ? 'the golden was recorded with another seed' : 'scenario changed since the golden was recorded';
    return `${what} (hash ${shortHash(problem.goldenHash)} in the golden, `
      + `${shortHash(problem.runHash)} now${seeds}); values not compared`;
  }
  return `golden was recorded with backend ${shown(problem.golden)}, this run used ${shown(problem.run)}; values not compared`;
}

function problemHint(problem: MetadataProblem): string {
  if (problem.kind === 'scenario') {
    if (problem.seeds?.only === true) return `run with --seed ${problem.seeds.golden} to check against this golden; or, ${UPDATE_HINT}`;
    return UPDATE_HINT;
  }
  return `run with --backend ${shown(problem.golden)}, or pass --any-backend to compare within the float tolerances`;
}

export function noteText(note: Note): string {
  if (note.kind === 'version') return `golden was recorded with dtrain ${shown(note.golden)}, this is dtrain ${shown(note.run)}`;
  if (note.kind === 'crossBackend') {
    return `comparing across backends (golden ${shown(note.golden)}, run ${shown(note.run)}) within the float tolerances`;
  }
  return note.which === 'golden'
    ? 'the golden has no scenario.hash; whether it belongs to this scenario was not checked'
    : 'the run has no scenario.hash; whether the golden belongs to it was not checked';
}

function byField(differences: Difference[]): string[] {
  const groups = new Map<string, { count: number; first: Difference }>();
  for (const difference of differences) {
    const group = groups.get(difference.field);
    if (group === undefined) groups.set(difference.field, { count: 1, first: difference });
    else group.count += 1;
  }
  const width = maxOf([...groups.keys()].map((field) => field.length));
  return [...groups.entries()].map(([field, { count, first }]) =>
    `  ${shown(field).padEnd(width)}  ${formatCount(count).padStart(6)}  first at ${locate(first).replace(/, field .*$/, '')}`);
}

/** Result lines for stdout (newline-terminated) and the hint for a mismatch. */
export function formatOutcome(outcome: CheckOutcome, goldenPath: string, runs: string): { text: string; hint?: string } {
  const goldenLabel = shown(goldenPath);
  if (outcome.status === 'ok') {
    return { text: `golden check OK: ${formatCount(outcome.compared)} values match ${goldenLabel} (${runs})\n` };
  }
  if (outcome.status === 'mismatch') {
    const problem = outcome.problems[0]!;
    return { text: `golden check FAILED: ${problemText(problem)}\n`, hint: problemHint(problem) };
  }
  const { compared, differences } = outcome.comparison;
  const first = differences[0]!;
  const lines = [
    `golden check FAILED: ${formatCount(differences.length)} of ${formatCount(compared)} values differ from ${goldenLabel}`,
    `first difference: ${locate(first)}: ${valuesText(first)}`,
    'differences by field:',
    ...byField(differences),
  ];
  return { text: `${lines.join('\n')}\n`, hint: UPDATE_HINT };
}

/** `s1s4, sync-sgd · 30 rounds · backend wasm` — what an OK line says was checked. */
export function describeReport(report: { runs: Array<{ strategy: { name: string }; backend: string; rounds: unknown[] }> }): string {
  const names = report.runs.map((run) => shown(run.strategy.name)).join(', ');
  const rounds = [...new Set(report.runs.map((run) => run.rounds.length))].join('/');
  const backends = [...new Set(report.runs.map((run) => shown(run.backend)))].join('/');
  return `${names} · ${rounds} rounds · backend ${backends}`;
}
