/**
 * fast-check arbitraries for VALID scenario files (issue 6, property tests): bounded sizes
 * (1–6 nodes including `count` groups, 1–5 rounds), every latency process (phases and trace
 * replay included), loss and down modifiers, every strategy preset and stage pick, every S2
 * rounding, random S3/S4 options (maxWeight too) and sometimes a round timeout. A generated
 * scenario is a plain object written out as YAML text, plus the trace files it names.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';

/** The shipped `ping`-derived trace, used as-is next to generated ones. */
export const SHIPPED_TRACE = join(import.meta.dirname, '..', '..', 'scenarios', 'traces', 'bursty_loss.csv');

export interface GeneratedScenario {
  /** the scenario as YAML-ready data */
  doc: Record<string, unknown>;
  /** generated trace files the scenario names: file name → CSV text */
  traces: Record<string, string>;
}

export interface ScenarioShape {
  maxRounds: number;
  /** false: iris with `hidden: []` only (the full-run property trains with TF.js) */
  anyModel: boolean;
}

/** A duration the way users write them: a number of ms, or a string with a unit. */
function durationText(ms: number, style: number): number | string {
  if (style === 1) return `${ms}ms`;
  if (style === 2 && ms % 1000 === 0) return `${ms / 1000}s`;
  return ms;
}

const styledMs = (min: number, max: number) =>
  fc.tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: 2 })).map(([ms, style]) => durationText(ms, style));
const fractionalMs = (max: number) => fc.double({ min: 0, max, noNaN: true, noDefaultInfinity: true });
const latencyMs = fc.oneof(styledMs(0, 300), fractionalMs(300));
const probability = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));

/** CSV `time_ms,latency_ms` with strictly increasing times; an empty latency is a lost sample. */
const traceCsv = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 400 }), fc.option(fc.integer({ min: 0, max: 250 }), { freq: 4 })), { minLength: 1, maxLength: 8 })
  .map((rows) => {
    let time = 0;
    const lines = rows.map(([gap, latency]) => {
      time += gap;
      return `${time},${latency ?? ''}`;
    });
    return `time_ms,latency_ms\n${lines.join('\n')}\n`;
  });

interface Built {
  latency: Record<string, unknown>;
  traces: Record<string, string>;
}

function traceName(csv: string): string {
  return `trace-${createHash('sha256').update(csv).digest('hex').slice(0, 12)}.csv`;
}

/** One latency process (no phases), with the trace files it needs. */
const simpleProcess: fc.Arbitrary<Built> = fc.oneof(
  latencyMs.map((v) => ({ latency: { constant: v }, traces: {} })),
  fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 })).map(([a, b]) => ({
    latency: { uniform: { min: Math.min(a, b), max: Math.max(a, b) } },
    traces: {},
  })),
  fc.record({ mean: latencyMs, std: latencyMs }).map((normal) => ({ latency: { normal }, traces: {} })),
  fc.record({ median: fc.double({ min: 0.5, max: 200, noNaN: true }), sigma: fc.double({ min: 0, max: 2, noNaN: true }) })
    .map((lognormal) => ({ latency: { lognormal }, traces: {} })),
  fc.record({ base: latencyMs, spike: latencyMs, probability }).map((spikes) => ({ latency: { spikes }, traces: {} })),
  fc.record({ good: latencyMs, bad: latencyMs, toBad: probability, toGood: probability }).map((burst) => ({ latency: { burst }, traces: {} })),
  fc.record({ base: latencyMs, amplitude: latencyMs, period: styledMs(1, 20_000) }).map((periodic) => ({ latency: { periodic }, traces: {} })),
  fc.tuple(traceCsv, fc.option(fc.boolean(), { nil: undefined })).map(([csv, loop]) => ({
    latency: { trace: traceName(csv), ...(loop === undefined ? {} : { loop }) },
    traces: { [traceName(csv)]: csv },
  })),
  fc.option(fc.boolean(), { nil: undefined }).map((loop) => ({
    latency: { trace: SHIPPED_TRACE, ...(loop === undefined ? {} : { loop }) },
    traces: {},
  })),
);

