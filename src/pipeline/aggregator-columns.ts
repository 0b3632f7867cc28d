/**
 * The built-in aggregation stages weigh from columns (AggregatorColumns): at 131,072 nodes an
 * input object and a history array per participant and round were most of S4's cost. A stage
 * made with `weighFromColumns` still offers `weigh(participants)`, the plug-in form, over the
 * same maths; the round loop asks `columnWeighOf(stage.weigh)` and hands such a stage its
 * columns directly. A plug-in's stage (or a built-in one whose `weigh` was replaced) is asked
 * the plain way, with an object per participant.
 */
import { volatilityOf, type S4Config, type VolatilityKind } from './s4-aggregation.js';
import type { AggregationStageDefinition, WorkingOptions } from './stage-registry.js';
import type { AggregatorColumns, AggregatorInput, AggregatorOutput } from './types.js';

export type ColumnWeigh = (participants: AggregatorColumns, cfg: S4Config, options?: WorkingOptions) => AggregatorOutput;
type Weigh = AggregationStageDefinition['weigh'];

const COLUMN_WEIGHS = new WeakMap<Weigh, ColumnWeigh>();

/** A stage's `weigh` over `weighColumns`, known to columnWeighOf. */
export function weighFromColumns(weighColumns: ColumnWeigh): Weigh {
  const weigh: Weigh = (participants, cfg, options) => weighColumns(new InputColumns(participants), cfg, options);
  COLUMN_WEIGHS.set(weigh, weighColumns);
  return weigh;
}

/** The columns form of a `weigh` made by weighFromColumns; null for any other. */
export function columnWeighOf(weigh: Weigh): ColumnWeigh | null {
  return COLUMN_WEIGHS.get(weigh) ?? null;
}

/** Participants given as objects, seen as columns. */
class InputColumns implements AggregatorColumns {
  readonly count: number;

  constructor(private readonly inputs: readonly AggregatorInput[]) {
    this.count = inputs.length;
  }

  sampleCount(k: number): number {
    return this.inputs[k]!.sampleCount;
  }

  batch(k: number): number {
    return this.inputs[k]!.batch;
  }

  localSteps(k: number): number {
    return this.inputs[k]!.localSteps;
  }

  volatility(k: number, kind: VolatilityKind): number | null {
    return volatilityOf(this.inputs[k]!.gradNormHistory, kind);
  }
}
