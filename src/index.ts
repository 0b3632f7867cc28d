/**
 * Public API for Node: load a scenario, run it, get plain data back. Printing is the CLI's
 * job. Both run on the Node host (node/host.ts) unless given another one (src/host.ts); the
 * core they call takes its host as a parameter. TF.js and the engines are imported lazily so
 * that `dtrain --help` / `validate` start fast.
 */
import type { Host } from './host.js';
import { nodeHost } from './node/host.js';
import type { RunOptions as CoreRunOptions } from './run/run-scenario.js';
import type { RunResult } from './sim/records.js';
import type { Scenario } from './scenario/types.js';
import type { EngineFactory } from './train/engine.js';
import type { PresetDefinition, StageDefinition } from './pipeline/stage-registry.js';
import type { DtrainPlugin } from './node/plugins.js';

export { loadScenario, parseScenarioText } from './node/load.js';
export type { Host } from './host.js';
export type { Scenario } from './scenario/types.js';
export type { Divergence, RunResult, RunSetting, RoundRecord, StrategyRun } from './sim/records.js';
export type { BackendPreference } from './train/backend.js';
/** A custom engine reports a non-finite loss with nonFiniteLoss(taskIndex): the run names the node. */
export { nonFiniteLoss, type EngineFactory, type TrainEngine } from './train/engine.js';

/*
 * Your own stages (docs/plugins.md). A run resolves strategy names from a stage registry
 * (RunOptions.registry; loadScenario's `registry` option checks a scenario's names against
 * it): createStageRegistry() holds the built-in ones, registry.defineStage / definePreset add
 * yours, loadPlugins adds a --plugin file's as the command line does.
 */
export { createStageRegistry } from './pipeline/stages/builtin.js';
export { RegistryError, StageRegistry } from './pipeline/stage-registry.js';
export type {
  AggregationStageDefinition, BatchDecision, BatchRoundView, BatchStageDefinition, PresetDefinition, ResourceDecision,
  ResourceRoundView, ResourceStageDefinition, StageDefinition, StageKind, StageWorking, StrategySpec, WorkingOptions,
} from './pipeline/stage-registry.js';
export type { AggregatorInput, AggregatorOutput, PlanNode, StepTimeEstimator } from './pipeline/types.js';
export type { Efficiency, S1Config } from './pipeline/s1-efficiency.js';
export type { S2Config } from './pipeline/s2-batch-size.js';
export type { ResourceAllocation, S3Config } from './pipeline/s3-resources.js';
export type { S4Config } from './pipeline/s4-aggregation.js';
export { loadPlugins, type DtrainPlugin, type PluginApi } from './node/plugins.js';

/**
 * Typing helpers for plug-ins written in TypeScript: each returns what it is given, with its
 * type checked (a stage's `view` is typed by its kind). They define nothing by themselves:
 * hand the result to the plug-in API's `dtrain.defineStage` / `dtrain.definePreset`.
 */
export function defineStage<S extends StageDefinition>(stage: S): S {
  return stage;
}

export function definePreset(preset: PresetDefinition): PresetDefinition {
  return preset;
}

export function definePlugin(plugin: DtrainPlugin): DtrainPlugin {
  return plugin;
}

export type EngineName = 'fast' | 'reference' | 'parallel';

export interface RunOptions extends CoreRunOptions {
  /**
   * `fast` (default): batched hand-written gradients; `reference`: per-node autodiff;
   * `parallel`: the fast engine's maths on 2 worker threads (runs from dist/ only); or a
   * factory of your own (the benchmark wraps the engine to time the model maths).
   */
  engine?: EngineName | EngineFactory;
  /** where shipped datasets, engines and turns between rounds come from; default: Node's */
  host?: Host;
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const { runScenarioOn } = await import('./run/run-scenario.js');
  return runScenarioOn(options.host ?? nodeHost, scenario, options);
}
