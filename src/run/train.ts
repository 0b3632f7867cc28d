/**
 * Phase 4, train: each participant trains its own copy of θ_t for localSteps steps on its next
 * batches; the engine returns the pseudo-gradient norms. A non-finite loss names the task, and
 * the task's index names the node.
 */
import { isNonFiniteLoss, type EngineTask, type TrainEngine } from '../train/engine.js';
import { diverged } from './divergence.js';
import type { Scheduled } from './round-state.js';

/**
 * Each participant's batches (`indices`: drawBatchIndices's order, participant by participant,
 * step by step) as views of the one array: an array with a store of its own per node and step
 * was some 0.2 KB of garbage per node and round at 131,072 nodes.
 */
export function engineTasks(participants: readonly number[], batches: ArrayLike<number>, indices: Int32Array, localSteps: number): EngineTask[] {
  const tasks = new Array<EngineTask>(participants.length);
  let offset = 0;
  for (let k = 0; k < participants.length; k++) {
    const batch = batches[participants[k]!]!;
    const stepBatches = new Array<Int32Array>(localSteps);
    for (let step = 0; step < localSteps; step++) {
      stepBatches[step] = indices.subarray(offset, offset + batch);
      offset += batch;
    }
    tasks[k] = { stepBatches };
  }
  if (offset !== indices.length) throw new Error(`the round's batch indices are ${indices.length}, its batches ${offset}`);
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
