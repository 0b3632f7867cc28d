/**
 * A round that cannot finish because a number became non-finite: a loss or a parameter
 * (`training`) or a simulated time (`time`). Data, not a message to parse: the phase that finds
 * it names the round, the node to blame (when there is one) and the kind; the run keeps the
 * rounds before it (StrategyRun.diverged) and the CLI words the hint from the kind.
 */
import type { Divergence } from '../sim/records.js';

export class RoundDiverged extends Error {
  constructor(readonly divergence: Divergence) {
    super(divergence.message);
    this.name = 'RoundDiverged';
  }
}

export function diverged(kind: Divergence['kind'], round: number, node: string | null, message: string, hint?: string): RoundDiverged {
  return new RoundDiverged({ round, node, kind, message, ...(hint === undefined ? {} : { hint }) });
}

/** What a user can change when a divergence stops the run: its own hint, else its kind's. */
export function divergenceHint({ kind, hint }: Pick<Divergence, 'kind' | 'hint'>): string {
  if (hint !== undefined) return hint;
  return kind === 'training'
    ? 'lower model.learningRate'
    : 'check the scenario for extreme values (bandwidth, msPerSample, ioMsPerBatch, stepOverheadMs, slowdown, latencies, retryMs)';
}

/** The rounds a diverged run keeps, in words: `where` names the outputs that hold them. */
export function keptRounds(divergedRound: number, where: string): string {
  if (divergedRound <= 1) return 'no round finished before it';
  if (divergedRound === 2) return `round 1 is kept in ${where}`;
  return `rounds 1–${divergedRound - 1} are kept in ${where}`;
}
