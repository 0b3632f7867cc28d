/**
 * One strategy's rounds on the simulated clock (SPEC §2, per round t), as phases over one
 * round state: observe (S1 samples) → plan (S1–S3) → schedule (the round's timeline) → train
 * → aggregate (S4) → record; the first three, a round's timeline, may have been simulated ahead by
 * the host's helper (round-ahead.ts). Returns plain records; no printing, no host calls but the one
 * turn it yields between rounds so that the host can deliver a stop request.
 */
import { NormHistories, normsKept } from '../pipeline/norm-histories.js';
import type { ResolvedStages, StageWorking } from '../pipeline/stage-registry.js';
import type { Scenario, StrategySpec } from '../scenario/types.js';
import { SimClock } from '../sim/clock.js';
import type { RoundRecord, StrategyRun } from '../sim/records.js';
import { wireBytes } from '../sim/time-model.js';
import type { EngineFactory, TrainEngine } from '../train/engine.js';
import { drawBatchIndices } from '../train/batches.js';
import { makeCursors, type PreparedTraining } from '../train/prepare.js';
import { aggregatePhase, weighParticipants } from './aggregate.js';
import { RoundDiverged } from './divergence.js';
import type { SimulatedNetwork } from './network.js';
import { WindowScratch, type WindowPrefetch } from './observe.js';
import { roundRecord, summarise } from './record.js';
import { rememberRound, RoundsRemembered, roundsAheadSpec, sameSpec, simulateRound, type RoundsAhead, type StartedRounds, type TimelineFrame } from './round-ahead.js';
import type { Aggregated, RunState, Scheduled } from './round-state.js';
import { roundEndMs } from './schedule.js';
import { LatencyGuard } from './time-guard.js';
import { engineTasks, trainPhase } from './train.js';

export interface StrategyRunOptions {
  scenario: Scenario;
  strategy: StrategySpec;
  /** the strategy's stages, resolved from the stage registry */
  stages: ResolvedStages;
  prepared: PreparedTraining;
  /** each node's latency model and compute slowdown, asked for only when a round is simulated on this thread (network.ts lazyNetwork) */
  network: () => SimulatedNetwork;
  createEngine: EngineFactory;
  backend: string;
  /** keep each round's raw S1 samples (`--trace`) */
  trace: boolean;
  /** Each round's full record as it finishes (the backend names the run's, for streamed outputs). */
  onRound?: (record: RoundRecord, strategy: StrategySpec, backend: string) => void;
  /**
   * false: the run keeps each round without its node records (`nodes` empty, no `working`),
   * after `onRound` had them, so that a run of 131,072 nodes does not hold every node of every
   * round (SPEC §9); outputs then build what they need from `onRound`. The stages are then
   * asked for no working either (`working`), and the records `onRound` gets carry none.
   * Default true.
   */
  retainNodes?: boolean;
  /**
   * Whether the stages give their working, in the records `onRound` gets, when the run keeps
   * no node records (`dtrain explain --round`, which reads the round it explains from
   * `onRound`). Default: as retainNodes.
   */
  working?: boolean;
  /**
   * false: the records carry no `timeline` (the events explain and the HTML report read);
   * building them is most of a round's garbage at 131,072 nodes. Default true.
   */
  timelines?: boolean;
  /**
   * Asked before every round: true stops the run at this round boundary, and it returns the
   * finished rounds marked `interrupted`.
   */
  shouldStop?: () => boolean;
  /** The host's event loop gets one turn before every round: signals, helper threads' messages. */
  yieldTurn?: () => Promise<void>;
  /** Awaited before every round (RunOptions.waitForOutputs): a slow reader of the outputs holds the run. */
  waitForOutputs?: () => Promise<void>;
  /** the host's helper: each round's S1 windows drawn while the round before ends, or the whole rounds' timelines */
  prefetch?: WindowPrefetch | null;
  /** rounds ahead the run started for this strategy (its first) while it prepared the data */
  startedRounds?: StartedRounds | null;
}

/** Every strategy's first round starts at 0 on the simulated clock. */
export const FIRST_ROUND_START_MS = 0;

/** What every round of one strategy reads. */
interface RunFrame {
  options: StrategyRunOptions;
  engine: TrainEngine;
  timeline: TimelineFrame;
  ids: string[];
  /** the rounds simulated ahead by the host's helper, or null: each round simulates its own */
  ahead: RoundsAhead | null;
  /** while `ahead` is not null: what the rounds it simulated leave in the nodes' memory */
  remembered: RoundsRemembered;
}

