/**
 * The heap-growth setting for large runs (issue 14: 131,072 nodes in ≤ 2 GiB peak RSS): set
 * exactly when the pre-run estimate is above the threshold, never for the bundled scenarios.
 */
import { describe, expect, it } from 'vitest';
import { heapGrowthFlag, LARGE_CLUSTER_NODES, LARGE_RUN_BYTES, LARGE_RUN_GROWING_PERCENT, largestCluster, limitHeapGrowth } from '../../src/cli/heap-growth.js';
import { datasetShape } from '../../src/limits/dataset-shape.js';
import { estimateRun, type EstimateOptions } from '../../src/limits/estimate.js';
import { loadScenario, parseScenarioText } from '../../src/node/load.js';

const STREAMED_JSON: EstimateOptions = { json: true, trace: false, report: false, timeline: false, csv: false, streamed: true };
const FLAG = `--heap-growing-percent=${LARGE_RUN_GROWING_PERCENT}`;

/** `nodes` nodes in groups of at most 65,536 (a group's count is at most 100,000). */
function cluster(nodes: number) {
  const groups: string[] = [];
  for (let first = 0; first < nodes; first += 65_536) {
    groups.push(`    - { id: g${groups.length}, count: ${Math.min(65_536, nodes - first)}, latency: { constant: 5 } }`);
  }
  return parseScenarioText(`
rounds: 10
data: { dataset: { blobs: { samples: 1000000, features: 16, classes: 4 } } }
model: { hidden: [16] }
cluster:
  nodes:
${groups.join('\n')}
`, 'heap.yaml');
}

/** The flags limitHeapGrowth set for this scenario (none or one). */
function flagsSet(scenario: ReturnType<typeof cluster>, output = STREAMED_JSON): string[] {
  const set: string[] = [];
  const returned = limitHeapGrowth(estimate(scenario, output), scenario.cluster.nodes.length, (flag) => set.push(flag));
  expect(returned).toBe(set[0] ?? null);
  return set;
}

const estimate = (scenario: ReturnType<typeof cluster>, output = STREAMED_JSON) => estimateRun(scenario, datasetShape(scenario.data.dataset), output).memoryBytes;

describe('heapGrowthFlag', () => {
  it('keeps V8 default up to the threshold and caps growth one byte above it', () => {
    expect(LARGE_RUN_BYTES).toBe(768 * 1024 ** 2);
    expect(heapGrowthFlag(0)).toBeNull();
    expect(heapGrowthFlag(LARGE_RUN_BYTES)).toBeNull();
    expect(heapGrowthFlag(LARGE_RUN_BYTES + 1)).toBe('--heap-growing-percent=50');
    expect(heapGrowthFlag(4 * 1024 ** 3)).toBe('--heap-growing-percent=50');
  });
});

describe('limitHeapGrowth', () => {
  it('sets the flag from the node count at which the estimate passes the threshold, not one node before', () => {
    // the smallest node count whose estimate is above the threshold (the estimate grows with the nodes)
    let lo = 1;
    let hi = 131_072;
    expect(estimate(cluster(hi))).toBeGreaterThan(LARGE_RUN_BYTES);
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (estimate(cluster(mid)) > LARGE_RUN_BYTES) hi = mid;
      else lo = mid;
    }
    expect(estimate(cluster(lo))).toBeLessThanOrEqual(LARGE_RUN_BYTES);
    expect(flagsSet(cluster(lo))).toEqual([]);
    expect(flagsSet(cluster(hi))).toEqual([FLAG]);
  });

  it('follows the outputs asked for: the same scenario keeping every node record is larger', () => {
    // 12,000 nodes: too few window samples a round for the window helper thread
    const scenario = cluster(12_000);
    const kept = { ...STREAMED_JSON, streamed: false };
    expect(estimate(scenario)).toBeLessThanOrEqual(LARGE_RUN_BYTES);
    expect(estimate(scenario, kept)).toBeGreaterThan(LARGE_RUN_BYTES);
    expect(flagsSet(scenario)).toEqual([]);
    expect(flagsSet(scenario, kept)).toEqual([FLAG]);
  });

  it('is set from 65,536 nodes whatever the estimate: a round\'s short-lived objects outgrow V8\'s default growth there', () => {
    // little training data and one sample a window (no window helper thread): the estimate of
    // 131,072 nodes stays under the threshold
    const small = (nodes: number) => parseScenarioText(`
rounds: 10
data: { dataset: { blobs: { samples: 20000, features: 4, classes: 2 } } }
model: { hidden: [] }
pipeline: { s1: { windowMs: 100ms } }
cluster:
  nodes:
    - { id: a, count: ${Math.min(nodes, 65_536)}, latency: { constant: 5 } }
${nodes > 65_536 ? `    - { id: b, count: ${nodes - 65_536}, latency: { constant: 5 } }` : ''}
`, 'small.yaml');
    expect(estimate(small(131_072))).toBeLessThanOrEqual(LARGE_RUN_BYTES);
    expect(flagsSet(small(131_072))).toEqual([FLAG]);
    expect(flagsSet(small(LARGE_CLUSTER_NODES))).toEqual([FLAG]);
    expect(flagsSet(small(LARGE_CLUSTER_NODES - 1))).toEqual([]);
    expect(heapGrowthFlag(0, 65_535)).toBeNull();
    expect(heapGrowthFlag(0, 65_536)).toBe(FLAG);
  });

  it('a pool is sized by the most nodes among the runs still to do', () => {
    const run = (key: string, nodes: number) => ({ key, scenario: { cluster: { nodes: Array.from({ length: nodes }) } } });
    const planned = [run('a', 10), run('b', 70_000), run('c', 300)];
    expect(largestCluster(planned, [{ key: 'a' }, { key: 'c' }])).toBe(300);
    expect(largestCluster(planned, [{ key: 'a' }, { key: 'b' }])).toBe(70_000);
    expect(largestCluster(planned, [])).toBe(0);
  });

  it('is set for the 131,072-node benchmark, not for 16,384 nodes or a bundled scenario', async () => {
    const root = `${import.meta.dirname}/../..`;
    expect(flagsSet(await loadScenario(`${root}/bench/scenarios/cluster-131072.yaml`))).toEqual([FLAG]);
    expect(flagsSet(await loadScenario(`${root}/bench/scenarios/cluster-16384.yaml`))).toEqual([]);
    for (const name of ['quickstart', 'large-cluster']) {
      expect(flagsSet(await loadScenario(`${root}/scenarios/${name}.yaml`), { ...STREAMED_JSON, streamed: false }), name).toEqual([]);
    }
  });
});
