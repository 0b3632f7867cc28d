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
import type { Shard } from './shard.js';

export const MANIFEST_FILE = 'sweep.json';
export const MANIFEST_VERSION = 1;

const ManifestSchema = z.object({
  sweepVersion: z.literal(MANIFEST_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  scenario: z.object({ name: z.string(), file: z.string() }),
  axes: z.array(z.object({ path: z.string(), values: z.array(z.string()) })),
  strategies: z.array(z.string()),
  gridHash: z.string(),
  shard: z.object({ index: z.number(), count: z.number() }).nullable(),
  runs: z.array(z.object({
    index: z.number(), key: z.string(), point: z.array(z.string()), strategy: z.string(), seed: z.number(), report: z.string(),
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
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Parse a directory's sweep.json; anything else is a user error (exit 2). */
export function parseManifest(text: string, label: string): SweepManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new DtrainError('sweep.badManifest', `${label} is not JSON`);
  }
  const parsed = ManifestSchema.safeParse(data);
  if (!parsed.success) {
    throw new DtrainError('sweep.badManifest', `${label} is not a dtrain sweep manifest (sweepVersion ${MANIFEST_VERSION})`);
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
