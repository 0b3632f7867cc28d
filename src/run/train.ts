/**
 * Phase 4, train: each participant trains its own copy of θ_t for localSteps steps on its next
 * batches; the engine returns the pseudo-gradient norms. A non-finite loss names the task, and
 * the task's index names the node.
 */
import { EngineTasks, isNonFiniteLoss, type TrainEngine } from '../train/engine.js';
import { diverged } from './divergence.js';
import type { Scheduled } from './round-state.js';

/**
 * The participants' tasks over the round's batch indices (`indices`: drawBatchIndices's order,
 * participant by participant, step by step), as offsets into the one array.
 */
export function engineTasks(participants: readonly number[], batches: ArrayLike<number>, indices: Int32Array, localSteps: number): EngineTasks {
  const offsets = new Int32Array(participants.length * localSteps + 1);
  let offset = 0;
  for (let k = 0; k < participants.length; k++) {
    const batch = batches[participants[k]!]!;
    for (let step = 0; step < localSteps; step++) {
      offset += batch;
      offsets[k * localSteps + step + 1] = offset;
    }
  }
  if (offset !== indices.length) throw new Error(`the round's batch indices are ${indices.length}, its batches ${offset}`);
  return new EngineTasks(localSteps, indices, offsets);
}

export async function trainPhase(engine: TrainEngine, tasks: EngineTasks, scheduled: Scheduled, ids: readonly string[]): Promise<Float64Array> {
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
