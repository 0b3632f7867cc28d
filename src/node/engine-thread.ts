/**
 * One engine worker thread (engine-worker.ts) seen from the main thread: requests by id, their
 * replies as promises, a failed or exited worker failing everything it was asked. The thread
 * holds the process open only while a request is in flight, so an engine nobody disposed
 * (a run that failed) never keeps a finished command alive.
 */
import { Worker } from 'node:worker_threads';
import { DtrainError } from '../errors.js';
import { nonFiniteLoss } from '../train/engine.js';
import type { WorkerError, WorkerReply, WorkerRequest, WorkerSetup } from './parallel-protocol.js';

/** The worker's entry beside this module: present in dist/ only. */
export const ENGINE_WORKER_URL = new URL('./engine-worker.js', import.meta.url);

/** A worker's failure as the main thread throws it; a non-finite loss keeps the request's task index. */
function toError(error: WorkerError): Error {
  if (error.task !== undefined) return nonFiniteLoss(error.task);
  if (error.code === undefined) return new Error(error.message);
  return new DtrainError(error.code, error.message, { exitCode: error.exitCode, hint: error.hint });
}

/**
 * A request's packed tasks are its own (EngineTasks.packed copies them), so their memory is
 * moved to the worker rather than copied: a round's 8,192 indices of 256 tasks took 150–190 µs
 * to post copied, against about 10 µs moved (Node 20, this machine), and the helper cannot
 * start its share of the round before the message arrives.
 */
function movedArrays(message: Request): ArrayBuffer[] {
  if (!('tasks' in message)) return [];
  const { indices, offsets } = message.tasks;
  return [indices.buffer, offsets.buffer].filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer);
}

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class EngineThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;
  readonly started: Promise<WorkerReply>;

  constructor(setup: WorkerSetup) {
    // a small young generation: the worker's short-lived arrays are collected early rather
    // than adding tens of MB to the process's peak
    this.worker = new Worker(ENGINE_WORKER_URL, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    this.started = new Promise((resolve, reject) => this.waiting.set(0, { resolve, reject }));
    this.worker.on('message', (reply: WorkerReply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (waiter === undefined) return;
      if (reply.ok) waiter.resolve(reply);
      else waiter.reject(toError(reply.error ?? { message: 'engine worker failed' }));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`engine worker exited (code ${code})`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  request(message: Request): Promise<WorkerReply> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...message, id }, movedArrays(message));
    });
  }

  terminate(): void {
    this.failure ??= new Error('engine disposed');
    void this.worker.terminate();
  }
}
