import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/node/host.js';
import { parseDatasetCsv } from '../../src/scenario/dataset-csv.js';
import type { NodeSpec, Scenario } from '../../src/scenario/types.js';
import { makeCursors, prepareTraining as prepareOn, type TrainingInput } from '../../src/train/prepare.js';

const prepareTraining = (input: Omit<TrainingInput, 'shipped'>) => prepareOn({ ...input, shipped: nodeHost.shippedDataset });

function node(id: string, fields: Partial<NodeSpec> = {}): NodeSpec {
  return {
    id,
    latency: { process: { kind: 'constant', valueMs: 5 }, loss: 0, down: [] },
    cores: 8,
    msPerSample: 0.4,
    parallelFraction: 0.9,
    ioMsPerBatch: 2,
    bandwidthBps: 1e9,
    labelNoise: 0,
    dataShare: 1,
    ...fields,
  };
}

const IRIS: Scenario['data'] = { dataset: { kind: 'builtin', name: 'iris' }, testFraction: 0.2, partition: { kind: 'iid' } };
const FOUR_NODES = ['a', 'b', 'c', 'd'].map((id) => node(id));

describe('prepareTraining', () => {
  it('splits iris 120 / 30 and gives 4 equal nodes 30 samples each as contiguous ranges', () => {
    // Act
    const prepared = prepareTraining({ data: IRIS, nodes: FOUR_NODES, seed: 7, hidden: [] });
    // Assert
    expect([prepared.train.samples, prepared.test.samples]).toEqual([120, 30]);
    expect(prepared.sampleCounts).toEqual([30, 30, 30, 30]);
    expect(prepared.sampleRanges).toEqual({ first: Int32Array.of(0, 30, 60, 90), count: Int32Array.of(30, 30, 30, 30) });
    expect(prepared.nodeIds).toEqual(['a', 'b', 'c', 'd']);
    expect([prepared.datasetName, prepared.featureCount, prepared.classCount]).toEqual(['iris', 4, 3]);
    expect(prepared.initialParams.map((p) => p.length)).toEqual([12, 3]);
  });

  it('is deterministic for a seed', () => {
    const a = prepareTraining({ data: IRIS, nodes: FOUR_NODES, seed: 7, hidden: [4] });
    const b = prepareTraining({ data: IRIS, nodes: FOUR_NODES, seed: 7, hidden: [4] });
    expect(b).toEqual(a);
  });

  it('applies label noise only to the noisy node, exactly round(f · m) labels', () => {
    // Arrange
    const clean = prepareTraining({ data: IRIS, nodes: FOUR_NODES, seed: 7, hidden: [] });
    const nodes = FOUR_NODES.map((n) => (n.id === 'c' ? node('c', { labelNoise: 0.3 }) : n));
    // Act
    const noisy = prepareTraining({ data: IRIS, nodes, seed: 7, hidden: [] });
    // Assert: node c holds rows 60..89; 0.3 · 30 = 9 labels differ, all inside that range
    const differing = Array.from(clean.train.labels.keys()).filter((i) => clean.train.labels[i] !== noisy.train.labels[i]);
    expect(differing).toHaveLength(9);
    expect(differing.every((i) => i >= 60 && i < 90)).toBe(true);
    expect(noisy.train.features).toEqual(clean.train.features);
    expect(noisy.test.labels).toEqual(clean.test.labels);
  });

  it('gives nodes that share samples their own label view (fewer training samples than nodes)', () => {
    // Arrange: 4 samples → 3 train + 1 test, 5 nodes share the 3 training samples
    const parsed = parseDatasetCsv('x,label\n0,0\n1,1\n2,0\n3,1\n', 'four.csv');
    const nodes = ['a', 'b', 'c', 'd', 'e'].map((id) => node(id, { labelNoise: id === 'd' ? 1 : 0 }));
    // Act
    const prepared = prepareTraining({ data: { dataset: { kind: 'csv', file: '/data/four.csv', sha256: '', parsed }, testFraction: 0.25, partition: { kind: 'iid' } }, nodes, seed: 1, hidden: [] });
    // Assert: node a's sample i % 3 is node d's sample, with the label flipped only for d
    expect(prepared.train.samples).toBe(5);
    expect(prepared.sampleCounts).toEqual([1, 1, 1, 1, 1]);
    expect(prepared.train.features[3]).toBe(prepared.train.features[0]);
    expect(prepared.train.labels[3]).toBe(1 - prepared.train.labels[0]!);
  });
});

describe('makeCursors', () => {
  it('makes one cursor per node, drawing only that node\'s samples, identical on every call', () => {
    // Arrange
    const prepared = prepareTraining({ data: IRIS, nodes: FOUR_NODES, seed: 7, hidden: [] });
    // Act
    const first = makeCursors(prepared, 7).map((c) => c.nextSteps(8, 2));
    const again = makeCursors(prepared, 7).map((c) => c.nextSteps(8, 2));
    // Assert
    expect(again).toEqual(first);
    first.forEach((steps, i) => {
      for (const index of steps.flatMap((s) => Array.from(s))) expect(index >= 30 * i && index < 30 * (i + 1)).toBe(true);
    });
  });

  it('made where each node\'s draws so far left it, draws what its cursor would draw next', () => {
    const prepared = prepareTraining({ data: IRIS, nodes: FOUR_NODES, seed: 7, hidden: [] });
    const drawn = [0, 8, 30, 47];
    const along = makeCursors(prepared, 7);
    along.forEach((cursor, i) => cursor.next(drawn[i]!));
    const moved = makeCursors(prepared, 7, Float64Array.from(drawn));
    expect(moved.map((cursor) => Array.from(cursor.next(12)))).toEqual(along.map((cursor) => Array.from(cursor.next(12))));
  });
});
