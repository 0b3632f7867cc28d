import { describe, expect, it } from 'vitest';
import { toJsonReport } from '../../src/report/json.js';
import { toMicros, toTimeline, toTimelineJson, type TraceEvent } from '../../src/report/timeline.js';
import type { RunResult } from '../../src/sim/records.js';
import { generatedResult, tinyResult } from './fixtures.js';
import { linkResult } from './link-fixture.js';

const OPTIONS = { version: '0.1.0' };

type Complete = Extract<TraceEvent, { ph: 'X' }>;
type Instant = Extract<TraceEvent, { ph: 'i' }>;

function completes(result: RunResult): Complete[] {
  return toTimeline(result, OPTIONS).traceEvents.filter((e): e is Complete => e.ph === 'X');
}

function track(events: Complete[], pid: number, tid: number): Complete[] {
  return events.filter((e) => e.pid === pid && e.tid === tid);
}

describe('timeline structure (Trace Event Format, JSON object form)', () => {
  const results = [tinyResult(), generatedResult(40, 3)];

  it('is an object with traceEvents, displayTimeUnit ms and otherData, one event a line', () => {
    const result = tinyResult();
    const lines = toTimelineJson(result, OPTIONS).split('\n');
    const trace = toTimeline(result, OPTIONS);
    const count = trace.traceEvents.length;
    // per strategy: 2 process and 2 × 4 thread metadata events, 2 round markers and the phases
    expect(trace.traceEvents.filter((e) => e.ph === 'M')).toHaveLength(2 * (2 + 2 * 4));
    expect(lines[0]).toBe('{"traceEvents": [');
    lines.slice(1, 1 + count).forEach((line, k) => expect(line).toBe(`  ${JSON.stringify(trace.traceEvents[k])}${k < count - 1 ? ',' : ''}`));
    expect(lines.slice(1 + count)).toEqual([
      '],',
      '"displayTimeUnit": "ms",',
      `"otherData": {"tool":"dtrain","version":"0.1.0","scenario":${JSON.stringify(result.scenario.name)},"seed":${result.scenario.seed},"clock":"simulated time (µs)"}}`,
      '',
    ]);
    // each strategy's names come before its events: s1s4's metadata, its rounds, then sync-sgd's
    expect(trace.traceEvents.map((e) => (e.ph === 'M' ? `M${e.pid}` : `E${e.pid}`)).filter((x, k, all) => x !== all[k - 1])).toEqual(['M1', 'E1', 'M2', 'E2']);
  });

  it('a run with no strategies is an empty list of events', () => {
    const result = { ...tinyResult(), runs: [] };
    expect(toTimelineJson(result, OPTIONS).startsWith('{"traceEvents": [\n\n],\n"displayTimeUnit": "ms",\n')).toBe(true);
  });

  it('every event has its phase’s required fields; durations are whole µs ≥ 1', () => {
    for (const result of results) {
      for (const event of toTimeline(result, OPTIONS).traceEvents) {
        expect(typeof event.name).toBe('string');
        expect(Number.isInteger(event.pid) && event.pid >= 1).toBe(true);
        expect(Number.isInteger(event.tid) && event.tid >= 0).toBe(true);
        if (event.ph === 'M') expect(event.args).toBeTypeOf('object');
        else if (event.ph === 'X') {
          expect(['download', 'compute', 'upload', 'link', 'idle']).toContain(event.name);
          expect(event.cat).toBe(event.name);
          expect(Number.isInteger(event.ts) && event.ts >= 0).toBe(true);
          expect(Number.isInteger(event.dur) && event.dur >= 1).toBe(true);
        } else {
          expect(event.ph).toBe('i');
          expect(event.s).toBe('p');
          expect(Number.isInteger(event.ts)).toBe(true);
        }
      }
    }
  });

  it('names one process per strategy and one thread per node', () => {
    const result = tinyResult();
    const meta = toTimeline(result, OPTIONS).traceEvents.filter((e) => e.ph === 'M');
    const names = meta.filter((e) => e.name === 'process_name' || e.name === 'thread_name')
      .map((e) => [e.name, e.pid, e.tid, (e.args as { name: string }).name]);
    expect(names).toEqual([
      ['process_name', 1, 0, 's1s4'],
      ['thread_name', 1, 1, 'a'], ['thread_name', 1, 2, 'b'], ['thread_name', 1, 3, 'c'], ['thread_name', 1, 4, 'd'],
      ['process_name', 2, 0, 'sync-sgd'],
      ['thread_name', 2, 1, 'a'], ['thread_name', 2, 2, 'b'], ['thread_name', 2, 3, 'c'], ['thread_name', 2, 4, 'd'],
    ]);
  });

  it('each track’s events are sorted, never overlap, and tile the run from 0 to its end', () => {
    for (const result of results) {
      const events = completes(result);
      result.runs.forEach((run, s) => {
        run.rounds[0]!.nodes.forEach((_, n) => {
          const own = track(events, s + 1, n + 1);
          for (let k = 1; k < own.length; k++) expect(own[k]!.ts).toBe(own[k - 1]!.ts + own[k - 1]!.dur);
          expect(own[0]!.ts).toBe(0);
          expect(own.at(-1)!.ts + own.at(-1)!.dur).toBe(toMicros(run.summary.simulatedMs));
        });
      });
    }
  });

  it('marks the start of every round on its strategy’s process', () => {
    const result = tinyResult();
    const markers = toTimeline(result, OPTIONS).traceEvents.filter((e): e is Instant => e.ph === 'i');
    expect(markers.map((m) => [m.pid, m.name, m.ts, m.args.skipped])).toEqual([
      [1, 'round 1', 0, false], [1, 'round 2', 6_420_000, false],
      [2, 'round 1', 0, false], [2, 'round 2', 6_000_000, true],
    ]);
  });

  it('a run cut short before its first round keeps its named tracks and has no events', () => {
    const result = tinyResult();
    result.runs = [{ ...result.runs[0]!, rounds: [] }];
    const events = toTimeline(result, OPTIONS).traceEvents;
    expect(events.filter((e) => e.ph !== 'M')).toEqual([]);
    expect(events.filter((e) => e.name === 'thread_name')).toHaveLength(4);
  });

  it('is deterministic', () => {
    expect(toTimelineJson(tinyResult(), OPTIONS)).toBe(toTimelineJson(tinyResult(), OPTIONS));
  });
});

