/**
 * `{ burst: { good, bad, toBad, toGood } }`: a Gilbert–Elliott two-state Markov chain stepped
 * along the fixed slot grid (SPEC §1.2, §3). The chain is in the good state at the origin slot
 * (monitoring start); at every later slot k it moves good→bad when the slot's draw 0 is < toBad
 * and bad→good when it is < toGood. The value is `good` or `bad` ms by state.
 *
 * The state at slot k depends only on the draws of slots origin+1 … k, never on query order.
 * The chain keeps one bit per block of 32 slots, the state at the block's first slot, and the
 * states of a few blocks recently asked for (a block's 32 states are one 32-bit word): a slot in
 * any other block is found by stepping its block again from that bit. It used to keep a byte
 * per slot: 12,288 bursty nodes behind a crowded server link (5.8 hours simulated) held 3 GB
 * of chains, on each of the two threads that draw latencies.
 */
import { slotUniform } from '../rng.js';
import type { ProcessContext, ProcessOf, SlotProcess } from './types.js';

const GOOD = 0;
const BAD = 1;
const BLOCK_SLOTS = 32;
/** Blocks whose states are kept (a power of two): a round's window and transfers, and the next round's. */
const CACHED_BLOCKS = 8;

export class BurstChain {
  /** bit j: the state at the first slot of block j; blocks below `knownBlocks` are known */
  private starts = new Uint32Array(4);
  private knownBlocks = 1;
  /** entry e: [2e] a block kept (−1: none), [2e + 1] its states */
  private readonly cached = new Int32Array(2 * CACHED_BLOCKS).fill(-1);

  constructor(
    private readonly key: number,
    private readonly originSlot: number,
    private readonly toBad: number,
    private readonly toGood: number,
  ) {}

  /** Whether the chain is in the bad state `index` ≥ 0 slots after its origin. */
  isBad(index: number): boolean {
    const block = Math.floor(index / BLOCK_SLOTS);
    const entry = 2 * (block & (CACHED_BLOCKS - 1));
    const states = this.cached[entry] === block ? this.cached[entry + 1]! : this.statesOf(block);
    return ((states >>> (index - block * BLOCK_SLOTS)) & 1) === BAD;
  }

  /** Bytes the chain holds, whatever it was asked. */
  get heldBytes(): number {
    return this.starts.byteLength + this.cached.byteLength;
  }

  /** Every block from the last known start up to `block` stepped once, in order. */
  private statesOf(block: number): number {
    while (this.knownBlocks <= block) this.step(this.knownBlocks - 1);
    return this.step(block);
  }

  /** Block `block`'s 32 states from its start (known), kept; and the next block's start when not yet known. */
  private step(block: number): number {
    const first = this.originSlot + block * BLOCK_SLOTS;
    let state = (this.starts[block >>> 5]! >>> (block & 31)) & 1;
    let states = state;
    for (let i = 1; i < BLOCK_SLOTS; i++) {
      state = this.next(state, first + i);
      states |= state << i;
    }
    if (block === this.knownBlocks - 1) {
      this.setStart(block + 1, this.next(state, first + BLOCK_SLOTS));
      this.knownBlocks++;
    }
    const entry = 2 * (block & (CACHED_BLOCKS - 1));
    this.cached[entry] = block;
    this.cached[entry + 1] = states;
    return states;
  }

  private next(state: number, slot: number): number {
    const u = slotUniform(this.key, slot, 0);
    return state === GOOD ? (u < this.toBad ? BAD : GOOD) : u < this.toGood ? GOOD : BAD;
  }

  private setStart(block: number, state: number): void {
    const word = block >>> 5;
    if (word >= this.starts.length) {
      const grown = new Uint32Array(Math.max(this.starts.length * 2, word + 1));
      grown.set(this.starts);
      this.starts = grown;
    }
    if (state === BAD) this.starts[word]! |= 1 << (block & 31);
  }
}

export function burstProcess(process: ProcessOf<'burst'>, ctx: ProcessContext): SlotProcess {
  const { goodMs, badMs, toBad, toGood } = process;
  const { originSlot } = ctx;
  const chain = new BurstChain(ctx.key, originSlot, toBad, toGood);
  return {
    valueAt(slot) {
      const index = slot - originSlot;
      if (index <= 0) return goodMs;
      return chain.isBad(index) ? badMs : goodMs;
    },
  };
}
