/** Look-ups over a run's earlier rounds: where a node's response time and norm history come from. */
import type { RoundRecord, StrategyRun } from '../sim/records.js';

/** The last round before `round` in which node i took part, if any. */
export function lastParticipation(run: StrategyRun, nodeIndex: number, round: number): RoundRecord | undefined {
  for (let r = round - 2; r >= 0; r--) {
    const record = run.rounds[r];
    if (record?.nodes[nodeIndex]?.participated === true) return record;
  }
  return undefined;
}

/**
 * Node i's gradient-norm history as S4 saw it in `round`: its norms of the rounds it took part
 * in, up to and including `round`, the last `window` of them (oldest first).
 */
export function normHistory(run: StrategyRun, nodeIndex: number, round: number, window: number): Array<{ round: number; norm: number }> {
  const history: Array<{ round: number; norm: number }> = [];
  for (const record of run.rounds.slice(0, round)) {
    const node = record.nodes[nodeIndex]!;
    if (node.participated && node.gradNorm !== null) history.push({ round: record.round, norm: node.gradNorm });
  }
  return history.slice(-window);
}
