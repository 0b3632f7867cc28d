/**
 * What `calibrate --measure` will cost, estimated before anything is allocated, in the form
 * `simulate`'s estimate takes (src/limits/estimate.ts), so that the same budget check and
 * flags apply: the host's base, the dataset, the model's vectors, and the engine's batches
 * and activations (rows × Σ widths × 4 B × 3, as there). The measurement's own shape adds to
 * it: the batch indices of every size are built before the first is timed and kept to the
 * end, and the largest size's activations are the peak (the sizes are timed one after
 * another). Its time: per size, a warm-up of 3 calls or 200 ms, whichever is longer, then
 * each repetition a call or a 60 ms block of them.
 */
import { BASE_MEMORY_BYTES, count, DATASET_ROW_BYTES, NODE_BASE, plural, sum, type CostPart, type RunEstimate } from '../limits/estimate.js';
import { datasetShape } from '../limits/dataset-shape.js';
import type { Scenario } from '../scenario/types.js';
import { countParams, layerWidths } from '../train/params.js';

/** measure-steps.ts: a size's warm-up runs at least this long and at least WARM_UP_CALLS calls */
const WARM_UP_SECONDS = 0.2;
const WARM_UP_CALLS = 3;
/** measure-steps.ts: a timed block is this long, or one call when a call takes longer */
const BLOCK_SECONDS = 0.06;
/** model-sized vectors the engine keeps besides a node's update (estimate.ts's `+ 8`) */
const MODEL_VECTORS = 9;
/**
 * One node's step, alone, at a large batch: the simulate estimate's 24 GFLOP/s is a chunk of
 * many nodes' first steps; one node's 1,000,000 rows of 64 → 32 → 10 (2,410 parameters) took
 * 2.2 ms a step per 1,000 rows here (6.4 GFLOP/s: the activations stream through memory), and
 * the whole measurement up to batch 1,000,000 took 54 s, where this counts 55 s. At batch 64,
 * 64 → 2048 → 10 ran at 14 GFLOP/s.
 */
const ONE_NODE_FLOPS_PER_SECOND = 5e9;
const STEP_OVERHEAD_SECONDS = 6e-6;

/** One `trainLocal` of one node at `batch`: `localSteps` steps of 6 flop a parameter and row. */
function callSeconds(params: number, batch: number, localSteps: number): number {
  return localSteps * (STEP_OVERHEAD_SECONDS + (batch * params * 6) / ONE_NODE_FLOPS_PER_SECOND);
}

export function estimateMeasure(scenario: Scenario, sizes: readonly number[], repetitions: number): RunEstimate {
  const shape = datasetShape(scenario.data.dataset);
  const { hidden, localSteps } = scenario.model;
  const params = countParams(shape.features, hidden, shape.classes);
  const widths = layerWidths(shape.features, hidden, shape.classes);
  const activations = widths.reduce((a, b) => a + b, 0) + 1;
  const largest = Math.max(...sizes);
  const indexRows = sizes.reduce((a, b) => a + b, 0);
  const calls = sizes.map((batch) => callSeconds(params, batch, localSteps));
  const memoryParts: CostPart[] = [
    { what: NODE_BASE.memory, value: BASE_MEMORY_BYTES },
    { what: `the training data (${count(shape.samples)} × ${count(shape.features)} features)`, value: shape.samples * (shape.features * 4 * 2 + DATASET_ROW_BYTES) },
    { what: `model copies (${count(params)} parameters)`, value: params * 4 * MODEL_VECTORS },
    { what: `batch indices of every size timed (${count(indexRows)} rows × ${plural(localSteps, 'step')})`, value: indexRows * localSteps * 4 },
    { what: `batches and activations at batch ${count(largest)} (${plural(localSteps, 'step')})`, value: largest * localSteps * activations * 4 * 3 },
  ];
  const timeParts: CostPart[] = [
    { what: NODE_BASE.start!, value: NODE_BASE.startSeconds },
    { what: `warm-up (${WARM_UP_CALLS} calls or 200 ms at each of ${plural(sizes.length, 'batch size')})`, value: calls.reduce((total, c) => total + Math.max(WARM_UP_SECONDS, WARM_UP_CALLS * c), 0) },
    { what: `timing (${plural(repetitions, 'repetition')} of ${plural(sizes.length, 'batch size')}, largest ${count(largest)})`, value: repetitions * calls.reduce((total, c) => total + Math.max(BLOCK_SECONDS, c), 0) },
  ];
  return {
    jsonFlag: null,
    memoryBytes: sum(memoryParts),
    seconds: sum(timeParts),
    jsonBytes: 0,
    outputs: [],
    simulatedMs: 0,
    unboundedBy: null,
    memoryParts,
    timeParts,
  };
}
