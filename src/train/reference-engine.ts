/**
 * The reference engine: the straightforward per-node implementation of SPEC §2 S4 local
 * training, kept simple on purpose so that it can serve as the correctness oracle for the
 * fast engine.
 *
 * Model: dense layers, ReLU between them, softmax output (hidden [] = softmax regression).
 * Loss: mean softmax cross-entropy over the step's batch. Each task copies θ_t, and for each
 * of its step batches takes one plain SGD step θ ← θ − lr·∇L computed by autodiff
 * (tf.valueAndGrads); the final θ_i is read back into JS.
 *
 * In JS, in float64: ‖g_i‖₂ = ‖(θ_t − θ_i) / (lr · localSteps)‖₂ over all parameters (the
 * float32 parameters widened, so the norm itself adds no rounding), and the aggregate
 * Σ w_i θ_i (rounded once to float32). Loss values are read with `await data()` after every
 * step; a non-finite loss or final parameter raises `train.nonFiniteLoss`.
 */
import { currentBackend, initBackend, loadGradients, loadTf, type Tf } from './backend.js';
import { nonFiniteLoss, type EngineFactory, type EngineOptions, type EngineTask, type EngineTasks, type EvalResult, type TrainEngine } from './engine.js';
import { paramShapes } from './params.js';

type Tensor = import('@tensorflow/tfjs-core').Tensor;

/** Logits of `x` under `params` = [W1, b1, …]: ReLU after every layer but the last. */
function forward(tf: Tf, params: readonly Tensor[], x: Tensor): Tensor {
  let h = x;
  for (let l = 0; l < params.length; l += 2) {
    const z = tf.add(tf.matMul(h, params[l]!), params[l + 1]!);
    h = l + 2 < params.length ? tf.relu(z) : z;
  }
  return h;
}

/**
 * Mean over the batch of −log softmax(logits)[label]. The one-hot is built as int32 and cast:
 * the wasm OneHot kernel ignores a float32 `dtype` and writes int32 bits (tfjs 4.22).
 */
function meanCrossEntropy(tf: Tf, logits: Tensor, labels: Tensor, classCount: number): Tensor {
  const oneHot = tf.cast(tf.oneHot(labels, classCount), 'float32');
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)));
}

class ReferenceEngine implements TrainEngine {
  readonly backend: string;
  readonly paramCount: number;
  private global: Float32Array[];
  private globalTensors: Tensor[];
  private locals: Float32Array[][] | null = null;
  private readonly trainX: Tensor;
  private readonly trainY: Tensor;
  private readonly testX: Tensor;
  private readonly testY: Tensor;
  private readonly shapes: number[][];

  constructor(private readonly tf: Tf, private readonly options: EngineOptions) {
    const { train, test, hidden, initialParams } = options;
    const shapes = paramShapes(train.featureCount, hidden, train.classCount);
    if (shapes.length !== initialParams.length || shapes.some((s, j) => s.reduce((a, b) => a * b, 1) !== initialParams[j]!.length)) {
      throw new Error(`initialParams do not match the shapes ${JSON.stringify(shapes)}`);
    }
    this.shapes = shapes;
    this.backend = tf.getBackend();
    this.paramCount = initialParams.reduce((sum, p) => sum + p.length, 0);
    this.global = initialParams.map((p) => Float32Array.from(p));
    this.globalTensors = this.toTensors(this.global);
    this.trainX = tf.tensor2d(train.features, [train.samples, train.featureCount]);
    this.trainY = tf.tensor1d(train.labels, 'int32');
    this.testX = tf.tensor2d(test.features, [test.samples, test.featureCount]);
    this.testY = tf.tensor1d(test.labels, 'int32');
  }

  private toTensors(values: Float32Array[]): Tensor[] {
    return values.map((v, j) => this.tf.tensor(v, this.shapes[j]!, 'float32'));
  }

