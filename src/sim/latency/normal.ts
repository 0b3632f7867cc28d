/**
 * `{ normal: { mean, std } }`: `max(0, mean + std · z)`, z standard normal from the slot's draws
 * 0 and 1 (Box–Muller). "Truncated at 0" (SPEC §3) is implemented as flooring: a negative draw
 * becomes 0 ms (the mass below 0 piles up at 0) rather than being redrawn, so each slot costs
 * exactly two uniforms and the mean stays at `mean` whenever `mean ≫ std`.
 */
import { gaussianFrom, slotUniform } from '../rng.js';
import type { ProcessContext, ProcessOf, SlotProcess } from './types.js';

export function normalProcess(process: ProcessOf<'normal'>, ctx: ProcessContext): SlotProcess {
  const { meanMs, stdMs } = process;
  const key = ctx.key;
  return {
    valueAt(slot) {
      const z = gaussianFrom(slotUniform(key, slot, 0), slotUniform(key, slot, 1));
      return Math.max(0, meanMs + stdMs * z);
    },
  };
}
