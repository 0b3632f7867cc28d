/**
 * Time model v2 on rounds worked out by hand: round start 1000 ms, latency 5 ms, 19,240 bytes
 * at 1 Gbps (0.15392 ms) unless said otherwise, retryMs 100, 3 tries, 10 ms steps.
 */
import { describe, expect, it } from 'vitest';
import { roundTimelines, roundTimes, type RoundNodeInput, type RoundTimeInput } from '../../src/sim/round-time.js';

const T = 0.15392;

function node(overrides: Partial<RoundNodeInput> = {}): RoundNodeInput {
  return { latencyAt: () => 5, bytes: 19_240, bandwidthBps: 1e9, stepMs: 10, slowdownAt: null, ...overrides };
}

function round(nodes: Array<RoundNodeInput | null>, overrides: Partial<RoundTimeInput> = {}): RoundTimeInput {
  return { startMs: 1000, deadlineMs: null, retryMs: 100, maxRetries: 3, localSteps: 1, serverBps: Number.POSITIVE_INFINITY, nodes, ...overrides };
}

const lost = node({ latencyAt: () => null });

describe('the barrier learns of a failure only when it happens', () => {
  it('b loses all 3 tries (1000, 1100, 1200): dropped for retries at 1200 + 100 = 1300, and the round waits for it', () => {
    const times = roundTimes(round([node(), lost, null]));
    const [a, b, idle] = times.timelines();
    // a: 1000 + 5 + T, + 10, + 5 + T
    expect(a).toMatchObject({ outcome: 'finished', downloadEndMs: 1005 + T, computeEndMs: 1015 + T, droppedAtMs: null });
    expect(a!.finishMs).toBeCloseTo(1020 + 2 * T, 9);
    expect(b).toMatchObject({ outcome: 'dropped', reason: 'retries', droppedAtMs: 1300, finishMs: null, upload: null });
    expect(b!.download.tries.map((t) => t.atMs)).toEqual([1000, 1100, 1200]);
    expect(idle).toBeNull();
    expect(times.outcomeKnownMs(null)).toBe(1300);
  });

  it('a deadline at 1250 comes before b’s last failure is learnt (1300): dropped for the deadline, at 1250', () => {
    const times = roundTimes(round([node(), lost], { deadlineMs: 1250 }));
    expect(times.timeline(1)).toMatchObject({ outcome: 'dropped', reason: 'deadline', droppedAtMs: 1250 });
    expect(times.outcomeKnownMs(1250)).toBe(1250);
  });

  it('a deadline at 1200: the third try is not made; dropped at the deadline', () => {
    const timelines = roundTimelines(round([lost], { deadlineMs: 1200 }));
    expect(timelines[0]).toMatchObject({ outcome: 'dropped', reason: 'deadline', droppedAtMs: 1200 });
    expect(timelines[0]!.download).toMatchObject({ nextTryMs: 1200, failure: 'deadline' });
    expect(timelines[0]!.download.tries).toHaveLength(2);
  });

  it('an upload still under way at the deadline is dropped then; one arriving exactly at it counts', () => {
    const finish = roundTimelines(round([node()]))[0]!.finishMs!; // 1020 + 2T, as the model adds it up
    expect(finish).toBeCloseTo(1020 + 2 * T, 9);
    const late = roundTimelines(round([node()], { deadlineMs: 1020 }));
    expect(late[0]).toMatchObject({ outcome: 'dropped', reason: 'deadline', droppedAtMs: 1020, computeEndMs: 1015 + T });
    expect(late[0]!.upload!.arrivedMs).toBeCloseTo(finish, 9);
    const onTime = roundTimelines(round([node()], { deadlineMs: finish }));
    expect(onTime[0]).toMatchObject({ outcome: 'finished', finishMs: finish });
  });
});

describe('compute that varies over time', () => {
  it('a slowdown phase boundary at 1020 ms inside the round: steps of 10, 10, then 2 × 10 ms', () => {
    // 3 steps from 1005 + T: [1005+T, 1015+T) ×1, [1015+T, 1025+T) ×1 (starts before 1020), [1025+T, 1045+T) ×2
    const [a] = roundTimelines(round([node({ slowdownAt: (t) => (t < 1020 ? 1 : 2) })], { localSteps: 3 }));
    expect(a!.steps).toEqual([
      { startMs: 1005 + T, endMs: 1005 + T + 10 },
      { startMs: 1005 + T + 10, endMs: 1005 + T + 20 },
      { startMs: 1005 + T + 20, endMs: 1005 + T + 40 },
    ]);
    // S3's response time: the mean actual step, 10 × 4 / 3
    expect(a!.stepMs).toBeCloseTo(40 / 3, 12);
    expect(a!.finishMs).toBeCloseTo(1005 + T + 40 + 5 + T, 9);
  });

  it('a negative slowdown counts as 0: the step takes no time', () => {
    const [a] = roundTimelines(round([node({ slowdownAt: () => -3 })], { localSteps: 2 }));
    expect(a!.computeEndMs).toBe(a!.downloadEndMs);
    expect(a!.stepMs).toBe(0);
  });

  it('without slowdown every step is exactly stepMs and the compute ends at download + localSteps · stepMs', () => {
    const [a] = roundTimelines(round([node({ stepMs: 0.1 })], { localSteps: 3 }));
    expect(a!.stepMs).toBe(0.1);
    expect(a!.computeEndMs).toBe(1005 + T + 3 * 0.1);
  });
});

