/**
 * One strategy's rounds on the simulated clock (SPEC §2, per round t): S1 samples of the
 * observation window → plan (S1→S2→S3) → per-node timelines (download, local steps, upload,
 * retries, deadline) → local training of the participants → S4 weights → aggregation →
 * evaluation. Returns plain records; no printing.
 */
import { DtrainError, isKnownError } from '../errors.js';
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
import type { NodeRoundRecord, RoundRecord, RunSummary, StrategyRun } from './records.js';
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
  try {
    return await runRounds(options, engine);
  } finally {
    engine.dispose();
  }
}

async function runRounds(options: StrategyRunOptions, engine: TrainEngine): Promise<StrategyRun> {
  const { scenario, strategy, prepared, latency } = options;
  const { s1, s2, s3, s4 } = scenario.pipeline;
  const { cluster, model } = scenario;
  const nodes = cluster.nodes;
  const cursors = makeCursors(prepared, scenario.seed);
  const states: NodeState[] = nodes.map(() => ({ history: [], lastResponseMs: null }));
  const bytes = modelBytes(engine.paramCount);
  const transfer = nodes.map((node) => transferMs(bytes, node.bandwidthBps));
  const clock = new SimClock(0);
  const rounds: RoundRecord[] = [];
  let lastEval = await engine.evaluate();
  let samplesTrained = 0;

  for (let round = 1; round <= scenario.rounds; round++) {
    const startMs = clock.nowMs;
    const sampleTimes = windowSampleTimesMs(startMs, s1);
    const samplesMs = latency.map((process) => sampleTimes.map((t) => process.at(t)));
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
            latencyAt: (t: number) => latency[i]!.at(t),
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
      const droppedByDeadline = timelines.some((t) => t?.outcome === 'dropped' && t.reason === 'deadline');
      endMs = droppedByDeadline && deadlineMs !== null
        ? deadlineMs
        : Math.max(...participants.map((i) => finishOf(timelines[i]!)));
      for (const i of participants) {
        states[i]!.lastResponseMs = stepTimeOf(plans[i]!, nodes[i]!);
        samplesTrained += plans[i]!.batch * model.localSteps;
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
  return { strategy, backend: options.backend, rounds, summary: summarise(rounds, samplesTrained, scenario.targetAccuracy) };
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
      throw new DtrainError(
        'train.nonFiniteLoss',
        `training diverged in round ${round}${node === undefined ? '' : ` on node ${node}`}: ${error.message}`,
        { exitCode: 1, hint: 'lower model.learningRate' },
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
  return {
    id,
    efficiency: plan.efficiency,
    effectiveMs: plan.effectiveMs,
    observedMs: plan.observedMs,
    ...(outcome.samplesMs === undefined ? {} : { samplesMs: outcome.samplesMs }),
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
