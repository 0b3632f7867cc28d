import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { collectScenarioIssues, loadScenario, parseScenarioText } from '../../src/node/load.js';
import { parseDatasetCsv } from '../../src/scenario/dataset-csv.js';
import type { LatencySpec, NodeSpec } from '../../src/scenario/types.js';
import { sampleList } from '../helpers/trace-samples.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const REPO = resolve(import.meta.dirname, '..', '..');
const BURSTY_CSV = join(REPO, 'scenarios', 'traces', 'bursty_loss.csv');

const NODE_BASE = {
  cores: 8, msPerSample: 0.4, parallelFraction: 0.9, ioMsPerBatch: 2, bandwidthBps: 1e9, labelNoise: 0, dataShare: 1, slowdown: null, stepOverheadMs: 0,
};
const plain = (process: LatencySpec['process'], loss = 0): LatencySpec => ({ process, loss, down: [] });

describe('loadScenario on the SPEC §3 example', () => {
  it('resolves units, defaults, count expansion and the trace file to exactly the expected values', async () => {
    // Arrange
    const file = join(FIXTURES, 'spec-example.yaml');
    const traceLatency = plain({ kind: 'trace', file: BURSTY_CSV, loop: true, samples: { timesMs: expect.any(Float64Array), latenciesMs: expect.any(Float64Array) } });
    const dNode = (k: number): NodeSpec => ({ id: `d-${k}`, latency: traceLatency, ...NODE_BASE, labelNoise: 0.3 });

    // Act
    const scenario = await loadScenario(file);

    // Assert
    expect(scenario).toEqual({
      name: 'quickstart',
      description: 'Four nodes; one link turns bursty after 20 s.',
      seed: 7,
      rounds: 30,
      targetAccuracy: 0.9,
      strategies: [
        { name: 's1s4', batch: 'efficiency', resources: 'pressure', aggregation: 'volatility' },
        { name: 'sync-sgd', batch: 'fixed', resources: 'fixed', aggregation: 'mean' },
      ],
      data: { dataset: { kind: 'builtin', name: 'digits' }, testFraction: 0.2, partition: { kind: 'iid' } },
      model: { hidden: [32], learningRate: 0.1, localSteps: 1, transferBytes: null },
      pipeline: {
        s1: { intervalMs: 100, windowMs: 2000, thresholdMs: 50 },
        s2: { standardBatch: 64, rounding: 'floor', minBatch: 0, maxBatch: null },
        s3: { baseThreads: 4, minThreads: 1, maxThreads: 32, baseQueue: 8, minQueue: 1, maxQueue: 64 },
        s4: { volatility: 'cv', window: 5, epsilon: 0.001, maxWeight: null },
      },
      cluster: {
        retryMs: 100,
        maxRetries: 20,
        roundTimeoutMs: 30_000,
        latencyResolutionMs: 100,
        server: null,
        nodes: [
          { id: 'a', latency: plain({ kind: 'constant', valueMs: 5 }), ...NODE_BASE },
          { id: 'b', latency: plain({ kind: 'normal', meanMs: 30, stdMs: 15 }, 0.02), ...NODE_BASE },
          {
            id: 'c',
            latency: plain({
              kind: 'phases',
              phases: [
                { untilMs: 20_000, latency: plain({ kind: 'constant', valueMs: 5 }) },
                { untilMs: 40_000, latency: plain({ kind: 'burst', goodMs: 5, badMs: 400, toBad: 0.1, toGood: 0.3 }) },
                { untilMs: null, latency: plain({ kind: 'constant', valueMs: 5 }) },
              ],
            }),
            ...NODE_BASE,
          },
          dNode(1), dNode(2), dNode(3), dNode(4),
        ],
      },
      file,
    });
  });

  it('reads the trace relative to the scenario file: 400 rows, 31 lost, first rows as in the CSV', async () => {
    const scenario = await loadScenario(join(FIXTURES, 'spec-example.yaml'));

    const process = scenario.cluster.nodes[3]!.latency.process;

    if (process.kind !== 'trace') throw new Error(`expected a trace, got ${process.kind}`);
    const samples = sampleList(process.samples);
    expect(samples).toHaveLength(400);
    expect(samples.filter((s) => s.latencyMs === null)).toHaveLength(31);
    expect(samples.slice(0, 2)).toEqual([{ timeMs: 0, latencyMs: 23.1 }, { timeMs: 50.329, latencyMs: 22 }]);
  });
});