describe('a shared server link of 100 Mbps, 1 MB models, 1 Gbps nodes, latency 0', () => {
  const MB = 1_000_000;
  const fast = (stepMs: number) => node({ latencyAt: () => 0, bytes: MB, stepMs });
  it('two downloads share the link (50 Mbps each: 160 ms); the uploads, 10 ms apart, share what they overlap', () => {
    const times = roundTimes(round([fast(10), fast(20)], { startMs: 0, serverBps: 100e6 }));
    const [a, b] = times.timelines();
    expect(a!.downloadEndMs).toBeCloseTo(160, 9);
    expect(b!.downloadEndMs).toBeCloseTo(160, 9);
    // uploads: a alone from 170 at 100 Mbps for 10 ms (1 Mbit), then shares with b from 180:
    // a has 7 Mbit left at 50 Mbps → 180 + 140 = 320; b at 50 Mbps until 320 (7 Mbit) then 100 Mbps for 1 Mbit → 330
    expect(a!.finishMs).toBeCloseTo(320, 9);
    expect(b!.finishMs).toBeCloseTo(330, 9);
    expect(times.outcomeKnownMs(null)).toBeCloseTo(330, 9);
  });

  it('without a server link the same transfers take 8 ms each: the model is Part I’s', () => {
    const [a] = roundTimelines(round([fast(10)], { startMs: 0 }));
    expect([a!.downloadEndMs, a!.computeEndMs, a!.finishMs]).toEqual([8, 18, 26]);
  });
});

describe('the round as columns, and the events built from them', () => {
  // a: first try lost, second through; b: every try lost; c: not dispatched; d: a 300 ms step
  // ends after the 1250 ms deadline, so its upload is never tried
  const input = round([
    node({ latencyAt: (t) => (t < 1050 ? null : 5) }),
    lost,
    null,
    node({ stepMs: 300 }),
  ], { deadlineMs: 1250 });
  const aDownloadEnd = 1105 + T;
  const aComputeEnd = aDownloadEnd + 10;
  const aFinish = aComputeEnd + 5 + T;
  const dDownloadEnd = 1005 + T;
  const dComputeEnd = dDownloadEnd + 300;

  it('each node’s timeline is its events, tries and steps as the model made them', () => {
    const times = roundTimes(input);
    expect(times.timeline(0)).toEqual({
      outcome: 'finished', reason: null,
      download: { tries: [{ atMs: 1000, latencyMs: null }, { atMs: 1100, latencyMs: 5 }], arrivedMs: aDownloadEnd, activeMs: 1105, failure: null, nextTryMs: null },
      steps: [{ startMs: aDownloadEnd, endMs: aComputeEnd }],
      upload: { tries: [{ atMs: aComputeEnd, latencyMs: 5 }], arrivedMs: aFinish, activeMs: aComputeEnd + 5, failure: null, nextTryMs: null },
      stepMs: 10, downloadEndMs: aDownloadEnd, computeEndMs: aComputeEnd, finishMs: aFinish, droppedAtMs: null,
    });
    expect(times.timeline(1)).toEqual({
      outcome: 'dropped', reason: 'deadline',
      download: { tries: [{ atMs: 1000, latencyMs: null }, { atMs: 1100, latencyMs: null }, { atMs: 1200, latencyMs: null }], arrivedMs: null, activeMs: null, failure: 'deadline', nextTryMs: null },
      steps: [], upload: null, stepMs: 10, downloadEndMs: null, computeEndMs: null, finishMs: null, droppedAtMs: 1250,
    });
    expect(times.timeline(2)).toBeNull();
    expect(times.timeline(3)).toEqual({
      outcome: 'dropped', reason: 'deadline',
      download: { tries: [{ atMs: 1000, latencyMs: 5 }], arrivedMs: dDownloadEnd, activeMs: 1005, failure: null, nextTryMs: null },
      steps: [{ startMs: dDownloadEnd, endMs: dComputeEnd }],
      upload: { tries: [], arrivedMs: null, activeMs: null, failure: 'deadline', nextTryMs: dComputeEnd },
      stepMs: 300, downloadEndMs: dDownloadEnd, computeEndMs: dComputeEnd, finishMs: null, droppedAtMs: 1250,
    });
    expect(roundTimelines(input)).toEqual([0, 1, 2, 3].map((i) => times.timeline(i)));
  });

  it('the columns say the same, NaN where a timeline says null', () => {
    const times = roundTimes(input);
    expect([...times.outcome]).toEqual([1, 2, 0, 2]);
    expect([0, 1, 2, 3].map((i) => [times.dispatched(i), times.finished(i), times.dropReason(i)])).toEqual([
      [true, true, null], [true, false, 'deadline'], [false, false, null], [true, false, 'deadline'],
    ]);
    expect([...times.downloadEndMs]).toEqual([aDownloadEnd, Number.NaN, Number.NaN, dDownloadEnd]);
    expect([...times.computeEndMs]).toEqual([aComputeEnd, Number.NaN, Number.NaN, dComputeEnd]);
    expect([...times.finishMs]).toEqual([aFinish, Number.NaN, Number.NaN, Number.NaN]);
    expect([...times.droppedAtMs]).toEqual([Number.NaN, 1250, Number.NaN, 1250]);
    expect([times.stepMs[0], times.stepMs[1], times.stepMs[3]]).toEqual([10, 10, 300]);
    expect(times.outcomeKnownMs(1250)).toBe(1250);
    expect(times.outcomeKnownMs(null)).toBe(1250);
    expect(roundTimes(round([node()])).outcomeKnownMs(null)).toBe(1020 + T + T);
    expect(roundTimes(round([null])).outcomeKnownMs(1250)).toBeNull();
  });
});
