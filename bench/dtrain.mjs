/**
 * Contender `dtrain`: the fast engine (src/train/fast-engine.ts) on one thread, as the
 * simulator drives it — trainLocal (per-node gradient norms, read back every round) then
 * aggregate. This is the engine of the browser and of each sweep or study worker.
 *
 * Contender `dtrain-fresh`: the same, but every round's batches differ from the previous
 * round's (each node's batches alternate between two orders of its samples), as in a real
 * run where nodes draw new batches each round. The engine then rebuilds and uploads its batch
 * tensors every round instead of reusing them, and XNNPACK packs the fresh data again.
 *
 * Contender `dtrain-mt2`: the default engine of `dtrain simulate` on Node: the fast engine
 * with its helper worker thread (src/node/engine-helper.ts), which shares in every
 * round of nodes × parameters ≥ PARALLEL_MIN_VALUES (training by units both threads claim, the aggregate by
 * parameter slices) while it pays (src/train/helper-payoff.ts: after 24 warm-up rounds, a round
 * alone now and then keeps the comparison current); below that it is `dtrain`. Timed once the
 * helper has joined and the engine has run its first rounds with it and alone.
 *
 * Contender `dtrain-tfjs`: `dtrain` with every node's step-1 gradient by tfjs's products, as
 * the engine computed them before its gradient kernel (src/train/kernels/), and a later step's
 * larger products by tfjs rather than by the kernel: the same numbers.
 *
 * Contender `dtrain-parallel`: `--engine parallel` (src/node/parallel-engine.ts): half of the
 * nodes on each of 2 worker threads, the main thread keeping θ and the aggregate.
 */
import { helperStarter } from '../dist/node/engine-helper.js';
import { createParallelEngine } from '../dist/node/parallel-engine.js';
import { createFastEngine } from '../dist/train/fast-engine.js';
import { EngineTasks } from '../dist/train/engine-tasks.js';
import { ALONE_FIGURES, WARM_UP } from '../dist/train/helper-payoff.js';
import { HIDDEN, LEARNING_RATE } from './workload.mjs';

const createDefaultEngine = (options) => createFastEngine(options, { startHelper: helperStarter(options) });

async function makeContender(workload, localSteps, alternate, createEngine = createFastEngine, withHelper = false) {
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
  // packed once, outside the timed rounds, as the round loop packs each round's
  const tasks = EngineTasks.of(workload.tasks);
  const reversed = EngineTasks.of(workload.tasks.map((task) => ({ stepBatches: task.stepBatches.map((batch) => batch.slice().reverse()) })));
  let round = 0;
  const contender = {
    async round() {
      const roundTasks = alternate && round % 2 === 1 ? reversed : tasks;
      round++;
      await engine.trainLocal(roundTasks);
      engine.aggregate(workload.weights);
    },
    params: () => engine.getParams(),
    dispose: () => engine.dispose(),
  };
  // A large enough round starts the helper thread. Time the engine once it has joined and
  // gone through its start (helper-payoff.ts: WARM_UP rounds with the helper, then
  // ALONE_FIGURES rounds alone), as in the rounds of a long run; the rounds alone it runs
  // later to check the helper still pays are timed.
  // Only the default engine has a helper to wait for: the other contenders' first round is
  // the agreement check's first (bench.mjs compares 3 rounds with tfjs-naive's).
  if (withHelper) {
    await contender.round();
    if (await engine.helperReady()) for (let r = 0; r < WARM_UP + ALONE_FIGURES; r++) await contender.round();
  }
  return contender;
}

export const makeDtrainContender = (workload, localSteps) => makeContender(workload, localSteps, false);
export const makeDtrainFreshContender = (workload, localSteps) => makeContender(workload, localSteps, true);
export const makeDtrainMt2Contender = (workload, localSteps) => makeContender(workload, localSteps, false, createDefaultEngine, true);
export const makeDtrainTfjsContender = (workload, localSteps) =>
  makeContender(workload, localSteps, false, (options) => createFastEngine(options, { gradientKernel: false }));
export const makeDtrainParallelContender = (workload, localSteps) => makeContender(workload, localSteps, false, createParallelEngine);
