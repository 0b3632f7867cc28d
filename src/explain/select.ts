/**
 * Checks `dtrain explain`'s --strategy, --round and --node against the scenario before
 * anything runs: an unknown name or a round out of range is a usage error (exit 2) that
 * lists the valid values and suggests the closest one.
 */
import { DtrainError } from '../errors.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { resolveStrategyNames } from '../scenario/strategy-names.js';
import { didYouMean } from '../scenario/suggest.js';
import type { Scenario, StrategySpec } from '../scenario/types.js';

/** Valid values listed in full up to this many, else the first ones and a count. */
const MAX_LISTED = 12;

function listed(values: readonly string[]): string {
  return values.length <= MAX_LISTED ? values.join(', ') : `${values.slice(0, MAX_LISTED).join(', ')}, … (${values.length} in all)`;
}

function unknown(what: string, typed: string, valid: readonly string[]): DtrainError {
  const match = didYouMean(typed, valid);
  return new DtrainError('cli.invalidArgument', `unknown ${what} '${typed}': expected one of ${listed(valid)}`, {
    ...(match === undefined ? {} : { hint: `did you mean ${match}?` }),
  });
}

/**
 * The scenario's strategy by that name; else a preset or `batch/resources/aggregation` pick
 * (explain may look at a strategy the scenario does not compare); the first one by default.
 */
export function selectStrategy(scenario: Scenario, name: string | undefined, registry: StageRegistry): StrategySpec {
  if (name === undefined) return scenario.strategies[0]!;
  const inScenario = scenario.strategies.find((s) => s.name === name);
  if (inScenario !== undefined) return inScenario;
  if (registry.preset(name) !== undefined || name.includes('/')) {
    try {
      return resolveStrategyNames([name], registry)[0]!;
    } catch {
      // falls through to the error below, which lists the scenario's strategies too
    }
  }
  const names = [...new Set([...scenario.strategies.map((s) => s.name), ...registry.presets().map((preset) => preset.name)])];
  throw unknown('strategy', name, names);
}

export function checkRound(scenario: Scenario, round: number): void {
  if (round < 1 || round > scenario.rounds) {
    throw new DtrainError(
      'cli.invalidArgument',
      `--round ${round} is out of range: scenario ${scenario.name} has ${scenario.rounds} round${scenario.rounds === 1 ? '' : 's'} (1–${scenario.rounds})`,
    );
  }
}

export function checkNode(scenario: Scenario, nodeId: string): void {
  const ids = scenario.cluster.nodes.map((n) => n.id);
  if (!ids.includes(nodeId)) throw unknown('node', nodeId, ids);
}
