/**
 * Contender `dtrain`: the fast engine (src/train/fast-engine.ts) as the simulator drives it —
 * trainLocal (per-node gradient norms, read back every round) then aggregate.
 *
 * Contender `dtrain-fresh`: the same, but every round's batches differ from the previous
 * round's (each node's batches alternate between two orders of its samples), as in a real
 * run where nodes draw new batches each round. The engine then rebuilds and uploads its batch
 * tensors every round instead of reusing them, and XNNPACK packs the fresh data again.
 *
 * Contender `dtrain-mt2`: `dtrain` on the parallel engine (src/node/parallel-engine.ts): the
 * same maths, half of the nodes on each of 2 worker threads.
 */
import { createFastEngine } from '../dist/train/fast-engine.js';
import { createParallelEngine } from '../dist/node/parallel-engine.js';
import { HIDDEN, LEARNING_RATE } from './workload.mjs';

async function makeContender(workload, localSteps, alternate, createEngine = createFastEngine) {
  const engine = await createEngine({
    train: workload.train,
    test: workload.test,
    hidden: HIDDEN,
    learningRate: LEARNING_RATE,
    localSteps,
    initialParams: workload.initialParams,
    // The workload's batches are fixed (generated once, like the peers'): let the engine keep
    // their tensors from round to round. dtrain-fresh shows the cost when they change.
    keepBatches: true,
  });
  const reversed = workload.tasks.map((task) => ({ stepBatches: task.stepBatches.map((batch) => batch.slice().reverse()) }));
  let round = 0;
  return {
    async round() {
      const tasks = alternate && round % 2 === 1 ? reversed : workload.tasks;
      round++;
      await engine.trainLocal(tasks);
      engine.aggregate(workload.weights);
    },
    params: () => engine.getParams(),
    dispose: () => engine.dispose(),
  };
}

export const makeDtrainContender = (workload, localSteps) => makeContender(workload, localSteps, false);
export const makeDtrainFreshContender = (workload, localSteps) => makeContender(workload, localSteps, true);
export const makeDtrainMt2Contender = (workload, localSteps) => makeContender(workload, localSteps, false, createParallelEngine);
