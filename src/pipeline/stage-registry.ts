/**
 * The stage registry: every batch, resources and aggregation stage, and every preset, is an
 * entry here — the built-in ones (stages/builtin.ts) and a user's own alike. A registry is a
 * value, not module state: the run, the scenario schema, `dtrain schema`, did-you-mean and
 * explain all read the one they are given.
 *
 * A stage sees the whole round (every node's window, plan inputs, history) and returns its
 * outputs plus its working as plain data; explain renders that working.
 */
import type { Efficiency, S1Config } from './s1-efficiency.js';
import type { S2Config } from './s2-batch-size.js';
import type { ResourceAllocation, S3Config } from './s3-resources.js';
import type { S4Config } from './s4-aggregation.js';
import type { AggregatorInput, AggregatorOutput, PlanNode, StepTimeEstimator } from './types.js';

/** A stage's working for one node: named numbers (and short words) explain can show. */
export type StageWorking = Readonly<Record<string, number | string | null>>;

/** What the batch stage (S1 + S2) sees of a round. */
export interface BatchRoundView {
  nodes: readonly PlanNode[];
  /** per node: the round's S1 window samples (null = lost) */
  samplesMs: ReadonlyArray<ReadonlyArray<number | null>>;
  /** per node: S1's efficiency of that window */
  efficiency: readonly Efficiency[];
  /** per node: the mean step time of the last round it took part in; null = never */
  lastResponseMs: ReadonlyArray<number | null>;
  /** per node: its batch in that same round; null = never */
  lastBatch: ReadonlyArray<number | null>;
  /** bytes of one model copy on the wire per direction */
  transferBytes: number;
  /** local SGD steps per round */
  localSteps: number;
  stepMsOf: StepTimeEstimator;
  s1: S1Config;
  s2: S2Config;
  s3: S3Config;
}

export interface BatchDecision {
  /** per node: whole samples per local step; 0 = not dispatched */
  batches: number[];
  working: StageWorking[];
}

/** What the resources stage (S3) sees: the dispatched nodes' pressures and their median. */
export interface ResourceRoundView {
  nodes: readonly PlanNode[];
  batches: readonly number[];
  /** per node: the response time S3 uses (null when not dispatched and never measured) */
  responseMs: ReadonlyArray<number | null>;
  /** per node: batch × responseMs (0 when not dispatched) */
  pressures: readonly number[];
  /** the median pressure over the dispatched nodes (0 when none) */
  referencePressure: number;
  s3: S3Config;
}

export interface ResourceDecision {
  /** per node; ignored for a node that is not dispatched */
  allocations: ResourceAllocation[];
  working: StageWorking[];
}

interface StageBase {
  name: string;
  /** one line for help texts, `dtrain schema` and explain's headings */
  summary: string;
}

/** What the round loop keeps of a stage's answer, told to every stage's call. */
export interface WorkingOptions {
  /**
   * false: the working is not kept (a run that keeps no node records: at 131,072 nodes an
   * object each per node and round for nothing); the stage may return none
   */
  working: boolean;
}

export interface BatchStageDefinition extends StageBase {
  kind: 'batch';
  decide(view: BatchRoundView, options?: WorkingOptions): BatchDecision;
}

export interface ResourceStageDefinition extends StageBase {
  kind: 'resources';
  allocate(view: ResourceRoundView, options?: WorkingOptions): ResourceDecision;
}

export interface AggregationStageDefinition extends StageBase {
  kind: 'aggregation';
  /** weights (sum 1, participants' order) and each participant's volatility */
  weigh(participants: readonly AggregatorInput[], cfg: S4Config, options?: WorkingOptions): AggregatorOutput;
}

export type StageDefinition = BatchStageDefinition | ResourceStageDefinition | AggregationStageDefinition;
export type StageKind = StageDefinition['kind'];

/** The stage names a strategy picks, one per kind. */
export interface StageNames {
  batch: string;
  resources: string;
  aggregation: string;
}

/** A strategy a run follows: its display name and the stages it picks (by name). */
export interface StrategySpec extends StageNames {
  /** a preset's name, the name a scenario gave a stage pick, or `batch/resources/aggregation` */
  name: string;
}

