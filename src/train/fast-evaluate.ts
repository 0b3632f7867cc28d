/**
 * Loss and accuracy of the global parameters on the test split (SPEC §2 S4: "after
 * aggregation the global model is evaluated"): mean softmax cross-entropy, and the share of
 * samples whose largest logit is the label. The test tensors are uploaded once.
 */
import type { Tf } from './backend.js';
import type { EngineData, EvalResult } from './engine.js';
import { forwardMlp } from './fast-forward.js';
import type { ModelLayout } from './fast-layout.js';

type Tensor = import('@tensorflow/tfjs-core').Tensor;
type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

export class TestSet {
  private readonly x: Tensor2D | null;
  private readonly targets: Tensor2D | null;
  private readonly labels: Tensor | null;

  constructor(private readonly tf: Tf, data: EngineData) {
    if (data.samples === 0) {
      this.x = this.targets = this.labels = null;
      return;
    }
    // one-hot built in JS: the wasm OneHot kernel of tfjs 4.22 ignores a float32 dtype
    const targets = new Float32Array(data.samples * data.classCount);
    data.labels.forEach((label, s) => (targets[s * data.classCount + label] = 1));
    this.x = tf.tensor2d(data.features, [data.samples, data.featureCount]);
    this.targets = tf.tensor2d(targets, [data.samples, data.classCount]);
    this.labels = tf.tensor1d(data.labels, 'int32');
  }

  /** NaN for both figures when the test split is empty. */
  async evaluate(layout: ModelLayout, theta: Float32Array): Promise<EvalResult> {
    const { tf, x, targets, labels } = this;
    if (x === null || targets === null || labels === null) return { loss: Number.NaN, accuracy: Number.NaN };
    const totals = tf.tidy(() => {
      const { logits } = forwardMlp(tf, layout, theta, x);
      const loss = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits))));
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
      return tf.stack([loss, correct]);
    });
    try {
      // averaged in JS, so that the accuracy is an exact fraction of the test samples
      const [loss, correct] = await totals.data();
      return { loss: loss! / x.shape[0], accuracy: correct! / x.shape[0] };
    } finally {
      totals.dispose();
    }
  }

  dispose(): void {
    this.tf.dispose([this.x, this.targets, this.labels].filter((t): t is Tensor => t !== null));
  }
}
