/**
 * What a run produces: plain data, no printing (SPEC §4). Field names are the JSON schema
 * version 1 public interface; reports read these records and nothing else.
 */
import type { Scenario, StrategySpec } from '../scenario/types.js';
import type { NodeTimeline } from './time-model.js';

export interface NodeRoundRecord {
  id: string;
  efficiency: number;
  effectiveMs: number;
  observedMs: number;
  /** the round's raw S1 samples (null = lost); only with --trace */
  samplesMs?: Array<number | null>;
  /** what the scheduler dispatched; 0 when the node did not take part */
  batch: number;
  /** S2's decision before participation is known (0 = not dispatched) */
  plannedBatch: number;
  responseMs: number | null;
  pressure: number;
  threads: number;
  ioQueue: number;
  participated: boolean;
  /** why a dispatched node did not take part */
  dropReason: 'notDispatched' | 'retries' | 'deadline' | null;
  /** when the upload arrived (null when the node did not take part) */
  finishMs: number | null;
  /** per-node timeline of a dispatched node (for reports): download end, compute end */
  downloadEndMs: number | null;
  computeEndMs: number | null;
  /** time model v2: when the server learnt the node was dropped (null unless dropped) */
  droppedAtMs?: number | null;
  /** from the round's start to the model's arrival, failed tries included; null if it did not arrive */
  downloadMs?: number | null;
  /** all local steps; null if they did not complete */
  computeMs?: number | null;
  /** from the end of the last step to the upload's arrival, failed tries included; null if it did not arrive */
  uploadMs?: number | null;
  gradNorm: number | null;
  /** S4's v_i as the aggregator returned it (a filled-in mean under `volatility`; see AggregatorOutput) */
  volatility: number | null;
  weight: number;
  /**
   * The node's round as events (tries, steps, arrival or drop), as the schedule made it; null
   * when not dispatched. Not part of the JSON: explain and the reports read it.
   */
  timeline?: NodeTimeline | null;
}

/** What the round's stages worked out on the way to their outputs, per node (explain shows it). */
export interface RoundWorking {
  batch: ReadonlyArray<Readonly<Record<string, number | string | null>>>;
  resources: ReadonlyArray<Readonly<Record<string, number | string | null>>>;
  /** the aggregation stage's, per node; null for a node that did not take part (absent: none took part, or the run keeps no node records) */
  aggregation?: ReadonlyArray<Readonly<Record<string, number | string | null>> | null>;
}

export interface RoundRecord {
  round: number;
  startMs: number;
  endMs: number;
  skipped: boolean;
  loss: number;
  accuracy: number;
  /** Σ batch over the participants */
  globalBatch?: number;
  /** 1 / Σ w_i² over the participants; 0 in a skipped round */
  effectiveParticipants?: number;
  nodes: NodeRoundRecord[];
  /** the stages' working; not part of the JSON */
  working?: RoundWorking;
}

export interface RunSummary {
  finalAccuracy: number;
  bestAccuracy: number;
  simulatedMs: number;
  samplesTrained: number;
  timeToTargetMs: number | null;
  /** host wall-clock time; only reported with --timing */
  wallMs?: number;
}

/**
 * Where a run stopped because a number became non-finite (a loss, a parameter, a simulated
 * time): the round that could not finish and the node, when one is to blame. The rounds
 * before it are kept.
 */
export interface Divergence {
  round: number;
  node: string | null;
  /** what became non-finite: the model (`training`: a loss or a parameter) or the clock (`time`) */
  kind: 'training' | 'time';
  message: string;
  /** what to change, where the phase that found it knows better than its kind does */
  hint?: string;
}

export interface StrategyRun {
  strategy: StrategySpec;
  backend: string;
  rounds: RoundRecord[];
  summary: RunSummary;
  /** present when the run was stopped (Ctrl-C / SIGTERM) before its last round */
  interrupted?: true;
  /** present when the run diverged; `rounds` holds the rounds before it */
  diverged?: Divergence;
}

/**
 * What every strategy of a run shares beyond the scenario: the model's size and each node's
 * transfer time and training samples. explain reads it instead of rebuilding the training set.
 */
export interface RunSetting {
  paramCount: number;
  /** bytes of one model copy on the wire */
  modelBytes: number;
  /** per node (scenario order): one model transfer, ms */
  transferMs: number[];
  /** per node: training samples (FedAvg's weights) */
  sampleCounts: number[];
}

export interface RunResult {
  scenario: Scenario;
  /** absent only in hand-made results (tests) */
  setting?: RunSetting;
  runs: StrategyRun[];
  /**
   * a run was stopped early; later strategies were not started (none, `runs` empty, when it was
   * stopped while the data was prepared: RunOptions.shouldStopSetup)
   */
  interrupted?: true;
  /** a run diverged; later strategies were not started */
  diverged?: Divergence & { strategy: string };
}
