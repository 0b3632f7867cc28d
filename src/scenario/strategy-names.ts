/**
 * Strategy names → StrategySpec (SPEC §2 "Strategies"), for the scenario's `strategy` /
 * `compare` and the CLI's `--strategy a,b`. Besides the presets, the CLI accepts stage picks
 * written as `batch/resources/aggregation` (the name strategyName() gives them).
 */
import { DtrainError } from '../errors.js';
import {
  AGGREGATION_STAGES, BATCH_STAGES, presetStrategy, RESOURCE_STAGES, STRATEGY_PRESETS, strategyName,
} from '../pipeline/strategies.js';
import type { AggregationStage, BatchStage, ResourceStage, StrategySpec } from './types.js';
import { suggestionSuffix } from './suggest.js';

/** A scenario stage pick (already validated) → its spec; `name` defaults to strategyName(). */
export function stagePickStrategy(pick: { batch: BatchStage; resources: ResourceStage; aggregation: AggregationStage; name?: string }): StrategySpec {
  const stages = { batch: pick.batch, resources: pick.resources, aggregation: pick.aggregation };
  return { name: pick.name ?? strategyName(stages), ...stages };
}

function parseStagePick(name: string): StrategySpec | undefined {
  const [batch, resources, aggregation, ...rest] = name.split('/');
  if (rest.length > 0 || aggregation === undefined) return undefined;
  const known = (BATCH_STAGES as readonly string[]).includes(batch!)
    && (RESOURCE_STAGES as readonly string[]).includes(resources!)
    && (AGGREGATION_STAGES as readonly string[]).includes(aggregation);
  if (!known) return undefined;
  return stagePickStrategy({ batch: batch as BatchStage, resources: resources as ResourceStage, aggregation: aggregation as AggregationStage });
}

/** `--strategy s1s4,sync-sgd` → specs, in the order given. Unknown or repeated names are usage errors. */
export function resolveStrategyNames(names: readonly string[]): StrategySpec[] {
  const presets = Object.keys(STRATEGY_PRESETS);
  if (names.length === 0) {
    throw new DtrainError('cli.invalidArgument', `expected one or more strategy names (${presets.join(', ')})`);
  }
  const seen = new Set<string>();
  return names.map((raw) => {
    const name = raw.trim();
    const spec = presetStrategy(name) ?? parseStagePick(name);
    if (spec === undefined) {
      const stages = `${BATCH_STAGES.join('|')}/${RESOURCE_STAGES.join('|')}/${AGGREGATION_STAGES.join('|')}`;
      throw new DtrainError(
        'cli.invalidArgument',
        `unknown strategy '${name}': expected one of ${presets.join(', ')} or stage picks ${stages}${suggestionSuffix(name, presets)}`,
      );
    }
    if (seen.has(spec.name)) throw new DtrainError('cli.invalidArgument', `strategy '${spec.name}' is listed twice`);
    seen.add(spec.name);
    return spec;
  });
}
