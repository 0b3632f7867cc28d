/**
 * The state one strategy's rounds carry from one to the next, and the state of the round in
 * progress as each phase fills it in (observe → plan → schedule → train → aggregate → record).
 * Each phase reads what earlier phases wrote and adds its own fields; nothing else is shared.
 */
import type { NormHistories } from '../pipeline/norm-histories.js';
import type { SimClock } from '../sim/clock.js';
import type { SampleWindows } from '../pipeline/sample-windows.js';
import type { PlanColumns } from './plan-columns.js';
import type { BatchCursor } from '../train/batches.js';
import type { EvalResult } from '../train/engine.js';
import type { RoundTimes } from '../sim/round-time.js';
import type { RoundRecord, RoundWorking } from '../sim/records.js';
import type { Scenario } from '../scenario/types.js';

/** What of a scenario its rounds' timeline (observe → plan → schedule) reads: no data, no strategies; structured-cloneable. */
export type TimelineSetting = Pick<Scenario, 'seed' | 'rounds' | 'model' | 'pipeline' | 'cluster'>;

/** What a node remembers between rounds for S3: its response time and the batch it was measured at. */
export interface NodeMemory {
  lastResponseMs: number | null;
  /** the node's batch in the round lastResponseMs comes from (the `balanced` batch stage's time per sample) */
  lastBatch: number | null;
}

export interface RunState {
  clock: SimClock;
  memory: NodeMemory[];
  /** S4's gradient-norm histories */
  histories: NormHistories;
  /** this thread's batch cursors, made when first needed (none while the helper draws the batches) */
  cursors: BatchCursor[] | null;
  /** per node, how many batch indices it has drawn so far (where its cursor is) */
  drawn: Float64Array;
  rounds: RoundRecord[];
  samplesTrained: number;
  lastEval: EvalResult;
}

/** observe: the S1 window of every node, in one column (NaN = a lost sample). */
export interface Observed {
  round: number;
  startMs: number;
  windows: SampleWindows;
}

/** plan: S1 → S2 → S3 per node (batch 0 = not dispatched). */
export interface Planned {
  round: number;
  startMs: number;
  /** the S1 windows as rows (null = lost), for `--trace` records only; else empty */
  samplesMs: Array<Array<number | null>>;
  plans: PlanColumns;
  working: RoundWorking;
}

/** schedule: each dispatched node's round on the clock (as columns); who finished; the deadline. */
export interface Scheduled extends Planned {
  deadlineMs: number | null;
  times: RoundTimes;
  /** indices of the nodes whose upload arrived in time, ascending */
  participants: number[];
  /**
   * The participants' batch indices (train/batches.ts drawBatchIndices), where the host's helper
   * drew them with cursors of its own; absent: the round draws them.
   */
  batchIndices?: Int32Array;
}

/** train + aggregate: per participant (same order as `participants`) norms, volatilities, weights. */
export interface Aggregated extends Scheduled {
  gradNorms: Float64Array;
  volatilities: Array<number | null>;
  weights: number[];
  skipped: boolean;
  endMs: number;
  evaluation: EvalResult;
}