export async function runStrategy(options: StrategyRunOptions): Promise<StrategyRun> {
  const { scenario, prepared } = options;
  const engine = await options.createEngine({
    train: prepared.train,
    test: prepared.test,
    hidden: scenario.model.hidden,
    learningRate: scenario.model.learningRate,
    localSteps: scenario.model.localSteps,
    initialParams: prepared.initialParams,
    maxTasks: scenario.cluster.nodes.length,
  });
  const nodes = scenario.cluster.nodes;
  const transferBytes = wireBytes(scenario.model, engine.paramCount);
  const frame: RunFrame = {
    options,
    engine,
    timeline: timelineFrame(options, transferBytes),
    ids: nodes.map((node) => node.id),
    ahead: startRoundsAhead(options, transferBytes),
    remembered: new RoundsRemembered(nodes.length),
  };
  const state: RunState = {
    clock: new SimClock(FIRST_ROUND_START_MS),
    memory: nodes.map(() => ({ lastResponseMs: null, lastBatch: null })),
    histories: new NormHistories(nodes.length, normsKept(scenario.pipeline.s4.window, scenario.rounds)),
    cursors: null,
    drawn: new Float64Array(nodes.length),
    rounds: [],
    samplesTrained: 0,
    lastEval: { loss: Number.NaN, accuracy: 0 },
  };
  try {
    if (frame.ahead === null) options.prefetch?.request(state.clock.nowMs);
    else frame.ahead.drawBatchesFrom(prepared.sampleRanges);
    state.lastEval = await engine.evaluate();
    for (let round = 1; round <= scenario.rounds; round++) {
      if (await stopRequested(options)) return { ...strategyRun(options, state), interrupted: true };
      // Unnamed: an async function keeps its locals across every await, so a `record` here
      // would keep this round's node records alive through the whole next round (two rounds'
      // worth at the peak, ~130 MB at 131,072 nodes).
      keepRound(options, state, await runRound(frame, state, round));
    }
    return strategyRun(options, state);
  } catch (error) {
    if (!(error instanceof RoundDiverged)) throw error;
    // the rounds before the one that diverged are kept
    return { ...strategyRun(options, state), diverged: error.divergence };
  } finally {
    frame.ahead?.dispose();
    engine.dispose();
  }
}

/**
 * The frame of the rounds simulated on this thread. Its guard, and so the network, is made
 * when a round first asks for it: none does while the host's helper simulates the rounds.
 */
function timelineFrame(options: StrategyRunOptions, transferBytes: number): TimelineFrame {
  const { scenario, stages, trace } = options;
  const working = keepsWorking(options);
  let guard: LatencyGuard | null = null;
  return {
    setting: scenario,
    stages,
    get guard(): LatencyGuard {
      if (guard === null) {
        const { latency, slowdowns } = options.network();
        guard = new LatencyGuard(scenario, latency, slowdowns);
      }
      return guard;
    },
    windows: new WindowScratch(),
    transferBytes,
    trace,
    working,
  };
}

/** Whether the stages' working is kept in the records (explain reads it; the outputs do not). */
function keepsWorking(options: StrategyRunOptions): boolean {
  return options.working ?? options.retainNodes !== false;
}

/**
 * The host's helper simulating this strategy's rounds ahead, where it can (roundsAheadSpec): the
 * ones the run started for it if they are of this spec, else new ones.
 */
function startRoundsAhead(options: StrategyRunOptions, transferBytes: number): RoundsAhead | null {
  const { prefetch, startedRounds: started } = options;
  const spec = roundsAheadSpec(options.stages, options.trace, keepsWorking(options), transferBytes, FIRST_ROUND_START_MS);
  if (started != null && spec !== null && sameSpec(started.spec, spec)) return started.ahead;
  started?.ahead.dispose();
  return spec === null ? null : prefetch?.roundsAhead?.(spec) ?? null;
}

/** The round's full record to `onRound`, then kept whole or as its round-level figures. */
function keepRound(options: StrategyRunOptions, state: RunState, record: RoundRecord): void {
  options.onRound?.(record, options.strategy, options.backend);
  state.rounds.push(options.retainNodes === false ? withoutNodes(record) : record);
}

/** The round-level figures only: what later rounds and the run's summary read. */
function withoutNodes(record: RoundRecord): RoundRecord {
  const { working: _working, nodes: _nodes, ...round } = record;
  return { ...round, nodes: [] };
}

/**
 * The host's turn before every round, asked to stop or not: a stop request is delivered in
 * one, and so is the message by which a helper thread that started in the background (the
 * fast engine's second thread) joins. Without a turn a run whose rounds wait for nothing
 * else would never get that thread (it did not, for a program calling runScenario alone).
 */
async function stopRequested(options: StrategyRunOptions): Promise<boolean> {
  await options.waitForOutputs?.();
  await options.yieldTurn?.();
  return options.shouldStop?.() ?? false;
}

