import { describe, expect, it } from 'vitest';
import { packTasks, unpackTasks } from '../../src/node/packed-tasks.js';

describe('tasks packed for an engine worker', () => {
  it('come back with the same batches, step by step, as views of one array', () => {
    // Arrange: 3 tasks × 2 steps of different lengths
    const tasks = [
      { stepBatches: [Int32Array.of(4, 5, 6), Int32Array.of(7)] },
      { stepBatches: [Int32Array.of(0), Int32Array.of(1, 2)] },
      { stepBatches: [Int32Array.of(9, 9), Int32Array.of(3, 8, 1)] },
    ];
    // Act
    const packed = packTasks(tasks);
    const back = unpackTasks(structuredClone(packed));
    // Assert
    expect(packed.steps).toBe(2);
    expect(packed.indices).toEqual(Int32Array.of(4, 5, 6, 7, 0, 1, 2, 9, 9, 3, 8, 1));
    expect(packed.offsets).toEqual(Int32Array.of(0, 3, 4, 5, 7, 9, 12));
    expect(back).toEqual(tasks);
    expect(back[2]!.stepBatches[1]!.buffer).toBe(back[0]!.stepBatches[0]!.buffer);
  });

  it('packs no tasks into empty arrays and back', () => {
    const packed = packTasks([]);
    expect(packed).toEqual({ steps: 0, indices: new Int32Array(0), offsets: Int32Array.of(0) });
    expect(unpackTasks(packed)).toEqual([]);
  });

  it('refuses tasks whose step counts differ, naming the task', () => {
    const tasks = [{ stepBatches: [Int32Array.of(1)] }, { stepBatches: [Int32Array.of(1), Int32Array.of(2)] }];
    expect(() => packTasks(tasks)).toThrow('task 1 has 2 step batches, expected localSteps = 1');
  });
});
