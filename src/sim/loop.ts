/**
 * One strategy's rounds on the simulated clock (SPEC §2, per round t): S1 samples of the
 * observation window → plan (S1→S2→S3) → per-node timelines (download, local steps, upload,
 * retries, deadline) → local training of the participants → S4 weights → aggregation →
 * evaluation. Returns plain records; no printing.
 */
import { DtrainError, isKnownError } from '../errors.js';
import { maxOf } from '../extremes.js';
import { chainReachMs, finestGridMs, hasBurst, isAddressableTimeMs, shortNumber } from '../limits/time-range.js';
import { AGGREGATORS } from '../pipeline/aggregators.js';
import { planRound } from '../pipeline/index.js';
import { windowSampleTimesMs } from '../pipeline/s1-efficiency.js';
import { appendHistory } from '../pipeline/s4-aggregation.js';
import type { NodePlan } from '../pipeline/types.js';
import type { Scenario, StrategySpec } from '../scenario/types.js';
import type { EngineFactory, EngineTask, TrainEngine } from '../train/engine.js';
import type { PreparedTraining } from '../train/prepare.js';
import { makeCursors } from '../train/prepare.js';
import { SimClock } from './clock.js';
import type { LatencyModel } from './latency/index.js';
import type { Divergence, NodeRoundRecord, RoundRecord, RunSummary, StrategyRun } from './records.js';
import { modelBytes, nodeTimeline, stepMs, transferMs } from './time-model.js';

export interface StrategyRunOptions {
  scenario: Scenario;
  strategy: StrategySpec;
  prepared: PreparedTraining;
  latency: LatencyModel[];
  createEngine: EngineFactory;
  backend: string;
  /** keep each round's raw S1 samples (`--trace`) */
  trace: boolean;
  onRound?: (record: RoundRecord, strategy: StrategySpec) => void;
  /**
   * Asked before every round (issue 6, interruption): true stops the run at this round
   * boundary, and it returns the finished rounds marked `interrupted`.
   */
  shouldStop?: () => boolean;
}

/**
 * A round that cannot finish because a number became non-finite: a loss or a parameter
 * (train.nonFiniteLoss) or a simulated time (sim.nonFiniteTime). The run keeps the rounds
 * before it and reports where it stopped (StrategyRun.diverged).
 */
class RoundDiverged extends DtrainError {
  constructor(code: 'train.nonFiniteLoss' | 'sim.nonFiniteTime', readonly round: number, readonly node: string | null, message: string, hint: string) {
    super(code, message, { exitCode: 1, hint });
  }

  get kind(): Divergence['kind'] {
    return this.code === 'sim.nonFiniteTime' ? 'time' : 'training';
  }
}

const TIME_HINT = 'check the scenario for extreme values (bandwidth, msPerSample, latencies, retryMs)';

/**
 * A latency that overflowed (1e308-scale settings, a lognormal with a huge sigma) never
 * arrives: it counts as a lost sample, like the SPEC's "loss", rather than an Infinity that
 * would end up in reports.
 */
function finiteOrLost(latencyMs: number | null): number | null {
  return latencyMs !== null && Number.isFinite(latencyMs) ? latencyMs : null;
}

/** Signals (Ctrl-C, SIGTERM) are handled between event-loop turns: give them one. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

type Timeline = ReturnType<typeof nodeTimeline>;

interface NodeState {
  history: number[];
  lastResponseMs: number | null;
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
  });
  const progress: Progress = { rounds: [], samplesTrained: 0 };
  try {
    return await runRounds(options, engine, progress);
  } catch (error) {
    if (!(error instanceof RoundDiverged)) throw error;
    // the rounds before the one that diverged are kept (issue 6)
    const diverged: Divergence = { round: error.round, node: error.node, kind: error.kind, message: error.message };
    return { ...strategyRun(options, progress), diverged };
  } finally {
    engine.dispose();
  }
}

/** The finished rounds so far; kept outside runRounds so that a divergence loses none. */
interface Progress {
  rounds: RoundRecord[];
  samplesTrained: number;
}

function strategyRun(options: StrategyRunOptions, progress: Progress): StrategyRun {
  const { rounds, samplesTrained } = progress;
  return { strategy: options.strategy, backend: options.backend, rounds, summary: summarise(rounds, samplesTrained, options.scenario.targetAccuracy) };
}

