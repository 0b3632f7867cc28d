/**
 * A shared server link (SPEC §6.2): the transfers of one direction share the server's
 * capacity C max-min fairly, each also capped by its own node's bandwidth. Rates change only
 * when a transfer becomes active or finishes, so the finish times follow exactly from an event
 * loop over those instants: between two events every active transfer moves at a constant rate.
 *
 * Progressive filling, in ascending order of the nodes' bandwidths: a transfer gets its own
 * bandwidth if that is below the equal share of what is left, else every remaining transfer
 * gets that equal share. Transfers of one bandwidth move at one rate, so the filling is done
 * per bandwidth class: each event costs one pass over the classes (a handful in a cluster).
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
 * The transfers of each bandwidth class, as columns over the classes (ascending cap): at every
 * instant a class's members all move at the same rate, min(cap, the fair share), so one running
 * total of bytes moved per member (`service[c]`) stands for all of them. A member joining at
 * service S with M bytes is done when service reaches S + M, so the member with the least
 * target finishes first:
 * - a class whose members all move the same bytes (every class, when each node sends one
 *   model copy) gets its targets in joining order, service only growing: a queue, each join
 *   and finish O(1) and in memory order;
 * - any other class keeps a min-heap of targets.
 * Members with the same target finish at the same instant whichever leaves first, so the two
 * give the same finish times. Each class lives in its own slice of two typed arrays (its size
 * is known before the first event): no object or boxed number per transfer or event, at
 * 131,072 transfers a direction and round.
 */
class CapClasses {
  readonly capBps: Float64Array;
  readonly count: Uint32Array;
  readonly service: Float64Array;
  readonly rateBytesPerMs: Float64Array;
  /**
   * Where class c's members are: targets/members[base[c] … base[c] + count[c] − 1], a heap; or,
   * for a queue class, from base[c] on, its first member at base[c] and later ones after it.
   */
  private readonly base: Uint32Array;
  private readonly queue: Uint8Array;
  private readonly targets: Float64Array;
  private readonly members: Uint32Array;

  constructor(caps: readonly number[], sizes: readonly number[], sameBytes: readonly boolean[]) {
    const k = caps.length;
    this.capBps = Float64Array.from(caps);
    this.count = new Uint32Array(k);
    this.service = new Float64Array(k);
    this.rateBytesPerMs = new Float64Array(k);
    this.base = new Uint32Array(k);
    this.queue = Uint8Array.from(sameBytes, (same) => (same ? 1 : 0));
    let total = 0;
    for (let c = 0; c < k; c++) {
      this.base[c] = total;
      total += sizes[c]!;
    }
    this.targets = new Float64Array(total);
    this.members = new Uint32Array(total);
  }

  join(c: number, index: number, bytes: number): void {
    const { targets, members } = this;
    const base = this.base[c]!;
    const target = this.service[c]! + bytes;
    let at = this.count[c]!;
    this.count[c] = at + 1;
    if (this.queue[c] === 1) {
      targets[base + at] = target;
      members[base + at] = index;
      return;
    }
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (targets[base + parent]! <= target) break;
      targets[base + at] = targets[base + parent]!;
      members[base + at] = members[base + parent]!;
      at = parent;
    }
    targets[base + at] = target;
    members[base + at] = index;
  }

  /** When class c's first member would finish at the current rate (Infinity when empty). */
  firstFinishMs(c: number, nowMs: number): number {
    return this.count[c] === 0 ? Number.POSITIVE_INFINITY : nowMs + (this.targets[this.base[c]!]! - this.service[c]!) / this.rateBytesPerMs[c]!;
  }

  /** Class c's members done by `eventMs` leave with their finish time; the others move on. How many left. */
  advance(c: number, nowMs: number, eventMs: number, finishMs: Float64Array): number {
    const before = this.count[c]!;
    if (before === 0) return 0;
    const service = this.service[c]!;
    const rate = this.rateBytesPerMs[c]!;
    while (this.count[c]! > 0) {
      // a queue's first member moves on as members leave
      const base = this.base[c]!;
      const doneAtMs = nowMs + (this.targets[base]! - service) / rate;
      if (doneAtMs > eventMs) break;
      finishMs[this.members[base]!] = doneAtMs;
      this.pop(c, base);
    }
    this.service[c] = service + rate * (eventMs - nowMs);
    return before - this.count[c]!;
  }

  private pop(c: number, base: number): void {
    const { targets, members } = this;
    const size = this.count[c]! - 1;
    this.count[c] = size;
    if (this.queue[c] === 1) {
      // the queue's first member now starts one slot later
      this.base[c] = base + 1;
      return;
    }
    if (size === 0) return;
    // the last member sifts down from the root
    const target = targets[base + size]!;
    const member = members[base + size]!;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && targets[base + right]! < targets[base + left]!) child = right;
      if (!(targets[base + child]! < target)) break;
      targets[base + at] = targets[base + child]!;
      members[base + at] = members[base + child]!;
      at = child;
    }
    targets[base + at] = target;
    members[base + at] = member;
  }
}

