/**
 * Contender `tfjs-naive`: the per-node loop a TF.js user writes by hand (PERF-NOTES
 * "tfjs-*-naive"). Each node has its own `tf.variable`s and its own `tf.train.sgd`; per round
 * every node assigns the global parameters to its variables, then for each local step runs
 * `variableGrads` on its batch and `applyGradients`; the server then sets
 * global = addN(w_i · params_i).
 */
import { loadGradients, loadTf } from '../dist/train/backend.js';
import { CLASSES, FEATURES, HIDDEN, LEARNING_RATE } from './workload.mjs';

const SHAPES = [[FEATURES, HIDDEN[0]], [HIDDEN[0]], [HIDDEN[0], CLASSES], [CLASSES]];

export async function makeNaiveContender(workload, localSteps) {
  const tf = await loadTf();
  await loadGradients(); // variableGrads needs tfjs's registered gradients
  const { train, tasks, weights } = workload;
  const oneHot = (labels) => {
    const values = new Float32Array(labels.length * CLASSES);
    labels.forEach((label, r) => (values[r * CLASSES + label] = 1));
    return tf.tensor2d(values, [labels.length, CLASSES]);
  };
  // every node's fixed batches, uploaded once (data loading is not timed)
  const batches = tasks.map((task) =>
    task.stepBatches.map((indices) => {
      const x = new Float32Array(indices.length * FEATURES);
      indices.forEach((index, r) => x.set(train.features.subarray(index * FEATURES, (index + 1) * FEATURES), r * FEATURES));
      return { x: tf.tensor2d(x, [indices.length, FEATURES]), y: oneHot(Array.from(indices, (index) => train.labels[index])) };
    }),
  );
  const nodes = tasks.map(() => ({
    vars: tf.tidy(() => SHAPES.map((shape) => tf.variable(tf.zeros(shape)))),
    optimizer: tf.train.sgd(LEARNING_RATE),
  }));
  let global = workload.initialParams.map((values, j) => tf.tensor(values, SHAPES[j]));

  const loss = ([w1, b1, w2, b2], { x, y }) => () => {
    const hidden = tf.relu(tf.add(tf.matMul(x, w1), b1));
    return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(hidden, w2), b2));
  };

  return {
    async round() {
      nodes.forEach((node, i) => {
        node.vars.forEach((v, j) => v.assign(global[j]));
        for (let s = 0; s < localSteps; s++) {
          const { value, grads } = tf.variableGrads(loss(node.vars, batches[i][s]), node.vars);
          node.optimizer.applyGradients(grads);
          tf.dispose([value, ...Object.values(grads)]);
        }
      });
      const next = tf.tidy(() => SHAPES.map((_, j) => tf.addN(nodes.map((node, i) => tf.mul(node.vars[j], weights[i])))));
      tf.dispose(global);
      global = next;
    },
    params: () => global.map((t) => t.dataSync()),
    dispose: () => {
      tf.dispose(global);
      for (const node of nodes) {
        tf.dispose(node.vars);
        node.optimizer.dispose();
      }
      for (const steps of batches) for (const { x, y } of steps) tf.dispose([x, y]);
    },
  };
}
