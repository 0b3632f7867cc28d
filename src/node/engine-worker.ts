/**
 * One worker thread of the parallel engine (parallel-engine.ts, issue 3): tfjs-wasm cannot
 * start threads of its own in Node (PERF-NOTES fact 4), so each worker loads its own TF.js and
 * runs a FastEngine on its fixed share of the tasks. The main thread owns θ; per request it
 * sends θ_t, and the worker writes its tasks' U_i into the shared sums buffer and replies with
 * their norms.
 *
 * Runs only from dist/ (a worker needs a .js entry point).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, loadTf, type BackendPreference } from '../train/backend.js';
import { isNonFiniteLoss, nonFiniteLoss, type EngineOptions, type EngineTask } from '../train/engine.js';
import { FastEngine } from '../train/fast-engine.js';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './parallel-protocol.js';

const port = parentPort;
if (port === null) throw new Error('engine-worker.js must run as a worker thread');

function errorReply(id: number, error: unknown, firstTask: number): WorkerReply {
  // a task is named by its index within this worker's share; the main thread wants the global one
  if (isNonFiniteLoss(error)) {
    const task = error.task === null ? null : firstTask + error.task;
    return { id, ok: false, error: { message: nonFiniteLoss(task).message, code: error.code, task } };
  }
  const e = error as { code?: unknown; exitCode?: unknown; hint?: unknown; message?: unknown };
  return {
    id,
    ok: false,
    error: {
      message: typeof e?.message === 'string' ? e.message : String(error),
      code: typeof e?.code === 'string' ? e.code : undefined,
      exitCode: typeof e?.exitCode === 'number' ? e.exitCode : undefined,
      hint: typeof e?.hint === 'string' ? e.hint : undefined,
    },
  };
}

async function start(setup: WorkerSetup): Promise<FastEngine> {
  const tf = await loadTf();
  await initBackend(setup.backend as BackendPreference);
  return new FastEngine(tf, setup.options as EngineOptions);
}

async function handle(engine: FastEngine, request: WorkerRequest): Promise<WorkerReply> {
  engine.setTheta(request.theta);
  if (request.kind === 'evaluate') return { id: request.id, ok: true, evaluation: await engine.evaluate() };
  const tasks: EngineTask[] = request.tasks;
  const norms = await engine.trainLocal(tasks);
  const count = engine.paramCount;
  const sums = engine.pendingSums();
  if (sums !== null && tasks.length > 0) new Float32Array(request.sums, request.firstTask * count * 4, tasks.length * count).set(sums);
  engine.discardLocal();
  return { id: request.id, ok: true, norms };
}

const ready = start(workerData as WorkerSetup);
ready.then(
  (engine) => port.postMessage({ id: 0, ok: true, backend: engine.backend } satisfies WorkerReply),
  (error: unknown) => port.postMessage(errorReply(0, error, 0)),
);

// Requests come one at a time (the main thread awaits each reply), so no queue is needed.
port.on('message', (request: WorkerRequest) => {
  ready
    .then((engine) => handle(engine, request))
    .then(
      (reply) => port.postMessage(reply, reply.norms !== undefined ? [reply.norms.buffer as ArrayBuffer] : []),
      (error: unknown) => port.postMessage(errorReply(request.id, error, request.kind === 'train' ? request.firstTask : 0)),
    );
});
