/**
 * The latency grid (SPEC §1.2): time t falls in slot k = floor(t / resolutionMs), whose start
 * is k · resolutionMs. With a fractional resolution the division can round across a slot
 * boundary (4.3 / 0.1 = 42.99… although 43 · 0.1 = 4.3), so one correction step restores
 * k · res ≤ t < (k + 1) · res, computed exactly as callers compute the slot start.
 */
export function slotOf(timeMs: number, resolutionMs: number): number {
  let slot = Math.floor(timeMs / resolutionMs);
  if ((slot + 1) * resolutionMs <= timeMs) slot++;
  else if (slot * resolutionMs > timeMs) slot--;
  return slot;
}
