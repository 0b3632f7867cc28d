/**
 * The units of a round split between two threads (issue 14: both cores), claimed as they go.
 * Each unit has a flag in memory both threads share; a thread takes a unit by turning its flag
 * from 0 to 1 atomically. This thread claims from the first unit up, the helper from the last
 * one down, and each stops at the first unit the other already took: every unit is trained
 * once, and the two meet wherever their speeds put them, however the machine treats either
 * thread in that round. Which thread trains a unit never changes a number (fast-engine.ts).
 *
 * The units halve towards the middle of the round's rows, from either end: a quarter of the
 * rows, an eighth, … down to MIN_UNIT_ROWS, so each thread starts on long passes (a pass of
 * few rows costs more per row) and the one that waits for the other at the end waits for a
 * short unit.
 */
import type { EngineTasks } from './engine-tasks.js';
import { MIN_UNIT_ROWS } from './fast-sizes.js';

/**
 * The round's units as [first, end) task ranges, in order: cut at the first task boundary at
 * or after each of the row positions R/4, 3R/8, … (halving the distance to R/2, then steps of
 * MIN_UNIT_ROWS), R/2, and their mirror images from the end (R = the step-1 rows of all tasks).
 * A pure function of the tasks, so both threads cut alike, and kept batches stay valid.
 */
export function unitRanges(tasks: EngineTasks, minRows = MIN_UNIT_ROWS): Array<[number, number]> {
  let total = 0;
  for (let i = 0; i < tasks.count; i++) total += tasks.rows(i);
  const half = total / 2;
  const fromStart: number[] = [];
  for (let at = 0; half - at > minRows; ) {
    at += Math.max(minRows, (half - at) / 2);
    fromStart.push(Math.min(at, half));
  }
  const targets = [...fromStart, half, ...fromStart.reverse().map((at) => total - at), total];
  const ranges: Array<[number, number]> = [];
  let first = 0;
  let rows = 0;
  let next = 0;
  for (let i = 0; i < tasks.count; i++) {
    rows += tasks.rows(i);
    if (rows < targets[next]! && i < tasks.count - 1) continue;
    ranges.push([first, i + 1]);
    first = i + 1;
    while (next < targets.length && targets[next]! <= rows) next++;
  }
  return ranges;
}

/** The units a thread takes, in order: up from the first, or down from the last, until one is the other's. */
export function* claimUnits(flags: Int32Array, fromEnd: boolean): Generator<number> {
  const count = flags.length;
  for (let k = 0; k < count; k++) {
    const unit = fromEnd ? count - 1 - k : k;
    if (Atomics.compareExchange(flags, unit, 0, 1) !== 0) return;
    yield unit;
  }
}

/**
 * Takes every unit still free, so that the other thread stops: after this thread's first
 * failing task, which is below every task of the units it leaves.
 */
export function claimRest(flags: Int32Array): void {
  for (let unit = 0; unit < flags.length; unit++) Atomics.compareExchange(flags, unit, 0, 1);
}

/** Slices of θ_{t+1} the two threads claim when forming it: enough that neither waits long for the other's last one. */
export const PARAMETER_SLICES = 16;

/** [start, end) parameter ranges of about equal length, at most PARAMETER_SLICES of them. */
export function parameterSlices(paramCount: number, slices = PARAMETER_SLICES): Array<[number, number]> {
  const length = Math.max(1, Math.ceil(paramCount / slices));
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < paramCount; start += length) ranges.push([start, Math.min(paramCount, start + length)]);
  return ranges;
}
