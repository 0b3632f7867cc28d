/**
 * Records passed into and out of the pipeline (SPEC §2). Plain data: the round loop builds the
 * inputs from the scenario and the latency processes, and copies NodePlan fields into the run
 * records (src/sim/records.ts).
 */
import type { SampleWindows } from './sample-windows.js';
import type { S1Config } from './s1-efficiency.js';
import type { ResolvedStages, StageWorking } from './stage-registry.js';
import type { S2Config } from './s2-batch-size.js';
import type { S3Config } from './s3-resources.js';
import type { VolatilityKind } from './s4-aggregation.js';

/** What planRound needs to know about a node itself: its cores (S3's upper bound) and its link. */
export interface PlanNode {
  cores: number;
  /** the node's own link, bits per second (the `balanced` batch stage predicts transfers with it) */
  bandwidthBps: number;
}

/**
 * The step time node `i` would have at `batch` with `threads` and `ioQueue`: the host's time
 * model, passed in so that the method's stages do not depend on how time is simulated.
 */
export type StepTimeEstimator = (nodeIndex: number, batch: number, threads: number, ioQueue: number) => number;

export interface PlanRoundInput {
  nodes: readonly PlanNode[];
  /**
   * per node (same order as `nodes`): the round's S1 window samples, null = lost; or all the
   * windows in one column (the round loop's form, sample-windows.ts)
   */
  samplesMs: ReadonlyArray<ReadonlyArray<number | null>> | SampleWindows;
  /** per node: mean local-step time in the last round it took part in; null = never */
  lastResponseMs: ReadonlyArray<number | null>;
  /** per node: its batch in that same round; null = never */
  lastBatch: ReadonlyArray<number | null>;
  /** bytes of one model copy on the wire per direction (model.transferBytes, else 4 × parameters) */
  transferBytes: number;
  /** local SGD steps per round */
  localSteps: number;
  /** S3's response time before a node's first round: its step time with the base allocation */
  stepMsOf: StepTimeEstimator;
  /** the strategy's batch and resources stages, from the stage registry */
  stages: Pick<ResolvedStages, 'batch' | 'resources'>;
  s1: S1Config;
  s2: S2Config;
  s3: S3Config;
  /** false: the stages' working is not kept (the stages are told, and their answer's is dropped); default true */
  working?: boolean;
}

/** One node's plan for the round: S1 → S2 → S3 outputs. batch 0 = not dispatched. */
export interface NodePlan {
  efficiency: number;
  effectiveMs: number;
  observedMs: number;
  batch: number;
  /** the response time S3 used (or, when not dispatched, the last one known; null = none) */
  responseMs: number | null;
  pressure: number;
  threads: number;
  ioQueue: number;
}

/** One participant of an S4 aggregation. */
export interface AggregatorInput {
  /** gradient-norm history, oldest first, including this round's norm */
  gradNormHistory: readonly number[];
  /** the node's number of training samples (FedAvg weight) */
  sampleCount: number;
  /** the node's batch this round */
  batch: number;
  /** local SGD steps this round (batch × localSteps = samples it trained) */
  localSteps: number;
}

/**
 * The participants of an S4 aggregation as columns, `k` being a participant's place in the
 * round's order: what AggregatorInput holds, without an object or an array per participant.
 * The built-in aggregation stages weigh from these (aggregator-columns.ts).
 */
export interface AggregatorColumns {
  readonly count: number;
  /** its number of training samples (FedAvg weight) */
  sampleCount(k: number): number;
  /** its batch this round */
  batch(k: number): number;
  /** local SGD steps this round */
  localSteps(k: number): number;
  /** volatilityOf its gradient-norm history, this round's norm included (null with fewer than 2 norms) */
  volatility(k: number, kind: VolatilityKind): number | null;
}

export interface AggregatorOutput {
  /** one per participant, same order, summing to 1 */
  weights: number[];
  /**
   * one per participant: under `volatility` the value its weight was computed from (a node
   * with too few norms gets the mean of the others'; null only when no participant has
   * enough history); under `mean` / `samples` its own (null = not enough history)
   */
  volatilities: Array<number | null>;
  /** one per participant: how the stage got its weight (explain renders it) */
  working: StageWorking[];
}
