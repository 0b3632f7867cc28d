/**
 * `dtrain simulate --estimate`: the estimate made before a run (estimate.ts), every part of it,
 * in words, and what the budget check would make of it, without running anything. The same
 * figures a refusal shows three of, so a user can size a large run before starting it.
 */
import type { DtrainError } from '../errors.js';
import { formatBytes } from '../scenario/text-file.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { type Budget, bounded, formatSeconds, partLines } from './budget.js';
import { count, plural, type RunEstimate } from './estimate.js';

/** What the estimate is of: the scenario's name and size after the command line's overrides. */
export interface EstimatedRun {
  name: string;
  nodes: number;
  rounds: number;
  strategies: number;
}

/**
 * The budget's side of it: null with --no-limits; else the budget and the refusal, if any; a
 * null budget with --no-limits for a run refused whatever the budget (one that cannot finish).
 */
export type BudgetVerdict = null | { budget: Budget; refusal: DtrainError | null } | { budget: null; refusal: DtrainError };

/** The estimate as lines of text (ending in a newline), for standard output. */
export function describeEstimate(estimate: RunEstimate, run: EstimatedRun, verdict: BudgetVerdict): string {
  const lines = [
    `estimate for ${escapeForTerminal(run.name)}: ${plural(run.nodes, 'node')} × ${plural(run.rounds, 'round')} × ${count(run.strategies)} ${run.strategies === 1 ? 'strategy' : 'strategies'} (nothing was run)`,
    '',
    `memory: ${bounded(estimate.memoryBytes, formatBytes)}${verdict?.budget == null ? '' : ` (budget ${formatBytes(verdict.budget.memoryBytes)})`}`,
    ...partLines(estimate.memoryParts, formatBytes),
    `host time: ${bounded(estimate.seconds, formatSeconds)}${verdict?.budget == null ? '' : ` (budget ${formatSeconds(verdict.budget.seconds)})`}`,
    ...partLines(estimate.timeParts, formatSeconds),
    `simulated time of a strategy's run: ${estimate.unboundedBy === null ? bounded(estimate.simulatedMs / 1000, formatSeconds) : `no bound (node ${escapeForTerminal(estimate.unboundedBy)})`}`,
    ...estimate.outputs.map((output) => `built as one string: ${output.what} (${output.flag}), about ${formatBytes(output.bytes)}`),
    '',
    verdict === null
      ? 'the budget is not checked (--no-limits): the run would start'
      : verdict.budget === null ? 'the budget is not checked (--no-limits), but the run cannot finish: it would be refused (exit 2)'
        : verdict.refusal === null ? 'within the budget: the run would start'
          : verdict.refusal.code === 'limits.burstChain' ? 'too long for its burst chains: the run would be refused (exit 2)' : 'over the budget: the run would be refused (exit 2)',
  ];
  return `${lines.join('\n')}\n`;
}