/** `loss` and `down` on a process (each sometimes). */
function withModifiers(built: fc.Arbitrary<Built>): fc.Arbitrary<Built> {
  const down = fc.array(
    fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 3000 })).map(([from, length]) => ({ from, to: from + length })),
    { maxLength: 2 },
  );
  return fc
    .tuple(built, fc.option(probability, { nil: undefined, freq: 2 }), fc.option(down, { nil: undefined, freq: 2 }))
    .map(([b, loss, d]) => ({
      latency: { ...b.latency, ...(loss === undefined ? {} : { loss }), ...(d === undefined ? {} : { down: d }) },
      traces: b.traces,
    }));
}

/** `phases`: 1–3 phases, `until` strictly increasing on all but the last. */
const phases: fc.Arbitrary<Built> = fc
  .tuple(fc.array(withModifiers(simpleProcess), { minLength: 1, maxLength: 3 }), fc.uniqueArray(fc.integer({ min: 1, max: 8000 }), { minLength: 2, maxLength: 2 }))
  .map(([list, untils]) => {
    const sorted = [...untils].sort((a, b) => a - b);
    return {
      latency: {
        phases: list.map((phase, index) => (index < list.length - 1 ? { until: sorted[index] ?? sorted[sorted.length - 1]! + index, ...phase.latency } : phase.latency)),
      },
      traces: Object.assign({}, ...list.map((phase) => phase.traces)) as Record<string, string>,
    };
  });

export const latencyArb: fc.Arbitrary<Built> = withModifiers(fc.oneof({ weight: 8, arbitrary: simpleProcess }, { weight: 2, arbitrary: phases }));

const STAGES = {
  batch: ['efficiency', 'fixed'],
  resources: ['pressure', 'fixed'],
  aggregation: ['volatility', 'mean', 'samples'],
} as const;
const PRESETS: Record<string, string> = { 'efficiency/pressure/volatility': 's1s4', 'fixed/fixed/mean': 'sync-sgd', 'fixed/fixed/samples': 'fedavg' };

/** 1–3 distinct strategies: presets by name, or stage picks (sometimes named). */
const strategiesArb = fc
  .uniqueArray(
    fc.record({
      batch: fc.constantFrom(...STAGES.batch),
      resources: fc.constantFrom(...STAGES.resources),
      aggregation: fc.constantFrom(...STAGES.aggregation),
    }),
    { minLength: 1, maxLength: 3, selector: (s) => `${s.batch}/${s.resources}/${s.aggregation}` },
  )
  .chain((picks) =>
    fc.tuple(fc.constant(picks), fc.array(fc.boolean(), { minLength: picks.length, maxLength: picks.length }), fc.integer({ min: 0, max: 2 })))
  .map(([picks, asName, form]) => {
    const list = picks.map((pick, index) => {
      const preset = PRESETS[`${pick.batch}/${pick.resources}/${pick.aggregation}`];
      if (preset !== undefined && asName[index]) return preset;
      return asName[index] ? { ...pick, name: `pick-${index}` } : pick;
    });
    if (list.length === 1 && form === 0) return {};
    if (list.length === 1 && form === 1) return { strategy: list[0] };
    return { compare: list };
  });

const nodeFields = fc.record(
  {
    cores: fc.integer({ min: 1, max: 16 }),
    msPerSample: fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), styledMs(0, 2)),
    parallelFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    ioMsPerBatch: fc.double({ min: 0, max: 5, noNaN: true }),
    bandwidth: fc.oneof(fc.constantFrom('1Gbps', '100Mbps', '10Mbps'), fc.integer({ min: 1000, max: 1e10 })),
    labelNoise: fc.double({ min: 0, max: 0.5, noNaN: true }),
    dataShare: fc.double({ min: 0.5, max: 3, noNaN: true }),
  },
  { requiredKeys: [] },
);

