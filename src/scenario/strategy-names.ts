/**
 * Strategy names → StrategySpec (SPEC §2 "Strategies"), for the CLI's `--strategy a,b`, looked
 * up in the stage registry the command runs with. Besides the presets, the CLI accepts the
 * scenario's own strategies by their names (a stage pick with `name:` in its compare), and
 * stage picks written as `batch/resources/aggregation` (the name StageRegistry.strategyOf gives them).
 */
import { DtrainError } from '../errors.js';
import type { StageRegistry, StrategySpec } from '../pipeline/stage-registry.js';
import { createStageRegistry } from '../pipeline/stages/builtin.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { suggestionSuffix } from './suggest.js';

function parseStagePick(name: string, registry: StageRegistry): StrategySpec | undefined {
  const [batch, resources, aggregation, ...rest] = name.split('/');
  if (rest.length > 0 || aggregation === undefined) return undefined;
  const known = registry.has('batch', batch!) && registry.has('resources', resources!) && registry.has('aggregation', aggregation);
  return known ? registry.strategyOf({ batch: batch!, resources: resources!, aggregation }) : undefined;
}

/**
 * `--strategy s1s4,sync-sgd` → specs, in the order given. Unknown or repeated names are usage
 * errors. `own`: the scenario's strategies, whose names (e.g. `base` for a named stage pick) are
 * accepted too; a scenario's name never takes a preset's (resolve.ts).
 */
export function resolveStrategyNames(names: readonly string[], registry: StageRegistry = createStageRegistry(), own: readonly StrategySpec[] = []): StrategySpec[] {
  const presets = registry.presets().map((preset) => preset.name);
  const ownNames = own.map((spec) => spec.name).filter((name) => !presets.includes(name) && !name.includes('/'));
  const known = [...ownNames, ...presets];
  if (names.length === 0) {
    throw new DtrainError('cli.invalidArgument', `expected one or more strategy names (${known.join(', ')})`);
  }
  const seen = new Set<string>();
  return names.map((raw) => {
    const name = raw.trim();
    const spec = registry.presetStrategy(name) ?? own.find((candidate) => candidate.name === name) ?? parseStagePick(name, registry);
    if (spec === undefined) {
      const stages = `${registry.names('batch').join('|')}/${registry.names('resources').join('|')}/${registry.names('aggregation').join('|')}`;
      throw new DtrainError(
        'cli.invalidArgument',
        `unknown strategy '${escapeForTerminal(name)}': expected one of ${known.map(escapeForTerminal).join(', ')} or stage picks ${stages}${suggestionSuffix(name, known)}`,
      );
    }
    if (seen.has(spec.name)) throw new DtrainError('cli.invalidArgument', `strategy '${spec.name}' is listed twice`);
    seen.add(spec.name);
    return spec;
  });
}
