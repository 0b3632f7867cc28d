/**
 * Arrays that all die together, as views into one buffer handed out in turn and all given back
 * at once (`reset`), instead of made one by one. A later local step's activations, deltas,
 * transposed kernels and products (fast-node-step.ts: about fifteen arrays a node-step, dead
 * once its gradient is written) and a chunk's rows (fast-batches.ts: dead when the chunk is)
 * were most of what a run of several local steps allocated: a 16,384-node, 3-step run of a
 * 64 → 64 → 32 → 10 model spent 8 % of its time in garbage collection.
 */
export class ArrayArena {
  private buffer: Float32Array;
  private used = 0;
  /** whether the arena hands out a given region only */
  private readonly placed: boolean;

  /**
   * Given a buffer (a region of a kernel's WebAssembly memory: later-workspace.ts), the arena
   * hands out views of it only and never a buffer of its own, so that every array lies where
   * the kernel reads it; `place` gives it another region (the memory grew).
   */
  constructor(region: Float32Array | null = null) {
    this.buffer = region ?? new Float32Array(1 << 16);
    this.placed = region !== null;
  }

  /** The region an arena over a given one hands out from now on (nothing handed out before is used again). */
  place(region: Float32Array): void {
    if (!this.placed) throw new Error('only an arena over a given region is placed');
    this.buffer = region;
    this.used = 0;
  }

  /** Every view handed out since the last reset may be handed out again: they are all dead. */
  reset(): void {
    this.used = 0;
  }

  /**
   * `length` zeros (as `new Float32Array(length)`), valid until the next reset; with `zeroed`
   * false, whatever the buffer held (for an array every value of which is written before it is
   * read). A step larger than the buffer gets a new one, twice the size; views already handed
   * out keep the old. An arena over a given buffer throws instead: its owner makes room for a
   * step before it starts.
   */
  take(length: number, zeroed = true): Float32Array {
    if (this.used + length > this.buffer.length) {
      if (this.placed) throw new RangeError(`a step's arrays need more than the ${this.buffer.length} values made room for`);
      this.buffer = new Float32Array(Math.max(2 * this.buffer.length, length));
      this.used = 0;
    }
    const view = this.buffer.subarray(this.used, this.used + length);
    if (zeroed) view.fill(0);
    this.used += length;
    return view;
  }
}

/** A fresh array each time: what is used without an arena (tests compare the two). */
export const FRESH_ARRAYS: ArraySource = { take: (length: number): Float32Array => new Float32Array(length) };

/** Where arrays come from: an arena, or FRESH_ARRAYS. */
export type ArraySource = Pick<ArrayArena, 'take'>;
