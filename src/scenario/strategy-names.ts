/**
 * Strategy names → StrategySpec (SPEC §2 "Strategies"), for the CLI's `--strategy a,b`, looked
 * up in the stage registry the command runs with. Besides the presets, the CLI accepts stage
 * picks written as `batch/resources/aggregation` (the name StageRegistry.strategyOf gives them).
 */
import { DtrainError } from '../errors.js';
import type { StageRegistry, StrategySpec } from '../pipeline/stage-registry.js';
import { createStageRegistry } from '../pipeline/stages/builtin.js';
import { suggestionSuffix } from './suggest.js';

function parseStagePick(name: string, registry: StageRegistry): StrategySpec | undefined {
  const [batch, resources, aggregation, ...rest] = name.split('/');
  if (rest.length > 0 || aggregation === undefined) return undefined;
  const known = registry.has('batch', batch!) && registry.has('resources', resources!) && registry.has('aggregation', aggregation);
  return known ? registry.strategyOf({ batch: batch!, resources: resources!, aggregation }) : undefined;
}

/** `--strategy s1s4,sync-sgd` → specs, in the order given. Unknown or repeated names are usage errors. */
export function resolveStrategyNames(names: readonly string[], registry: StageRegistry = createStageRegistry()): StrategySpec[] {
  const presets = registry.presets().map((preset) => preset.name);
  if (names.length === 0) {
    throw new DtrainError('cli.invalidArgument', `expected one or more strategy names (${presets.join(', ')})`);
  }
  const seen = new Set<string>();
  return names.map((raw) => {
    const name = raw.trim();
    const spec = registry.presetStrategy(name) ?? parseStagePick(name, registry);
    if (spec === undefined) {
      const stages = `${registry.names('batch').join('|')}/${registry.names('resources').join('|')}/${registry.names('aggregation').join('|')}`;
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
