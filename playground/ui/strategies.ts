/**
 * The names of a scenario's strategies (its `compare:` list, or `strategy:`, or the default),
 * named as the run will name them, for the "compare" checkboxes before anything runs. Only a
 * hint for the controls: the worker validates the text, and a run's `start` message gives the
 * names it really runs. Null when the text does not say (yet): the editor holds half a line.
 */
import { parse } from 'yaml';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import { DEFAULT_STRATEGY, MODEL_DEFAULTS } from '../../src/scenario/schema.js';

// The built-in stages name presets and stage picks exactly as a run will (they bring zod along,
// ~0.45 MB of the page's script: a worker answer naming the strategies would spare it).
const registry = createStageRegistry();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pickName(pick: unknown): string | null {
  if (typeof pick === 'string') return registry.presetStrategy(pick) === undefined ? null : pick;
  if (!isRecord(pick)) return null;
  const { batch, resources, aggregation, name } = pick;
  if (typeof batch !== 'string' || typeof resources !== 'string' || typeof aggregation !== 'string') return null;
  if (name !== undefined && typeof name !== 'string') return null;
  return registry.strategyOf({ batch, resources, aggregation }, name).name;
}

export function scenarioStrategyNames(text: string): string[] | null {
  let root: unknown;
  try {
    root = parse(text);
  } catch {
    return null;
  }
  if (!isRecord(root)) return null;
  let picks: unknown[];
  if (root.compare !== undefined) {
    if (!Array.isArray(root.compare)) return null;
    picks = root.compare;
  } else if (root.strategy !== undefined) {
    picks = [root.strategy];
  } else {
    picks = [DEFAULT_STRATEGY];
  }
  const names: string[] = [];
  for (const pick of picks) {
    const name = pickName(pick);
    if (name === null || names.includes(name)) return null;
    names.push(name);
  }
  return names;
}

/** The scenario's `targetAccuracy` (for the scoreboard's "to target"), or null when it sets none or the text does not parse. */
export function scenarioTargetAccuracy(text: string): number | null {
  let root: unknown;
  try {
    root = parse(text);
  } catch {
    return null;
  }
  if (!isRecord(root)) return null;
  const target = root.targetAccuracy;
  return typeof target === 'number' && Number.isFinite(target) ? target : null;
}

/** The scenario's `model.localSteps` (for the samples a run trains), the default when it sets none. */
export function scenarioLocalSteps(text: string): number {
  let root: unknown;
  try {
    root = parse(text);
  } catch {
    return MODEL_DEFAULTS.localSteps;
  }
  const steps = isRecord(root) && isRecord(root.model) ? root.model.localSteps : undefined;
  return typeof steps === 'number' && Number.isInteger(steps) && steps >= 1 ? steps : MODEL_DEFAULTS.localSteps;
}