export interface PresetDefinition extends StageNames {
  name: string;
  summary: string;
}

/** The three stages a strategy runs, resolved from their names. */
export interface ResolvedStages {
  batch: BatchStageDefinition;
  resources: ResourceStageDefinition;
  aggregation: AggregationStageDefinition;
}

/** Why a definition was refused, as data; the caller words it for its edge (file, flag). */
export class RegistryError extends Error {
  constructor(readonly code: 'registry.duplicate' | 'registry.unknownStage' | 'registry.badName', message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

const NAME = /^[a-z][a-z0-9-]*$/;

export class StageRegistry {
  private readonly stages: { [K in StageKind]: Map<string, Extract<StageDefinition, { kind: K }>> } = {
    batch: new Map(),
    resources: new Map(),
    aggregation: new Map(),
  };
  private readonly presetMap = new Map<string, PresetDefinition>();

  defineStage(stage: StageDefinition): void {
    if (!NAME.test(stage.name)) throw new RegistryError('registry.badName', `stage name '${stage.name}' must be lowercase letters, digits and hyphens, starting with a letter`);
    const table = this.stages[stage.kind] as Map<string, StageDefinition>;
    if (table.has(stage.name)) throw new RegistryError('registry.duplicate', `a ${stage.kind} stage named '${stage.name}' is already defined`);
    table.set(stage.name, stage);
  }

  definePreset(preset: PresetDefinition): void {
    if (!NAME.test(preset.name)) throw new RegistryError('registry.badName', `preset name '${preset.name}' must be lowercase letters, digits and hyphens, starting with a letter`);
    if (this.presetMap.has(preset.name)) throw new RegistryError('registry.duplicate', `a preset named '${preset.name}' is already defined`);
    for (const kind of ['batch', 'resources', 'aggregation'] as const) {
      if (!this.stages[kind].has(preset[kind])) {
        throw new RegistryError('registry.unknownStage', `preset '${preset.name}' names the ${kind} stage '${preset[kind]}', which is not defined`);
      }
    }
    this.presetMap.set(preset.name, preset);
  }

  /** Names of one kind's stages, in definition order. */
  names(kind: StageKind): string[] {
    return [...this.stages[kind].keys()];
  }

  has(kind: StageKind, name: string): boolean {
    return this.stages[kind].has(name);
  }

  stage<K extends StageKind>(kind: K, name: string): Extract<StageDefinition, { kind: K }> {
    const stage = this.stages[kind].get(name);
    if (stage === undefined) throw new RegistryError('registry.unknownStage', `no ${kind} stage named '${name}'`);
    return stage as Extract<StageDefinition, { kind: K }>;
  }

  resolve(stages: StageNames): ResolvedStages {
    return {
      batch: this.stage('batch', stages.batch),
      resources: this.stage('resources', stages.resources),
      aggregation: this.stage('aggregation', stages.aggregation),
    };
  }

  presets(): PresetDefinition[] {
    return [...this.presetMap.values()];
  }

  preset(name: string): PresetDefinition | undefined {
    return this.presetMap.get(name);
  }

  /** The preset whose stages these are, if any (a stage pick equal to a preset takes its name). */
  presetOf(stages: StageNames): PresetDefinition | undefined {
    for (const preset of this.presetMap.values()) {
      if (preset.batch === stages.batch && preset.resources === stages.resources && preset.aggregation === stages.aggregation) return preset;
    }
    return undefined;
  }

  /** A preset as the strategy a run follows; undefined for a name that is no preset. */
  presetStrategy(name: string): StrategySpec | undefined {
    const preset = this.presetMap.get(name);
    return preset === undefined ? undefined : { name: preset.name, batch: preset.batch, resources: preset.resources, aggregation: preset.aggregation };
  }

  /**
   * A stage pick as a strategy. Its name: the one given, else the preset whose stages these
   * are, else `batch/resources/aggregation` (the form `--strategy` accepts back).
   */
  strategyOf(stages: StageNames, name?: string): StrategySpec {
    const picked = { batch: stages.batch, resources: stages.resources, aggregation: stages.aggregation };
    return { name: name ?? this.presetOf(picked)?.name ?? `${picked.batch}/${picked.resources}/${picked.aggregation}`, ...picked };
  }
}
