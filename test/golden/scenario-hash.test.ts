import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, writeCanonicalJson } from '../../src/golden/canonical-json.js';
import { REPEATED_TRACE_SAMPLES, canonicalScenario, scenarioHash } from '../../src/golden/scenario-hash.js';
import { parseDatasetCsv } from '../../src/scenario/dataset-csv.js';
import type { LatencySpec, Scenario } from '../../src/scenario/types.js';
import { makeScenario } from '../report/fixtures.js';
import { type Sample, traceSamples } from '../helpers/trace-samples.js';

function withTrace(file: string): Scenario {
  const scenario = makeScenario(['a']);
  const latency = { process: { kind: 'trace' as const, file, loop: true, samples: traceSamples([{ timeMs: 0, latencyMs: 5 }]) }, loss: 0, down: [] };
  return { ...scenario, cluster: { ...scenario.cluster, nodes: [{ ...scenario.cluster.nodes[0]!, latency }] } };
}

describe('scenarioHash', () => {
  it('is 64 hex digits and the same for equal scenarios', () => {
    const hash = scenarioHash(makeScenario(['a', 'b']));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(scenarioHash(makeScenario(['a', 'b']))).toBe(hash);
  });

  it('changes with any value that can change a result: seed, a stage option, a node', () => {
    const base = makeScenario(['a', 'b']);
    const hash = scenarioHash(base);
    expect(scenarioHash({ ...base, seed: 8 })).not.toBe(hash);
    expect(scenarioHash({ ...base, pipeline: { ...base.pipeline, s1: { ...base.pipeline.s1, thresholdMs: 51 } } })).not.toBe(hash);
    expect(scenarioHash(makeScenario(['a', 'c']))).not.toBe(hash);
    expect(scenarioHash({ ...base, strategies: base.strategies.slice(0, 1) })).not.toBe(hash);
  });

  it('ignores the file path, the description and where a trace file lives (its samples count)', () => {
    const base = makeScenario(['a']);
    expect(scenarioHash({ ...base, file: '/elsewhere/x.yaml', description: 'other words' })).toBe(scenarioHash(base));
    expect(scenarioHash(withTrace('/home/ann/repo/traces/t.csv'))).toBe(scenarioHash(withTrace('/ci/build/traces/t.csv')));
    expect(scenarioHash(withTrace('/ci/traces/t.csv'))).not.toBe(scenarioHash(withTrace('/ci/traces/u.csv')));
  });

  it('a slowdown trace, like a latency trace, counts by its samples, not where it lives', () => {
    const withSlowdown = (file: string): Scenario => {
      const scenario = makeScenario(['a']);
      const slowdown = { process: { kind: 'trace' as const, file, loop: true, samples: traceSamples([{ timeMs: 0, latencyMs: 2 }]) }, loss: 0, down: [] };
      return { ...scenario, cluster: { ...scenario.cluster, nodes: [{ ...scenario.cluster.nodes[0]!, slowdown }] } };
    };
    expect(scenarioHash(withSlowdown('/home/ann/repo/s.csv'))).toBe(scenarioHash(withSlowdown('/ci/build/s.csv')));
    expect(scenarioHash(withSlowdown('/ci/s.csv'))).not.toBe(scenarioHash(makeScenario(['a'])));
  });

  it('represents a CSV dataset by the hash of its content taken at load, not its path', () => {
    const base = makeScenario(['a']);
    const parsed = parseDatasetCsv('x,label\n1,0\n2,1\n', 'd.csv');
    const csv = (file: string, sha256: string): Scenario => ({ ...base, data: { ...base.data, dataset: { kind: 'csv', file, sha256, parsed } } });
    expect(scenarioHash(csv('/a/d.csv', 'aa'))).toBe(scenarioHash(csv('/b/d.csv', 'aa')));
    expect(scenarioHash(csv('/a/d.csv', 'aa'))).not.toBe(scenarioHash(csv('/a/d.csv', 'bb')));
  });

  it('is the sha-256 of the canonical JSON, as node:crypto computes it', () => {
    const scenario = makeScenario(['a', 'b']);
    const expected = createHash('sha256').update(canonicalJson(canonicalScenario(scenario))).digest('hex');
    expect(scenarioHash(scenario)).toBe(expected);
  });
});

