/**
 * The study report's curves: per strategy, the mean accuracy over seeds with its 95 % Student t
 * band, against simulated time or against samples trained. Each seed's run is a step function
 * (at x, the accuracy of its last round ended at or before x — the model a user would hold
 * then) read on one grid shared by every strategy, so the band at a point averages the same
 * seeds' models at the same x. After its last round a run keeps its final model; a grid point
 * before some seed's first evaluated round is left out, so every point is a mean over every
 * seed of the strategy (never over the seeds that happened to be further along).
 */
import type { StudyRecord } from './record.js';
import { meanCi } from './stats.js';

/** Points of the shared grid: enough for a smooth band, few enough for a small page. */
export const GRID_POINTS = 120;

export type BandAxis = 'time' | 'samples';

export interface BandRow {
  strategy: string;
  /** the strategy's position in the study: the legend's order */
  rank: number;
  /** seconds of simulated time, or samples trained */
  x: number;
  mean: number;
  low: number;
  high: number;
  /** seeds averaged */
  n: number;
}

/** A run's curve as (x, accuracy) steps: its evaluated rounds in order. */
function steps(record: StudyRecord, axis: BandAxis): Array<[number, number]> {
  const { endMs, samples, accuracy, skipped } = record.rounds;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < accuracy.length; i++) {
    const x = axis === 'time' ? endMs[i] : samples[i];
    const y = accuracy[i];
    if (x === null || x === undefined || y === null || y === undefined || skipped[i]) continue;
    out.push([axis === 'time' ? x / 1000 : x, y]);
  }
  return out;
}

/** The step function at x: the last step at or before it, null before the first. */
export function stepAt(curve: ReadonlyArray<readonly [number, number]>, x: number): number | null {
  let found: number | null = null;
  for (const [at, y] of curve) {
    if (at > x) break;
    found = y;
  }
  return found;
}

/** `points` evenly spaced x from 0 to `max` (both included); just [0] when max ≤ 0. */
export function grid(max: number, points = GRID_POINTS): number[] {
  if (!(max > 0)) return [0];
  const out: number[] = [];
  for (let k = 0; k < points; k++) out.push((max * k) / (points - 1));
  return out;
}

/**
 * The band rows of every strategy, in `strategies` order, on one grid from 0 to the largest x
 * any run reached. A strategy's band stops at its own longest run.
 */
export function accuracyBands(records: readonly StudyRecord[], strategies: readonly string[], axis: BandAxis, points = GRID_POINTS): BandRow[] {
  const curves = new Map<string, Array<Array<[number, number]>>>();
  for (const name of strategies) curves.set(name, []);
  let max = 0;
  for (const record of records) {
    const curve = steps(record, axis);
    curves.get(record.strategy)?.push(curve);
    const last = curve.at(-1);
    if (last !== undefined && last[0] > max) max = last[0];
  }
  const xs = grid(max, points);
  const rows: BandRow[] = [];
  strategies.forEach((strategy, rank) => {
    const own = curves.get(strategy)!;
    let end = 0;
    for (const curve of own) end = Math.max(end, curve.at(-1)?.[0] ?? 0);
    for (const x of xs) {
      if (x > end) break;
      const values: number[] = [];
      for (const curve of own) {
        const y = stepAt(curve, x);
        if (y !== null) values.push(y);
      }
      if (values.length === 0 || values.length < own.length) continue;
      const { mean, halfWidth } = meanCi(values);
      const half = halfWidth ?? 0;
      rows.push({ strategy, rank, x, mean: mean!, low: mean! - half, high: mean! + half, n: values.length });
    }
  });
  return rows;
}
