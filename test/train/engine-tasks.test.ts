import { describe, expect, it } from 'vitest';
import { EngineTasks } from '../../src/train/engine-tasks.js';

// 3 tasks × 2 steps of different lengths
const TASKS = [
  { stepBatches: [Int32Array.of(4, 5, 6), Int32Array.of(7)] },
  { stepBatches: [Int32Array.of(0), Int32Array.of(1, 2)] },
  { stepBatches: [Int32Array.of(9, 9), Int32Array.of(3, 8, 1)] },
];

describe('a round\'s engine tasks', () => {
  it('pack every task\'s steps into one array and its offsets, and give them back as views of it', () => {
    const tasks = EngineTasks.of(TASKS);
    expect([tasks.count, tasks.steps]).toEqual([3, 2]);
    expect(tasks.indices).toEqual(Int32Array.of(4, 5, 6, 7, 0, 1, 2, 9, 9, 3, 8, 1));
    expect(tasks.offsets).toEqual(Int32Array.of(0, 3, 4, 5, 7, 9, 12));
    expect([tasks.rows(2), tasks.rows(2, 1), tasks.start(1, 1)]).toEqual([2, 3, 5]);
    expect([0, 1, 2].map((k) => tasks.task(k))).toEqual(TASKS);
    expect(tasks.batch(2, 1).buffer).toBe(tasks.indices.buffer);
  });

  it('slice without copying, and pack compactly for a worker, with the same tasks', () => {
    const tasks = EngineTasks.of(TASKS);
    const tail = tasks.slice(1, 3);
    expect(tail.count).toBe(2);
    expect(tail.indices).toBe(tasks.indices);
    expect([0, 1].map((k) => tail.task(k))).toEqual(TASKS.slice(1));
    const packed = tail.packed();
    expect(packed).toEqual({ steps: 2, indices: Int32Array.of(0, 1, 2, 9, 9, 3, 8, 1), offsets: Int32Array.of(0, 1, 3, 5, 8) });
    const back = EngineTasks.fromPacked(structuredClone(packed));
    expect([0, 1].map((k) => back.task(k))).toEqual(TASKS.slice(1));
    expect(back.equals(tail)).toBe(true);
    expect(back.equals(tasks.slice(0, 2))).toBe(false);
    expect(tasks.slice(0, 0).count).toBe(0);
  });

  it('compare index for index: one index changed, or the same indices split into other batches, is not equal', () => {
    const tasks = EngineTasks.of(TASKS);
    expect(EngineTasks.of(TASKS).equals(tasks)).toBe(true);
    const changed = EngineTasks.of(TASKS);
    changed.indices[11] = 2;
    expect(changed.equals(tasks)).toBe(false);
    const resplit = new EngineTasks(2, tasks.indices, Int32Array.of(0, 2, 4, 5, 7, 9, 12));
    expect(resplit.equals(tasks)).toBe(false);
  });

  it('pack no tasks into empty arrays', () => {
    const none = EngineTasks.of([]);
    expect(none.packed()).toEqual({ steps: 0, indices: new Int32Array(0), offsets: Int32Array.of(0) });
    expect(none.count).toBe(0);
  });

  it('refuse tasks whose step counts differ, naming the task, and a task with no steps', () => {
    expect(() => EngineTasks.of([{ stepBatches: [Int32Array.of(1)] }, { stepBatches: [Int32Array.of(1), Int32Array.of(2)] }]))
      .toThrow('task 1 has 2 step batches, expected localSteps = 1');
    expect(() => EngineTasks.of([{ stepBatches: [] }])).toThrow('task 0 has no step batches');
  });
});