/** Progressive filling over the classes in ascending cap: each class's rate per member. */
function shareOut(classes: CapClasses, active: number, capacityBps: number): void {
  const { capBps, count, rateBytesPerMs } = classes;
  let left = capacityBps;
  let remaining = active;
  for (let c = 0; c < capBps.length; c++) {
    const members = count[c]!;
    if (members === 0) continue;
    const rate = Math.min(capBps[c]!, left / remaining);
    rateBytesPerMs[c] = rate * BYTES_PER_MS_PER_BPS;
    left -= rate * members;
    remaining -= members;
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
 * handful in a real cluster) and a queue (or heap) operation per finish: linear in the
 * transfers when each node sends one model copy.
 */
export function shareLinkArrays(startMs: Float64Array, bytes: Float64Array, capBps: Float64Array, capacityBps: number): Float64Array {
  const n = startMs.length;
  const finishMs = new Float64Array(n).fill(Number.NaN);
  if (!Number.isFinite(capacityBps)) {
    for (let i = 0; i < n; i++) finishMs[i] = startMs[i]! + (bytes[i]! * 8 * 1000) / capBps[i]!;
    return finishMs;
  }
  // the classes: distinct caps in ascending order (first seen first among equals, as a stable
  // sort gives), each transfer's class and each class's size
  const seenIndex = new Map<number, number>();
  const seenCaps: number[] = [];
  const classOf = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const cap = capBps[i]!;
    let seen = seenIndex.get(cap);
    if (seen === undefined) {
      seen = seenCaps.length;
      seenIndex.set(cap, seen);
      seenCaps.push(cap);
    }
    classOf[i] = seen;
  }
  const ascending = seenCaps.map((_, seen) => seen).sort((a, b) => seenCaps[a]! - seenCaps[b]!);
  const rank = new Uint32Array(seenCaps.length);
  ascending.forEach((seen, c) => (rank[seen] = c));
  const caps = ascending.map((seen) => seenCaps[seen]!);
  const sizes = new Array<number>(caps.length).fill(0);
  const firstBytes = new Array<number>(caps.length).fill(Number.NaN);
  const sameBytes = new Array<boolean>(caps.length).fill(true);
  for (let i = 0; i < n; i++) {
    const c = rank[classOf[i]!]!;
    classOf[i] = c;
    if (sizes[c] === 0) firstBytes[c] = bytes[i]!;
    else if (bytes[i] !== firstBytes[c]) sameBytes[c] = false;
    sizes[c]!++;
  }
  const classes = new CapClasses(caps, sizes, sameBytes);
  const classCount = caps.length;
  const order = byStartTime(startMs);
  let active = 0;
  let next = 0;
  let nowMs = n === 0 ? 0 : startMs[order[0]!]!;
  while (next < n || active > 0) {
    // every transfer that becomes active now joins before the rates are shared out
    while (next < n && startMs[order[next]!]! <= nowMs) {
      const i = order[next]!;
      classes.join(classOf[i]!, i, bytes[i]!);
      active++;
      next++;
    }
    shareOut(classes, active, capacityBps);
    // the next instant a rate changes: an activation or the first finish
    let eventMs = next < n ? startMs[order[next]!]! : Number.POSITIVE_INFINITY;
    for (let c = 0; c < classCount; c++) eventMs = Math.min(eventMs, classes.firstFinishMs(c, nowMs));
    for (let c = 0; c < classCount; c++) active -= classes.advance(c, nowMs, eventMs, finishMs);
    nowMs = eventMs;
  }
  return finishMs;
}
