/**
 * The scenario file's input schema (SPEC §3), section by section. Every map is strict:
 * an unknown key is an error. Defaults that do not depend on other fields live here; node
 * fields are merged with `cluster.defaults` later (resolve.ts), so they stay optional here.
 */
import { z } from 'zod';
import { S1_DEFAULTS, type S1Config } from '../pipeline/s1-efficiency.js';
import { S2_DEFAULTS, type S2Config } from '../pipeline/s2-batch-size.js';
import { S3_DEFAULTS, type S3Config } from '../pipeline/s3-resources.js';
import { S4_DEFAULTS, type S4Config } from '../pipeline/s4-aggregation.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { createStageRegistry } from '../pipeline/stages/builtin.js';
import { bandwidth, duration, exactlyOneOf, freeText, nonEmptyString, notAMap, numberIn, probability, size } from './fields.js';
import { LatencySchema, SlowdownSchema } from './latency-schema.js';
import { applyUnitJsonSchema } from './unit-json-schema.js';
import { durationMs, UNIT_FIELDS } from './units.js';

export const DEFAULT_SEED = 1;
export const DEFAULT_ROUNDS = 20;
export const MAX_ROUNDS = 100_000;
export const DEFAULT_STRATEGY = 's1s4';
export const DEFAULT_DATASET = 'digits';
export const DEFAULT_TEST_FRACTION = 0.2;
export const BLOBS_DEFAULTS = { samples: 1000, features: 8, classes: 3, spread: 1.0 } as const;
export const MODEL_DEFAULTS = { hidden: [32], learningRate: 0.1, localSteps: 1 } as const;
export const CLUSTER_DEFAULTS = { retryMs: 100, maxRetries: 20 } as const;
/** Built-in node values, used when neither the node nor `cluster.defaults` sets a field. */
export const NODE_DEFAULTS = {
  cores: 8, msPerSample: 0.4, parallelFraction: 0.9, ioMsPerBatch: 2, bandwidthBps: 1e9, labelNoise: 0, dataShare: 1, stepOverheadMs: 0,
} as const;
/** Cap on the entries of the node list as written (each is parsed and checked on its own). */
export const MAX_NODE_ENTRIES = 100_000;
/**
 * Cap on nodes after `count` expansion, and so on one `count` group: twice the largest
 * published FL simulation (131,072 clients). The pre-run memory and time estimate is what
 * guards a run of that size.
 */
export const MAX_TOTAL_NODES = 262_144;

export const BUILTIN_DATASETS = ['iris', 'wine', 'breast_cancer', 'digits'] as const;
/** z.enum wants at least one value; a registry without presets or stages of a kind has none. */
function oneOf(values: readonly string[]) {
  return z.enum(values as [string, ...string[]]);
}

/** `strategy:` / `compare:` entries: a preset's name or a stage pick, checked against the registry. */
export function strategyPickSchema(registry: StageRegistry) {
  const presets = registry.presets().map((preset) => preset.name);
  return z.union(
    [
      oneOf(presets),
      z.strictObject({
        batch: oneOf(registry.names('batch')),
        resources: oneOf(registry.names('resources')),
        aggregation: oneOf(registry.names('aggregation')),
        name: nonEmptyString().optional(),
      }),
    ],
    { error: `a strategy: a preset (${presets.join(', ')}) or a map { batch, resources, aggregation, name? }` },
  );
}
export type StrategyPick = z.infer<ReturnType<typeof strategyPickSchema>>;

const BlobsSchema = z
  .strictObject({
    samples: numberIn({ int: true, min: 4, max: 1_000_000 }).default(BLOBS_DEFAULTS.samples),
    features: numberIn({ int: true, min: 1, max: 10_000 }).default(BLOBS_DEFAULTS.features),
    classes: numberIn({ int: true, min: 2, max: 1000 }).default(BLOBS_DEFAULTS.classes),
    spread: numberIn({ above: 0 }).default(BLOBS_DEFAULTS.spread),
  })
  .superRefine((blobs, ctx) => {
    // two samples per class at least, so that both the train and the test split can hold each class
    if (blobs.samples < 2 * blobs.classes) {
      ctx.addIssue({ code: 'custom', path: ['samples'], message: `an integer ≥ 2 × classes (${2 * blobs.classes})`, input: blobs.samples });
    }
  });

const DatasetSchema = z.union(
  [
    z.enum(BUILTIN_DATASETS),
    z
      .strictObject({ blobs: BlobsSchema.optional(), csv: nonEmptyString('a CSV file path').optional() })
      .superRefine(exactlyOneOf(['blobs', 'csv'], 'dataset source')),
  ],
  { error: `a dataset: ${BUILTIN_DATASETS.join(', ')}, { blobs: {…} } or { csv: path }` },
);

const PartitionSchema = z.union(
  [
    z.enum(['iid']),
    z
      .strictObject({ dirichlet: numberIn({ above: 0 }).optional(), shards: numberIn({ int: true, min: 1 }).optional() })
      .superRefine(exactlyOneOf(['dirichlet', 'shards'], 'partition')),
  ],
  { error: 'a partition: iid, { dirichlet: α } or { shards: k }' },
);

