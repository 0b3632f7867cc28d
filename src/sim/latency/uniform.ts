/** `{ uniform: { min, max } }`: `min + u · (max − min)`, u the slot's draw 0, so in [min, max) (SPEC §3). */
import { slotUniform } from '../rng.js';
import type { ProcessContext, ProcessOf, SlotProcess } from './types.js';

export function uniformProcess(process: ProcessOf<'uniform'>, ctx: ProcessContext): SlotProcess {
  const { minMs } = process;
  const widthMs = process.maxMs - process.minMs;
  const key = ctx.key;
  return { valueAt: (slot) => minMs + slotUniform(key, slot, 0) * widthMs };
}