/** 1–6 nodes in 1–4 groups; a group may be `count: k` (id-1 … id-k). */
const clusterArb = fc
  .tuple(
    fc.array(fc.tuple(fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), fc.option(latencyArb, { nil: undefined, freq: 6 }), nodeFields), { minLength: 1, maxLength: 4 }),
    fc.option(fc.tuple(latencyArb, nodeFields), { nil: undefined, freq: 3 }),
    fc.record(
      {
        retryMs: styledMs(0, 200),
        maxRetries: fc.integer({ min: 1, max: 5 }),
        roundTimeoutMs: styledMs(5, 2000),
        latencyResolutionMs: styledMs(1, 500),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([groups, defaults, options]) => {
    const traces: Record<string, string> = {};
    const nodes: Record<string, unknown>[] = [];
    let total = 0;
    for (const [count, latency, fields] of groups) {
      const size = count ?? 1;
      if (total + size > 6) break;
      total += size;
      // without a default latency every node needs its own
      const own = latency ?? (defaults === undefined ? { latency: { constant: 5 }, traces: {} } : undefined);
      if (own !== undefined) Object.assign(traces, own.traces);
      nodes.push({ id: `g${nodes.length}`, ...(count === undefined ? {} : { count }), ...(own === undefined ? {} : { latency: own.latency }), ...fields });
    }
    if (defaults !== undefined) Object.assign(traces, defaults[0].traces);
    const cluster = { ...options, ...(defaults === undefined ? {} : { defaults: { latency: defaults[0].latency, ...defaults[1] } }), nodes };
    return { cluster, traces };
  });

const pipelineArb = fc
  .record({
    intervalMs: fc.constantFrom(10, 20, 50, 100, 250),
    samples: fc.integer({ min: 1, max: 8 }),
    intervalStyle: fc.integer({ min: 0, max: 2 }),
    thresholdMs: styledMs(0, 200),
    standardBatch: fc.integer({ min: 1, max: 128 }),
    rounding: fc.constantFrom('floor', 'ceil', 'round'),
    maxBatch: fc.option(fc.integer({ min: 0, max: 160 }), { nil: null }),
    minBatchShare: fc.double({ min: 0, max: 1, noNaN: true }),
    threads: fc.uniqueArray(fc.integer({ min: 1, max: 32 }), { minLength: 3, maxLength: 3 }),
    queues: fc.uniqueArray(fc.integer({ min: 1, max: 64 }), { minLength: 3, maxLength: 3 }),
    volatility: fc.constantFrom('cv', 'relchange'),
    window: fc.integer({ min: 2, max: 6 }),
    epsilon: fc.double({ min: 1e-6, max: 1, noNaN: true }),
    maxWeight: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: null }),
  })
  .map((p) => {
    const cap = p.maxBatch ?? p.standardBatch;
    const [minThreads, baseThreads, maxThreads] = [...p.threads].sort((a, b) => a - b);
    const [minQueue, baseQueue, maxQueue] = [...p.queues].sort((a, b) => a - b);
    return {
      s1: { intervalMs: p.intervalMs, windowMs: durationText(p.intervalMs * p.samples, p.intervalStyle), thresholdMs: p.thresholdMs },
      s2: { standardBatch: p.standardBatch, rounding: p.rounding, minBatch: Math.floor(p.minBatchShare * cap), maxBatch: p.maxBatch },
      s3: { baseThreads, minThreads, maxThreads, baseQueue, minQueue, maxQueue },
      s4: { volatility: p.volatility, window: p.window, epsilon: p.epsilon, maxWeight: p.maxWeight },
    };
  });

const blobsArb = fc
  .record({ classes: fc.integer({ min: 2, max: 3 }), features: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 40 }), spread: fc.double({ min: 0.2, max: 3, noNaN: true }) })
  .map(({ classes, features, extra, spread }) => ({ blobs: { samples: 2 * classes + 6 + extra, features, classes, spread } }));

/**
 * Shards only on iris: at least 75 training samples hold 6 nodes × 3 shards, while a small
 * blobs set may hold fewer samples than nodes × shards, which validation refuses.
 */
function dataArb(anyModel: boolean) {
  const iidOrDirichlet = fc.oneof(
    fc.constant('iid'),
    fc.double({ min: 0.1, max: 5, noNaN: true }).map((dirichlet) => ({ dirichlet })),
  );
  const shards = fc.integer({ min: 1, max: 3 }).map((count) => ({ shards: count }));
  const testFraction = fc.double({ min: 0.1, max: 0.5, noNaN: true });
  const iris = fc.record({ dataset: fc.constant('iris'), testFraction, partition: fc.oneof(iidOrDirichlet, shards) });
  if (!anyModel) return iris;
  return fc.oneof(iris, fc.record({ dataset: blobsArb, testFraction, partition: iidOrDirichlet }));
}

