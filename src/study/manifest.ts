/**
 * `study.json`, written into a study's --out before anything runs: the grid (the sweep's
 * manifest of seeds × strategies, reused with its checks on record file names) and the
 * settings that decide the answer (baseline, target, which runs are stored in full). Resuming
 * and `dtrain merge` compare it: shards of one study share everything but the shard.
 */
import { z } from 'zod';
import { DtrainError } from '../errors.js';
import { manifestText, parseManifest, type SweepManifest } from '../sweep/manifest.js';

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
  const { grid, studyVersion, seeds, baseline, target, ablate, store } = manifest;
  const head = JSON.stringify({ studyVersion, seeds, baseline, target, ablate, store }, null, 2);
  return `${head.slice(0, -2)},\n  "grid": ${manifestText(grid).trimEnd().replaceAll('\n', '\n  ')}\n}\n`;
}

export function parseStudyManifest(text: string, label: string): StudyManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new DtrainError('study.badManifest', `${label} is not JSON`);
  }
  const parsed = Schema.safeParse(data);
  if (!parsed.success) throw new DtrainError('study.badManifest', `${label} is not a dtrain study manifest (studyVersion ${STUDY_VERSION})`);
  const grid = parseManifest(JSON.stringify(parsed.data.grid), label);
  return { ...parsed.data, grid } as StudyManifest;
}

/** The full JSON report's name beside a run's compact record (with --store full). */
export function fullReportName(record: string): string {
  return record.replace(/\.json$/, '.full.json');
}

/** Same study, ignoring the shard: what resume and merge require. */
export function sameStudy(a: StudyManifest, b: StudyManifest): boolean {
  return a.grid.gridHash === b.grid.gridHash && a.baseline === b.baseline && a.target === b.target && a.store === b.store && a.ablate === b.ablate;
}
