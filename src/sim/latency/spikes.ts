/** `{ spikes: { base, spike, probability } }`: `spike` when the slot's draw 0 is < probability, else `base` (SPEC §3). */
import { slotUniform } from '../rng.js';
import type { ProcessContext, ProcessOf, SlotProcess } from './types.js';

export function spikesProcess(process: ProcessOf<'spikes'>, ctx: ProcessContext): SlotProcess {
  const { baseMs, spikeMs, probability } = process;
  const key = ctx.key;
  return { valueAt: (slot) => (slotUniform(key, slot, 0) < probability ? spikeMs : baseMs) };
}
