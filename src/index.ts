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

export { loadScenario, parseScenarioText } from './node/load.js';
export type { Host } from './host.js';
export type { Scenario } from './scenario/types.js';
export type { Divergence, RunResult, RunSetting, RoundRecord, StrategyRun } from './sim/records.js';
export type { BackendPreference } from './train/backend.js';
/** A custom engine reports a non-finite loss with nonFiniteLoss(taskIndex): the run names the node. */
export { nonFiniteLoss, type EngineFactory, type TrainEngine } from './train/engine.js';

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