async function runRounds(options: StrategyRunOptions, engine: TrainEngine, progress: Progress): Promise<StrategyRun> {
  const { scenario, strategy, prepared, latency } = options;
  const { s1, s2, s3, s4 } = scenario.pipeline;
  const { cluster, model } = scenario;
  const nodes = cluster.nodes;
  const cursors = makeCursors(prepared, scenario.seed);
  const states: NodeState[] = nodes.map(() => ({ history: [], lastResponseMs: null }));
  const bytes = modelBytes(engine.paramCount);
  const transfer = nodes.map((node) => transferMs(bytes, node.bandwidthBps));
  const clock = new SimClock(0);
  const { rounds } = progress;
  let lastEval = await engine.evaluate();
  const gridMs = finestGridMs(s1.intervalMs, cluster.latencyResolutionMs);
  const chained = nodes.map((node) => hasBurst(node.latency));
  const reachMs = chainReachMs(-s1.windowMs, cluster.latencyResolutionMs);
  /** A time a node's latency is asked at must be addressable, and reachable by its burst chain. */
  const checkTime = (i: number, t: number, round: number, what: string): void => {
    const id = nodes[i]!.id;
    if (!isAddressableTimeMs(t, gridMs)) {
      throw new RoundDiverged('sim.nonFiniteTime', round, id, `node ${id}'s ${what} in round ${round} would be at ${shortNumber(t)} ms, too far for a latency grid of ${gridMs} ms`, TIME_HINT);
    }
    if (chained[i] && t > reachMs) {
      throw new RoundDiverged('sim.nonFiniteTime', round, id, `node ${id}'s burst latency chain would need more than 2^28 grid slots to reach ${shortNumber(t)} ms in round ${round} (a coarser cluster.latencyResolutionMs needs fewer)`, TIME_HINT);
    }
  };

  for (let round = 1; round <= scenario.rounds; round++) {
    if (options.shouldStop !== undefined) {
      await nextTurn();
      if (options.shouldStop()) return { ...strategyRun(options, progress), interrupted: true };
    }
    const startMs = clock.nowMs;
    if (!isAddressableTimeMs(startMs, gridMs)) {
      throw new RoundDiverged('sim.nonFiniteTime', round, null, `simulated time reached ${shortNumber(startMs)} ms at the start of round ${round}, too far for a latency grid of ${gridMs} ms`, TIME_HINT);
    }
    const sampleTimes = windowSampleTimesMs(startMs, s1);
    nodes.forEach((_, i) => checkTime(i, startMs, round, 'S1 window'));
    const samplesMs = latency.map((process) => sampleTimes.map((t) => finiteOrLost(process.at(t))));
    const plans = planRound({
      nodes,
      samplesMs,
      lastResponseMs: states.map((state) => state.lastResponseMs),
      strategy,
      s1,
      s2,
      s3,
    });
    const deadlineMs = cluster.roundTimeoutMs === null ? null : startMs + cluster.roundTimeoutMs;
    const timelines: Array<Timeline | null> = plans.map((plan, i) =>
      plan.batch > 0
        ? nodeTimeline({
            startMs,
            latencyAt: (t: number) => {
              checkTime(i, t, round, 'transfer');
              return finiteOrLost(latency[i]!.at(t));
            },
            transferMs: transfer[i]!,
            stepMs: stepTimeOf(plan, nodes[i]!),
            localSteps: model.localSteps,
            retryMs: cluster.retryMs,
            maxRetries: cluster.maxRetries,
            deadlineMs,
          })
        : null,
    );
    const participants = timelines.flatMap((timeline, i) => (timeline?.outcome === 'finished' ? [i] : []));
    for (const i of participants) {
      const finishMs = finishOf(timelines[i]!);
      checkTime(i, finishMs, round, 'upload arrival');
    }

    const weights = new Map<number, number>();
    const norms = new Map<number, number>();
    const volatilities = new Map<number, number | null>();
    let endMs: number;
    let skipped = false;
    if (participants.length === 0) {
      skipped = true;
      endMs = startMs + s1.windowMs;
    } else {
      const tasks: EngineTask[] = participants.map((i) => ({
        stepBatches: Array.from({ length: model.localSteps }, () => cursors[i]!.next(plans[i]!.batch)),
      }));
      const gradNorms = await trainOrExplain(engine, tasks, participants, round, nodes.map((n) => n.id));
      participants.forEach((i, k) => {
        norms.set(i, gradNorms[k]!);
        states[i]!.history = appendHistory(states[i]!.history, gradNorms[k]!, s4.window);
      });
      const aggregation = AGGREGATORS[strategy.aggregation]!(
        participants.map((i) => ({ gradNormHistory: states[i]!.history, sampleCount: prepared.sampleCounts[i]! })),
        s4,
      );
      participants.forEach((i, k) => {
        weights.set(i, aggregation.weights[k]!);
        volatilities.set(i, aggregation.volatilities[k] ?? null);
      });
      engine.aggregate(Float64Array.from(aggregation.weights));
      lastEval = await engine.evaluate();
      if (!Number.isFinite(lastEval.loss) || !Number.isFinite(lastEval.accuracy)) {
        // every local loss was finite, so the blame goes to the node with the largest update
        const worst = participants.reduce((a, b) => (gradNorms[participants.indexOf(b)]! > gradNorms[participants.indexOf(a)]! ? b : a));
        const norm = shortNumber(gradNorms[participants.indexOf(worst)]!);
        throw new RoundDiverged('train.nonFiniteLoss', round, nodes[worst]!.id, `training diverged in round ${round}: the aggregated model's test loss is ${lastEval.loss} (the largest update came from node ${nodes[worst]!.id}, ‖g‖ = ${norm})`, 'lower model.learningRate');
      }
      const droppedByDeadline = timelines.some((t) => t?.outcome === 'dropped' && t.reason === 'deadline');
      endMs = droppedByDeadline && deadlineMs !== null
        ? deadlineMs
        : maxOf(participants.map((i) => finishOf(timelines[i]!)));
      for (const i of participants) {
        states[i]!.lastResponseMs = stepTimeOf(plans[i]!, nodes[i]!);
        progress.samplesTrained += plans[i]!.batch * model.localSteps;
      }
    }
    clock.advanceTo(endMs, `end of round ${round}`);

    const record: RoundRecord = {
      round,
      startMs,
      endMs,
      skipped,
      loss: lastEval.loss,
      accuracy: lastEval.accuracy,
      nodes: plans.map((plan, i) =>
        nodeRecord(nodes[i]!.id, plan, timelines[i]!, {
          samplesMs: options.trace ? samplesMs[i]! : undefined,
          participated: weights.has(i),
          gradNorm: norms.get(i) ?? null,
          volatility: volatilities.get(i) ?? null,
          weight: weights.get(i) ?? 0,
        }),
      ),
    };
    rounds.push(record);
    options.onRound?.(record, strategy);
  }
  return strategyRun(options, progress);
}

