/**
 * A sweep worker thread: runs one scenario at a time with `runScenario` and posts back its
 * JSON report. Each worker is its own isolate with its own TF.js, so runs on different
 * workers share nothing; a run's report is the same bytes as `dtrain simulate --json` of it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isKnownError } from '../errors.js';
import { asKnownFailure } from '../limits/out-of-memory.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import type { WorkerReply, WorkerTask } from './pool.js';

const plugins: readonly string[] = (workerData as { plugins?: string[] } | null)?.plugins ?? [];
let registry: Promise<StageRegistry> | undefined;

/**
 * The sweep's --plugin files, loaded once into this worker's own registry: the main thread
 * loaded them already, so a failure here (the file changed since) fails each run, knownly.
 */
function workerRegistry(): Promise<StageRegistry> | undefined {
  if (plugins.length === 0) return undefined;
  registry ??= (async () => {
    const { createStageRegistry } = await import('../pipeline/stages/builtin.js');
    const { loadPlugins } = await import('../node/plugins.js');
    return loadPlugins(plugins, createStageRegistry());
  })();
  return registry;
}

async function runTask(task: WorkerTask): Promise<WorkerReply> {
  try {
    const { runScenario } = await import('../index.js');
    const { toJsonReport } = await import('../report/json.js');
    // the JSON report reads no node timelines (tries, steps): the run builds none
    const result = await runScenario(task.scenario, { backend: task.backend, engine: task.engine, registry: await workerRegistry(), timelines: false });
    const { runContext } = await import('../node/run-context.js');
    // what a rerun of this grid point needs: the seed is the point's (with the rest in sweep.json)
    const run = runContext({ engine: task.engine, backend: task.backend, seed: task.scenario.seed, strategy: task.scenario.strategies.map((s) => s.name) });
    const json = toJsonReport(result, { version: task.version, trace: false, timing: false, scenarioHash: task.key, run });
    return { key: task.key, json };
  } catch (thrown) {
    // out of memory (past the estimate, or with --no-limits) is that run's failure, not a bug
    const error = asKnownFailure(thrown);
    if (!isKnownError(error)) throw error; // a bug: the 'error' event carries the stack to the main thread
    return { key: task.key, error: { code: error.code, message: error.message } };
  }
}

parentPort!.on('message', (task: WorkerTask) => {
  void runTask(task).then((reply) => parentPort!.postMessage(reply), (error: unknown) => {
    throw error;
  });
});
