/**
 * What a round's explanation reads of the rounds before it: where a node's response time came
 * from (the last round it took part in) and its gradient-norm history as S4 saw it. Either from
 * a run that kept its rounds (the playground, tests), or gathered as the rounds finish
 * (`dtrain explain --round R`, which keeps no other round's node records: at 131,072 nodes the
 * kept rounds with their raw S1 samples took 4 GB and more).
 */
import type { RoundRecord, StrategyRun } from '../sim/records.js';

export interface RoundHistory {
  /** The last round before `round` in which node i took part, if any. */
  lastParticipation(nodeIndex: number, round: number): number | undefined;
  /**
   * Node i's gradient-norm history as S4 saw it in `round`: its norms of the rounds it took
   * part in, up to and including `round`, the last `window` of them (oldest first).
   */
  normHistory(nodeIndex: number, round: number, window: number): Array<{ round: number; norm: number }>;
}

/** The history of a run that kept its rounds' records (rounds 1 … round at least). */
export function keptHistory(run: StrategyRun): RoundHistory {
  return {
    lastParticipation(nodeIndex, round) {
      for (let r = round - 2; r >= 0; r--) {
        const record = run.rounds[r];
        if (record?.nodes[nodeIndex]?.participated === true) return record.round;
      }
      return undefined;
    },
    normHistory(nodeIndex, round, window) {
      const history: Array<{ round: number; norm: number }> = [];
      for (const record of run.rounds.slice(0, round)) {
        const node = record.nodes[nodeIndex]!;
        if (node.participated && node.gradNorm !== null) history.push({ round: record.round, norm: node.gradNorm });
      }
      return history.slice(-window);
    },
  };
}

/**
 * The history gathered round by round, as columns: per node its last two rounds taken part in
 * and its latest `window` norms. It answers for the last round it was given, the round explained.
 */
export class HistoryStream implements RoundHistory {
  private latest = 0;
  /** per node: the last round it took part in, and the one before (0: none) */
  private readonly last: Int32Array;
  private readonly before: Int32Array;
  /** per node, a ring of its latest `window` norms and their rounds; `kept` of them filled */
  private readonly norms: Float64Array;
  private readonly normRounds: Int32Array;
  private readonly kept: Int32Array;

  constructor(nodes: number, private readonly window: number) {
    this.last = new Int32Array(nodes);
    this.before = new Int32Array(nodes);
    this.norms = new Float64Array(nodes * window);
    this.normRounds = new Int32Array(nodes * window);
    this.kept = new Int32Array(nodes);
  }

  /** The next finished round (rounds in order, from 1). */
  round(record: RoundRecord): void {
    this.latest = record.round;
    const { window } = this;
    record.nodes.forEach((node, i) => {
      if (!node.participated) return;
      this.before[i] = this.last[i]!;
      this.last[i] = record.round;
      if (node.gradNorm === null || window === 0) return;
      const slot = i * window + (this.kept[i]! % window);
      this.norms[slot] = node.gradNorm;
      this.normRounds[slot] = record.round;
      this.kept[i]! += 1;
    });
  }

  lastParticipation(nodeIndex: number, round: number): number | undefined {
    this.check(round);
    const last = this.last[nodeIndex]! === round ? this.before[nodeIndex]! : this.last[nodeIndex]!;
    return last === 0 ? undefined : last;
  }

  normHistory(nodeIndex: number, round: number, window: number): Array<{ round: number; norm: number }> {
    this.check(round);
    if (window > this.window) throw new RangeError(`a history of ${window} norms asked of one that keeps ${this.window}`);
    const kept = this.kept[nodeIndex]!;
    const history: Array<{ round: number; norm: number }> = [];
    for (let k = Math.max(0, kept - window); k < kept; k++) {
      const slot = nodeIndex * this.window + (k % this.window);
      history.push({ round: this.normRounds[slot]!, norm: this.norms[slot]! });
    }
    return history;
  }

  private check(round: number): void {
    if (round !== this.latest) throw new RangeError(`the history holds round ${this.latest}, not round ${round}`);
  }
}
