/**
 * Public API: load a scenario, run it, get plain data back. Printing is the CLI's job.
 * TF.js and the engines are imported lazily so that `dtrain --help` / `validate` start fast.
 */
import type { RoundRecord, RunResult, RunSetting, StrategyRun } from './sim/records.js';
import type { Scenario, StrategySpec } from './scenario/types.js';
import type { EngineFactory } from './train/engine.js';
import type { StageRegistry } from './pipeline/stage-registry.js';

export { loadScenario, parseScenarioText } from './scenario/load.js';
export type { Scenario } from './scenario/types.js';
export type { Divergence, RunResult, RunSetting, RoundRecord, StrategyRun } from './sim/records.js';

export type BackendPreference = 'auto' | 'wasm' | 'cpu';
export type EngineName = 'fast' | 'reference' | 'parallel';

export interface RunOptions {
  backend?: BackendPreference;
  /**
   * `fast` (default): batched hand-written gradients; `reference`: per-node autodiff;
   * `parallel`: the fast engine's maths on 2 worker threads (runs from dist/ only); or a
   * factory of your own (the benchmark wraps the engine to time the model maths).
   */
  engine?: EngineName | EngineFactory;
  /** keep raw S1 samples in the records (`--trace`) */
  trace?: boolean;
  onRound?: (record: RoundRecord, strategy: StrategySpec) => void;
  /** host clock for wallMs (the CLI passes performance.now); absent = no wallMs */
  now?: () => number;
  /**
   * Asked at every round boundary; true stops the current strategy there (its finished
   * rounds are kept, marked `interrupted`) and later strategies are not started. The CLI
   * sets it from SIGINT / SIGTERM.
   */
  shouldStop?: () => boolean;
  /** the stages and presets strategies are looked up in (default: the built-in ones) */
  registry?: StageRegistry;
}

/** Signals (Ctrl-C, SIGTERM) are handled between event-loop turns: give them one. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function engineFactory(name: EngineName | EngineFactory): Promise<EngineFactory> {
  if (typeof name === 'function') return name;
  if (name === 'reference') return (await import('./train/reference-engine.js')).createReferenceEngine;
  if (name === 'parallel') return (await import('./train/parallel-engine.js')).createParallelEngine;
  return (await import('./train/fast-engine.js')).createFastEngine;
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const { initBackend } = await import('./train/backend.js');
  const { prepareTraining } = await import('./train/prepare.js');
  const { buildNetwork } = await import('./run/network.js');
  const { runStrategy } = await import('./run/loop.js');

  const backend = await initBackend(options.backend ?? 'auto');
  const createEngine = await engineFactory(options.engine ?? 'fast');
  const prepared = prepareTraining({
    data: scenario.data,
    nodes: scenario.cluster.nodes,
    seed: scenario.seed,
    hidden: scenario.model.hidden,
  });
  const latency = buildNetwork(scenario);
  const registry = options.registry ?? (await import('./pipeline/stages/builtin.js')).createStageRegistry();
  const { countParams } = await import('./train/params.js');
  const { modelBytes, transferMs } = await import('./sim/time-model.js');
  const paramCount = countParams(prepared.featureCount, scenario.model.hidden, prepared.classCount);
  const bytes = modelBytes(paramCount);
  const setting: RunSetting = {
    paramCount,
    modelBytes: bytes,
    transferMs: scenario.cluster.nodes.map((node) => transferMs(bytes, node.bandwidthBps)),
    sampleCounts: prepared.sampleCounts,
  };
  const runs: StrategyRun[] = [];
  for (const strategy of scenario.strategies) {
    if (runs.length > 0 && options.shouldStop?.() === true) return { scenario, setting, runs, interrupted: true };
    const started = options.now?.();
    const run = await runStrategy({
      scenario,
      strategy,
      stages: registry.resolve(strategy),
      prepared,
      latency,
      createEngine,
      backend,
      trace: options.trace ?? false,
      onRound: options.onRound,
      shouldStop: options.shouldStop,
      yieldTurn: nextTurn,
    });
    if (started !== undefined && options.now !== undefined) run.summary.wallMs = options.now() - started;
    runs.push(run);
    // a stopped or diverged run ends the whole run: its finished rounds are the result
    if (run.interrupted) {
      // stopped before its first round: a later strategy that never started is left out
      if (run.rounds.length === 0 && runs.length > 1) runs.pop();
      return { scenario, setting, runs, interrupted: true };
    }
    if (run.diverged !== undefined) return { scenario, setting, runs, diverged: { strategy: strategy.name, ...run.diverged } };
  }
  return { scenario, setting, runs };
}
