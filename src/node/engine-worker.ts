/**
 * One engine worker thread (parallel-engine.ts and engine-helper.ts): tfjs-wasm cannot start
 * threads of its own in Node (PERF-NOTES fact 4), so each worker loads its own TF.js and runs a
 * FastEngine. The main thread owns θ; per request it sends θ_t, and the worker trains the tasks
 * it is given or the units of a round it claims (writing their U_i into shared memory when
 * asked), or the slices of θ_{t+1} it claims from the shared U_i, or evaluates.
 *
 * Runs only from dist/ (a worker needs a .js entry point).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, loadTf, type BackendPreference } from '../train/backend.js';
import { EngineTasks, isNonFiniteLoss, type EngineOptions } from '../train/engine.js';
import { FastEngine } from '../train/fast-engine.js';
import { HELPER_DONE, HELPER_FAILED, type WorkerReply, type WorkerRequest, type WorkerSetup } from './parallel-protocol.js';
import { loadTfByRequire } from './tf-packages.js';

loadTfByRequire();

const port = parentPort;
if (port === null) throw new Error('engine-worker.js must run as a worker thread');

function errorReply(id: number, error: unknown): WorkerReply {
  const e = error as { code?: unknown; exitCode?: unknown; hint?: unknown; message?: unknown };
  return {
    id,
    ok: false,
    error: {
      message: typeof e?.message === 'string' ? e.message : String(error),
      // a task is named by its index among the request's tasks; the main thread knows the global one
      ...(isNonFiniteLoss(error) ? { task: error.task } : {}),
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

/** Sets a request's state in shared memory and wakes a main thread blocked on it (WorkerHelper.finish). */
function signal(state: Int32Array | undefined, value: number): void {
  if (state === undefined) return;
  Atomics.store(state, 0, value);
  Atomics.notify(state, 0);
}

async function handle(engine: FastEngine, request: WorkerRequest): Promise<WorkerReply> {
  try {
    return await answer(engine, request);
  } catch (error) {
    if (request.kind === 'claim') signal(request.answer?.signal, HELPER_FAILED);
    if (request.kind === 'aggregate') signal(request.signal, HELPER_FAILED);
    throw error;
  }
}

async function answer(engine: FastEngine, request: WorkerRequest): Promise<WorkerReply> {
  switch (request.kind) {
    case 'evaluate':
      engine.setTheta(request.theta);
      return { id: request.id, ok: true, evaluation: await engine.evaluate() };
    case 'aggregate':
      engine.aggregateClaimed(request.theta, request.sums, request.weights, request.claims, request.next);
      signal(request.signal, HELPER_DONE);
      return { id: request.id, ok: true };
    case 'train':
      return { id: request.id, ok: true, norms: await engine.trainShare(request.theta, EngineTasks.fromPacked(request.tasks), request.sums) };
    case 'claim': {
      const { from, norms } = await engine.trainClaimed(request.theta, EngineTasks.fromPacked(request.tasks), request.claims, request.sums);
      if (request.answer !== undefined) {
        request.answer.norms.set(norms, from);
        request.answer.signal[1] = from;
        signal(request.answer.signal, HELPER_DONE);
      }
      return { id: request.id, ok: true, from, norms };
    }
  }
}

function transfers(reply: WorkerReply): ArrayBuffer[] {
  const list: ArrayBuffer[] = [];
  if (reply.norms !== undefined) list.push(reply.norms.buffer as ArrayBuffer);
  return list;
}

const ready = start(workerData as WorkerSetup);
ready.then(
  (engine) => port.postMessage({ id: 0, ok: true, backend: engine.backend } satisfies WorkerReply),
  (error: unknown) => port.postMessage(errorReply(0, error)),
);

// The main thread awaits every reply but one kind: a request for a round (or an aggregate) it
// finished alone. Such a request finds every unit taken and ends within the microtasks of its
// own message, before the next message is read, so requests never overlap and no queue is
// needed.
port.on('message', (request: WorkerRequest) => {
  ready
    .then((engine) => handle(engine, request))
    .then(
      (reply) => port.postMessage(reply, transfers(reply)),
      (error: unknown) => port.postMessage(errorReply(request.id, error)),
    );
});
