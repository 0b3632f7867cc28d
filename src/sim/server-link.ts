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

/**
 * The transfers of one bandwidth class: at every instant they all move at the same rate,
 * min(cap, the fair share), so one running total of bytes moved per member (`service`) stands
 * for all of them. A member joining at service S with M bytes is done when service reaches
 * S + M: a min-heap of those targets gives the class's next finish.
 */
class CapClass {
  count = 0;
  service = 0;
  rateBytesPerMs = 0;
  private readonly targets: number[] = [];
  private readonly members: number[] = [];

  constructor(readonly capBps: number) {}

  join(index: number, bytes: number): void {
    this.count++;
    let at = this.targets.length;
    this.targets.push(this.service + bytes);
    this.members.push(index);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.targets[parent]! <= this.targets[at]!) break;
      this.swap(at, parent);
      at = parent;
    }
  }

  /** When the first member would finish at the current rate (Infinity when empty). */
  firstFinishMs(nowMs: number): number {
    return this.count === 0 ? Number.POSITIVE_INFINITY : nowMs + (this.targets[0]! - this.service) / this.rateBytesPerMs;
  }

  /** Members done by `eventMs` leave with their finish time; the others move on. */
  advance(nowMs: number, eventMs: number, finishMs: Float64Array): void {
    if (this.count === 0) return;
    while (this.count > 0) {
      const doneAtMs = nowMs + (this.targets[0]! - this.service) / this.rateBytesPerMs;
      if (doneAtMs > eventMs) break;
      finishMs[this.members[0]!] = doneAtMs;
      this.pop();
    }
    this.service += this.rateBytesPerMs * (eventMs - nowMs);
  }

  private pop(): void {
    const last = this.targets.length - 1;
    this.swap(0, last);
    this.targets.pop();
    this.members.pop();
    this.count--;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let smallest = at;
      if (left < this.targets.length && this.targets[left]! < this.targets[smallest]!) smallest = left;
      if (right < this.targets.length && this.targets[right]! < this.targets[smallest]!) smallest = right;
      if (smallest === at) return;
      this.swap(at, smallest);
      at = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const target = this.targets[a]!;
    this.targets[a] = this.targets[b]!;
    this.targets[b] = target;
    const member = this.members[a]!;
    this.members[a] = this.members[b]!;
    this.members[b] = member;
  }
}

/** Progressive filling over the classes in ascending cap: each class's rate per member. */
function shareOut(classes: readonly CapClass[], active: number, capacityBps: number): void {
  let left = capacityBps;
  let remaining = active;
  for (const c of classes) {
    if (c.count === 0) continue;
    const rate = Math.min(c.capBps, left / remaining);
    c.rateBytesPerMs = rate * BYTES_PER_MS_PER_BPS;
    left -= rate * c.count;
    remaining -= c.count;
  }
}

/** Which of a double's two 32-bit words is the high one in this platform's typed arrays. */
const HIGH_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * Transfer indices in ascending start time, ties in index order: the order a stable sort by
 * start time gives, without a comparator call per comparison (at 131,072 transfers that sort
 * was most of the link's cost). Each time's bits are turned into an unsigned 64-bit key that
 * sorts as the number does (−0 taken as 0), and the indices are sorted by it with a stable
 * radix sort, a byte at a time (bytes every key shares are skipped): linear in the transfers.
 */
export function byStartTime(startMs: Float64Array): Uint32Array {
  const n = startMs.length;
  const high = new Uint32Array(n);
  const low = new Uint32Array(n);
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  for (let i = 0; i < n; i++) {
    const t = startMs[i]!;
    if (t !== t) {
      // no place among numbers: fall back to comparing (NaN ties with everything, so index order)
      return Uint32Array.from({ length: n }, (_, k) => k).sort((a, b) => startMs[a]! - startMs[b]! || a - b);
    }
    bits[0] = t === 0 ? 0 : t;
    const h = words[HIGH_WORD]!;
    const l = words[1 - HIGH_WORD]!;
    // negative numbers: all bits flipped (larger magnitude sorts first); others: the sign bit set
    high[i] = h >= 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    low[i] = h >= 0x80000000 ? ~l >>> 0 : l;
  }
  let order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  let next = new Uint32Array(n);
  const counts = new Uint32Array(257);
  for (let pass = 0; pass < 8; pass++) {
    const keys = pass < 4 ? low : high;
    const shift = (pass % 4) * 8;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((keys[i]! >>> shift) & 255) + 1]!++;
    if (n === 0 || counts[((keys[0]! >>> shift) & 255) + 1] === n) continue; // one byte for all
    for (let d = 1; d <= 256; d++) counts[d]! += counts[d - 1]!;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      next[counts[(keys[i]! >>> shift) & 255]!++] = i;
    }
    const sorted = next;
    next = order;
    order = sorted;
  }
  return order;
}

/**
 * When each transfer's last byte arrives (same order as `transfers`). With an infinite
 * capacity a transfer moves at its own bandwidth: startMs + bytes · 8 · 1000 / capBps.
 */
export function shareLink(transfers: readonly LinkTransfer[], capacityBps: number): number[] {
  const startMs = Float64Array.from(transfers, (t) => t.startMs);
  const bytes = Float64Array.from(transfers, (t) => t.bytes);
  const capBps = Float64Array.from(transfers, (t) => t.capBps);
  return Array.from(shareLinkArrays(startMs, bytes, capBps, capacityBps));
}

/**
 * shareLink over columns: transfer k starts at startMs[k] with bytes[k] to move at most
 * capBps[k] (`startMs.length` transfers; the other columns may be longer).
 *
 * Cost: one sort of the activations, then per event one pass over the bandwidth classes (a
 * handful in a real cluster) and a heap operation per finish: linear in the transfers.
 */
export function shareLinkArrays(startMs: Float64Array, bytes: Float64Array, capBps: Float64Array, capacityBps: number): Float64Array {
  const n = startMs.length;
  const finishMs = new Float64Array(n).fill(Number.NaN);
  if (!Number.isFinite(capacityBps)) {
    for (let i = 0; i < n; i++) finishMs[i] = startMs[i]! + (bytes[i]! * 8 * 1000) / capBps[i]!;
    return finishMs;
  }
  const byCap = new Map<number, CapClass>();
  const classOf = new Array<CapClass>(n);
  for (let i = 0; i < n; i++) {
    const cap = capBps[i]!;
    let c = byCap.get(cap);
    if (c === undefined) {
      c = new CapClass(cap);
      byCap.set(cap, c);
    }
    classOf[i] = c;
  }
  const classes = [...byCap.values()].sort((a, b) => a.capBps - b.capBps);
  const order = byStartTime(startMs);
  let active = 0;
  let next = 0;
  let nowMs = n === 0 ? 0 : startMs[order[0]!]!;
  while (next < n || active > 0) {
    // every transfer that becomes active now joins before the rates are shared out
    while (next < n && startMs[order[next]!]! <= nowMs) {
      const i = order[next]!;
      classOf[i]!.join(i, bytes[i]!);
      active++;
      next++;
    }
    shareOut(classes, active, capacityBps);
    // the next instant a rate changes: an activation or the first finish
    let eventMs = next < n ? startMs[order[next]!]! : Number.POSITIVE_INFINITY;
    for (const c of classes) eventMs = Math.min(eventMs, c.firstFinishMs(nowMs));
    for (const c of classes) {
      const before = c.count;
      c.advance(nowMs, eventMs, finishMs);
      active -= before - c.count;
    }
    nowMs = eventMs;
  }
  return finishMs;
}
