/**
 * `--baseline STRATEGY` of the sweep's paired table: the strategy every other one is
 * compared with, instead of every pair. Checked before anything runs: it must be one of the
 * sweep's strategies, named as the sweep names them or as a preset / `batch/resources/
 * aggregation` pick that resolves to one of them; otherwise exit 2 with the valid names and
 * the closest one.
 */
import { DtrainError } from '../errors.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { resolveStrategyNames } from '../scenario/strategy-names.js';
import { didYouMean } from '../scenario/suggest.js';
import { LISTED_NAMES, listNames } from '../text/shorten.js';
import { escapeForTerminal as shown } from '../text/terminal-escape.js';

/** The sweep's name for the baseline `typed` (one of `strategies`). */
export function checkBaseline(typed: string, strategies: readonly string[], registry: StageRegistry): string {
  const name = typed.trim();
  if (strategies.includes(name)) return name;
  let resolved: string | undefined;
  try {
    resolved = resolveStrategyNames([name], registry)[0]!.name;
  } catch {
    // not a strategy at all: the error below suggests the closest of the sweep's
  }
  const valid = listNames(strategies.map(shown));
  if (resolved !== undefined && strategies.includes(resolved)) return resolved;
  if (resolved !== undefined) {
    throw new DtrainError('cli.invalidArgument', `--baseline ${shown(resolved)} is not among the strategies of this sweep (${valid})`, {
      hint: addBaselineHint(resolved, strategies),
    });
  }
  const match = didYouMean(name, strategies);
  throw new DtrainError('cli.invalidArgument', `--baseline: unknown strategy '${shown(name)}': expected one of ${valid}`, {
    ...(match === undefined ? {} : { hint: `did you mean ${shown(match)}?` }),
  });
}

/**
 * How to bring a baseline into the strategies compared: the whole `--strategy` to type when
 * it is short; past LISTED_NAMES strategies (which no message lists in full) only what to add.
 */
export function addBaselineHint(baseline: string, strategies: readonly string[]): string {
  if (strategies.length < LISTED_NAMES) return `add it to --strategy, e.g. --strategy ${[...strategies, baseline].map(shown).join(',')}`;
  return `add ${shown(baseline)} to the ${strategies.length} strategies compared (to --strategy, or to the scenario's compare)`;
}