  /** One task: SGD steps from θ_t, returning θ_i as JS arrays. */
  private async trainTask(task: EngineTask, index: number): Promise<Float32Array[]> {
    const { tf } = this;
    const { learningRate, train } = this.options;
    let params = this.globalTensors.map((t) => t.clone());
    try {
      for (const batch of task.stepBatches) {
        if (batch.length === 0) throw new Error(`task ${index} has an empty step batch`);
        const [loss, ...next] = tf.tidy(() => {
          const indices = tf.tensor1d(batch, 'int32');
          const x = tf.gather(this.trainX, indices);
          const y = tf.gather(this.trainY, indices);
          const lossOf = (...p: Tensor[]): Tensor => meanCrossEntropy(tf, forward(tf, p, x), y, train.classCount);
          const { value, grads } = tf.valueAndGrads(lossOf)(params);
          return [value, ...params.map((p, j) => tf.sub(p, tf.mul(grads[j]!, learningRate)))];
        });
        tf.dispose(params);
        params = next;
        const lossValue = (await loss!.data())[0]!;
        loss!.dispose();
        if (!Number.isFinite(lossValue)) throw nonFiniteLoss(index);
      }
      const values = await Promise.all(params.map((p) => p.data()));
      return values.map((v) => new Float32Array(v as Float32Array));
    } finally {
      tf.dispose(params);
    }
  }

  /** ‖(θ_t − θ_i) / (lr · localSteps)‖₂ in float64; NaN when θ_i is not finite. */
  private gradNorm(local: Float32Array[]): number {
    const scale = this.options.learningRate * this.options.localSteps;
    let squares = 0;
    local.forEach((layer, j) => {
      const start = this.global[j]!;
      for (let k = 0; k < layer.length; k++) squares += ((start[k]! - layer[k]!) / scale) ** 2;
    });
    return Math.sqrt(squares);
  }

  async trainLocal(tasks: EngineTasks): Promise<Float64Array> {
    this.locals = null;
    const locals: Float32Array[][] = [];
    const norms = new Float64Array(tasks.count);
    for (let i = 0; i < tasks.count; i++) {
      const local = await this.trainTask(tasks.task(i), i);
      norms[i] = this.gradNorm(local);
      if (!Number.isFinite(norms[i]!)) throw nonFiniteLoss(i);
      locals.push(local);
    }
    this.locals = locals;
    return norms;
  }

  aggregate(weights: Float64Array): void {
    const locals = this.locals;
    if (locals === null) throw new Error('aggregate() called without a preceding trainLocal()');
    if (weights.length !== locals.length) throw new Error(`aggregate() got ${weights.length} weights for ${locals.length} tasks`);
    this.global = this.global.map((layer, j) => {
      const sum = new Float64Array(layer.length);
      locals.forEach((local, i) => {
        const w = weights[i]!;
        const values = local[j]!;
        for (let k = 0; k < sum.length; k++) sum[k]! += w * values[k]!;
      });
      return Float32Array.from(sum);
    });
    this.tf.dispose(this.globalTensors);
    this.globalTensors = this.toTensors(this.global);
    this.locals = null;
  }

  discardLocal(): void {
    this.locals = null;
  }

  async evaluate(): Promise<EvalResult> {
    const { tf } = this;
    const [loss, correct] = tf.tidy(() => {
      const logits = forward(tf, this.globalTensors, this.testX);
      const hits = tf.cast(tf.equal(tf.argMax(logits, 1), this.testY), 'float32');
      return [meanCrossEntropy(tf, logits, this.testY, this.options.test.classCount), tf.sum(hits)];
    });
    try {
      const [lossValue, correctValue] = await Promise.all([loss!.data(), correct!.data()]);
      // the count is exact in float32; dividing it in JS keeps the accuracy the exact fraction
      // the fast engine reports (tf.mean would round 27/30 to float32's 0.89999998, which moves
      // the round at which targetAccuracy is reached)
      return { loss: lossValue[0]!, accuracy: correctValue[0]! / this.options.test.samples };
    } finally {
      tf.dispose([loss!, correct!]);
    }
  }

  getParams(): Float32Array[] {
    return this.global.map((p) => Float32Array.from(p));
  }

  dispose(): void {
    this.tf.dispose([...this.globalTensors, this.trainX, this.trainY, this.testX, this.testY]);
    this.globalTensors = [];
    this.locals = null;
  }
}

/** Uses the backend chosen by `initBackend` (or chooses `auto` if none was chosen yet). */
export const createReferenceEngine: EngineFactory = async (options) => {
  const tf = await loadTf();
  await loadGradients();
  if (currentBackend() === null) await initBackend('auto');
  return new ReferenceEngine(tf, options);
};