export const DataSchema = z.strictObject({
  dataset: DatasetSchema.default(DEFAULT_DATASET),
  testFraction: numberIn({ above: 0, below: 1 }).default(DEFAULT_TEST_FRACTION),
  partition: PartitionSchema.default('iid'),
});
export type RawData = z.infer<typeof DataSchema>;

export const ModelSchema = z.strictObject({
  hidden: z.array(numberIn({ int: true, min: 1 }), { error: 'a list of layer widths' }).default(() => [...MODEL_DEFAULTS.hidden]),
  learningRate: numberIn({ above: 0 }).default(MODEL_DEFAULTS.learningRate),
  localSteps: numberIn({ int: true, min: 1 }).default(MODEL_DEFAULTS.localSteps),
  // bytes of one model copy on the wire (SPEC §6.3); absent: 4 × the parameter count
  transferBytes: size({ positive: true }).optional(),
});

/** S1's settings: durations with units, so their schema lives with the scenario's units. */
export const S1ConfigSchema = z.strictObject({
  intervalMs: durationMs({ positive: true }).default(S1_DEFAULTS.intervalMs),
  windowMs: durationMs({ positive: true }).default(S1_DEFAULTS.windowMs),
  thresholdMs: durationMs().default(S1_DEFAULTS.thresholdMs),
}) satisfies z.ZodType<S1Config, unknown>;

/*
 * S2–S4's settings. Their schemas live here rather than beside the maths so that the maths
 * imports no zod: the timeline helper thread loads S2 and S3 and nothing of the scenario's
 * validation (zod was about 90 ms of that thread's start-up, which round 1 waits for).
 */
export const S2ConfigSchema = z.strictObject({
  standardBatch: z.number().int().min(1).default(S2_DEFAULTS.standardBatch),
  rounding: z.enum(['floor', 'ceil', 'round']).default(S2_DEFAULTS.rounding),
  minBatch: z.number().int().min(0).default(S2_DEFAULTS.minBatch),
  /** null = the standard batch B */
  maxBatch: z.number().int().min(0).nullable().default(null),
}) satisfies z.ZodType<S2Config, unknown>;

export const S3ConfigSchema = z.strictObject({
  baseThreads: z.number().int().min(1).default(S3_DEFAULTS.baseThreads),
  minThreads: z.number().int().min(1).default(S3_DEFAULTS.minThreads),
  maxThreads: z.number().int().min(1).default(S3_DEFAULTS.maxThreads),
  baseQueue: z.number().int().min(1).default(S3_DEFAULTS.baseQueue),
  minQueue: z.number().int().min(1).default(S3_DEFAULTS.minQueue),
  maxQueue: z.number().int().min(1).default(S3_DEFAULTS.maxQueue),
}) satisfies z.ZodType<S3Config, unknown>;

export const S4ConfigSchema = z.strictObject({
  volatility: z.enum(['cv', 'relchange']).default(S4_DEFAULTS.volatility),
  window: z.number().int().min(2).default(S4_DEFAULTS.window),
  epsilon: z.number().gt(0).default(S4_DEFAULTS.epsilon),
  /** cap on any node's share, excess redistributed proportionally; null = no cap */
  maxWeight: z.number().gt(0).max(1).nullable().default(null),
}) satisfies z.ZodType<S4Config, unknown>;

export const PipelineSchema = z.strictObject({
  s1: S1ConfigSchema.prefault({}),
  s2: S2ConfigSchema.prefault({}),
  s3: S3ConfigSchema.prefault({}),
  s4: S4ConfigSchema.prefault({}),
});
export type RawPipeline = z.infer<typeof PipelineSchema>;

/** Fields a node and `cluster.defaults` share; unset ones fall through to NODE_DEFAULTS. */
const NODE_FIELDS = {
  latency: LatencySchema.optional(),
  cores: numberIn({ int: true, min: 1 }).optional(),
  msPerSample: duration().optional(),
  parallelFraction: probability().optional(),
  ioMsPerBatch: duration().optional(),
  bandwidth: bandwidth().optional(),
  labelNoise: probability().optional(),
  dataShare: numberIn({ above: 0 }).optional(),
  // time model v2 (SPEC §6.4): a step-time multiplier over simulated time, a serial cost per step
  slowdown: SlowdownSchema.optional(),
  stepOverheadMs: duration().optional(),
};

export const NodeDefaultsSchema = z.strictObject(NODE_FIELDS);
export type RawNodeFields = z.infer<typeof NodeDefaultsSchema>;

