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

/**
 * The stream a node's batch order is shuffled with. Alea, not ARC4: at 1,000 nodes the
 * reshuffles are the simulator's largest cost (issue 3). As a class of four numbers:
 * seedrandom's closures were ~440 bytes per node for the whole run. Seeding it (hashing the
 * stream's name) is most of what making a cursor costs.
 */
export function batchStream(seed: number, nodeId: string): AleaStream {
  return new AleaStream(seed, 'data', 'batches', nodeId);
}

export class BatchCursor {
  private readonly order: Int32Array;
  private readonly rng: AleaStream;
  /** position of the next sample in `order`; `order.length` means "reshuffle first" */
  private position: number;

  /**
   * `samples`: the node's sample indices (into the engine's training set); at least one.
   * `stream`: the node's batchStream, made beforehand (else made here).
   */
  constructor(samples: Int32Array, seed: number, nodeId: string, stream?: AleaStream) {
    if (samples.length === 0) throw new Error(`node ${nodeId} has no training samples`);
    this.order = Int32Array.from(samples);
    this.rng = stream ?? batchStream(seed, nodeId);
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

  /**
   * Moves on as `count` draws would, writing nothing: a cursor made fresh and advanced by every
   * index a node has drawn so far is where the node's own cursor is (its order and position
   * depend on how many it drew, not on how they were split into batches).
   */
  advance(count: number): void {
    let left = count;
    while (left > 0) {
      if (this.position === this.order.length) this.reshuffle();
      const step = Math.min(left, this.order.length - this.position);
      this.position += step;
      left -= step;
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

/**
 * Every node's samples as a contiguous range of the training set (what prepareTraining lays
 * out): the whole of what a thread needs to make the nodes' cursors without the data.
 */
export interface SampleRanges {
  first: Int32Array;
  count: Int32Array;
}

/**
 * Fresh cursors over the ranges, one per node of `ids`; `streams`: the nodes' batchStreams,
 * made beforehand and not drawn from.
 */
export function cursorsOver(ranges: SampleRanges, ids: readonly string[], seed: number, streams?: readonly AleaStream[]): BatchCursor[] {
  let end = 0;
  for (let i = 0; i < ids.length; i++) end = Math.max(end, ranges.first[i]! + ranges.count[i]!);
  // every sample index once, ascending: a node's samples are a view of it, which its cursor copies
  const ascending = Int32Array.from({ length: end }, (_, k) => k);
  return ids.map((id, i) => new BatchCursor(ascending.subarray(ranges.first[i]!, ranges.first[i]! + ranges.count[i]!), seed, id, streams?.[i]));
}

/**
 * A round's batch indices: each participant's batches in participant order, step by step (the
 * cursors' draw order), in one array.
 */
export function drawBatchIndices(participants: readonly number[] | Int32Array, batches: ArrayLike<number>, cursors: readonly BatchCursor[], localSteps: number): Int32Array {
  let rows = 0;
  for (let k = 0; k < participants.length; k++) rows += batches[participants[k]!]!;
  const indices = new Int32Array(rows * localSteps);
  let offset = 0;
  for (let k = 0; k < participants.length; k++) {
    const i = participants[k]!;
    const batch = batches[i]!;
    for (let step = 0; step < localSteps; step++) {
      cursors[i]!.fill(indices, offset, batch);
      offset += batch;
    }
  }
  return indices;
}