describe('defaults', () => {
  it('a scenario with only a node gets every documented default', () => {
    const scenario = parseScenarioText('cluster:\n  nodes: [ { id: n, latency: { constant: 1 } } ]\n', 'dir/minimal.yaml');

    expect(scenario.name).toBe('minimal');
    expect(scenario.description).toBe('');
    expect(scenario.seed).toBe(1);
    expect(scenario.rounds).toBe(20);
    expect(scenario.targetAccuracy).toBeNull();
    expect(scenario.strategies).toEqual([{ name: 's1s4', batch: 'efficiency', resources: 'pressure', aggregation: 'volatility' }]);
    expect(scenario.data).toEqual({ dataset: { kind: 'builtin', name: 'digits' }, testFraction: 0.2, partition: { kind: 'iid' } });
    expect(scenario.model).toEqual({ hidden: [32], learningRate: 0.1, localSteps: 1, transferBytes: null });
    expect(scenario.pipeline.s1).toEqual({ intervalMs: 100, windowMs: 2000, thresholdMs: 50 });
    expect(scenario.cluster).toEqual({
      retryMs: 100, maxRetries: 20, roundTimeoutMs: null, latencyResolutionMs: 100, server: null,
      nodes: [{ id: 'n', latency: plain({ kind: 'constant', valueMs: 1 }), ...NODE_BASE }],
    });
    expect(scenario.file).toBe('dir/minimal.yaml');
  });

  it('a node field wins over cluster.defaults, which wins over the built-in default', () => {
    const text = [
      'cluster:',
      '  defaults: { cores: 4, bandwidth: 100Mbps, latency: { constant: 2 } }',
      '  nodes:',
      '    - { id: x, cores: 2 }',
      '    - { id: y, latency: { uniform: { min: 1, max: 3 } } }',
    ].join('\n');

    const [x, y] = parseScenarioText(text, 's.yaml').cluster.nodes;

    expect([x!.cores, x!.bandwidthBps, x!.msPerSample, x!.latency.process]).toEqual([2, 1e8, 0.4, { kind: 'constant', valueMs: 2 }]);
    expect([y!.cores, y!.latency.process]).toEqual([4, { kind: 'uniform', minMs: 1, maxMs: 3 }]);
  });

  it('stage picks are named by strategyName() unless they carry a name; latencyResolutionMs overrides the S1 interval', () => {
    const text = [
      'compare: [ { batch: efficiency, resources: fixed, aggregation: mean }, { batch: fixed, resources: fixed, aggregation: mean, name: plain } ]',
      'pipeline: { s1: { intervalMs: 50, windowMs: 1s } }',
      'cluster: { latencyResolutionMs: 10, nodes: [ { id: n, latency: { constant: 1 } } ] }',
    ].join('\n');

    const scenario = parseScenarioText(text, 's.yaml');

    expect(scenario.strategies.map((s) => s.name)).toEqual(['efficiency/fixed/mean', 'plain']);
    expect(scenario.cluster.latencyResolutionMs).toBe(10);
  });

  it('generated and CSV datasets, and the two non-iid partitions, resolve with their parameters', () => {
    const blobs = parseScenarioText('data: { dataset: { blobs: { classes: 4 } }, partition: { dirichlet: 0.5 } }\ncluster: { nodes: [ { id: n, latency: { constant: 1 } } ] }', 's.yaml');
    // tiny-dataset.csv has 2 rows: 1 for training, so 1 shard per node at most
    const csv = parseScenarioText('data: { dataset: { csv: tiny-dataset.csv }, partition: { shards: 1 } }\ncluster: { nodes: [ { id: n, latency: { constant: 1 } } ] }', 's.yaml', { baseDir: FIXTURES });

    expect(blobs.data.dataset).toEqual({ kind: 'blobs', samples: 1000, features: 8, classes: 4, spread: 1 });
    expect(blobs.data.partition).toEqual({ kind: 'dirichlet', alpha: 0.5 });
    const file = join(FIXTURES, 'tiny-dataset.csv');
    expect(csv.data.dataset).toEqual({
      kind: 'csv',
      file,
      sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
      parsed: parseDatasetCsv(readFileSync(file, 'utf8'), 'tiny-dataset.csv'),
    });
    expect(csv.data.partition).toEqual({ kind: 'shards', shards: 1 });
  });

  it('latency modifiers and the remaining processes resolve to ms', () => {
    const text = [
      'cluster:',
      '  nodes:',
      '    - { id: l, latency: { lognormal: { median: 20, sigma: 0.8 }, down: [ { from: 10s, to: 15s } ] } }',
      '    - { id: s, latency: { spikes: { base: 5, spike: 0.3s, probability: 0.2 } } }',
      '    - { id: p, latency: { periodic: { base: 20, amplitude: 15, period: 10s } } }',
    ].join('\n');

    const nodes = parseScenarioText(text, 's.yaml').cluster.nodes;

    expect(nodes.map((n) => n.latency)).toEqual([
      { process: { kind: 'lognormal', medianMs: 20, sigma: 0.8 }, loss: 0, down: [{ fromMs: 10_000, toMs: 15_000 }] },
      plain({ kind: 'spikes', baseMs: 5, spikeMs: 300, probability: 0.2 }),
      plain({ kind: 'periodic', baseMs: 20, amplitudeMs: 15, periodMs: 10_000 }),
    ]);
  });
});

