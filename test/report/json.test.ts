import { describe, expect, test } from 'vitest';
import { toJsonReport } from '../../src/report/json.js';
import type { NodeRoundRecord, RoundRecord } from '../../src/sim/records.js';
import { generatedResult, tinyResult } from './fixtures.js';

const PLAIN = { version: '0.1.0', trace: false, timing: false };

/**
 * Node objects in schema-version-2 key order. The tiny fixture's records carry phase ends but
 * no durations, so the reporter derives them: download = downloadEndMs − startMs, compute 20,
 * upload 20 (the fixture puts the ends 40 and 20 ms before the finish).
 */
function took(startMs: number, id: string, efficiency: number, effectiveMs: number, batch: number, responseMs: number | null,
  pressure: number, threads: number, ioQueue: number, finishMs: number, gradNorm: number, volatility: number | null,
  weight: number) {
  return {
    id, efficiency, effectiveMs, observedMs: 2000, batch, responseMs, pressure, threads, ioQueue,
    participated: true, dropReason: null, droppedAtMs: null, finishMs,
    downloadMs: finishMs - 40 - startMs, computeMs: 20, uploadMs: 20,
    gradNorm, volatility, weight,
    plannedBatch: batch, downloadEndMs: finishMs - 40, computeEndMs: finishMs - 20,
  };
}

/** A node that did not take part: a record's `notDispatched` is null in the JSON. */
function notTaking(startMs: number, id: string, efficiency: number, effectiveMs: number, responseMs: number | null, pressure: number,
  threads: number, ioQueue: number, plannedBatch: number, dropReason: 'retries' | 'deadline' | null, downloadEndMs: number | null) {
  return {
    id, efficiency, effectiveMs, observedMs: 2000, batch: 0, responseMs, pressure, threads, ioQueue,
    participated: false, dropReason, droppedAtMs: null, finishMs: null,
    downloadMs: downloadEndMs === null ? null : downloadEndMs - startMs, computeMs: null, uploadMs: null,
    gradNorm: null, volatility: null, weight: 0,
    plannedBatch, downloadEndMs, computeEndMs: null,
  };
}

const NO_RUN_CONTEXT = { engine: null, backend: 'cpu', node: null, tfjs: null, overrides: { seed: null, rounds: null, strategy: null } };

