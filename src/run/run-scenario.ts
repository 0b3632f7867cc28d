/**
 * A whole run: every strategy of a scenario over the same data split, initial weights and
 * network (SPEC §2). The host (src/host.ts) gives the shipped datasets, the engines and the
 * turns between rounds; src/index.ts runs this on the Node host. TF.js, the engine and the
 * stages are imported lazily so that a host's `--help` or `validate` starts fast.
 */
import { DtrainError } from '../errors.js';
import type { Host } from '../host.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import type { Scenario, StrategySpec } from '../scenario/types.js';
import type { RoundRecord, RunResult, RunSetting, StrategyRun } from '../sim/records.js';
import type { BackendPreference } from '../train/backend.js';
import type { EngineFactory } from '../train/engine.js';
import type { PreparedTraining } from '../train/prepare.js';
import { samplesPerWindow } from '../pipeline/s1-efficiency.js';
import type { StrategyRunOptions } from './loop.js';
import type { StartedRounds } from './round-ahead.js';
import type { TimelineSetting } from './round-state.js';
import { PREFETCH_MIN_SAMPLES, type WindowPrefetch } from './observe.js';

export type { BackendPreference };

export interface RunOptions {
  backend?: BackendPreference;
  /**
   * An engine the host offers, by name (Node: `fast`, the default, batched hand-written
   * gradients; `reference`, per-node autodiff; `parallel`, the fast engine's maths on 2 worker
   * threads), or a factory of your own (the benchmark wraps the engine to time the model maths).
   */
  engine?: string | EngineFactory;
  /** keep raw S1 samples in the records (`--trace`) */
  trace?: boolean;
  onRound?: (record: RoundRecord, strategy: StrategySpec, backend: string) => void;
  /** false: rounds are kept without their node records once `onRound` had them (loop.ts) */
  retainNodes?: boolean;
  /** the stages' working in the records `onRound` gets (loop.ts; explain reads it); default: as retainNodes */
  working?: boolean;
  /**
   * false: node records carry no `timeline` (each dispatched node's events: tries, steps,
   * arrival) because no output reads them; the records' times are the same. Default true.
   */
  timelines?: boolean;
  /** What every strategy shares (model size, transfer times), once, before the first round. */
  onSetting?: (setting: RunSetting) => void;
  /** A strategy's run as it ends and is kept in the result (after its `wallMs`), for streamed outputs. */
  onRunEnd?: (run: StrategyRun) => void;
  /** host clock for wallMs (the CLI passes performance.now); absent = no wallMs */
  now?: () => number;
  /**
   * Asked at every round boundary; true stops the current strategy there (its finished
   * rounds are kept, marked `interrupted`) and later strategies are not started. The CLI
   * sets it from SIGINT / SIGTERM.
   */
  shouldStop?: () => boolean;
  /**
   * Asked as the data is about to be prepared (after the backend and engine are loaded) and
   * after each turn the host takes while it is (Host.breathe: seconds for a large dataset);
   * true abandons the preparation and the run ends there, interrupted, with no strategy run
   * and no setting. Absent, the data is always prepared whole and a stop is
   * asked for at round boundaries only. The CLI sets it from SIGINT / SIGTERM.
   */
  shouldStopSetup?: () => boolean;
  /** the stages and presets strategies are looked up in (default: the built-in ones) */
  registry?: StageRegistry;
  /**
   * Awaited before every round: the outputs `onRound` wrote have been taken by their reader.
   * A reader slower than the run (`dtrain simulate --ndjson - | slow`) then holds the run at a
   * round boundary instead of every round's text queueing in memory.
   */
  waitForOutputs?: () => Promise<void>;
}

async function engineFactory(host: Host, engine: string | EngineFactory): Promise<EngineFactory> {
  if (typeof engine === 'function') return engine;
  const load = host.engines.get(engine);
  if (load === undefined) {
    throw new DtrainError('run.unknownEngine', `unknown engine "${engine}"; expected one of ${[...host.engines.keys()].join(', ')}`);
  }
  return load();
}

/** What every strategy of the run shares: the model's size, transfer times, sample counts. */
async function runSetting(scenario: Scenario, prepared: PreparedTraining): Promise<RunSetting> {
  const { runSettingOf } = await import('./setting.js');
  return runSettingOf(scenario, { features: prepared.featureCount, classes: prepared.classCount }, prepared.sampleCounts);
}