describe('phases', () => {
  it('nest, carry their own modifiers, and may hold a trace with loop: false', () => {
    const text = [
      'cluster:',
      '  nodes:',
      '    - id: n',
      '      latency:',
      '        phases:',
      '          - { until: 1s, phases: [ { until: 500ms, constant: 1 }, { constant: 2 } ], loss: 0.1 }',
      '          - { trace: ../../../scenarios/traces/bursty_loss.txt, loop: false }',
    ].join('\n');

    const latency = parseScenarioText(text, 's.yaml', { baseDir: FIXTURES }).cluster.nodes[0]!.latency;

    expect(latency).toEqual(plain({
      kind: 'phases',
      phases: [
        {
          untilMs: 1000,
          latency: {
            process: {
              kind: 'phases',
              phases: [
                { untilMs: 500, latency: plain({ kind: 'constant', valueMs: 1 }) },
                { untilMs: null, latency: plain({ kind: 'constant', valueMs: 2 }) },
              ],
            },
            loss: 0.1,
            down: [],
          },
        },
        {
          untilMs: null,
          latency: plain({ kind: 'trace', file: join(REPO, 'scenarios', 'traces', 'bursty_loss.txt'), loop: false, samples: { timesMs: expect.any(Float64Array), latenciesMs: expect.any(Float64Array) } }),
        },
      ],
    }));
  });
});

describe('loadScenario failures', () => {
  it('a missing file is scenario.notFound with exit code 2', async () => {
    const error = await loadScenario('no/such/x.yaml').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DtrainError);
    expect((error as DtrainError).code).toBe('scenario.notFound');
    expect((error as DtrainError).exitCode).toBe(2);
    expect((error as DtrainError).message).toBe("cannot read scenario file 'no/such/x.yaml': no such file");
  });

  it('collectScenarioIssues(file) reads the file, and a missing one is scenario.notFound too', () => {
    expect(() => collectScenarioIssues('no/such/x.yaml')).toThrow("cannot read scenario file 'no/such/x.yaml': no such file");
    expect(collectScenarioIssues(join(FIXTURES, 'spec-example.yaml'))).toEqual([]);
  });
});

describe('bundled scenarios', () => {
  const dir = join(REPO, 'scenarios');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    it(`${file} is valid`, () => {
      expect(collectScenarioIssues(join(dir, file))).toEqual([]);
    });
  }
});
