/**
 * `study.json`, written into a study's --out before anything runs: the grid (the sweep's
 * manifest of seeds × strategies, reused with its checks on record file names) and the
 * settings that decide the answer (baseline, target, which runs are stored in full). Resuming
 * and `dtrain merge` compare it: shards of one study share everything but the shard.
 */
import { z } from 'zod';
import { DtrainError } from '../errors.js';
import { manifestJson, manifestJsonSteps, parseManifest, schemaProblem, type SweepManifest } from '../sweep/manifest.js';
import { runSteps, type Steps } from '../train/steps.js';
import { escapeForTerminal } from '../text/terminal-escape.js';

export const STUDY_MANIFEST_FILE = 'study.json';
export const STUDY_VERSION = 1;

export type StoreMode = 'compact' | 'full';

export interface StudySettings {
  seeds: number[];
  baseline: string;
  /** --target, else the scenario's targetAccuracy, else null */
  target: number | null;
  ablate: boolean;
  store: StoreMode;
}

export interface StudyManifest extends StudySettings {
  studyVersion: typeof STUDY_VERSION;
  grid: SweepManifest;
}

const Schema = z.object({
  studyVersion: z.literal(STUDY_VERSION),
  seeds: z.array(z.number().int()),
  baseline: z.string(),
  target: z.number().nullable(),
  ablate: z.boolean(),
  store: z.enum(['compact', 'full']),
  grid: z.unknown(),
});

export function studyManifestText(manifest: StudyManifest): string {
  return runSteps(studyManifestTextSteps(manifest));
}

/** studyManifestText in steps (sweep/manifest.ts manifestJsonSteps): a study of 100,000 runs writes some 30 MB. */
export function* studyManifestTextSteps(manifest: StudyManifest, stepRuns?: number): Steps<string> {
  const { grid, studyVersion, seeds, baseline, target, ablate, store } = manifest;
  const head = JSON.stringify({ studyVersion, seeds, baseline, target, ablate, store }, null, 2);
  const gridText = yield* manifestJsonSteps(grid, '  ', stepRuns);
  return `${head.slice(0, -2)},\n  "grid": ${gridText}\n}\n`;
}

export function parseStudyManifest(text: string, label: string): StudyManifest {
  const data = manifestJson(text, label, 'a study manifest', 'study.badManifest');
  const parsed = Schema.safeParse(data);
  if (!parsed.success) {
    throw new DtrainError('study.badManifest', `${label} is not a dtrain study manifest: ${schemaProblem(parsed.error, data, { field: 'studyVersion', value: STUDY_VERSION })}`);
  }
  const grid = parseManifest(JSON.stringify(parsed.data.grid), label, { code: 'study.badManifest' });
  const manifest = { ...parsed.data, grid } as StudyManifest;
  checkSettings(manifest, label);
  return manifest;
}

/**
 * The settings beside the grid must be the grid's: `seeds` its one axis, each run's seed its
 * point, the baseline one of its strategies. A hand-edited study.json that contradicts its grid
 * would make a merge's answer depend on which shard came first.
 */
function checkSettings(manifest: StudyManifest, label: string): void {
  const { grid, seeds } = manifest;
  const axis = grid.axes.length === 1 && grid.axes[0]!.path === 'seed' ? grid.axes[0]!.values : undefined;
  if (axis === undefined || axis.length !== seeds.length || seeds.some((seed, i) => String(seed) !== axis[i])) {
    const listed = axis === undefined ? 'no seed axis' : escapeForTerminal(axis.join(', '));
    throw new DtrainError('study.badManifest', `${label}: seeds: expected the seeds of its grid (${listed}), found ${seeds.join(', ') || 'none'} (the file was edited)`);
  }
  const run = grid.runs.find((r) => String(r.seed) !== r.point[0]);
  if (run !== undefined) {
    throw new DtrainError('study.badManifest', `${label}: run ${run.index + 1}: seed: expected ${escapeForTerminal(run.point[0] ?? 'none')} (its grid point), found ${run.seed} (the file was edited)`);
  }
  if (!grid.strategies.includes(manifest.baseline)) {
    throw new DtrainError('study.badManifest', `${label}: baseline: expected one of its strategies (${escapeForTerminal(grid.strategies.join(', '))}), found ${escapeForTerminal(manifest.baseline)} (the file was edited)`);
  }
}

/** The full JSON report's name beside a run's compact record (with --store full). */
export function fullReportName(record: string): string {
  return record.replace(/\.json$/, '.full.json');
}

/** Same study, ignoring the shard: what resume and merge require. */
export function sameStudy(a: StudyManifest, b: StudyManifest): boolean {
  return a.grid.gridHash === b.grid.gridHash && a.baseline === b.baseline && a.target === b.target && a.store === b.store && a.ablate === b.ablate;
}

/**
 * The first field in which two shards' study.json differ, the shard aside; undefined when they
 * agree in full. A merge writes the first folder's: any other difference would make the merged
 * study depend on the order of the folders.
 */
export function studyDifference(a: StudyManifest, b: StudyManifest): string | undefined {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  for (const field of ['seeds', 'baseline', 'target', 'ablate', 'store'] as const) if (!same(a[field], b[field])) return field;
  for (const field of ['scenario', 'tool', 'axes', 'strategies', 'gridHash', 'runs'] as const) if (!same(a.grid[field], b.grid[field])) return `grid.${field}`;
  return undefined;
}
