/**
 * A sweep or study worker thread: runs one scenario at a time with `runScenario`, writes its
 * JSON report as the rounds finish (a sweep's, or a study's with --store full) and posts back
 * its outcome (and a study's columns). Each worker is its own isolate with its own TF.js, so
 * runs on different workers share nothing; a run's report is the same bytes as
 * `dtrain simulate --json` of it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isKnownError } from '../errors.js';
import { asKnownFailure } from '../limits/out-of-memory.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import type { OutputWriter } from '../output-file.js';
import type { JsonReportOptions } from '../report/json.js';
import type { JsonReportStream } from '../report/json-stream.js';
import type { RunColumns } from '../report/run-columns.js';
import type { RunOutcome } from './run-report.js';
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
    return { key: task.key, ...(await streamRun(task, { version: task.version, trace: false, timing: false, scenarioHash: task.key, run })) };
  } catch (thrown) {
    // out of memory (past the estimate, or with --no-limits) is that run's failure, not a bug
    const error = asKnownFailure(thrown);
    if (!isKnownError(error)) throw error; // a bug: the 'error' event carries the stack to the main thread
    return { key: task.key, error: { code: error.code, message: error.message } };
  }
}

/**
 * Runs the task's scenario keeping no node records: its JSON report, if asked for, streamed
 * to `reportFile` and committed only once the run is done; a study's columns built from each
 * round as it finishes (the round as the JSON report writes it); the outcome from the summary.
 */
async function streamRun(task: WorkerTask, options: JsonReportOptions): Promise<{ outcome: RunOutcome; columns?: RunColumns }> {
  const { runScenario } = await import('../index.js');
  const { roundFieldsToJson, runTailToJson } = await import('../report/json.js');
  const { RunColumnsBuilder } = await import('../report/run-columns.js');
  const { runOutcome } = await import('./run-report.js');
  const builder = task.columns === undefined ? undefined : new RunColumnsBuilder(task.columns.localSteps);
  let report: { writer: OutputWriter; stream: JsonReportStream } | undefined;
  if (task.reportFile !== undefined) {
    const { OutputWriter, targetOf } = await import('../output-file.js');
    const { JsonReportStream } = await import('../report/json-stream.js');
    const writer = new OutputWriter();
    report = { writer, stream: new JsonReportStream(task.scenario, options, writer.stream(targetOf(task.reportFile))) };
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
        builder?.round({ ...roundFieldsToJson(record), nodes: record.nodes });
      },
      onRunEnd: (run) => report?.stream.runEnd(run),
    });
    const [run] = result.runs;
    if (result.runs.length !== 1 || run === undefined) throw new Error(`a sweep or study run holds one strategy, found ${result.runs.length}`);
    if (report !== undefined) {
      report.stream.finish(result);
      report.writer.commit();
    }
    const summary = runTailToJson(run, options).summary as Record<string, unknown>;
    const outcome = runOutcome(run.strategy.name, task.scenario.seed, summary);
    return builder === undefined ? { outcome } : { outcome, columns: builder.finish(summary) };
  } finally {
    report?.writer.abort();
  }
}

parentPort!.on('message', (task: WorkerTask) => {
  void runTask(task).then((reply) => parentPort!.postMessage(reply), (error: unknown) => {
    throw error;
  });
});
