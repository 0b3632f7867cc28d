/**
 * Per-node batch order (issue S4 training: "seeded shuffles only").
 *
 * A node's batch for each local step is the next `batch` indices of its shard in a seeded
 * shuffled order (seedrandom Alea stream `<seed>/data/batches/<nodeId>`). When a pass over the shard ends the
 * order is reshuffled (continuing the same stream) and the batch carries on into the new pass,
 * so a batch larger than the shard wraps around and repeats samples. Cursors are independent
 * per node and deterministic; every strategy run creates fresh cursors, so all strategies
 * start from the same order.
 */
import { AleaStream } from '../sim/rng.js';

export class BatchCursor {
  private readonly order: Int32Array;
  private readonly rng: AleaStream;
  /** position of the next sample in `order`; `order.length` means "reshuffle first" */
  private position: number;

  /** `samples`: the node's sample indices (into the engine's training set); at least one. */
  constructor(samples: Int32Array, seed: number, nodeId: string) {
    if (samples.length === 0) throw new Error(`node ${nodeId} has no training samples`);
    this.order = Int32Array.from(samples);
    // Alea, not ARC4: at 1,000 nodes the reshuffles are the simulator's largest cost (issue 3).
    // As a class of four numbers: seedrandom's closures were ~440 bytes per node for the whole run.
    this.rng = new AleaStream(seed, 'data', 'batches', nodeId);
    this.position = this.order.length;
  }

  /** The next `batch` sample indices (an empty array for batch 0). */
  next(batch: number): Int32Array {
    const out = new Int32Array(batch);
    this.fill(out, 0, batch);
    return out;
  }

  /**
   * The next `batch` sample indices written into `out` from `offset`: the same draws as
   * `next`, into an array the caller shares between nodes (one per round at 131,072 nodes
   * instead of one per node and step).
   */
  fill(out: Int32Array, offset: number, batch: number): void {
    for (let i = 0; i < batch; i++) {
      if (this.position === this.order.length) this.reshuffle();
      out[offset + i] = this.order[this.position++]!;
    }
  }

  /** Fisher–Yates over the order, as shuffleInPlace draws (src/sim/rng.ts). */
  private reshuffle(): void {
    const order = this.order;
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng.next() * (i + 1));
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    this.position = 0;
  }

  /** One batch per local step: the `stepBatches` of an EngineTask. */
  nextSteps(batch: number, localSteps: number): Int32Array[] {
    return Array.from({ length: localSteps }, () => this.next(batch));
  }
}
