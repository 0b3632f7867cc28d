/**
 * `sweep.json`, the manifest a sweep writes into its output directory before running: the
 * whole grid (every run's key, point and strategy, in grid order) and which shard this
 * directory holds. `dtrain merge` uses it to check that the directories belong to one sweep
 * and to put the merged rows in grid order, the order an unsharded sweep writes.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DtrainError } from '../errors.js';
import { canonicalJson } from '../golden/canonical-json.js';
import type { SweepPlan } from './grid.js';
import { escapeForTerminal, hasUnsafeCharacters } from '../text/terminal-escape.js';
import type { Shard } from './shard.js';
import { shorten } from '../text/shorten.js';
import { runSteps, type Steps } from '../train/steps.js';

export const MANIFEST_FILE = 'sweep.json';
export const MANIFEST_VERSION = 1;

/**
 * Words a merge shows on the terminal, in tables, CSV and HTML (the scenario's name, the
 * strategies, the grid's values): dtrain never writes them with a control, bidi or invisible
 * character (the scenario and --set refuse those), so a manifest that has one was edited.
 */
const shownText = z.string().refine((text) => !hasUnsafeCharacters(text), { error: 'a string without control, bidi or invisible characters' });

const ManifestSchema = z.object({
  sweepVersion: z.literal(MANIFEST_VERSION),
  tool: z.object({ name: shownText, version: shownText }),
  scenario: z.object({ name: shownText, file: z.string() }),
  axes: z.array(z.object({ path: shownText, values: z.array(shownText) })),
  strategies: z.array(shownText),
  gridHash: z.string(),
  shard: z.object({ index: z.number(), count: z.number() }).nullable(),
  runs: z.array(z.object({
    index: z.number(), key: z.string(), point: z.array(shownText), strategy: shownText, seed: z.number(), report: z.string(),
  })),
});

export type SweepManifest = z.infer<typeof ManifestSchema>;
export type ManifestRun = SweepManifest['runs'][number];

/** The hash that identifies a grid: its axes, strategies and runs (key, point, strategy, in grid order). */
export function gridHashOf(grid: { axes: ReadonlyArray<{ path: string; values: readonly string[] }>; strategies: readonly string[]; runs: ReadonlyArray<{ key: string; point: readonly string[]; strategy: string }> }): string {
  const runs = grid.runs.map(({ key, point, strategy }) => [key, point, strategy]);
  return createHash('sha256').update(canonicalJson({ axes: grid.axes, strategies: grid.strategies, runs })).digest('hex');
}

/** A run's report file name: the first 16 hex digits of its key (64 bits: no collision in practice). */
export function reportFileName(key: string): string {
  return `${key.slice(0, 16)}.json`;
}

export function makeManifest(
  plan: SweepPlan,
  scenario: { name: string; file: string },
  tool: { name: string; version: string },
  shard: Shard | null,
): SweepManifest {
  return {
    sweepVersion: MANIFEST_VERSION,
    tool,
    scenario,
    axes: plan.axes,
    strategies: plan.strategies,
    gridHash: plan.gridHash,
    shard,
    runs: plan.runs.map(({ index, key, point, strategy, seed }) => ({ index, key, point, strategy, seed, report: reportFileName(key) })),
  };
}

export function manifestText(manifest: SweepManifest): string {
  return `${runSteps(manifestJsonSteps(manifest))}\n`;
}

/** Runs written out between two of manifestJsonSteps' steps: a few hundredths of a second. */
export const MANIFEST_STEP_RUNS = 8192;

/**
 * JSON.stringify(manifest, null, 2), every line after the first indented by `indent` (a study
 * nests its grid), in steps of `stepRuns` runs: the text of a grid of 100,000 runs takes a few
 * tenths of a second to make, and a Ctrl-C meanwhile must not wait for it.
 */
export function* manifestJsonSteps(manifest: SweepManifest, indent = '', stepRuns = MANIFEST_STEP_RUNS): Steps<string> {
  // the manifest around its runs, written whole; the runs go where this marker's text is
  const mark = '\u0000runs\u0000';
  const around = JSON.stringify({ ...manifest, runs: mark }, null, 2).split(JSON.stringify(mark));
  if (around.length !== 2) return JSON.stringify(manifest, null, 2).replaceAll('\n', `\n${indent}`);
  const pieces = [around[0]!.replaceAll('\n', `\n${indent}`)];
  const { runs } = manifest;
  if (runs.length === 0) pieces.push('[]');
  else {
    const line = `\n${indent}    `;
    pieces.push('[');
    for (let i = 0; i < runs.length; i++) {
      if (i > 0 && i % stepRuns === 0) yield;
      pieces.push(`${i === 0 ? '' : ','}${line}${JSON.stringify(runs[i], null, 2).replaceAll('\n', line)}`);
    }
    pieces.push(`\n${indent}  ]`);
  }
  pieces.push(around[1]!.replaceAll('\n', `\n${indent}`));
  return pieces.join('');
}

