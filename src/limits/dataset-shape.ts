/** The size of a scenario's dataset, for the estimate (estimate.ts): scenario/dataset-shape.ts's. */
export { datasetShape, SHIPPED_SHAPES } from '../scenario/dataset-shape.js';
