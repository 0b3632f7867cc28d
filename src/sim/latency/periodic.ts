/**
 * `{ periodic: { base, amplitude, period } }`: `max(0, base + amplitude · sin(2π · t_k / period))`
 * with t_k the slot's start time (SPEC §1.2, §3). Deterministic: no draws.
 */
import type { ProcessOf, SlotProcess } from './types.js';

export function periodicProcess(process: ProcessOf<'periodic'>): SlotProcess {
  const { baseMs, amplitudeMs } = process;
  const radiansPerMs = (2 * Math.PI) / process.periodMs;
  return { valueAt: (_slot, slotStartMs) => Math.max(0, baseMs + amplitudeMs * Math.sin(radiansPerMs * slotStartMs)) };
}