export async function runScenarioOn(host: Host, scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const { initBackend } = await import('../train/backend.js');
  const { preparingTraining } = await import('../train/prepare.js');
  const { runStepsUntil } = await import('../train/steps.js');
  const { lazyNetwork } = await import('./network.js');
  const { timelineSetting } = await import('./round-ahead.js');
  const registry = options.registry ?? (await import('../pipeline/stages/builtin.js')).createStageRegistry();

  const { FIRST_ROUND_START_MS } = await import('./loop.js');
  // first: the helper builds its network and simulates the first strategy's rounds (or draws
  // its first round's windows) while this thread prepares the data and the engine
  const prefetch = startPrefetch(host, scenario, timelineSetting);
  const working = options.working ?? options.retainNodes !== false;
  const firstRounds = prefetch === null ? null : await startFirstRounds(prefetch, scenario, registry, options.trace ?? false, working, FIRST_ROUND_START_MS);
  if (firstRounds === null) prefetch?.request(FIRST_ROUND_START_MS);
  try {
    const backend = await initBackend(options.backend ?? 'auto');
    const createEngine = await engineFactory(host, options.engine ?? 'fast');
    // the host gets its turns while the data is made (seconds for a large dataset): a Ctrl-C is heard
    const prepared = await runStepsUntil(preparingTraining({
      data: scenario.data, nodes: scenario.cluster.nodes, seed: scenario.seed, hidden: scenario.model.hidden, shipped: host.shippedDataset,
    }), host.breathe ?? (() => Promise.resolve()), options.shouldStopSetup ?? (() => false));
    if (prepared === undefined) {
      firstRounds?.ahead.dispose();
      return { scenario, runs: [], interrupted: true };
    }
    // the helper makes its batch cursors while this thread makes the engine
    if (firstRounds !== null) firstRounds.ahead.drawBatchesFrom(prepared.sampleRanges);
    const shared = {
      scenario, prepared, network: lazyNetwork(scenario), createEngine, backend, prefetch, yieldTurn: host.yieldTurn,
    };
    return await runStrategies(scenario, options, registry, shared, firstRounds);
  } finally {
    prefetch?.dispose();
  }
}

/** The host's helper thread, for a run with enough window samples a round to pay for a thread. */
function startPrefetch(host: Host, scenario: Scenario, settingOf: (scenario: Scenario) => TimelineSetting): WindowPrefetch | null {
  if (host.startWindowPrefetch === undefined) return null;
  if (scenario.cluster.nodes.length * samplesPerWindow(scenario.pipeline.s1) < PREFETCH_MIN_SAMPLES) return null;
  return host.startWindowPrefetch(settingOf(scenario));
}

/**
 * The first strategy's rounds ahead on the helper, where it can simulate them (round-ahead.ts
 * roundsAheadSpec), with the model's size on the wire from the dataset's shape: the strategy
 * takes them if its own spec is the same (it always is; if not, it starts its own).
 */
async function startFirstRounds(
  prefetch: WindowPrefetch, scenario: Scenario, registry: StageRegistry, trace: boolean, working: boolean, startMs: number,
): Promise<StartedRounds | null> {
  const first = scenario.strategies[0];
  if (first === undefined || prefetch.roundsAhead === undefined) return null;
  const { roundsAheadSpec } = await import('./round-ahead.js');
  const { datasetShape } = await import('../scenario/dataset-shape.js');
  const { countParams } = await import('../train/params.js');
  const { wireBytes } = await import('../sim/time-model.js');
  const shape = datasetShape(scenario.data.dataset);
  const transferBytes = wireBytes(scenario.model, countParams(shape.features, scenario.model.hidden, shape.classes));
  const spec = roundsAheadSpec(registry.resolve(first), trace, working, transferBytes, startMs);
  const ahead = spec === null ? null : prefetch.roundsAhead(spec);
  return spec === null || ahead === null ? null : { spec, ahead };
}

/** What every strategy of a run is run with. */
type SharedRunOptions = Pick<StrategyRunOptions, 'scenario' | 'prepared' | 'network' | 'createEngine' | 'backend' | 'prefetch' | 'yieldTurn'>;

async function runStrategies(
  scenario: Scenario, options: RunOptions, registry: StageRegistry, shared: SharedRunOptions, firstRounds: StartedRounds | null,
): Promise<RunResult> {
  const { runStrategy } = await import('./loop.js');
  const setting = await runSetting(scenario, shared.prepared);
  options.onSetting?.(setting);
  const runs: StrategyRun[] = [];
  for (const strategy of scenario.strategies) {
    if (runs.length > 0 && options.shouldStop?.() === true) return { scenario, setting, runs, interrupted: true };
    const started = options.now?.();
    const run = await runStrategy({
      ...shared,
      strategy,
      stages: registry.resolve(strategy),
      trace: options.trace ?? false,
      onRound: options.onRound,
      retainNodes: options.retainNodes,
      working: options.working,
      timelines: options.timelines,
      shouldStop: options.shouldStop,
      waitForOutputs: options.waitForOutputs,
      startedRounds: runs.length === 0 ? firstRounds : null,
    });
    if (started !== undefined && options.now !== undefined) run.summary.wallMs = options.now() - started;
    runs.push(run);
    // a stopped or diverged run ends the whole run: its finished rounds are the result
    if (run.interrupted) {
      // stopped before its first round: a later strategy that never started is left out
      if (run.rounds.length === 0 && runs.length > 1) runs.pop();
      else options.onRunEnd?.(run);
      return { scenario, setting, runs, interrupted: true };
    }
    options.onRunEnd?.(run);
    if (run.diverged !== undefined) return { scenario, setting, runs, diverged: { strategy: strategy.name, ...run.diverged } };
  }
  return { scenario, setting, runs };
}
