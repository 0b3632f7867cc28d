/**
 * Plain scenario data → the resolved Scenario (types.ts). Each top-level section, the
 * cluster defaults and each node are parsed on their own, so one bad field does not hide the
 * problems elsewhere (SPEC §1.5: every issue at once). Returns undefined when any issue was
 * recorded in `ctx`.
 */
import type { z } from 'zod';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { createStageRegistry } from '../pipeline/stages/builtin.js';
import { skeleton, spelledOut } from '../text/look-alike.js';
import { checkChainReach, checkPipeline } from './checks.js';
import type { ScenarioContext } from './context.js';
import { formatPath, type PathSegment } from './field-path.js';
import { stemName } from './file-name.js';
import { describeKey, describeValue } from './issues.js';
import { checkPartition, resolveDataset, resolvePartition } from './resolve-data.js';
import { TraceLibrary } from './resolve-latency.js';
import { resolveNodes } from './resolve-nodes.js';
import {
  ClusterShellSchema, DEFAULT_STRATEGY, MAX_NODE_ENTRIES, NodeDefaultsSchema, NodeSchema, sectionSchemas, type SectionSchemas, type StrategyPick,
} from './schema.js';
import { suggestionSuffix } from './suggest.js';
import type { ClusterSpec, Scenario, StrategySpec } from './types.js';

type Sections = SectionSchemas;

/** `registry` holds the stages and presets that `strategy` and `compare` may name. */
export function resolveScenario(ctx: ScenarioContext, root: unknown, file: string, registry: StageRegistry = createStageRegistry()): Scenario | undefined {
  if (root === null || root === undefined || typeof root !== 'object' || Array.isArray(root)) {
    const found = root === null || root === undefined ? 'an empty file' : describeValue(root);
    ctx.report([], 'a scenario: a YAML map with at least cluster.nodes', found, 'value', 'field.type');
    return undefined;
  }
  const raw = root as Record<string, unknown>;
  const sections = sectionSchemas(registry);
  const topKeys = Object.keys(sections) as (keyof Sections)[];
  for (const key of Object.keys(raw)) {
    if (!(topKeys as string[]).includes(key)) {
      ctx.report([key], `a known top-level key (${topKeys.join(', ')})${suggestionSuffix(key, topKeys)}`, describeKey(key), 'key', 'field.unknownKey');
    }
  }
  const top = <K extends keyof Sections>(key: K): z.output<Sections[K]> | undefined =>
    ctx.parse(sections[key], raw[key], [key]) as z.output<Sections[K]> | undefined;
  const name = top('name');
  const description = top('description');
  const seed = top('seed');
  const rounds = top('rounds');
  const targetAccuracy = top('targetAccuracy');
  const strategies = resolveStrategies(ctx, registry, raw, top('strategy'), top('compare'));
  const data = top('data');
  const dataset = data === undefined ? undefined : resolveDataset(ctx, data.dataset);
  const model = top('model');
  const pipeline = top('pipeline');
  if (pipeline !== undefined) checkPipeline(ctx, pipeline);
  const cluster = resolveCluster(ctx, raw.cluster, pipeline?.s1);
  const partition = data === undefined ? undefined : resolvePartition(data.partition);
  if (partition !== undefined && dataset !== undefined && cluster !== undefined) {
    checkPartition(ctx, partition, dataset.samples, data!.testFraction, cluster.nodes.length);
  }
  if (ctx.issues.length > 0) return undefined;
  return {
    name: name ?? stemName(file),
    description: description!,
    seed: seed!,
    rounds: rounds!,
    targetAccuracy: targetAccuracy!,
    strategies: strategies!,
    data: { dataset: dataset!.spec, testFraction: data!.testFraction, partition: partition! },
    model: { hidden: model!.hidden, learningRate: model!.learningRate, localSteps: model!.localSteps, transferBytes: model!.transferBytes ?? null },
    pipeline: pipeline!,
    cluster: cluster!,
    file,
  };
}

