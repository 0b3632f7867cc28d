/**
 * S4's gradient-norm histories of every node of a run (SPEC §2 S4: the last `window` norms of
 * the rounds the node took part in), in one column: each node owns `capacity` slots, oldest
 * first. An array per node, replaced every round it takes part in, made 131,072 short arrays a
 * round at scale that lived exactly long enough to be promoted and then collected.
 */
import { volatilityOfRange, type VolatilityKind } from './s4-aggregation.js';

/**
 * The most norms a node keeps in a run: S4's window, or the rounds when fewer (a node takes
 * part at most once a round). The run's histories and the memory estimate both size by it.
 */
export function normsKept(window: number, rounds: number): number {
  return Math.min(window, rounds);
}

export class NormHistories {
  private readonly values: Float64Array;
  private readonly lengths: Uint32Array;
  /** the most norms a node keeps: the window, or fewer when the run has fewer rounds */
  readonly capacity: number;

  constructor(nodes: number, capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`history window must be an integer ≥ 1, got ${capacity}`);
    this.capacity = capacity;
    this.values = new Float64Array(nodes * capacity);
    this.lengths = new Uint32Array(nodes);
  }

  /** `norm` joins node `node`'s history; its oldest norm leaves it when it is full. */
  append(node: number, norm: number): void {
    const base = node * this.capacity;
    const length = this.lengths[node]!;
    if (length < this.capacity) {
      this.values[base + length] = norm;
      this.lengths[node] = length + 1;
    } else {
      this.values.copyWithin(base, base + 1, base + this.capacity);
      this.values[base + this.capacity - 1] = norm;
    }
  }

  /** The node's volatility (volatilityOf of its history; null with fewer than 2 norms). */
  volatility(node: number, kind: VolatilityKind): number | null {
    return volatilityOfRange(this.values, node * this.capacity, this.lengths[node]!, kind);
  }

  /** The node's history, oldest first, as a new array (a plug-in's, for each participant and round). */
  history(node: number): number[] {
    const base = node * this.capacity;
    const history = new Array<number>(this.lengths[node]!);
    // indexed: Array.from of a subarray makes a view and walks it through an iterator
    for (let j = 0; j < history.length; j++) history[j] = this.values[base + j]!;
    return history;
  }
}
