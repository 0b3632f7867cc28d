/**
 * The exported latency series: rows on the slot grid from the slot holding −windowMs to the
 * slot holding the duration, the run's own values (lost = empty), and the trace parser rule
 * that lets it replay in place (a CSV starting below 0 keeps its times as written).
 */
import { describe, expect, it } from 'vitest';
import { latencyCsv, latencySeries, MAX_SERIES_SLOTS } from '../../src/export/latency-series.js';
import { parseScenarioText } from '../../src/node/load.js';
import { buildNetwork } from '../../src/run/network.js';
import { parseTraceText } from '../../src/scenario/trace-file.js';
import { buildLatencyModel } from '../../src/sim/latency/index.js';
import { thrown } from '../helpers/thrown.js';
import { sampleList } from '../helpers/trace-samples.js';

function scenario(latency: string, options: { window?: string; resolution?: number } = {}) {
  const text = `name: t
seed: 11
rounds: 2
data: { dataset: iris }
model: { hidden: [] }
pipeline:
  s1: { intervalMs: 50, windowMs: ${options.window ?? '200'}, thresholdMs: 20 }
cluster:
${options.resolution === undefined ? '' : `  latencyResolutionMs: ${options.resolution}\n`}  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: ${latency} }
`;
  return parseScenarioText(text, 't.yaml');
}

describe('latencySeries', () => {
  it('covers the slots from the one holding −windowMs to the one holding the duration, with the run\'s values', () => {
    const s = scenario('{ normal: { mean: 30, std: 15 }, loss: 0.3 }');
    const series = latencySeries(s, 'b', 120);
    // window 200 ms on a 50 ms grid: −200, −150, … 100 (the slot holding 120)
    expect([...series.timesMs]).toEqual([-200, -150, -100, -50, 0, 50, 100]);
    const run = buildNetwork(s)[1]!;
    expect([...series.valuesMs].map((v) => (Number.isNaN(v) ? null : v))).toEqual([...series.timesMs].map((t) => run.at(t)));
    expect([...series.valuesMs].some(Number.isNaN)).toBe(true);
  });

  it('writes time_ms,latency_ms with an empty latency for a lost slot', () => {
    const s = scenario('{ constant: 7, down: [ { from: 0, to: 100 } ] }');
    expect(latencyCsv(latencySeries(s, 'b', 100))).toBe('time_ms,latency_ms\n-200,7\n-150,7\n-100,7\n-50,7\n0,\n50,\n100,7\n');
  });

  it('starts at the start of the slot holding −windowMs when the grid is coarser than the window', () => {
    const s = scenario('{ constant: 3 }', { window: '250', resolution: 100 });
    expect(latencyCsv(latencySeries(s, 'b', 100))).toBe('time_ms,latency_ms\n-300,3\n-200,3\n-100,3\n0,3\n100,3\n');
  });

  it('refuses a duration that is not positive and a series past the row cap', () => {
    const s = scenario('{ constant: 3 }');
    expect(thrown(() => latencySeries(s, 'b', 0)).message).toBe('--duration must be a positive duration, found 0 ms');
    expect(thrown(() => latencySeries(s, 'b', Number.NaN)).message).toBe('--duration must be a positive duration, found NaN ms');
    expect(thrown(() => latencySeries(s, 'b', 50 * MAX_SERIES_SLOTS)).message).toBe(
      `--duration ${50 * MAX_SERIES_SLOTS} (${50 * MAX_SERIES_SLOTS} ms) covers ${MAX_SERIES_SLOTS + 5} slots of 50 ms from -200 ms; at most ${MAX_SERIES_SLOTS} (a shorter duration or a coarser cluster.latencyResolutionMs)`,
    );
  });
});

describe('a CSV trace starting below 0 (an exported series)', () => {
  it('keeps its times as written, unrounded, where a recording is made relative to its first row', () => {
    expect(sampleList(parseTraceText('time_ms,latency_ms\n-200,5\n0.30000000000000004,\n7,1\n', 'x.csv'))).toEqual([
      { timeMs: -200, latencyMs: 5 },
      { timeMs: 0.30000000000000004, latencyMs: null },
      { timeMs: 7, latencyMs: 1 },
    ]);
    expect(sampleList(parseTraceText('time_ms,latency_ms\n200,5\n300,6\n', 'x.csv'))).toEqual([
      { timeMs: 0, latencyMs: 5 },
      { timeMs: 100, latencyMs: 6 },
    ]);
  });

  it('replays every slot of the window before round 1 as the original (a burst chain and per-slot draws)', () => {
    const s = scenario('{ phases: [ { until: 100, normal: { mean: 30, std: 15 } }, { burst: { good: 5, bad: 400, toBad: 0.5, toGood: 0.5 }, loss: 0.2 } ] }', { resolution: 0.7 });
    const series = latencySeries(s, 'b', 300);
    const samples = parseTraceText(latencyCsv(series), 'b.csv');
    const replay = buildLatencyModel({ process: { kind: 'trace', file: 'b.csv', loop: false, samples }, loss: 0, down: [] }, { seed: 1, nodeId: 'b', resolutionMs: 0.7, originMs: -200 });
    const original = buildNetwork(s)[1]!;
    const distinct = new Set<string>();
    // every 0.1 ms from −200 to 300: several times inside each 0.7 ms slot
    for (let i = -2000; i <= 3000; i++) {
      const t = i / 10;
      expect(replay.at(t), `t = ${t}`).toBe(original.at(t));
      if (t < 0) distinct.add(String(original.at(t)));
    }
    expect(distinct.size).toBeGreaterThan(10);
  });
});