/** Ids name random streams (`<seed>/latency/<id>`) and table columns: keep them plain. */
const NODE_ID_WORDS = 'a node id (letters, digits, _ . - ; as a string)';
export const NodeSchema = z.strictObject(
  {
    // the pattern also keeps out control, bidi and invisible characters
    id: z.string({ error: NODE_ID_WORDS }).min(1, { error: NODE_ID_WORDS }).regex(/^[A-Za-z0-9_.-]+$/, { error: NODE_ID_WORDS }),
    count: numberIn({ int: true, min: 1, max: MAX_TOTAL_NODES }).optional(),
    ...NODE_FIELDS,
  },
  { error: notAMap('a node: a map with id and latency') },
);
export type RawNode = z.infer<typeof NodeSchema>;

/** The cluster with its nodes and defaults left to be parsed one by one (see load.ts). */
function clusterSchema<D extends z.ZodType, N extends z.ZodType>(defaults: D, node: N) {
  return z.strictObject(
    {
      retryMs: duration().default(CLUSTER_DEFAULTS.retryMs),
      maxRetries: numberIn({ int: true, min: 1 }).default(CLUSTER_DEFAULTS.maxRetries),
      roundTimeoutMs: duration({ positive: true }).nullable().default(null),
      latencyResolutionMs: duration({ positive: true }).nullable().default(null),
      // the server's link, shared by every node's transfers (SPEC §6.2); absent: unlimited
      server: z.strictObject({ bandwidth: bandwidth() }, { error: notAMap('a server: a map { bandwidth: 10Gbps }') }).optional(),
      defaults: defaults.optional(),
      nodes: z.array(node, { error: 'a list of nodes' }).min(1, { error: 'a list of at least one node' }).max(MAX_NODE_ENTRIES, {
        error: `at most ${MAX_NODE_ENTRIES.toLocaleString('en-US')} entries (nodes alike are one entry with count: N)`,
      }),
    },
    { error: notAMap('a cluster: a map with nodes: [ … ]') },
  );
}
export const ClusterShellSchema = clusterSchema(z.unknown(), z.unknown());
export type RawClusterShell = z.infer<typeof ClusterShellSchema>;

/** The top level; `cluster` is the only required section. */
function scenarioShape<C extends z.ZodType, P extends z.ZodType>(cluster: C, strategyPick: P) {
  return {
    name: nonEmptyString().optional(),
    description: freeText().default(''),
    seed: numberIn({ int: true, min: 0 }).default(DEFAULT_SEED),
    rounds: numberIn({ int: true, min: 1, max: MAX_ROUNDS }).default(DEFAULT_ROUNDS),
    targetAccuracy: probability().nullable().default(null),
    strategy: strategyPick.optional(),
    compare: z.array(strategyPick, { error: 'a list of strategies' }).min(1, { error: 'a list of at least one strategy' }).optional(),
    data: DataSchema.prefault({}),
    model: ModelSchema.prefault({}),
    pipeline: PipelineSchema.prefault({}),
    cluster,
  };
}

/**
 * Section schemas for parsing one section at a time, so that one bad section hides nothing.
 * `strategy` and `compare` name the registry's stages and presets: sectionSchemas() builds them.
 */
export function sectionSchemas(registry: StageRegistry): SectionSchemas {
  // built once for each set of names: a sweep resolves every point of its grid, and building
  // these zod schemas again for each was a third of the time it took to plan
  const names = JSON.stringify([registry.presets().map((preset) => preset.name), registry.names('batch'), registry.names('resources'), registry.names('aggregation')]);
  let found = sectionCache.get(names);
  if (found === undefined) {
    // a registry gains stages as plug-ins load: a few sets of names in a process, never many
    if (sectionCache.size >= 16) sectionCache.clear();
    found = buildSectionSchemas(registry);
    sectionCache.set(names, found);
  }
  return found;
}

function buildSectionSchemas(registry: StageRegistry) {
  return scenarioShape(ClusterShellSchema, strategyPickSchema(registry));
}
export type SectionSchemas = ReturnType<typeof buildSectionSchemas>;

const sectionCache = new Map<string, SectionSchemas>();

/** The whole input schema in one piece: for `dtrain schema` (JSON Schema), not for parsing. */
export function scenarioInputSchema(registry: StageRegistry) {
  return z.strictObject(scenarioShape(clusterSchema(NodeDefaultsSchema, NodeSchema), strategyPickSchema(registry)));
}

/**
 * JSON Schema (draft-07, which YAML editors' language servers support) of the scenario file,
 * as written by users (input side); unit fields get a number-or-pattern schema.
 */
export function scenarioJsonSchema(registry: StageRegistry = createStageRegistry()): object {
  const schema = z.toJSONSchema(scenarioInputSchema(registry), {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
    cycles: 'ref',
    reused: 'inline',
    override: (ctx) => {
      const unit = UNIT_FIELDS.get(ctx.zodSchema as unknown as z.ZodType);
      if (unit !== undefined) applyUnitJsonSchema(ctx.jsonSchema as Record<string, unknown>, unit);
    },
  });
  const { $schema, ...rest } = schema;
  return { $schema, title: 'dtrain scenario', description: 'A dtrain scenario file (every field: docs/scenario-reference.md).', ...rest };
}
