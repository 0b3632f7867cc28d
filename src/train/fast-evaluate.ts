/**
 * Loss and accuracy of the global parameters on the test split (SPEC §2 S4: "after
 * aggregation the global model is evaluated"): mean softmax cross-entropy, and the share of
 * samples whose largest logit is the label. The targets and labels are uploaded once.
 *
 * With the engine's gradient kernel, the logits are computed by it, the test rows read where
 * they lie a chunk at a time (the bits of tf.fused.matMul with bias and ReLU, as in a step-1
 * pass), and only they go to tfjs: the test rows are not uploaded, nor their activations made
 * in tfjs's memory, which never shrinks (at 200,000 test rows of 256 features and a hidden layer
 * of 128, 300 MB). Without it, tfjs computes the forward from the rows uploaded once.
 */
import type { Tf } from './backend.js';
import type { EngineData, EvalResult } from './engine.js';
import { forwardMlp } from './fast-forward.js';
import type { ModelLayout } from './fast-layout.js';
import type { GradientKernel } from './kernels/gradient-kernel.js';

type Tensor = import('@tensorflow/tfjs-core').Tensor;
type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

/** Test rows a chunk of the kernel's forward: their activations are a few megabytes. */
const KERNEL_CHUNK_ROWS = 4096;

/**
 * θ's [samples, classes] logits on `data`'s rows into `out`, by the kernel a chunk of rows at a
 * time (θ placed in its memory once): the bits of forwardMlp's.
 */
export function logitsByKernel(kernel: GradientKernel, layout: ModelLayout, theta: Float32Array, data: EngineData, out: Float32Array): Float32Array {
  const { features, samples, featureCount } = data;
  const layers = layout.layers;
  const classes = layers[layers.length - 1]!.outputs;
  const most = Math.min(KERNEL_CHUNK_ROWS, samples);
  // θ, a chunk's rows, each layer's output
  const { views } = kernel.arrays([theta.length, most * featureCount, ...layers.map((slot) => most * slot.outputs)]);
  const [params, inputs] = views as [Float32Array, Float32Array];
  const outputs = views.slice(2);
  params.set(theta);
  for (let from = 0; from < samples; from += KERNEL_CHUNK_ROWS) {
    const rows = Math.min(KERNEL_CHUNK_ROWS, samples - from);
    inputs.set(features.subarray(from * featureCount, (from + rows) * featureCount));
    kernel.forward(layers, params, inputs, rows, outputs);
    out.set(outputs[outputs.length - 1]!.subarray(0, rows * classes), from * classes);
  }
  return out;
}

export class TestSet {
  /** the test rows in tfjs's memory, when tfjs computes the forward */
  private readonly x: Tensor2D | null;
  private readonly targets: Tensor2D | null;
  private readonly labels: Tensor | null;
  /** the logits the kernel writes, reused from round to round */
  private logits: Float32Array | null = null;

  constructor(private readonly tf: Tf, private readonly data: EngineData, private readonly kernel: GradientKernel | null = null) {
    if (data.samples === 0) {
      this.x = this.targets = this.labels = null;
      return;
    }
    // one-hot built in JS: the wasm OneHot kernel of tfjs 4.22 ignores a float32 dtype
    const targets = new Float32Array(data.samples * data.classCount);
    data.labels.forEach((label, s) => (targets[s * data.classCount + label] = 1));
    this.x = kernel === null ? tf.tensor2d(data.features, [data.samples, data.featureCount]) : null;
    this.targets = tf.tensor2d(targets, [data.samples, data.classCount]);
    this.labels = tf.tensor1d(data.labels, 'int32');
  }

  /** NaN for both figures when the test split is empty. */
  async evaluate(layout: ModelLayout, theta: Float32Array): Promise<EvalResult> {
    const { tf, x, targets, labels, kernel } = this;
    if (targets === null || labels === null) return { loss: Number.NaN, accuracy: Number.NaN };
    const samples = this.data.samples;
    const totals = tf.tidy(() => {
      const logits = kernel !== null
        ? tf.tensor2d(logitsByKernel(kernel, layout, theta, this.data, (this.logits ??= new Float32Array(targets.size))), targets.shape)
        : forwardMlp(tf, layout, theta, x!).logits;
      const loss = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits))));
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
      return tf.stack([loss, correct]);
    });
    try {
      // averaged in JS, so that the accuracy is an exact fraction of the test samples
      const [loss, correct] = await totals.data();
      return { loss: loss! / samples, accuracy: correct! / samples };
    } finally {
      totals.dispose();
    }
  }

  dispose(): void {
    this.tf.dispose([this.x, this.targets, this.labels].filter((t): t is Tensor => t !== null));
  }
}
