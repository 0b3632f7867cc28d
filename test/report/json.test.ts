import { describe, expect, test } from 'vitest';
import { toJsonReport } from '../../src/report/json.js';
import { generatedResult, tinyResult } from './fixtures.js';

const PLAIN = { version: '0.1.0', trace: false, timing: false };

/** Node objects written out in schema-version-1 key order, then the additive fields. */
function took(id: string, efficiency: number, effectiveMs: number, batch: number, responseMs: number | null,
  pressure: number, threads: number, ioQueue: number, finishMs: number, gradNorm: number, volatility: number | null,
  weight: number) {
  return {
    id, efficiency, effectiveMs, observedMs: 2000, batch, responseMs, pressure, threads, ioQueue,
    participated: true, finishMs, gradNorm, volatility, weight,
    plannedBatch: batch, dropReason: null, downloadEndMs: finishMs - 40, computeEndMs: finishMs - 20,
  };
}

function notTaking(id: string, efficiency: number, effectiveMs: number, responseMs: number | null, pressure: number,
  threads: number, ioQueue: number, plannedBatch: number, dropReason: string, downloadEndMs: number | null) {
  return {
    id, efficiency, effectiveMs, observedMs: 2000, batch: 0, responseMs, pressure, threads, ioQueue,
    participated: false, finishMs: null, gradNorm: null, volatility: null, weight: 0,
    plannedBatch, dropReason, downloadEndMs, computeEndMs: null,
  };
}

const EXPECTED_TINY = {
  schemaVersion: 1,
  tool: { name: 'dtrain', version: '0.1.0' },
  scenario: { name: 'tiny', seed: 7, file: 'scenarios/tiny.yaml' },
  runs: [
    {
      strategy: { name: 's1s4', batch: 'efficiency', resources: 'pressure', aggregation: 'volatility' },
      backend: 'cpu',
      rounds: [
        {
          round: 1, startMs: 0, endMs: 6420, skipped: false, loss: 0.69314, accuracy: 0.5,
          nodes: [
            took('a', 1, 2000, 32, null, 0, 4, 8, 6000, 1.5, null, 0.4),
            took('b', 0.5, 1000, 16, null, 0, 2, 4, 6420, 2.5, null, 0.35),
            took('c', 0.75, 1500, 24, null, 0, 3, 6, 6100, 2, null, 0.25),
            notTaking('d', 0, 0, null, 0, 0, 0, 0, 'notDispatched', null),
          ],
        },
        {
          round: 2, startMs: 6420, endMs: 8115, skipped: false, loss: 0.48213, accuracy: 0.88333,
          nodes: [
            took('a', 1, 2000, 32, 12.5, 400, 5, 10, 8000, 1.25, 0.1, 0.5),
            took('b', 0.375, 750, 11, 12.75, 140.25, 2, 3, 8115, 2.25, 0.042, 0.25),
            notTaking('c', 0.625, 1250, 10.25, 184.5, 3, 5, 18, 'deadline', 6500),
            took('d', 0.6875, 1375, 19, 9.75, 185.25, 3, 6, 8050, 3, 0.2, 0.25),
          ],
        },
      ],
      summary: { finalAccuracy: 0.88333, bestAccuracy: 0.88333, simulatedMs: 8115, samplesTrained: 134, timeToTargetMs: 8115 },
    },
    {
      strategy: { name: 'sync-sgd', batch: 'fixed', resources: 'fixed', aggregation: 'mean' },
      backend: 'cpu',
      rounds: [
        {
          round: 1, startMs: 0, endMs: 6000, skipped: false, loss: 0.7, accuracy: 0.61,
          nodes: [
            took('a', 1, 2000, 32, null, 0, 4, 8, 5000, 1.5, null, 0.25),
            took('b', 0.5, 1000, 32, null, 0, 4, 8, 6000, 2.5, null, 0.25),
            took('c', 0.75, 1500, 32, null, 0, 4, 8, 5500, 2, null, 0.25),
            took('d', 0, 0, 32, null, 0, 4, 8, 5900, 3, null, 0.25),
          ],
        },
        {
          round: 2, startMs: 6000, endMs: 8000, skipped: true, loss: 0.7, accuracy: 0.61,
          nodes: [
            notTaking('a', 1, 2000, 12.5, 400, 4, 8, 32, 'retries', 6500),
            notTaking('b', 0.5, 1000, 12.75, 408, 4, 8, 32, 'retries', 6500),
            notTaking('c', 0.75, 1500, 11, 352, 4, 8, 32, 'retries', 6500),
            notTaking('d', 0, 0, 14, 448, 4, 8, 32, 'retries', 6500),
          ],
        },
      ],
      summary: { finalAccuracy: 0.61, bestAccuracy: 0.61, simulatedMs: 8000, samplesTrained: 128, timeToTargetMs: null },
    },
  ],
};

function firstNode(json: string): Record<string, unknown> {
  return JSON.parse(json).runs[0].rounds[0].nodes[0];
}