async function runRound(frame: RunFrame, state: RunState, round: number): Promise<RoundRecord> {
  const { scenario, prefetch } = frame.options;
  const { nowMs } = state.clock;
  let scheduled = frame.ahead === null ? null : await frame.ahead.take(round, nowMs);
  if (scheduled === null && frame.ahead !== null) {
    // the helper failed or is out of step: the rounds are simulated here from now on, their windows drawn ahead again
    frame.ahead.dispose();
    frame.ahead = null;
    frame.remembered.writeTo(state.memory);
  }
  if (scheduled !== null) {
    // kept here too while the helper plans: should it stop, the next round is planned here from it
    frame.remembered.note(scheduled);
  } else {
    scheduled = simulateRound(frame.timeline, state.memory, round, nowMs, await (prefetch?.take(nowMs) ?? null));
    rememberRound(state.memory, scheduled);
  }
  const aggregated = scheduled.participants.length === 0 ? skipRound(scenario, scheduled, state) : await trainAndAggregate(frame, state, scheduled);
  // the next round starts when this one ends: its windows are drawn while this one is recorded and written
  if (round < scenario.rounds && frame.ahead === null) prefetch?.request(aggregated.endMs);
  state.clock.advanceTo(aggregated.endMs, `end of round ${round}`);
  // a run that keeps no node records hands its outputs views over the round's columns
  const { trace, timelines, retainNodes } = frame.options;
  return roundRecord(aggregated, frame.ids, trace, timelines !== false, retainNodes === false);
}

/** No participant: θ unchanged, the round lasts one window. */
function skipRound(scenario: Scenario, scheduled: Scheduled, state: RunState): Aggregated {
  return {
    ...scheduled,
    gradNorms: new Float64Array(0),
    volatilities: [],
    weights: [],
    skipped: true,
    endMs: roundEndMs(scenario, scheduled),
    evaluation: state.lastEval,
  };
}

async function trainAndAggregate(frame: RunFrame, state: RunState, scheduled: Scheduled): Promise<Aggregated> {
  const { scenario, stages, prepared } = frame.options;
  const { localSteps } = scenario.model;
  const batches = scheduled.plans.batch;
  // the tasks unnamed for the same reason: not kept through the aggregate's await
  const gradNorms = await trainPhase(frame.engine, engineTasks(scheduled.participants, batches, batchIndices(frame, state, scheduled, batches), localSteps), scheduled, frame.ids);
  const keepWorking = frame.timeline.working;
  const weighed = weighParticipants(scenario, stages.aggregation, state.histories, prepared.sampleCounts, scheduled.participants, gradNorms, batches, keepWorking);
  const { weights, volatilities } = weighed;
  const evaluation = await aggregatePhase(frame.engine, weights, scheduled, gradNorms, frame.ids);
  state.lastEval = evaluation;
  const { participants } = scheduled;
  for (let k = 0; k < participants.length; k++) state.samplesTrained += batches[participants[k]!]! * localSteps;
  const working = keepWorking ? { ...scheduled.working, aggregation: byNode(scheduled, weighed.working) } : scheduled.working;
  return { ...scheduled, working, gradNorms, volatilities, weights, skipped: false, endMs: roundEndMs(scenario, scheduled), evaluation };
}

/**
 * The round's batch indices: the helper's, or drawn here by cursors made where each node's
 * draws so far left it (its first round here, or the first after the helper stopped).
 */
function batchIndices(frame: RunFrame, state: RunState, scheduled: Scheduled, batches: Float64Array): Int32Array {
  const { scenario, prepared } = frame.options;
  const { localSteps } = scenario.model;
  let indices = scheduled.batchIndices;
  if (indices !== undefined) {
    // the helper's cursors moved on, and these did not
    state.cursors = null;
  } else {
    state.cursors ??= makeCursors(prepared, scenario.seed, state.drawn);
    indices = drawBatchIndices(scheduled.participants, batches, state.cursors, localSteps);
  }
  const { participants } = scheduled;
  for (let k = 0; k < participants.length; k++) {
    const i = participants[k]!;
    state.drawn[i]! += batches[i]! * localSteps;
  }
  return indices;
}

/** The participants' aggregation working per node (null for a node that did not take part). */
function byNode(scheduled: Scheduled, working: readonly StageWorking[]): Array<StageWorking | null> {
  const aggregation = new Array<StageWorking | null>(scheduled.plans.batch.length).fill(null);
  scheduled.participants.forEach((i, k) => (aggregation[i] = working[k]!));
  return aggregation;
}

function strategyRun(options: StrategyRunOptions, state: RunState): StrategyRun {
  return {
    strategy: options.strategy,
    backend: options.backend,
    rounds: state.rounds,
    summary: summarise(state.rounds, state.samplesTrained, options.scenario.targetAccuracy),
  };
}
