/**
 * Phase 5, aggregate (S4): the participants' norms join their histories, the strategy's
 * aggregation stage weighs them, the engine forms θ_{t+1} = Σ w_i θ_i and evaluates it. A
 * non-finite test loss after finite local losses is blamed on the largest update.
 */
import { columnWeighOf } from '../pipeline/aggregator-columns.js';
import type { NormHistories } from '../pipeline/norm-histories.js';
import type { VolatilityKind } from '../pipeline/s4-aggregation.js';
import type { AggregationStageDefinition, StageWorking } from '../pipeline/stage-registry.js';
import type { AggregatorColumns, AggregatorInput, AggregatorOutput } from '../pipeline/types.js';
import type { Scenario } from '../scenario/types.js';
import { shortNumber } from '../sim/latency/time-range.js';
import type { EvalResult, TrainEngine } from '../train/engine.js';
import { diverged } from './divergence.js';
import type { Scheduled } from './round-state.js';

export interface Weighed {
  volatilities: Array<number | null>;
  weights: number[];
  /** the stage's working, per participant (same order) */
  working: StageWorking[];
}

/** S4 over the participants, in their order; appends each one's norm to its history. */
export function weighParticipants(
  scenario: Scenario,
  aggregation: AggregationStageDefinition,
  histories: NormHistories,
  sampleCounts: readonly number[],
  participants: readonly number[],
  gradNorms: Float64Array,
  /** per node: its batch this round (the `batch` aggregation weighs by it) */
  batches: ArrayLike<number>,
  /** false: the stage's working is not kept (`working` is then empty) */
  keepWorking = true,
): Weighed {
  const { s4 } = scenario.pipeline;
  const { localSteps } = scenario.model;
  const count = participants.length;
  for (let k = 0; k < count; k++) histories.append(participants[k]!, gradNorms[k]!);
  const options = { working: keepWorking };
  const weighColumns = columnWeighOf(aggregation.weigh);
  let output: AggregatorOutput;
  if (weighColumns !== null) {
    output = weighColumns(new RoundColumns(histories, participants, sampleCounts, batches, localSteps), s4, options);
  } else {
    const inputs = new Array<AggregatorInput>(count);
    for (let k = 0; k < count; k++) {
      const i = participants[k]!;
      inputs[k] = { gradNormHistory: histories.history(i), sampleCount: sampleCounts[i]!, batch: batches[i]!, localSteps };
    }
    output = aggregation.weigh(inputs, s4, options);
  }
  return {
    weights: output.weights,
    volatilities: complete(output.volatilities, count, null, false),
    working: keepWorking ? complete(output.working, count, {}, true) : [],
  };
}

/** The round's participants as the built-in aggregation stages read them: node i = participants[k]. */
class RoundColumns implements AggregatorColumns {
  readonly count: number;

  constructor(
    private readonly histories: NormHistories,
    private readonly participants: readonly number[],
    private readonly sampleCounts: readonly number[],
    private readonly batches: ArrayLike<number>,
    private readonly steps: number,
  ) {
    this.count = participants.length;
  }

  sampleCount(k: number): number {
    return this.sampleCounts[this.participants[k]!]!;
  }

  batch(k: number): number {
    return this.batches[this.participants[k]!]!;
  }

  localSteps(): number {
    return this.steps;
  }

  volatility(k: number, kind: VolatilityKind): number | null {
    return this.histories.volatility(this.participants[k]!, kind);
  }
}

/**
 * A stage's per-participant list with every missing entry (a short list, a hole, undefined,
 * and null when `nullIsMissing`) filled in: the list itself when nothing is missing, since
 * copying 131,072 entries a round for nothing shows in the loop's cost.
 */
function complete<T, F>(values: ReadonlyArray<T | null | undefined>, count: number, fill: F, nullIsMissing: boolean): Array<T | F> {
  const missing = (value: T | null | undefined): boolean => value === undefined || (nullIsMissing && value === null);
  let whole = values.length === count && Array.isArray(values);
  for (let k = 0; whole && k < count; k++) if (missing(values[k])) whole = false;
  if (whole) return values as Array<T | F>;
  const filled = new Array<T | F>(count);
  for (let k = 0; k < count; k++) filled[k] = values[k] ?? fill;
  return filled;
}

/** θ_{t+1} from the weights, then its loss and accuracy on the test split. */
export async function aggregatePhase(engine: TrainEngine, weights: readonly number[], scheduled: Scheduled, gradNorms: Float64Array, ids: readonly string[]): Promise<EvalResult> {
  engine.aggregate(Float64Array.from(weights));
  const evaluation = await engine.evaluate();
  if (Number.isFinite(evaluation.loss) && Number.isFinite(evaluation.accuracy)) return evaluation;
  // every local loss was finite, so the blame goes to the node with the largest update
  const { participants, round } = scheduled;
  let worst = 0;
  for (let k = 1; k < participants.length; k++) if (gradNorms[k]! > gradNorms[worst]!) worst = k;
  const id = ids[participants[worst]!]!;
  throw diverged('training', round, id, `training diverged in round ${round}: the aggregated model's test loss is ${evaluation.loss} (the largest update came from node ${id}, ‖g‖ = ${shortNumber(gradNorms[worst]!)})`);
}
