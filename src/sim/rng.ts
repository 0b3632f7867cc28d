/**
 * The sole source of randomness (SPEC §1.1). Streams are derived from the scenario seed by a
 * stable name, `<seed>/latency/<node>`, `<seed>/data`, …, so adding a consumer never changes
 * another consumer's draws.
 */
import seedrandom from 'seedrandom';
// log, cos, sin: the same bits in Node and in a browser (the playground's JSON equals the CLI's)
import { cos, log, sin } from '../text/fdlibm.js';

export type Rng = () => number;

/** A seedrandom (ARC4) stream named `<seed>/<part>/<part>…`. */
export function makeRng(seed: number | string, ...streamPath: Array<string | number>): Rng {
  return seedrandom([String(seed), ...streamPath.map(String)].join('/'));
}

/**
 * A seedrandom Alea stream, about 3× faster than the default ARC4: for bulk draws (generated
 * datasets with millions of values), where stream setup and per-draw cost dominate.
 */
export function makeBulkRng(seed: number | string, ...streamPath: Array<string | number>): Rng {
  return seedrandom.alea([String(seed), ...streamPath.map(String)].join('/'));
}

/**
 * seedrandom's Alea stream as a class of four numbers: the same draws, bit for bit, as
 * `makeBulkRng` with the same name (tested), without seedrandom's five closures and state object
 * (≈ 440 bytes a stream against ≈ 70). The batch cursors hold one per node for the whole run,
 * 131,072 of them at the largest scale.
 */
export class AleaStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private c = 1;

  constructor(seed: number | string, ...streamPath: Array<string | number>) {
    const name = [String(seed), ...streamPath.map(String)].join('/');
    // seedrandom's Mash, its state `n` carried from one call to the next; passed and returned
    // rather than held in a closure, where every write boxed a fresh double (16,384 streams,
    // made at the start of a large run: 49–86 ms that way, 24–64 ms this way)
    let n = mashed(0xefc8249d, ' ');
    this.s0 = unitOf(n);
    n = mashed(n, ' ');
    this.s1 = unitOf(n);
    n = mashed(n, ' ');
    this.s2 = unitOf(n);
    n = mashed(n, name);
    this.s0 -= unitOf(n);
    if (this.s0 < 0) this.s0 += 1;
    n = mashed(n, name);
    this.s1 -= unitOf(n);
    if (this.s1 < 0) this.s1 += 1;
    n = mashed(n, name);
    this.s2 -= unitOf(n);
    if (this.s2 < 0) this.s2 += 1;
  }

  /** The next uniform in [0, 1). */
  next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
    return this.s2;
  }
}

/** seedrandom's Mash state after `data`, from state `n`. */
function mashed(n: number, data: string): number {
  for (let i = 0; i < data.length; i++) {
    n += data.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * 0x100000000;
  }
  return n;
}

/** What Mash returns for state `n`: a uniform in [0, 1). */
function unitOf(n: number): number {
  return (n >>> 0) * 2.3283064365386963e-10;
}

/** Fisher–Yates with an explicit stream; tfjs's shuffle uses Math.random, so never use it. */
export function shuffleInPlace<T>(items: T[] | Int32Array, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
}

/** xmur3 string hash: a 32-bit key for a stream name, computed once per stream. */
export function hashString(text: string): number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^ (h >>> 16)) >>> 0;
}

/** murmur3 finaliser over (key, a, b): a well-mixed 32-bit value. */
function mix(key: number, a: number, b: number): number {
  let h = key ^ Math.imul(a | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h ^= Math.imul(b | 0, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * Counter-based uniform in [0, 1) for (stream key, slot, draw): the value depends only on its
 * arguments, which is what makes latency a pure function of (seed, node, time) (SPEC §1.2).
 * `slot` may be negative (monitoring starts before round 1). 53 bits from two 32-bit mixes.
 */
export function slotUniform(streamKey: number, slot: number, draw = 0): number {
  const hi = mix(streamKey, slot, draw * 2 + 1) >>> 5; // 27 bits
  const lo = mix(streamKey ^ 0x5bd1e995, slot, draw * 2 + 2) >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}

/** A key for `slotUniform`, derived from the seed and a stable stream name. */
export function streamKey(seed: number | string, ...streamPath: Array<string | number>): number {
  return hashString([String(seed), ...streamPath.map(String)].join('/'));
}

/** Standard normal from two uniforms (Box–Muller); u1 is mapped into (0, 1]. */
export function gaussianFrom(u1: number, u2: number): number {
  return Math.sqrt(-2 * log(1 - u1)) * cos(2 * Math.PI * u2);
}

/**
 * Standard normals one at a time, two per pair of uniforms (both Box–Muller branches, the
 * cosine's first), drawn as they are used rather than into an array of them all (128 MB for the
 * million 16-feature samples of the 131,072-node benchmark, written once and read once).
 */
export function gaussianStream(rng: Rng): () => number {
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const radius = Math.sqrt(-2 * log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    spare = radius * sin(angle);
    hasSpare = true;
    return radius * cos(angle);
  };
}
