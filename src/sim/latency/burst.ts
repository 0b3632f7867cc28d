/**
 * `{ burst: { good, bad, toBad, toGood } }`: a Gilbert–Elliott two-state Markov chain stepped
 * along the fixed slot grid (SPEC §1.2, §3). The chain is in the good state at the origin slot
 * (monitoring start); at every later slot k it moves good→bad when the slot's draw 0 is < toBad
 * and bad→good when it is < toGood. The value is `good` or `bad` ms by state.
 *
 * States are memoised in a growable byte array indexed from the origin slot, so the chain is
 * walked once however often, and in whatever order, slots are queried: the state at slot k
 * depends only on the draws of slots origin+1 … k, never on query order. Memory is one byte per
 * slot up to the latest slot queried. A slot before the origin has the origin's (good) state.
 */
import { slotUniform } from '../rng.js';
import type { ProcessContext, ProcessOf, SlotProcess } from './types.js';

const GOOD = 0;
const BAD = 1;
const INITIAL_CAPACITY = 1024;

export function burstProcess(process: ProcessOf<'burst'>, ctx: ProcessContext): SlotProcess {
  const { goodMs, badMs, toBad, toGood } = process;
  const { key, originSlot } = ctx;
  let states = new Uint8Array(INITIAL_CAPACITY);
  states[0] = GOOD;
  let knownSlots = 1; // states[0 … knownSlots-1] are computed

  function extendTo(index: number): void {
    if (index >= states.length) {
      const grown = new Uint8Array(Math.max(states.length * 2, index + 1));
      grown.set(states.subarray(0, knownSlots));
      states = grown;
    }
    let state = states[knownSlots - 1]!;
    for (let i = knownSlots; i <= index; i++) {
      const u = slotUniform(key, originSlot + i, 0);
      state = state === GOOD ? (u < toBad ? BAD : GOOD) : u < toGood ? GOOD : BAD;
      states[i] = state;
    }
    knownSlots = index + 1;
  }

  return {
    valueAt(slot) {
      const index = slot - originSlot;
      if (index <= 0) return goodMs;
      if (index >= knownSlots) extendTo(index);
      return states[index] === BAD ? badMs : goodMs;
    },
  };
}
