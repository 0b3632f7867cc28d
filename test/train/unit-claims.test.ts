import { describe, expect, it } from 'vitest';
import { EngineTasks } from '../../src/train/engine-tasks.js';
import { MIN_UNIT_ROWS } from '../../src/train/fast-sizes.js';
import { claimRest, claimUnits, parameterSlices, PARAMETER_SLICES, unitRanges } from '../../src/train/unit-claims.js';

/** Tasks of one step with these row counts. */
const tasksOf = (rows: number[]): EngineTasks => EngineTasks.of(rows.map((b) => ({ stepBatches: [new Int32Array(b)] })));
const rowsOf = (tasks: EngineTasks, units: Array<[number, number]>): number[] =>
  units.map(([a, b]) => Array.from({ length: b - a }, (_, k) => tasks.rows(a + k)).reduce((x, y) => x + y, 0));

describe('the units of a split round', () => {
  it('halve towards the middle from either end, down to 128 rows: 256 tasks of 32 rows', () => {
    // Arrange: 8,192 rows; cuts at 2,048, 3,072, 3,584, 3,840, 3,968, 4,096 and their mirror images
    const tasks = tasksOf(Array.from({ length: 256 }, () => 32));
    // Act
    const units = unitRanges(tasks);
    // Assert
    expect(MIN_UNIT_ROWS).toBe(128);
    expect(units).toEqual([[0, 64], [64, 96], [96, 112], [112, 120], [120, 124], [124, 128], [128, 132], [132, 136], [136, 144], [144, 160], [160, 192], [192, 256]]);
    expect(rowsOf(tasks, units)).toEqual([2048, 1024, 512, 256, 128, 128, 128, 128, 256, 512, 1024, 2048]);
  });

  it('cut at the first task boundary at or after each position, so a long task takes several positions into one unit', () => {
    // Arrange: 413 rows, 50 rows at least: positions 103.25, 154.875, 204.875, 206.5, 208.125, 258.125, 309.75, 413
    const tasks = tasksOf([100, 1, 1, 1, 300, 5, 5]);
    // Act
    const units = unitRanges(tasks, 50);
    // Assert: task 4 (rows 104 … 403) passes every position up to 309.75
    expect(units).toEqual([[0, 5], [5, 7]]);
  });

  it('are one unit for one task, or a round of fewer rows than two shortest units, and none for no task', () => {
    expect(unitRanges(tasksOf([5000]))).toEqual([[0, 1]]);
    expect(unitRanges(tasksOf([1, 1, 1, 1, 1, 1, 1, 1, 1]))).toEqual([[0, 5], [5, 9]]);
    expect(unitRanges(tasksOf([]))).toEqual([]);
  });
});

describe('claiming units from both ends', () => {
  it('gives every unit to one thread only: this one a prefix, the helper the rest', () => {
    // Arrange
    const flags = new Int32Array(6);
    const mine = claimUnits(flags, false);
    const theirs = claimUnits(flags, true);
    // Act: the two threads' claims, interleaved
    const order = [mine, theirs, theirs, mine, mine, theirs, mine, theirs].map((claims) => claims.next().value ?? 'none');
    // Assert
    expect(order).toEqual([0, 5, 4, 1, 2, 3, 'none', 'none']);
    expect([...flags]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('stops the helper once this thread has taken the rest (after its failure)', () => {
    // Arrange
    const flags = new Int32Array(5);
    const mine = claimUnits(flags, false);
    const theirs = claimUnits(flags, true);
    expect([mine.next().value, theirs.next().value]).toEqual([0, 4]);
    // Act
    claimRest(flags);
    // Assert
    expect(theirs.next().done).toBe(true);
    expect(mine.next().done).toBe(true);
    expect([...flags]).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('the parameter slices of θ_{t+1}', () => {
  it('are 16 of about equal length: 4,810 parameters in 15 of 301 and one of 295', () => {
    const slices = parameterSlices(4810);
    expect(PARAMETER_SLICES).toBe(16);
    expect(slices.length).toBe(16);
    expect(slices.slice(0, 2)).toEqual([[0, 301], [301, 602]]);
    expect(slices.at(-1)).toEqual([4515, 4810]);
  });

  it('are one parameter each for fewer than 16, and none for none', () => {
    expect(parameterSlices(3)).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(parameterSlices(0)).toEqual([]);
  });
});