describe('a trace held as columns hashes as the list of samples it was once held as', () => {
  // a lost sample, a time with a fraction, a latency JSON writes with an exponent
  const SAMPLES: Sample[] = [{ timeMs: 0, latencyMs: 5 }, { timeMs: 0.5, latencyMs: null }, { timeMs: 1234.567, latencyMs: 1e-7 }];
  const plain = (process: LatencySpec['process'], loss = 0, down: LatencySpec['down'] = []): LatencySpec => ({ process, loss, down });

  /** a, b share a spec; c replays the same samples inside a phase, and another trace as its slowdown */
  function threeNodes(): Scenario {
    const scenario = makeScenario(['a', 'b', 'c']);
    const samples = traceSamples(SAMPLES);
    const latency = plain({ kind: 'trace', file: '/home/ann/traces/t.csv', loop: true, samples });
    const [a, b, c] = scenario.cluster.nodes;
    const phases = plain({
      kind: 'phases',
      phases: [
        { untilMs: 500, latency: plain({ kind: 'constant', valueMs: 4 }) },
        { untilMs: null, latency: plain({ kind: 'trace', file: '/ci/t.csv', loop: false, samples }, 0.1, [{ fromMs: 1, toMs: 2 }]) },
      ],
    });
    const slowdown = plain({ kind: 'trace', file: '/ci/s.csv', loop: true, samples: traceSamples([{ timeMs: 0, latencyMs: 1.5 }, { timeMs: 100, latencyMs: 2 }]) });
    const nodes = [{ ...a!, latency }, { ...b!, latency }, { ...c!, latency: phases, slowdown }];
    return { ...scenario, cluster: { ...scenario.cluster, nodes } };
  }

  it('its canonical text: {"latencyMs":…,"timeMs":…} in key order, null for a lost sample', () => {
    const nodes = (canonicalScenario(threeNodes()) as { cluster: { nodes: Array<{ latency: unknown }> } }).cluster.nodes;
    expect(canonicalJson(nodes[0]!.latency)).toBe(
      '{"down":[],"loss":0,"process":{"file":"t.csv","kind":"trace","loop":true,"samples":[{"latencyMs":5,"timeMs":0},{"latencyMs":null,"timeMs":0.5},{"latencyMs":1e-7,"timeMs":1234.567}]}}',
    );
  });

  it('the hash is the one the list of sample objects gave (computed before the columns)', () => {
    expect(scenarioHash(threeNodes())).toBe('82dc7f9ea03ff28c0779d6c686ce426ae58e700be99137862dcdae0753c3c233');
  });

  /** every node of a three-node scenario replaying one spec of `list` */
  function sharing(list: Sample[]): Scenario {
    const scenario = makeScenario(['a', 'b', 'c']);
    const latency = plain({ kind: 'trace', file: '/home/ann/traces/t.csv', loop: true, samples: traceSamples(list) });
    return { ...scenario, cluster: { ...scenario.cluster, nodes: scenario.cluster.nodes.map((node) => ({ ...node, latency })) } };
  }

  function pieces(scenario: Scenario): string[] {
    const out: string[] = [];
    writeCanonicalJson(canonicalScenario(scenario), (piece) => out.push(piece));
    return out;
  }

  const longList = (count: number) => Array.from({ length: count }, (_, k): Sample => ({ timeMs: 50 * k + k / 1000, latencyMs: k % 7 === 3 ? null : 20 + (k % 11) / 3 }));

  it('a trace of 5,000 samples shared by three nodes: the same hash, written whole only once met twice', () => {
    const list = longList(5000);
    expect(scenarioHash(sharing(list))).toBe('68f46942073d847dff216f81c2d3eb792e9d6376e64bf88e0431aa49b2f3f075');
    const out = pieces(sharing(list));
    // the text the sample objects give, written by the same writer
    const asObjects = canonicalJson(list);
    expect(out.join('').split(asObjects)).toHaveLength(4);
    expect(createHash('sha256').update(out.join('')).digest('hex')).toBe('68f46942073d847dff216f81c2d3eb792e9d6376e64bf88e0431aa49b2f3f075');
    // written in pieces for the first two nodes, the second time kept for the third
    expect(out.filter((piece) => piece === asObjects)).toHaveLength(1);
  });

  it('a trace of 40,000 samples (1.8 MB of text) is written in pieces for every node, never held whole', () => {
    const list = longList(40_000);
    const out = pieces(sharing(list));
    const asObjects = canonicalJson(list);
    expect(asObjects.length).toBeGreaterThan(1_800_000);
    expect(out.join('').split(asObjects)).toHaveLength(4);
    // 2,048 samples a piece, ~47 characters each
    expect(Math.max(...out.map((piece) => piece.length))).toBeLessThan(100_000);
  });

  describe('a trace its nodes would write more than REPEATED_TRACE_SAMPLES times over stands as the sha256 of its text', () => {
    const list = longList(8192);
    const digest = createHash('sha256').update(canonicalJson(list)).digest('hex');
    /** `count` nodes replaying `list`, each as latency and, with `slowdown`, in a phase and as slowdown too */
    function replaying(count: number, slowdown = false): Scenario {
      const scenario = makeScenario(Array.from({ length: count }, (_, i) => `n${i}`));
      const trace = plain({ kind: 'trace', file: '/data/t.csv', loop: true, samples: traceSamples(list) });
      const latency = slowdown ? plain({ kind: 'phases', phases: [{ untilMs: 100, latency: plain({ kind: 'constant', valueMs: 3 }) }, { untilMs: null, latency: trace }] }) : trace;
      const nodes = scenario.cluster.nodes.map((node) => ({ ...node, latency, ...(slowdown ? { slowdown: trace } : {}) }));
      return { ...scenario, cluster: { ...scenario.cluster, nodes } };
    }
    const samplesOf = (scenario: Scenario): unknown => {
      const node = (canonicalScenario(scenario) as { cluster: { nodes: Array<{ latency: { process: { samples?: unknown; phases?: Array<{ latency: { process: { samples: unknown } } }> } } }> } }).cluster.nodes[0]!;
      return node.latency.process.samples ?? node.latency.process.phases![1]!.latency.process.samples;
    };

    it('1,024 nodes of 8,192 samples (2^23 in all): the text, as always', () => {
      expect(1024 * 8192).toBe(REPEATED_TRACE_SAMPLES);
      const samples = samplesOf(replaying(1024));
      expect(samples).not.toHaveProperty('sha256');
      expect(pieces(replaying(2)).join('')).toContain(canonicalJson(list));
    });

    it('1,025 nodes: {"sha256": the text\'s sha256} for each node, the text written once, to hash it', () => {
      expect(samplesOf(replaying(1025))).toEqual({ sha256: digest });
      const text = pieces(replaying(1025)).join('');
      expect(text).toContain(`"samples":{"sha256":"${digest}"}`);
      expect(text).not.toContain('"latencyMs"');
      expect(scenarioHash(replaying(1025))).toBe(createHash('sha256').update(text).digest('hex'));
    });

    it('a trace in a phase and as the slowdown counts twice for the node: 512 nodes stay text, 513 do not', () => {
      expect(samplesOf(replaying(512, true))).not.toHaveProperty('sha256');
      expect(samplesOf(replaying(513, true))).toEqual({ sha256: digest });
    });
  });
});
