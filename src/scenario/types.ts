/**
 * The resolved scenario: what `loadScenario` returns after validation, unit conversion,
 * defaults, `count` expansion and file reading. Every consumer (latency, pipeline, training,
 * reports) reads this, never the raw YAML. All times are ms, bandwidths bits/s.
 */
import type { S1Config } from '../pipeline/s1-efficiency.js';
import type { S2Config } from '../pipeline/s2-batch-size.js';
import type { S3Config } from '../pipeline/s3-resources.js';
import type { S4Config } from '../pipeline/s4-aggregation.js';
import type { Dataset } from './dataset-csv.js';
import type { StrategySpec } from '../pipeline/stage-registry.js';

/**
 * A trace's samples as two columns, sample k at index k: a week of 1 Hz samples a node is
 * millions of them, and an object each took ~54 bytes of heap where the columns take 16. Plain
 * typed arrays, so that the scenario structured-clones to a worker as it is.
 */
export interface TraceSamples {
  /** relative to the first sample (0), or simulated times when a CSV starts below 0 */
  timesMs: Float64Array;
  /** NaN = lost */
  latenciesMs: Float64Array;
}

export type LatencyProcess =
  | { kind: 'constant'; valueMs: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'normal'; meanMs: number; stdMs: number }
  | { kind: 'lognormal'; medianMs: number; sigma: number }
  | { kind: 'spikes'; baseMs: number; spikeMs: number; probability: number }
  | { kind: 'burst'; goodMs: number; badMs: number; toBad: number; toGood: number }
  | { kind: 'periodic'; baseMs: number; amplitudeMs: number; periodMs: number }
  | { kind: 'trace'; file: string; loop: boolean; samples: TraceSamples }
  | { kind: 'phases'; phases: LatencyPhase[] };

/** A phase holds while `t < untilMs`; the last phase has `untilMs: null` (forever). */
export interface LatencyPhase {
  untilMs: number | null;
  latency: LatencySpec;
}

export interface DownInterval {
  fromMs: number;
  toMs: number;
}

/** A latency process plus its modifiers (SPEC §3): `loss` probability, `down` intervals. */
export interface LatencySpec {
  process: LatencyProcess;
  loss: number;
  down: DownInterval[];
}

export interface NodeSpec {
  id: string;
  latency: LatencySpec;
  cores: number;
  msPerSample: number;
  parallelFraction: number;
  ioMsPerBatch: number;
  bandwidthBps: number;
  /** fraction of the node's training labels replaced by a random other class */
  labelNoise: number;
  /** relative share of the training data (default 1 = equal) */
  dataShare: number;
  /**
   * Compute slowdown over simulated time (time model v2): a process with the latency syntax
   * whose value at a step's start multiplies that step's time; absent or null = none.
   */
  slowdown?: LatencySpec | null;
  /** serial cost of every local step, ms (time model v2; default 0) */
  stepOverheadMs?: number;
}

export type BuiltinDatasetName = 'iris' | 'wine' | 'breast_cancer' | 'digits';

export type DatasetSpec =
  | { kind: 'builtin'; name: BuiltinDatasetName }
  | { kind: 'blobs'; samples: number; features: number; classes: number; spread: number }
  /**
   * A user CSV, read once when the scenario is loaded: `parsed` is its content, `sha256` the
   * hash of the same bytes (the scenario hash uses it); `file` is kept for messages and reports.
   */
  | { kind: 'csv'; file: string; sha256: string; parsed: Dataset };

export type PartitionSpec =
  | { kind: 'iid' }
  | { kind: 'dirichlet'; alpha: number }
  | { kind: 'shards'; shards: number };

// stage names are the stage registry's, checked against it when the scenario is read
export type { StrategySpec } from '../pipeline/stage-registry.js';

export interface ModelSpec {
  /** hidden layer widths; [] = softmax regression */
  hidden: number[];
  learningRate: number;
  localSteps: number;
  /** bytes of one model copy on the wire per direction; absent or null = 4 × the parameter count */
  transferBytes?: number | null;
}

export interface ClusterSpec {
  retryMs: number;
  maxRetries: number;
  /** per-round deadline; null = none */
  roundTimeoutMs: number | null;
  /** latency grid slot width: `latencyResolutionMs` if set, else `s1.intervalMs` */
  latencyResolutionMs: number;
  /** the server's link, shared per direction by every node's transfers; absent or null = unlimited */
  server?: { bandwidthBps: number } | null;
  nodes: NodeSpec[];
}

export interface Scenario {
  name: string;
  description: string;
  seed: number;
  rounds: number;
  /** accuracy that defines `timeToTargetMs`; null = none */
  targetAccuracy: number | null;
  strategies: StrategySpec[];
  data: { dataset: DatasetSpec; testFraction: number; partition: PartitionSpec };
  model: ModelSpec;
  pipeline: { s1: S1Config; s2: S2Config; s3: S3Config; s4: S4Config };
  cluster: ClusterSpec;
  /** the scenario file as the user named it (null when built in memory) */
  file: string | null;
}
