/** Tasks to and from the compact form they travel to an engine worker in (parallel-protocol.ts). */
import type { EngineTask } from '../train/engine.js';
import type { PackedTasks } from './parallel-protocol.js';

export function packTasks(tasks: readonly EngineTask[]): PackedTasks {
  const steps = tasks[0]?.stepBatches.length ?? 0;
  const offsets = new Int32Array(tasks.length * steps + 1);
  let total = 0;
  tasks.forEach((task, k) => {
    if (task.stepBatches.length !== steps) throw new Error(`task ${k} has ${task.stepBatches.length} step batches, expected localSteps = ${steps}`);
    task.stepBatches.forEach((batch, s) => {
      total += batch.length;
      offsets[k * steps + s + 1] = total;
    });
  });
  const indices = new Int32Array(total);
  tasks.forEach((task, k) => task.stepBatches.forEach((batch, s) => indices.set(batch, offsets[k * steps + s]!)));
  return { steps, indices, offsets };
}

/** The tasks again, their batches views into `indices` (no copy). */
export function unpackTasks({ steps, indices, offsets }: PackedTasks): EngineTask[] {
  const count = steps === 0 ? 0 : (offsets.length - 1) / steps;
  return Array.from({ length: count }, (_, k) => ({
    stepBatches: Array.from({ length: steps }, (_, s) => indices.subarray(offsets[k * steps + s]!, offsets[k * steps + s + 1]!)),
  }));
}
