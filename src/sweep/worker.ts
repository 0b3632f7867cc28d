/**
 * A sweep worker thread: runs one scenario at a time with `runScenario` and posts back its
 * JSON report (a sweep) or its compact record (a study). Each worker is its own isolate with its own TF.js, so runs on different
 * workers share nothing; a run's report is the same bytes as `dtrain simulate --json` of it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isKnownError } from '../errors.js';
import { asKnownFailure } from '../limits/out-of-memory.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import type { OutputWriter } from '../output-file.js';
import type { JsonReportOptions } from '../report/json.js';
import type { JsonReportStream } from '../report/json-stream.js';
import type { RunColumns } from '../report/run-columns.js';
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
    const { runContext } = await import('../node/run-context.js');
    // what a rerun of this grid point needs: the seed is the point's (with the rest in sweep.json)
    const run = runContext({ engine: task.engine, backend: task.backend, seed: task.scenario.seed, strategy: task.scenario.strategies.map((s) => s.name) });
    const options = { version: task.version, trace: false, timing: false, scenarioHash: task.key, run };
    if (task.record !== undefined) return { key: task.key, record: await recordRun(task, task.record, options) };
    const { runScenario } = await import('../index.js');
    const { toJsonReport } = await import('../report/json.js');
    // the JSON report reads no node timelines (tries, steps): the run builds none
    const result = await runScenario(task.scenario, { backend: task.backend, engine: task.engine, registry: await workerRegistry(), timelines: false });
    return { key: task.key, json: toJsonReport(result, options) };
  } catch (thrown) {
    // out of memory (past the estimate, or with --no-limits) is that run's failure, not a bug
    const error = asKnownFailure(thrown);
    if (!isKnownError(error)) throw error; // a bug: the 'error' event carries the stack to the main thread
    return { key: task.key, error: { code: error.code, message: error.message } };
  }
}

/**
 * A study's run: its columns (the study's record) built from each round as it finishes (the
 * round as the JSON report writes it), the run keeping no node records; with `reportFile`,
 * its JSON report streamed to that file too, committed only once the run is done.
 */
async function recordRun(task: WorkerTask, want: NonNullable<WorkerTask['record']>, options: JsonReportOptions): Promise<RunColumns> {
  const { runScenario } = await import('../index.js');
  const { roundFieldsToJson, runTailToJson } = await import('../report/json.js');
  const { RunColumnsBuilder } = await import('../report/run-columns.js');
  const builder = new RunColumnsBuilder(want.localSteps);
  let report: { writer: OutputWriter; stream: JsonReportStream } | undefined;
  if (want.reportFile !== undefined) {
    const { OutputWriter, targetOf } = await import('../output-file.js');
    const { JsonReportStream } = await import('../report/json-stream.js');
    const writer = new OutputWriter();
    report = { writer, stream: new JsonReportStream(task.scenario, options, writer.stream(targetOf(want.reportFile))) };
  }
  try {
    const result = await runScenario(task.scenario, {
      backend: task.backend,
      engine: task.engine,
      registry: await workerRegistry(),
      timelines: false,
      retainNodes: false,
      onRound: (record, strategy, backend) => {
        report?.stream.round(record, strategy, backend);
        // the columns read a node's participated, batch and weight, which its JSON holds as they
        // are (non-finite as null, as the builder reads them): no JSON object per node for them
        builder.round({ ...roundFieldsToJson(record), nodes: record.nodes });
      },
      onRunEnd: (run) => report?.stream.runEnd(run),
    });
    const [run] = result.runs;
    if (result.runs.length !== 1 || run === undefined) throw new Error(`a study run holds one strategy, found ${result.runs.length}`);
    if (report !== undefined) {
      report.stream.finish(result);
      report.writer.commit();
    }
    return builder.finish(runTailToJson(run, options).summary as Record<string, unknown>);
  } finally {
    report?.writer.abort();
  }
}

parentPort!.on('message', (task: WorkerTask) => {
  void runTask(task).then((reply) => parentPort!.postMessage(reply), (error: unknown) => {
    throw error;
  });
});