describe('toJsonReport', () => {
  test('the tiny run serialises to the hand-written schema-version-1 document, keys in order', () => {
    // Arrange
    const expected = `${JSON.stringify(EXPECTED_TINY, null, 2)}\n`;

    // Act
    const json = toJsonReport(tinyResult(), PLAIN);

    // Assert: byte equality also checks key order, which toEqual would not
    expect(json).toBe(expected);
  });

  test('a node is written with 2-space indentation, spec fields first and additive fields after weight', () => {
    // Arrange
    const expected = [
      '            {',
      '              "id": "b",',
      '              "efficiency": 0.375,',
      '              "effectiveMs": 750,',
      '              "observedMs": 2000,',
      '              "batch": 11,',
      '              "responseMs": 12.75,',
      '              "pressure": 140.25,',
      '              "threads": 2,',
      '              "ioQueue": 3,',
      '              "participated": true,',
      '              "finishMs": 8115,',
      '              "gradNorm": 2.25,',
      '              "volatility": 0.042,',
      '              "weight": 0.25,',
      '              "plannedBatch": 11,',
      '              "dropReason": null,',
      '              "downloadEndMs": 8075,',
      '              "computeEndMs": 8095',
      '            },',
    ].join('\n');

    // Act
    const json = toJsonReport(tinyResult(), PLAIN);

    // Assert
    expect(json).toContain(expected);
    expect(json.endsWith('}\n')).toBe(true);
  });

  test('top-level, strategy and summary keys follow the schema order', () => {
    // Act
    const report = JSON.parse(toJsonReport(tinyResult(), PLAIN));

    // Assert
    expect(Object.keys(report)).toEqual(['schemaVersion', 'tool', 'scenario', 'runs']);
    expect(Object.keys(report.runs[0])).toEqual(['strategy', 'backend', 'rounds', 'summary']);
    expect(Object.keys(report.runs[0].rounds[0])).toEqual(['round', 'startMs', 'endMs', 'skipped', 'loss', 'accuracy', 'nodes']);
    expect(Object.keys(report.runs[0].summary)).toEqual(
      ['finalAccuracy', 'bestAccuracy', 'simulatedMs', 'samplesTrained', 'timeToTargetMs']);
  });

  test('samplesMs is absent without trace', () => {
    // Arrange
    const result = tinyResult();
    result.runs[0].rounds[0].nodes[0].samplesMs = [5, null, 7];

    // Act
    const node = firstNode(toJsonReport(result, PLAIN));

    // Assert
    expect(node).not.toHaveProperty('samplesMs');
  });

  test('with trace, samplesMs follows observedMs and keeps lost samples as null', () => {
    // Arrange
    const result = tinyResult();
    result.runs[0].rounds[0].nodes[0].samplesMs = [5, null, 7.5];

    // Act
    const node = firstNode(toJsonReport(result, { ...PLAIN, trace: true }));

    // Assert
    expect(node.samplesMs).toEqual([5, null, 7.5]);
    expect(Object.keys(node).slice(2, 6)).toEqual(['effectiveMs', 'observedMs', 'samplesMs', 'batch']);
  });

  test('with trace, a node record without samples says samplesMs: null', () => {
    // Act
    const node = firstNode(toJsonReport(tinyResult(), { ...PLAIN, trace: true }));

    // Assert
    expect(node).toHaveProperty('samplesMs', null);
  });

  test('wallMs is absent without timing even when the run measured it', () => {
    // Arrange
    const result = tinyResult();
    result.runs[0].summary.wallMs = 1234.5;

    // Act
    const summary = JSON.parse(toJsonReport(result, PLAIN)).runs[0].summary;

    // Assert
    expect(summary).not.toHaveProperty('wallMs');
  });

  test('with timing, wallMs is the last summary key (null when not measured)', () => {
    // Arrange
    const result = tinyResult();
    result.runs[0].summary.wallMs = 1234.5;

    // Act
    const runs = JSON.parse(toJsonReport(result, { ...PLAIN, timing: true })).runs;

    // Assert
    expect(Object.keys(runs[0].summary).at(-1)).toBe('wallMs');
    expect(runs[0].summary.wallMs).toBe(1234.5);
    expect(runs[1].summary.wallMs).toBeNull();
  });

  test('non-finite numbers become null', () => {
    // Arrange
    const result = tinyResult();
    const round = result.runs[0].rounds[0];
    round.loss = Number.NaN;
    round.nodes[0].efficiency = Number.POSITIVE_INFINITY;
    round.nodes[0].samplesMs = [Number.NEGATIVE_INFINITY, 4];

    // Act
    const parsed = JSON.parse(toJsonReport(result, { ...PLAIN, trace: true })).runs[0].rounds[0];

    // Assert
    expect(parsed.loss).toBeNull();
    expect(parsed.nodes[0].efficiency).toBeNull();
    expect(parsed.nodes[0].samplesMs).toEqual([null, 4]);
  });

  test('numbers keep full precision', () => {
    // Arrange
    const result = tinyResult();
    result.runs[0].rounds[0].nodes[0].weight = 1 / 3;

    // Act
    const node = firstNode(toJsonReport(result, PLAIN));

    // Assert
    expect(node.weight).toBe(1 / 3);
  });

  test('identical input gives byte-identical output', () => {
    // Act
    const first = toJsonReport(generatedResult(256), { ...PLAIN, trace: true });
    const second = toJsonReport(generatedResult(256), { ...PLAIN, trace: true });

    // Assert
    expect(first).toBe(second);
    expect(first.length).toBeGreaterThan(100_000);
  });
});
