import { describe, expect, test } from 'vitest';
import { traceTable } from '../../../src/sim/latency/trace.js';
import { type Sample, traceSamples } from '../../helpers/trace-samples.js';
import { model, spec } from './spec-helpers.js';

// Span = 400 ms; the sample at 200 ms is lost.
const SAMPLES: Sample[] = [
  { timeMs: 0, latencyMs: 10 },
  { timeMs: 100, latencyMs: 20 },
  { timeMs: 200, latencyMs: null },
  { timeMs: 300, latencyMs: 40 },
  { timeMs: 400, latencyMs: 50 },
];

function trace(samples: Sample[], loop: boolean) {
  return model(spec({ kind: 'trace', file: 'traces/test.csv', loop, samples: traceSamples(samples) }), { resolutionMs: 100 });
}

describe('trace replay latency', () => {
  test('replays the last sample at or before the slot start', () => {
    // Arrange: samples that do not fall on the 100 ms grid
    const m = trace([{ timeMs: 0, latencyMs: 1 }, { timeMs: 150, latencyMs: 2 }, { timeMs: 250, latencyMs: 3 }, { timeMs: 1000, latencyMs: 4 }], false);
    // Act / Assert: t_k = 100 → sample at 0; t_k = 200 → sample at 150; t = 260 → t_k = 200 → sample at 150
    expect(m.at(100)).toBe(1);
    expect(m.at(200)).toBe(2);
    expect(m.at(260)).toBe(2);
    expect(m.at(300)).toBe(3);
  });

  test('a sample with no latency is lost (null)', () => {
    const m = trace(SAMPLES, true);
    expect(m.at(200)).toBeNull();
    expect(m.at(299)).toBeNull();
  });

  test('with loop, time wraps modulo the span (last time − first time)', () => {
    const m = trace(SAMPLES, true);
    expect(m.at(0)).toBe(10);
    expect(m.at(300)).toBe(40);
    expect(m.at(400)).toBe(10); // 400 mod 400 = 0
    expect(m.at(550)).toBe(20); // t_k = 500 → 100
    expect(m.at(1_300)).toBe(20); // 1,300 − 3·400 = 100
  });

  test('with loop, negative times wrap too', () => {
    const m = trace(SAMPLES, true);
    expect(m.at(-100)).toBe(40); // ((−100 mod 400) + 400) mod 400 = 300
    expect(m.at(-50)).toBe(40); // slot −1, t_k = −100
    expect(m.at(-400)).toBe(10);
    expect(m.at(-2_000)).toBe(10); // −2,000 = −5·400
    expect(m.at(-1_900)).toBe(20); // → 100
  });

  test('without loop, past the end holds the last sample and before 0 the first', () => {
    const m = trace(SAMPLES, false);
    expect(m.at(400)).toBe(50);
    expect(m.at(10_000)).toBe(50);
    expect(m.at(-500)).toBe(10);
    expect(m.at(250)).toBeNull();
  });

  test('a single sample (span 0) is replayed for ever, looped or not', () => {
    const single: Sample[] = [{ timeMs: 0, latencyMs: 12 }];
    expect([trace(single, true).at(-700), trace(single, true).at(12_345)]).toEqual([12, 12]);
    expect([trace(single, false).at(-700), trace(single, false).at(12_345)]).toEqual([12, 12]);
  });

  test('unordered samples are replayed in time order', () => {
    const m = trace([SAMPLES[3]!, SAMPLES[0]!, SAMPLES[4]!, SAMPLES[1]!, SAMPLES[2]!], false);
    expect([0, 100, 200, 300, 400].map((t) => m.at(t))).toEqual([10, 20, null, 40, 50]);
  });

  test('an empty trace is rejected with the file name', () => {
    expect(() => trace([], true)).toThrow(/traces\/test\.csv has no samples/);
  });
});

describe('a trace shared by many nodes', () => {
  test('its samples are copied and sorted once per spec: every node replaying it reads the same arrays', () => {
    const shared = { kind: 'trace' as const, file: 'traces/test.csv', loop: true, samples: traceSamples([...SAMPLES].reverse()) };
    const first = traceTable(shared);
    expect(Array.from(first.timesMs)).toEqual([0, 100, 200, 300, 400]);
    expect(Array.from(first.latenciesMs)).toEqual([10, 20, Number.NaN, 40, 50]);
    // two nodes of one group: the same spec, the same table, the same values
    const a = model(spec(shared), { nodeId: 'a', resolutionMs: 100 });
    const b = model(spec(shared), { nodeId: 'b', resolutionMs: 100 });
    expect(traceTable(shared)).toBe(first);
    expect([0, 100, 200, 300, 550].map((t) => [a.at(t), b.at(t)])).toEqual([[10, 10], [20, 20], [null, null], [40, 40], [20, 20]]);
    // an equal spec of its own (another group) gets a table of its own
    expect(traceTable({ ...shared })).not.toBe(first);
  });

  test('samples in time order (as parsed) are replayed from their own columns, not a copy', () => {
    const samples = traceSamples(SAMPLES);
    const table = traceTable({ kind: 'trace', file: 'traces/test.csv', loop: true, samples });
    expect(table).toBe(samples);
  });

  test('samples out of order that share a time keep their order', () => {
    const process = { kind: 'trace' as const, file: 't.csv', loop: false, samples: traceSamples([{ timeMs: 5, latencyMs: 1 }, { timeMs: 0, latencyMs: 2 }, { timeMs: 5, latencyMs: 3 }]) };
    const table = traceTable(process);
    expect([Array.from(table.timesMs), Array.from(table.latenciesMs)]).toEqual([[0, 5, 5], [2, 1, 3]]);
    // the last sample at or before 5 ms is the later of the two
    expect(model(spec(process), { resolutionMs: 5 }).at(5)).toBe(3);
  });
});
