import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/golden/canonical-json.js';
import { canonicalScenario, scenarioHash } from '../../src/golden/scenario-hash.js';
import { parseDatasetCsv } from '../../src/scenario/dataset-csv.js';
import type { Scenario } from '../../src/scenario/types.js';
import { makeScenario } from '../report/fixtures.js';

function withTrace(file: string): Scenario {
  const scenario = makeScenario(['a']);
  const latency = { process: { kind: 'trace' as const, file, loop: true, samples: [{ timeMs: 0, latencyMs: 5 }] }, loss: 0, down: [] };
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
      const slowdown = { process: { kind: 'trace' as const, file, loop: true, samples: [{ timeMs: 0, latencyMs: 2 }] }, loss: 0, down: [] };
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
