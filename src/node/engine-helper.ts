/**
 * The fast engine's helper thread on Node (issue 14: both cores with one local step): a worker
 * thread (engine-worker.ts) running a FastEngine of the same options, reached through shared
 * memory for the U_i and the flags by which both threads claim a large round's units. The main
 * thread keeps θ (src/train/fast-engine.ts decides which rounds are large from nodes × parameters, and
 * src/train/helper-payoff.ts whether the helper is worth it on this machine).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { currentBackend } from '../train/backend.js';
import type { EngineOptions, EngineTasks } from '../train/engine.js';
import type { EngineHelper, HelperClaimed, HelperStarter } from '../train/engine-helper.js';
import { ENGINE_WORKER_URL, EngineThread } from './engine-thread.js';
import { HELPER_DONE } from './parallel-protocol.js';

/** The last claim or aggregate request: its state in shared memory, and how to resolve its promise from there. */
interface Pending {
  signal: Int32Array;
  settle: () => void;
}

class WorkerHelper implements EngineHelper {
  private pending: Pending | null = null;
  /**
   * The norms of a claim request's answer, reused from round to round: a helper that comes to
   * a round after this thread took all of it trains nothing and writes none.
   */
  private norms: Float64Array<ArrayBufferLike> = new Float64Array(0);

  constructor(private readonly thread: EngineThread) {}

  sharedValues(length: number): Float32Array {
    return new Float32Array(new SharedArrayBuffer(length * 4));
  }

  sharedFlags(length: number): Int32Array {
    return new Int32Array(new SharedArrayBuffer(length * 4));
  }

  async train(theta: Float32Array, tasks: EngineTasks, sums: Float32Array | null): Promise<Float64Array> {
    return (await this.thread.request({ kind: 'train', theta, tasks: tasks.packed(), sums })).norms!;
  }

  trainClaimed(theta: Float32Array, tasks: EngineTasks, claims: Int32Array, sums: Float32Array | null): Promise<HelperClaimed> {
    const count = tasks.count;
    if (this.norms.length < count) this.norms = new Float64Array(new SharedArrayBuffer(count * 8));
    const answer = { signal: new Int32Array(new SharedArrayBuffer(8)), norms: this.norms };
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        const from = answer.signal[1]!;
        resolve({ from, norms: answer.norms.slice(from, count) });
      };
      this.pending = { signal: answer.signal, settle };
      // the reply resolves it too, unless finish() did first (the same answer)
      this.thread.request({ kind: 'claim', theta, tasks: tasks.packed(), claims, sums, answer }).then(
        (reply) => resolve({ from: reply.from!, norms: reply.norms! }),
        reject,
      );
    });
  }

  aggregateClaimed(theta: Float32Array, sums: Float32Array, weights: Float64Array, claims: Int32Array, next: Float32Array): Promise<void> {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    return new Promise((resolve, reject) => {
      this.pending = { signal, settle: () => resolve() };
      this.thread.request({ kind: 'aggregate', theta, sums, weights, claims, next, signal }).then(() => resolve(), reject);
    });
  }

  finish(ms: number): boolean {
    const pending = this.pending;
    this.pending = null;
    if (pending === null) return false;
    // blocking is allowed on Node's main thread; the engine has nothing else to do until the helper is done
    if (Atomics.load(pending.signal, 0) === 0) Atomics.wait(pending.signal, 0, 0, ms);
    if (Atomics.load(pending.signal, 0) !== HELPER_DONE) return false;
    pending.settle();
    return true;
  }

  dispose(): void {
    this.thread.terminate();
  }
}

/**
 * How the default engine starts its helper, or undefined where it must not: inside a worker
 * thread (sweep and study already run one run per core) or where the worker's entry is absent
 * (the sources run by the tests, not dist/).
 */
export function helperStarter(options: EngineOptions): HelperStarter | undefined {
  if (!isMainThread || !existsSync(fileURLToPath(ENGINE_WORKER_URL))) return undefined;
  return async () => {
    const thread = new EngineThread({ options, backend: currentBackend() ?? 'auto' });
    try {
      await thread.started;
    } catch (error) {
      thread.terminate();
      throw error;
    }
    return new WorkerHelper(thread);
  };
}
