/**
 * The training engine contract: the simulator asks for local training of the participating
 * nodes, reads their pseudo-gradient norms (S4 needs them before it can weigh), then asks for
 * the weighted aggregate. Parameters live inside the engine; the loop sees only numbers.
 */

import { DtrainError } from '../errors.js';

/**
 * Every engine fails alike on a non-finite loss or parameter, naming the task by its index as
 * a field (null when no single task is to blame); the round loop turns it into the node's id.
 */
export class NonFiniteLoss extends DtrainError {
  constructor(readonly task: number | null) {
    super('train.nonFiniteLoss', `non-finite loss in local training${task === null ? '' : ` (task ${task})`}`, {
      exitCode: 1,
      hint: 'lower model.learningRate',
    });
  }
}

export function nonFiniteLoss(task: number | null): NonFiniteLoss {
  return new NonFiniteLoss(task);
}

export function isNonFiniteLoss(error: unknown): error is NonFiniteLoss {
  return error instanceof NonFiniteLoss;
}

import type { EngineTasks } from './engine-tasks.js';

export { EngineTasks, type EngineTask, type PackedTasks } from './engine-tasks.js';

export interface EvalResult {
  loss: number;
  accuracy: number;
}

export interface TrainEngine {
  readonly backend: string;
  readonly paramCount: number;
  /**
   * Every task trains its own copy of the current global parameters θ_t for
   * `tasks.steps` plain SGD steps, one per batch (mean softmax cross-entropy over the batch).
   * Returns ‖g_i‖₂ per task, g_i = (θ_t − θ_i) / (lr · localSteps) (SPEC §2 S4).
   * Throws DtrainError('train.nonFiniteLoss') naming the task index when a loss or a
   * parameter becomes non-finite.
   */
  trainLocal(tasks: EngineTasks): Promise<Float64Array>;
  /** θ_{t+1} = Σ w_i θ_i over the tasks of the last `trainLocal` (weights sum to 1). */
  aggregate(weights: Float64Array): void;
  /** Forget the last `trainLocal` (θ unchanged). */
  discardLocal(): void;
  /** Loss and accuracy of the global model on the test split. */
  evaluate(): Promise<EvalResult>;
  /** Copy of the global parameters, layer by layer [W1, b1, W2, b2, …] (tests, checks). */
  getParams(): Float32Array[];
  /** Free every tensor the engine owns. */
  dispose(): void;
}

/** The training data an engine sees: standardised features, labels (label noise applied). */
export interface EngineData {
  /** row-major samples × featureCount */
  features: Float32Array;
  labels: Int32Array;
  samples: number;
  featureCount: number;
  classCount: number;
}

export interface EngineOptions {
  train: EngineData;
  test: EngineData;
  /** hidden layer widths (ReLU); [] = softmax regression */
  hidden: number[];
  learningRate: number;
  localSteps: number;
  /**
   * Initial global parameters, layer by layer: W1 (in × h1, row-major, as a tfjs Dense kernel),
   * b1 (h1), W2 (h1 × h2), b2, …, W_last (h_last × classes), b_last.
   */
  initialParams: Float32Array[];
  /**
   * Keep a round's input tensors until the next round and reuse them when that round's
   * batches are identical (fixed batches, as in the benchmark workload, whose peers also
   * upload their data once). Off by default: the simulator's batches change every round,
   * and the live tensor count must be the same after every round.
   */
  keepBatches?: boolean;
  /**
   * The most tasks a round can hold (the cluster's nodes), when known. An engine may make room
   * for such a round as it starts rather than in its first round: memory written for the first
   * time is slow on some machines (about 10 µs a 4 KiB page on the virtual machines measured,
   * so some 0.1 s for the per-node updates of 16,384 nodes), and a run starts its engine while
   * the host's helper thread is still simulating round 1.
   */
  maxTasks?: number;
}

export type EngineFactory = (options: EngineOptions) => Promise<TrainEngine>;