function modelArb(anyModel: boolean) {
  return fc.record({
    hidden: anyModel ? fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }) : fc.constant([]),
    learningRate: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
    localSteps: fc.integer({ min: 1, max: 3 }),
  });
}

export function scenarioArb(shape: ScenarioShape): fc.Arbitrary<GeneratedScenario> {
  return fc
    .record({
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      rounds: fc.integer({ min: 1, max: shape.maxRounds }),
      targetAccuracy: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      strategies: strategiesArb,
      data: dataArb(shape.anyModel),
      model: modelArb(shape.anyModel),
      pipeline: pipelineArb,
      cluster: clusterArb,
    })
    .map(({ strategies, cluster, ...rest }) => ({
      doc: { name: 'generated', ...rest, ...strategies, cluster: cluster.cluster },
      traces: cluster.traces,
    }));
}

/** The scenario file's text. */
export function scenarioYaml(generated: GeneratedScenario): string {
  return stringify(generated.doc, { lineWidth: 0 });
}

/** 10^e for e in [lo, hi]: from tiny to astronomically large, all finite. */
const logUniform = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true }).map((e) => 10 ** e);

/**
 * A valid scenario with extreme numbers pushed into it (issue 6: hostile but valid input):
 * latencies, compute and transfer times, retry waits, grid steps and thresholds from 1e-300
 * to 1e300, heavy-tailed lognormal links, huge periodic amplitudes. Such a run must either
 * finish with every invariant, or stop cleanly at a divergence.
 */
export function extremeScenarioArb(): fc.Arbitrary<GeneratedScenario> {
  /** each override in about a third of the cases, so that many runs still dispatch nodes */
  const sometimes = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
    fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
  const huge = logUniform(-300, 300);
  const overrides = fc.record({
    msPerSample: sometimes(huge),
    bandwidth: sometimes(huge),
    ioMsPerBatch: sometimes(huge),
    retryMs: sometimes(huge),
    latencyResolutionMs: sometimes(logUniform(-6, 300)),
    intervalMs: sometimes(logUniform(-3, 300)),
    thresholdMs: sometimes(huge),
    latency: sometimes(fc.oneof(
      huge.map((constant) => ({ constant })),
      fc.record({ median: huge, sigma: fc.double({ min: 0, max: 1000, noNaN: true }) }).map((lognormal) => ({ lognormal })),
      fc.record({ base: huge, amplitude: huge, period: huge }).map((periodic) => ({ periodic })),
      fc.record({ good: huge, bad: huge, toBad: probability, toGood: probability }).map((burst) => ({ burst })),
    )),
  });
  return fc.tuple(scenarioArb({ maxRounds: 4, anyModel: true }), overrides).map(([generated, x]) => {
    const doc = structuredClone(generated.doc) as { pipeline: { s1: Record<string, unknown> }; cluster: { nodes: Record<string, unknown>[]; [key: string]: unknown } };
    const nodeFields = { msPerSample: x.msPerSample, bandwidth: x.bandwidth, ioMsPerBatch: x.ioMsPerBatch, latency: x.latency };
    for (const node of doc.cluster.nodes) {
      for (const [key, value] of Object.entries(nodeFields)) if (value !== undefined) node[key] = value;
    }
    if (x.intervalMs !== undefined) Object.assign(doc.pipeline.s1, { intervalMs: x.intervalMs, windowMs: x.intervalMs * 2 });
    if (x.thresholdMs !== undefined) doc.pipeline.s1.thresholdMs = x.thresholdMs;
    if (x.retryMs !== undefined) doc.cluster.retryMs = x.retryMs;
    if (x.latencyResolutionMs !== undefined) doc.cluster.latencyResolutionMs = x.latencyResolutionMs;
    return { doc, traces: generated.traces };
  });
}
