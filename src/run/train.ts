/**
 * Phase 4, train: each participant trains its own copy of θ_t for localSteps steps on its next
 * batches; the engine returns the pseudo-gradient norms. A non-finite loss names the task, and
 * the task's index names the node.
 */
import { isNonFiniteLoss, type EngineTask, type TrainEngine } from '../train/engine.js';
import type { BatchCursor } from '../train/batches.js';
import { diverged } from './divergence.js';
import type { Scheduled } from './round-state.js';

/**
 * Each participant's batches in participant order, step by step (the cursors' draw order), as
 * views of one index array for the round: an array with a store of its own per node and step
 * was some 0.2 KB of garbage per node and round at 131,072 nodes.
 */
export function engineTasks(scheduled: Scheduled, cursors: readonly BatchCursor[], localSteps: number): EngineTask[] {
  const { participants, plans } = scheduled;
  let rows = 0;
  for (const i of participants) rows += plans[i]!.batch;
  const indices = new Int32Array(rows * localSteps);
  const tasks = new Array<EngineTask>(participants.length);
  let offset = 0;
  for (let k = 0; k < participants.length; k++) {
    const i = participants[k]!;
    const batch = plans[i]!.batch;
    const stepBatches = new Array<Int32Array>(localSteps);
    for (let step = 0; step < localSteps; step++) {
      cursors[i]!.fill(indices, offset, batch);
      stepBatches[step] = indices.subarray(offset, offset + batch);
      offset += batch;
    }
    tasks[k] = { stepBatches };
  }
  return tasks;
}

export async function trainPhase(engine: TrainEngine, tasks: EngineTask[], scheduled: Scheduled, ids: readonly string[]): Promise<Float64Array> {
  try {
    return await engine.trainLocal(tasks);
  } catch (error) {
    if (!isNonFiniteLoss(error)) throw error;
    const { round, participants } = scheduled;
    const node = error.task === null ? undefined : ids[participants[error.task]!];
    throw diverged('training', round, node ?? null, node === undefined
      ? `training diverged in round ${round}: ${error.message}`
      : `training diverged in round ${round} on node ${node}: its local loss or parameters became non-finite`);
  }
}
