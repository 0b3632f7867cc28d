/**
 * A helper thread for the engine tests that is not a thread: a second engine computing in this
 * one. Called by a split round, it claims its first unit before this thread claims any (its
 * call starts before this thread's work), and the two then take turns at every pass, so which
 * units each trains is the same on every run. It notes what it trained of each round, and
 * tells `called` (a subclass's) of every request.
 */
import type { EngineHelper, HelperClaimed } from '../../src/train/engine-helper.js';
import type { EngineTasks } from '../../src/train/engine-tasks.js';
import type { FastEngine } from '../../src/train/fast-engine.js';

export class InThreadHelper implements EngineHelper {
  readonly claimed: HelperClaimed[] = [];
  /** aggregate requests it was sent */
  aggregates = 0;

  constructor(private readonly inner: FastEngine) {}

  protected called(): void {}

  sharedValues(length: number): Float32Array {
    return new Float32Array(length);
  }

  sharedFlags(length: number): Int32Array {
    return new Int32Array(length);
  }

  async train(theta: Float32Array, tasks: EngineTasks, sums: Float32Array | null): Promise<Float64Array> {
    this.called();
    return this.inner.trainShare(theta, tasks, sums);
  }

  async trainClaimed(theta: Float32Array, tasks: EngineTasks, claims: Int32Array, sums: Float32Array | null): Promise<HelperClaimed> {
    this.called();
    const claimed = await this.inner.trainClaimed(theta, tasks, claims, sums);
    this.claimed.push(claimed);
    return claimed;
  }

  async aggregateClaimed(theta: Float32Array, sums: Float32Array, weights: Float64Array, claims: Int32Array, next: Float32Array): Promise<void> {
    this.called();
    this.aggregates++;
    this.inner.aggregateClaimed(theta, sums, weights, claims, next);
  }

  dispose(): void {
    this.inner.dispose();
  }
}
