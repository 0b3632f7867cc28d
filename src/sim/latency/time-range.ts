/**
 * How far the simulated clock can go (SPEC §1.2): times are turned into grid slots
 * k = floor(t / Δ) and back into k · Δ, which is exact only while k is far below 2^53. Past
 * that (a link of 1e-300 bit/s, a step of 1e300 ms) slot arithmetic stops moving and the
 * window loop would never end, so the round loop stops the run there with a message.
 */
import { MAX_CHAIN_SLOTS } from '../../scenario/burst-chains.js';

/** Slot numbers up to 2^50 leave k ± 1 and k · Δ exact with room to spare. */
export const MAX_GRID_SLOTS = 2 ** 50;

/** The last simulated time a burst chain may reach from `originMs` on a grid of `resolutionMs` (MAX_CHAIN_SLOTS). */
export function chainReachMs(originMs: number, resolutionMs: number): number {
  return originMs + MAX_CHAIN_SLOTS * resolutionMs;
}

/** The smallest grid step the run uses: the S1 interval or the latency resolution. */
export function finestGridMs(intervalMs: number, resolutionMs: number): number {
  return Math.min(intervalMs, resolutionMs);
}

/** True when `timeMs` is finite and its slot on a grid of `gridMs` is addressable. */
export function isAddressableTimeMs(timeMs: number, gridMs: number): boolean {
  return Number.isFinite(timeMs) && Math.abs(timeMs) / gridMs <= MAX_GRID_SLOTS;
}

/** A number for a message: 4 significant digits (`12.35`, `4.508e+16`), Infinity and NaN as they are. */
export function shortNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-3)) return value.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(4)));
}