/** `strategy` or `compare` (not both), default [s1s4]; names must be distinct. */
function resolveStrategies(
  ctx: ScenarioContext,
  registry: StageRegistry,
  raw: Record<string, unknown>,
  strategy: StrategyPick | undefined,
  compare: StrategyPick[] | undefined,
): StrategySpec[] | undefined {
  if (raw.strategy !== undefined && raw.compare !== undefined) {
    ctx.report(['compare'], 'either strategy or compare, not both', 'both', 'key', 'field.conflict');
    return undefined;
  }
  let picks: StrategyPick[] | undefined;
  if (raw.compare !== undefined) picks = compare;
  else if (raw.strategy !== undefined) picks = strategy === undefined ? undefined : [strategy];
  else picks = [DEFAULT_STRATEGY];
  if (picks === undefined) return undefined;
  const specs = picks.map((pick) => (typeof pick === 'string' ? registry.presetStrategy(pick)! : registry.strategyOf(pick, pick.name)));
  picks.forEach((pick, index) => {
    if (typeof pick === 'string' || pick.name === undefined) return;
    checkNotPresetName(ctx, registry, specs[index]!, raw.compare !== undefined ? ['compare', index, 'name'] : ['strategy', 'name']);
  });
  // only a name of the scenario's own can look like another (presets and stage picks' own
  // names are distinct), so most scenarios never unpack the look-alike table
  const ownNames = picks.some((pick) => typeof pick !== 'string' && pick.name !== undefined);
  const firstIndex = new Map<string, number>();
  specs.forEach((spec, index) => {
    const key = ownNames ? skeleton(spec.name) : spec.name;
    const earlier = firstIndex.get(key);
    if (earlier === undefined) {
      firstIndex.set(key, index);
      return;
    }
    const other = specs[earlier]!.name;
    if (other === spec.name) {
      ctx.report(['compare', index], 'a strategy name not used earlier in compare (give a stage pick its own name:)', `${spec.name} again (also ${formatPath(['compare', earlier])})`, 'value', 'field.conflict');
    } else {
      ctx.report(['compare', index], 'a strategy name that does not look like one earlier in compare', `${spelledOut(spec.name)}, which looks like ${spelledOut(other)} (${formatPath(['compare', earlier])})`, 'value', 'field.conflict');
    }
  });
  return specs;
}

/**
 * A stage pick may not take a preset's name, nor one that looks like it, unless it has that
 * preset's stages: a table would show a baseline under the method's name.
 */
function checkNotPresetName(ctx: ScenarioContext, registry: StageRegistry, spec: StrategySpec, path: PathSegment[]): void {
  const key = skeleton(spec.name);
  const preset = registry.presets().find((p) => skeleton(p.name) === key);
  if (preset === undefined || (preset.batch === spec.batch && preset.resources === spec.resources && preset.aggregation === spec.aggregation)) return;
  const stages = (s: { batch: string; resources: string; aggregation: string }) => `batch ${s.batch}, resources ${s.resources}, aggregation ${s.aggregation}`;
  const shown = spec.name === preset.name ? spec.name : `${spelledOut(spec.name)}, which looks like ${preset.name},`;
  ctx.report(path, `a name other than a preset's (the preset ${preset.name} is ${stages(preset)})`, `${shown} for ${stages(spec)}`, 'value', 'field.conflict');
}

/**
 * The cluster's own fields, its defaults and each node are parsed apart, so that a bad
 * `retryMs` does not hide a duplicate node id.
 */
function resolveCluster(ctx: ScenarioContext, raw: unknown, s1: { intervalMs: number; windowMs: number } | undefined): ClusterSpec | undefined {
  const shell = ctx.parse(ClusterShellSchema, raw, ['cluster']);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const { defaults: rawDefaults, nodes: rawNodes } = raw as { defaults?: unknown; nodes?: unknown };
  const defaults = ctx.parse(NodeDefaultsSchema, rawDefaults ?? {}, ['cluster', 'defaults']);
  // a list over the cap is reported (shell) and its entries not parsed one by one: the cap bounds that work
  if (!Array.isArray(rawNodes) || rawNodes.length === 0 || rawNodes.length > MAX_NODE_ENTRIES) return undefined;
  const parsedNodes = rawNodes.map((node, index) => ctx.parse(NodeSchema, node, ['cluster', 'nodes', index]));
  const nodes = resolveNodes(ctx, defaults, parsedNodes, new TraceLibrary(ctx));
  if (shell === undefined || nodes === undefined || s1 === undefined) return undefined;
  const latencyResolutionMs = shell.latencyResolutionMs ?? s1.intervalMs;
  checkChainReach(ctx, nodes, s1.windowMs, latencyResolutionMs, shell.latencyResolutionMs === null ? ['pipeline', 's1', 'intervalMs'] : ['cluster', 'latencyResolutionMs']);
  return {
    retryMs: shell.retryMs,
    maxRetries: shell.maxRetries,
    roundTimeoutMs: shell.roundTimeoutMs,
    latencyResolutionMs,
    server: shell.server === undefined ? null : { bandwidthBps: shell.server.bandwidth },
    nodes,
  };
}