describe('timeline agrees with the JSON of the same run', () => {
  it('behind a server link, the end of an upload the link slowed is a link event (hand-checked, link-fixture.ts)', () => {
    const events = completes(linkResult());
    expect(track(events, 1, 1).slice(0, 5).map((e) => [e.name, e.ts, e.dur, e.args.transfer ?? e.args.reason])).toEqual([
      ['download', 0, 5_960_000, undefined],
      ['compute', 5_960_000, 20_000, undefined],
      ['upload', 5_980_000, 10_000, undefined],
      ['link', 5_990_000, 10_000, 'upload'],
      ['idle', 6_000_000, 420_000, 'barrier'],
    ]);
  });

  it('hand-checked: node a of s1s4 in round 1, node d idle, node c dropped at the deadline', () => {
    const events = completes(tinyResult());
    expect(track(events, 1, 1).slice(0, 4).map((e) => [e.name, e.ts, e.dur, e.args.reason])).toEqual([
      ['download', 0, 5_960_000, undefined],
      ['compute', 5_960_000, 20_000, undefined],
      ['upload', 5_980_000, 20_000, undefined],
      ['idle', 6_000_000, 420_000, 'barrier'],
    ]);
    expect(track(events, 1, 4)[0]).toMatchObject({ name: 'idle', ts: 0, dur: 6_420_000, args: { round: 1, reason: 'notDispatched' } });
    expect(track(events, 1, 3).slice(-2).map((e) => [e.name, e.ts, e.dur, e.args.reason])).toEqual([
      ['download', 6_420_000, 80_000, undefined],
      ['idle', 6_500_000, 1_615_000, 'deadline'],
    ]);
  });

  it('every participant’s download / compute / upload / wait is the JSON’s timestamps in µs', () => {
    const result = generatedResult(40, 3);
    const json = JSON.parse(toJsonReport(result, { version: '0', trace: false, timing: false }));
    const events = completes(result);
    json.runs.forEach((run: any, s: number) => {
      run.rounds.forEach((round: any) => {
        round.nodes.forEach((node: any, n: number) => {
          if (!node.participated) return;
          const own = track(events, s + 1, n + 1).filter((e) => e.args.round === round.round);
          const edges = [round.startMs, node.downloadEndMs, node.computeEndMs, node.finishMs, round.endMs]
            .map((ms) => toMicros(Math.min(Math.max(ms, round.startMs), round.endMs)));
          const expected = ['download', 'compute', 'upload', 'idle']
            .map((name, k) => ({ name, ts: edges[k]!, dur: edges[k + 1]! - edges[k]! }))
            .filter((e) => e.dur > 0);
          expect(own.map((e) => ({ name: e.name, ts: e.ts, dur: e.dur }))).toEqual(expected);
          expect(own[0]!.args).toMatchObject({ batch: node.batch, threads: node.threads, ioQueue: node.ioQueue });
        });
      });
    });
  });
});