// globalBatch = Σ batch over the participants; effectiveParticipants = 1 / Σ w² over them (0 when skipped)
const EXPECTED_TINY = {
  schemaVersion: 2,
  tool: { name: 'dtrain', version: '0.1.0' },
  scenario: { name: 'tiny', seed: 7, file: 'scenarios/tiny.yaml' },
  run: NO_RUN_CONTEXT,
  runs: [
    {
      strategy: { name: 's1s4', batch: 'efficiency', resources: 'pressure', aggregation: 'volatility' },
      backend: 'cpu',
      rounds: [
        {
          round: 1, startMs: 0, endMs: 6420, skipped: false, loss: 0.69314, accuracy: 0.5,
          globalBatch: 32 + 16 + 24, effectiveParticipants: 1 / (0.4 * 0.4 + 0.35 * 0.35 + 0.25 * 0.25),
          nodes: [
            took(0, 'a', 1, 2000, 32, null, 0, 4, 8, 6000, 1.5, null, 0.4),
            took(0, 'b', 0.5, 1000, 16, null, 0, 2, 4, 6420, 2.5, null, 0.35),
            took(0, 'c', 0.75, 1500, 24, null, 0, 3, 6, 6100, 2, null, 0.25),
            notTaking(0, 'd', 0, 0, null, 0, 0, 0, 0, null, null),
          ],
        },
        {
          round: 2, startMs: 6420, endMs: 8115, skipped: false, loss: 0.48213, accuracy: 0.88333,
          globalBatch: 32 + 11 + 19, effectiveParticipants: 1 / (0.5 * 0.5 + 0.25 * 0.25 + 0.25 * 0.25),
          nodes: [
            took(6420, 'a', 1, 2000, 32, 12.5, 400, 5, 10, 8000, 1.25, 0.1, 0.5),
            took(6420, 'b', 0.375, 750, 11, 12.75, 140.25, 2, 3, 8115, 2.25, 0.042, 0.25),
            notTaking(6420, 'c', 0.625, 1250, 10.25, 184.5, 3, 5, 18, 'deadline', 6500),
            took(6420, 'd', 0.6875, 1375, 19, 9.75, 185.25, 3, 6, 8050, 3, 0.2, 0.25),
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
          globalBatch: 128, effectiveParticipants: 4,
          nodes: [
            took(0, 'a', 1, 2000, 32, null, 0, 4, 8, 5000, 1.5, null, 0.25),
            took(0, 'b', 0.5, 1000, 32, null, 0, 4, 8, 6000, 2.5, null, 0.25),
            took(0, 'c', 0.75, 1500, 32, null, 0, 4, 8, 5500, 2, null, 0.25),
            took(0, 'd', 0, 0, 32, null, 0, 4, 8, 5900, 3, null, 0.25),
          ],
        },
        {
          round: 2, startMs: 6000, endMs: 8000, skipped: true, loss: 0.7, accuracy: 0.61,
          globalBatch: 0, effectiveParticipants: 0,
          nodes: [
            notTaking(6000, 'a', 1, 2000, 12.5, 400, 4, 8, 32, 'retries', 6500),
            notTaking(6000, 'b', 0.5, 1000, 12.75, 408, 4, 8, 32, 'retries', 6500),
            notTaking(6000, 'c', 0.75, 1500, 11, 352, 4, 8, 32, 'retries', 6500),
            notTaking(6000, 'd', 0, 0, 14, 448, 4, 8, 32, 'retries', 6500),
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
  test('the tiny run serialises to the hand-written schema-version-2 document, keys in order', () => {
    // Arrange
    const expected = `${JSON.stringify(EXPECTED_TINY, null, 2)}\n`;

    // Act
    const json = toJsonReport(tinyResult(), PLAIN);

    // Assert: byte equality also checks key order, which toEqual would not
    expect(json).toBe(expected);
  });

  test('a node is written with 2-space indentation, in the schema order', () => {
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
      '              "dropReason": null,',
      '              "droppedAtMs": null,',
      '              "finishMs": 8115,',
      '              "downloadMs": 1655,',
      '              "computeMs": 20,',
      '              "uploadMs": 20,',
      '              "gradNorm": 2.25,',
      '              "volatility": 0.042,',
      '              "weight": 0.25,',
      '              "plannedBatch": 11,',
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
    expect(Object.keys(report)).toEqual(['schemaVersion', 'tool', 'scenario', 'run', 'runs']);
    expect(Object.keys(report.run)).toEqual(['engine', 'backend', 'node', 'tfjs', 'overrides']);
    expect(Object.keys(report.runs[0])).toEqual(['strategy', 'backend', 'rounds', 'summary']);
    expect(Object.keys(report.runs[0].rounds[0])).toEqual(
      ['round', 'startMs', 'endMs', 'skipped', 'loss', 'accuracy', 'globalBatch', 'effectiveParticipants', 'nodes']);
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

describe('schema version 2: drops, phase durations, round figures, the run block', () => {
  const base = { efficiency: 1, effectiveMs: 2000, observedMs: 2000, responseMs: 5, pressure: 50, threads: 4, ioQueue: 8, gradNorm: null, volatility: null };
  /** A round from 1000 to 1300 ms as time model v2 records it. */
  function v2Round(): RoundRecord {
    const nodes: NodeRoundRecord[] = [
      // took part: 1000 + 30 + 200 + 20 = 1250
      { ...base, id: 'p', batch: 10, plannedBatch: 10, participated: true, dropReason: null, finishMs: 1250, droppedAtMs: null,
        downloadEndMs: 1030, computeEndMs: 1230, downloadMs: 30, computeMs: 200, uploadMs: 20, gradNorm: 1, weight: 0.75 },
      { ...base, id: 'q', batch: 6, plannedBatch: 6, participated: true, dropReason: null, finishMs: 1200, droppedAtMs: null,
        downloadEndMs: 1040, computeEndMs: 1190, downloadMs: 40, computeMs: 150, uploadMs: 10, gradNorm: 2, weight: 0.25 },
      // every upload try lost: dropped when the last failure was learnt, which ends the round
      { ...base, id: 'r', batch: 0, plannedBatch: 8, participated: false, dropReason: 'retries', finishMs: null, droppedAtMs: 1300,
        downloadEndMs: 1050, computeEndMs: 1100, downloadMs: 50, computeMs: 50, uploadMs: null, weight: 0 },
      { ...base, id: 's', batch: 0, plannedBatch: 0, participated: false, dropReason: 'notDispatched', finishMs: null, droppedAtMs: null,
        downloadEndMs: null, computeEndMs: null, downloadMs: null, computeMs: null, uploadMs: null, threads: 0, ioQueue: 0, weight: 0 },
    ];
    return { round: 1, startMs: 1000, endMs: 1300, skipped: false, loss: 1, accuracy: 0.5, nodes };
  }

  function written(round: RoundRecord, run?: Parameters<typeof toJsonReport>[1]['run']) {
    const result = tinyResult();
    result.runs = [{ ...result.runs[0]!, rounds: [round] }];
    return JSON.parse(toJsonReport(result, { ...PLAIN, ...(run === undefined ? {} : { run }) }));
  }

  test('per node: the drop reason and time, the finish, each completed phase (null for one that did not complete)', () => {
    // Act
    const nodes = written(v2Round()).runs[0].rounds[0].nodes as Array<Record<string, unknown>>;
    const pick = (n: Record<string, unknown>) => [n.id, n.dropReason, n.droppedAtMs, n.finishMs, n.downloadMs, n.computeMs, n.uploadMs];

    // Assert
    expect(nodes.map(pick)).toEqual([
      ['p', null, null, 1250, 30, 200, 20],
      ['q', null, null, 1200, 40, 150, 10],
      ['r', 'retries', 1300, null, 50, 50, null],
      // not dispatched: no drop reason in the JSON (the record's notDispatched)
      ['s', null, null, null, null, null, null],
    ]);
  });

  test('per round: the global batch and the effective participants, worked out from the records when they lack them', () => {
    // Arrange: Σ batch = 10 + 6 = 16; 1 / (0.75² + 0.25²) = 1 / 0.625 = 1.6
    const round = v2Round();

    // Act
    const json = written(round).runs[0].rounds[0];
    const skipped = written({ ...round, skipped: true, nodes: round.nodes.map((n) => ({ ...n, participated: false, batch: 0, weight: 0 })) }).runs[0].rounds[0];

    // Assert
    expect([json.globalBatch, json.effectiveParticipants]).toEqual([16, 1.6]);
    expect([skipped.globalBatch, skipped.effectiveParticipants]).toEqual([0, 0]);
  });

  test('the record\'s own round figures are written as they are', () => {
    // Act
    const json = written({ ...v2Round(), globalBatch: 99, effectiveParticipants: 1.25 }).runs[0].rounds[0];

    // Assert
    expect([json.globalBatch, json.effectiveParticipants]).toEqual([99, 1.25]);
  });

  test('the run block: engine, the backend the runs used, Node.js and TF.js versions, the command line\'s overrides', () => {
    // Arrange
    const run = { engine: 'fast', backend: 'auto', node: 'v20.19.0', tfjs: '4.22.0', overrides: { seed: 3, strategy: ['s1s4'] } };

    // Act
    const json = written(v2Round(), run);
    const noRun = tinyResult();
    noRun.runs = [];
    const before = JSON.parse(toJsonReport(noRun, { ...PLAIN, run }));

    // Assert
    expect(json.run).toEqual({ engine: 'fast', backend: 'cpu', node: 'v20.19.0', tfjs: '4.22.0', overrides: { seed: 3, rounds: null, strategy: ['s1s4'] } });
    // no run started: the backend asked for
    expect(before.run.backend).toBe('auto');
  });
});
