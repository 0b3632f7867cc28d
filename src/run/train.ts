/**
 * Phase 4, train: each participant trains its own copy of θ_t for localSteps steps on its next
 * batches; the engine returns the pseudo-gradient norms. A non-finite loss names the task, and
 * the task's index names the node.
 */
import { isNonFiniteLoss, type EngineTask, type TrainEngine } from '../train/engine.js';
import type { BatchCursor } from '../train/batches.js';
import { diverged } from './divergence.js';
import type { Scheduled } from './round-state.js';

export function engineTasks(scheduled: Scheduled, cursors: readonly BatchCursor[], localSteps: number): EngineTask[] {
  return scheduled.participants.map((i) => {
    const batch = scheduled.plans[i]!.batch;
    const stepBatches: Int32Array[] = [];
    for (let step = 0; step < localSteps; step++) stepBatches.push(cursors[i]!.next(batch));
    return { stepBatches };
  });
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
