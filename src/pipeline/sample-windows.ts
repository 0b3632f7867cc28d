/**
 * A round's S1 windows for every node in one column: node i's K samples at
 * values[i·K … i·K + K − 1], oldest first, NaN for a lost sample. At 131,072 nodes × 20
 * samples a row per node was some 30 MB of short-lived objects a round that the garbage
 * collector copied; a column of doubles is none (and it is reused from round to round). The rows a stage or a `--trace` record reads
 * are made from it on demand.
 */
import { efficiencyFromCount, type Efficiency, type S1Config } from './s1-efficiency.js';

export class SampleWindows {
  private rowsMade: Array<Array<number | null>> | null = null;

  constructor(
    /** samples per node (K) */
    readonly perNode: number,
    readonly values: Float64Array,
  ) {}

  get nodeCount(): number {
    return this.perNode === 0 ? 0 : this.values.length / this.perNode;
  }

  /** The windows as rows (null = lost), made once. */
  rows(): Array<Array<number | null>> {
    if (this.rowsMade !== null) return this.rowsMade;
    const { perNode, values } = this;
    const rows = new Array<Array<number | null>>(this.nodeCount);
    for (let i = 0; i < rows.length; i++) {
      const row = new Array<number | null>(perNode);
      for (let k = 0; k < perNode; k++) {
        const value = values[i * perNode + k]!;
        row[k] = Number.isNaN(value) ? null : value;
      }
      rows[i] = row;
    }
    this.rowsMade = rows;
    return rows;
  }

  /**
   * S1's efficiency of every node's window (computeEfficiency of its row: NaN, lost, is not
   * below any threshold). A window of K samples has one of K + 1 efficiencies, so nodes with
   * the same count share one frozen object: 131,072 objects a round otherwise, each alive
   * until the batch stage has read it.
   */
  efficiencies(cfg: Pick<S1Config, 'intervalMs' | 'thresholdMs'>): Efficiency[] {
    const { perNode, values } = this;
    const byCount = new Array<Efficiency | undefined>(perNode + 1);
    const out = new Array<Efficiency>(this.nodeCount);
    for (let i = 0; i < out.length; i++) {
      let effectiveCount = 0;
      for (let k = i * perNode, end = k + perNode; k < end; k++) if (values[k]! < cfg.thresholdMs) effectiveCount++;
      out[i] = byCount[effectiveCount] ??= Object.freeze(efficiencyFromCount(effectiveCount, perNode, cfg));
    }
    return out;
  }
}
