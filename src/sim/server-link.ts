/**
 * A shared server link (SPEC §6.2): the transfers of one direction share the server's
 * capacity C max-min fairly, each also capped by its own node's bandwidth. Rates change only
 * when a transfer becomes active or finishes, so the finish times follow exactly from an event
 * loop over those instants: between two events every active transfer moves at a constant rate.
 *
 * Progressive filling, in ascending order of the nodes' bandwidths: a transfer gets its own
 * bandwidth if that is below the equal share of what is left, else every remaining transfer
 * gets that equal share. The active set is kept sorted by bandwidth (one insertion per
 * activation), so each event costs one pass over the active transfers.
 *
 * Units: bytes, bits per second, milliseconds. A bit per second moves 1 / 8000 bytes per ms.
 */

/** One transfer: active from `startMs` (after its latency), `bytes` to move, at most `capBps`. */
export interface LinkTransfer {
  startMs: number;
  bytes: number;
  capBps: number;
}

const BYTES_PER_MS_PER_BPS = 1 / 8000;

interface Active {
  index: number;
  capBps: number;
  remainingBytes: number;
  rateBytesPerMs: number;
}

/** Max-min fair rates (bytes/ms) for transfers sorted by ascending cap, sharing `capacityBps`. */
export function fairRates(capsBps: readonly number[], capacityBps: number): number[] {
  const rates: number[] = [];
  let left = capacityBps;
  for (let k = 0; k < capsBps.length; k++) {
    const share = left / (capsBps.length - k);
    const rate = Math.min(capsBps[k]!, share);
    rates.push(rate * BYTES_PER_MS_PER_BPS);
    left -= rate;
  }
  return rates;
}

function insertByCap(active: Active[], item: Active): void {
  let at = active.length;
  while (at > 0 && active[at - 1]!.capBps > item.capBps) at--;
  active.splice(at, 0, item);
}

/**
 * When each transfer's last byte arrives (same order as `transfers`). With an infinite
 * capacity a transfer moves at its own bandwidth: startMs + bytes · 8 · 1000 / capBps.
 */
export function shareLink(transfers: readonly LinkTransfer[], capacityBps: number): number[] {
  const finishMs = new Array<number>(transfers.length).fill(Number.NaN);
  if (!Number.isFinite(capacityBps)) {
    transfers.forEach((t, i) => (finishMs[i] = t.startMs + (t.bytes * 8 * 1000) / t.capBps));
    return finishMs;
  }
  const order = transfers.map((_, i) => i).sort((a, b) => transfers[a]!.startMs - transfers[b]!.startMs || a - b);
  const active: Active[] = [];
  let next = 0;
  let nowMs = order.length === 0 ? 0 : transfers[order[0]!]!.startMs;
  while (next < order.length || active.length > 0) {
    // every transfer that becomes active now joins before the rates are shared out
    while (next < order.length && transfers[order[next]!]!.startMs <= nowMs) {
      const t = transfers[order[next]!]!;
      insertByCap(active, { index: order[next]!, capBps: t.capBps, remainingBytes: t.bytes, rateBytesPerMs: 0 });
      next++;
    }
    const rates = fairRates(active.map((a) => a.capBps), capacityBps);
    active.forEach((a, k) => (a.rateBytesPerMs = rates[k]!));
    // the next instant a rate changes: an activation or the first finish
    let eventMs = next < order.length ? transfers[order[next]!]!.startMs : Number.POSITIVE_INFINITY;
    for (const a of active) eventMs = Math.min(eventMs, nowMs + a.remainingBytes / a.rateBytesPerMs);
    const elapsedMs = eventMs - nowMs;
    for (let k = active.length - 1; k >= 0; k--) {
      const a = active[k]!;
      const doneAtMs = nowMs + a.remainingBytes / a.rateBytesPerMs;
      if (doneAtMs <= eventMs) {
        finishMs[a.index] = doneAtMs;
        active.splice(k, 1);
      } else {
        a.remainingBytes -= a.rateBytesPerMs * elapsedMs;
      }
    }
    nowMs = eventMs;
  }
  return finishMs;
}
