/**
 * `{ lognormal: { median, sigma } }`: `median · exp(sigma · z)`, z standard normal from the slot's
 * draws 0 and 1 (SPEC §3). Always > 0; the heavy right tail models occasional slow round trips.
 */
import { gaussianFrom, slotUniform } from '../rng.js';
import { exp } from '../../text/fdlibm.js';
import type { ProcessContext, ProcessOf, SlotProcess } from './types.js';

export function lognormalProcess(process: ProcessOf<'lognormal'>, ctx: ProcessContext): SlotProcess {
  const { medianMs, sigma } = process;
  const key = ctx.key;
  return {
    valueAt(slot) {
      const z = gaussianFrom(slotUniform(key, slot, 0), slotUniform(key, slot, 1));
      return medianMs * exp(sigma * z);
    },
  };
}