/** A found value for a message: short, quoted as JSON, escaped; a container by its kind. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return escapeForTerminal(shorten(text));
}

const KINDS: Record<string, string> = { string: 'a string', number: 'a number', boolean: 'true or false', object: 'an object', array: 'an array' };

/**
 * A manifest's text parsed as JSON, or an error naming the file and what was found (`what`:
 * "a sweep manifest"). The text itself is never quoted: the file may be anything.
 */
export function manifestJson(text: string, label: string, what: string, code: string): unknown {
  if (text.trim() === '') throw new DtrainError(code, `${label}: expected ${what} (JSON), found an empty file`);
  try {
    return JSON.parse(text);
  } catch {
    throw new DtrainError(code, `${label}: expected ${what} (JSON), found text that is not JSON (cut short or edited)`);
  }
}

/**
 * The first thing wrong in a manifest as `field: expected …, found …`; the version field first,
 * so that a manifest of another dtrain says so rather than what else changed.
 */
export function schemaProblem(error: z.ZodError, data: unknown, version: { field: string; value: number }): string {
  const record = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  if (record === undefined) return `expected a JSON object, found ${shown(data)}`;
  const found = record[version.field];
  if (found !== version.value) {
    const other = typeof found === 'number' ? ' (written by another version of dtrain)' : '';
    return `${version.field}: expected ${version.value}, found ${shown(found)}${other}`;
  }
  const issue = error.issues[0]!;
  const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
  const value = issue.path.reduce<unknown>((at, part) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[part] : undefined), data);
  const expected = issue.code === 'invalid_type' ? (KINDS[issue.expected] ?? issue.expected)
    : issue.code === 'invalid_value' ? issue.values.map((v) => JSON.stringify(v)).join(' or ')
      : issue.message;
  return `${escapeForTerminal(path)}: expected ${expected}, found ${shown(value)}`;
}

/**
 * Parse a directory's sweep.json; anything else is a user error (exit 2). `label`: the file, as
 * shown. `study`: the manifest is the grid of that study.json's (its fields are named grid.…).
 */
export function parseManifest(text: string, label: string, study?: { code: string }): SweepManifest {
  const data = manifestJson(text, label, 'a sweep manifest', 'sweep.badManifest');
  const parsed = ManifestSchema.safeParse(data);
  if (!parsed.success) {
    const problem = schemaProblem(parsed.error, data, { field: 'sweepVersion', value: MANIFEST_VERSION });
    if (study !== undefined) throw new DtrainError(study.code, `${label} is not a dtrain study manifest: grid.${problem}`);
    throw new DtrainError('sweep.badManifest', `${label} is not a dtrain sweep manifest: ${problem}`);
  }
  checkReportNames(parsed.data.runs, label);
  checkGrid(parsed.data, label);
  return parsed.data;
}

/**
 * Merge and resume trust a manifest's runs (which strategy and point each file holds, their
 * order): they must be the grid its gridHash names, in grid order, so a manifest edited by hand
 * (a run relabelled, an axis value changed) is refused instead of merged.
 */
function checkGrid(manifest: SweepManifest, label: string): void {
  const misplaced = manifest.runs.findIndex((run, position) => run.index !== position);
  if (misplaced >= 0) {
    throw new DtrainError('sweep.badManifest', `${label}: run ${misplaced + 1} has index ${manifest.runs[misplaced]!.index}, expected ${misplaced} (the runs in grid order)`);
  }
  if (gridHashOf(manifest) !== manifest.gridHash) {
    throw new DtrainError('sweep.badManifest', `${label}: its axes, strategies and runs are not the grid its gridHash names (the file was edited)`);
  }
}

const REPORT_NAME = /^[0-9a-f]{16}\.json$/;

/**
 * A manifest may come from someone else (a shard copied from CI): its report names are read
 * and written inside the sweep's directories, so each must be the plain file name dtrain
 * gives it — never `../x.json`, a sub-folder or an absolute path. The name is not quoted.
 */
function checkReportNames(runs: readonly ManifestRun[], label: string): void {
  runs.forEach((run, position) => {
    if (REPORT_NAME.test(run.report) && run.report === reportFileName(run.key)) return;
    throw new DtrainError('sweep.badManifest', `${label}: run ${position + 1} names a report that is not its own file in this folder (expected the first 16 hex digits of its key + .json)`);
  });
}
