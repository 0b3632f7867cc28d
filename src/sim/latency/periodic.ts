/**
 * `{ periodic: { base, amplitude, period } }`: `max(0, base + amplitude · sin(2π · t_k / period))`
 * with t_k the slot's start time (SPEC §1.2, §3). Deterministic: no draws.
 *
 * The sine is exact where it is mathematically 0 or ±1: `Math.sin(2π t / period)` is not
 * (sin(Math.PI) is 1.2e-16), and a node whose base equals S1's threshold would then count
 * samples at t = period/2 as under the threshold by float noise alone.
 */
import type { ProcessOf, SlotProcess } from './types.js';
import { sin } from '../../text/fdlibm.js';

/**
 * sin(π·x), exact (0 or ±1) at integer and half-integer x. x is reduced to [0, 2) first
 * (`%` is exact), then folded onto [0, ½] by symmetry, so large x lose no accuracy either.
 */
export function sinPi(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  let r = x % 2;
  if (r < 0) r += 2;
  // sin(π(r − 1)) = −sin(πr) for r in [1, 2)
  const sign = r >= 1 ? -1 : 1;
  if (r >= 1) r -= 1;
  // sin(π(1 − r)) = sin(πr)
  if (r > 0.5) r = 1 - r;
  if (r === 0) return 0;
  if (r === 0.5) return sign;
  return sign * sin(Math.PI * r);
}

/** sin(2π t / period) with t reduced modulo the period exactly before any rounding */
export function periodicSine(timeMs: number, periodMs: number): number {
  return sinPi((2 * (timeMs % periodMs)) / periodMs);
}

export function periodicProcess(process: ProcessOf<'periodic'>): SlotProcess {
  const { baseMs, amplitudeMs, periodMs } = process;
  return { valueAt: (_slot, slotStartMs) => Math.max(0, baseMs + amplitudeMs * periodicSine(slotStartMs, periodMs)) };
}
