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
  const valid = strategies.map(shown).join(', ');
  if (resolved !== undefined && strategies.includes(resolved)) return resolved;
  if (resolved !== undefined) {
    throw new DtrainError('cli.invalidArgument', `--baseline ${shown(resolved)} is not among the strategies of this sweep (${valid})`, {
      hint: `add it to --strategy, e.g. --strategy ${[...strategies, resolved].map(shown).join(',')}`,
    });
  }
  const match = didYouMean(name, strategies);
  throw new DtrainError('cli.invalidArgument', `--baseline: unknown strategy '${shown(name)}': expected one of ${valid}`, {
    ...(match === undefined ? {} : { hint: `did you mean ${shown(match)}?` }),
  });
}