/** The step time the plan's resources give this node (SPEC §2 compute model). */
function stepTimeOf(plan: NodePlan, node: Scenario['cluster']['nodes'][number]): number {
  return stepMs(node, plan.batch, plan.threads, plan.ioQueue);
}

function finishOf(timeline: Timeline): number {
  if (timeline.outcome !== 'finished') throw new Error('finishOf called on a dropped node');
  return timeline.finishMs;
}

async function trainOrExplain(
  engine: TrainEngine,
  tasks: EngineTask[],
  participants: number[],
  round: number,
  ids: string[],
): Promise<Float64Array> {
  try {
    return await engine.trainLocal(tasks);
  } catch (error) {
    if (isKnownError(error) && error.code === 'train.nonFiniteLoss') {
      const task = /task (\d+)/.exec(error.message);
      const node = task ? ids[participants[Number(task[1])]!] : undefined;
      throw new RoundDiverged(
        'train.nonFiniteLoss',
        round,
        node ?? null,
        node === undefined
          ? `training diverged in round ${round}: ${error.message}`
          : `training diverged in round ${round} on node ${node}: its local loss or parameters became non-finite`,
        'lower model.learningRate',
      );
    }
    throw error;
  }
}

interface Outcome {
  samplesMs: Array<number | null> | undefined;
  participated: boolean;
  gradNorm: number | null;
  volatility: number | null;
  weight: number;
}

function nodeRecord(id: string, plan: NodePlan, timeline: Timeline | null, outcome: Outcome): NodeRoundRecord {
  const finished = timeline?.outcome === 'finished' ? timeline : null;
  // One object shape for every record (no conditional spread): at 1,000 nodes these are the
  // loop's most frequent allocation. The JSON reporter fixes the key order itself.
  const record: NodeRoundRecord = {
    id,
    efficiency: plan.efficiency,
    effectiveMs: plan.effectiveMs,
    observedMs: plan.observedMs,
    // SPEC §4: nodes that did not take part report batch 0 and weight 0.
    batch: outcome.participated ? plan.batch : 0,
    plannedBatch: plan.batch,
    responseMs: plan.responseMs,
    pressure: plan.pressure,
    threads: plan.threads,
    ioQueue: plan.ioQueue,
    participated: outcome.participated,
    dropReason: timeline === null ? 'notDispatched' : timeline.outcome === 'dropped' ? timeline.reason : null,
    finishMs: finished === null ? null : finished.finishMs,
    downloadEndMs: timeline?.downloadEndMs ?? null,
    computeEndMs: timeline?.computeEndMs ?? null,
    gradNorm: outcome.gradNorm,
    volatility: outcome.volatility,
    weight: outcome.weight,
  };
  if (outcome.samplesMs !== undefined) record.samplesMs = outcome.samplesMs;
  return record;
}

function summarise(rounds: RoundRecord[], samplesTrained: number, target: number | null): RunSummary {
  const last = rounds[rounds.length - 1];
  const reached = target === null ? undefined : rounds.find((r) => !r.skipped && r.accuracy >= target);
  return {
    finalAccuracy: last?.accuracy ?? 0,
    bestAccuracy: rounds.reduce((best, r) => Math.max(best, r.accuracy), 0),
    simulatedMs: last?.endMs ?? 0,
    samplesTrained,
    timeToTargetMs: reached === undefined ? null : reached.endMs,
  };
}
