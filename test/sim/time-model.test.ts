import { describe, expect, it } from 'vitest';
import {
  amdahlSpeedup, modelBytes, nodeTimeline, type NodeTimelineInput, stepMs, transferMs,
} from '../../src/sim/time-model.js';

describe('amdahlSpeedup', () => {
  it('p = 0.9 on 4 threads is 1 / (0.1 + 0.225) = 3.0769230769…', () => {
    expect(amdahlSpeedup(0.9, 4)).toBeCloseTo(3.076923076923077, 12);
  });

  it('is 1 for one thread and equals the threads for p = 1', () => {
    expect(amdahlSpeedup(0.9, 1)).toBe(1);
    expect(amdahlSpeedup(1, 8)).toBe(8);
  });

  it('rejects fewer than one thread', () => {
    expect(() => amdahlSpeedup(0.9, 0)).toThrow(RangeError);
  });
});

describe('stepMs', () => {
  it('compute-bound: 32 · 0.4 ms / 3.0769 = 4.16 ms beats I/O 2 / 8 = 0.25 ms', () => {
    const node = { msPerSample: 0.4, parallelFraction: 0.9, ioMsPerBatch: 2 };

    expect(stepMs(node, 32, 4, 8)).toBeCloseTo(4.16, 12);
  });

  it('I/O-bound: 40 ms / queue 4 = 10 ms beats compute 10 · 0.01 / 2 = 0.05 ms', () => {
    const node = { msPerSample: 0.01, parallelFraction: 1, ioMsPerBatch: 40 };

    expect(stepMs(node, 10, 2, 4)).toBe(10);
  });
});

describe('model transfer', () => {
  it('a model is 4 bytes per parameter', () => {
    expect(modelBytes(4810)).toBe(19_240);
  });

  it('4,810 parameters at 1 Gbps take 153,920 bits / 1e9 = 0.15392 ms', () => {
    expect(transferMs(modelBytes(4810), 1e9)).toBe(0.15392);
  });

  it('10 MB at 100 Mbps take 800 ms', () => {
    expect(transferMs(10e6, 100e6)).toBe(800);
  });
});

/** start 1000, transfer 2 ms, 3 steps of 10 ms, retry every 100 ms, 20 tries, no deadline */
function timelineInput(overrides: Partial<NodeTimelineInput>): NodeTimelineInput {
  return {
    startMs: 1000,
    latencyAt: () => 5,
    transferMs: 2,
    stepMs: 10,
    localSteps: 3,
    retryMs: 100,
    maxRetries: 20,
    deadlineMs: null,
    ...overrides,
  };
}

/** Records every time the timeline asks for a latency. */
function recording(latencyAt: (t: number) => number | null): { calls: number[]; latencyAt: (t: number) => number | null } {
  const calls: number[] = [];
  return { calls, latencyAt: (t) => { calls.push(t); return latencyAt(t); } };
}

describe('nodeTimeline', () => {
  it('download 1000 + 5 + 2 = 1007, compute + 30 = 1037, upload + 7 = 1044', () => {
    expect(nodeTimeline(timelineInput({}))).toEqual({
      outcome: 'finished', reason: null, downloadEndMs: 1007, computeEndMs: 1037, finishMs: 1044, stepMs: 10,
      download: { tries: [{ atMs: 1000, latencyMs: 5 }], arrivedMs: 1007, failure: null, nextTryMs: null },
      steps: [{ startMs: 1007, endMs: 1017 }, { startMs: 1017, endMs: 1027 }, { startMs: 1027, endMs: 1037 }],
      upload: { tries: [{ atMs: 1037, latencyMs: 5 }], arrivedMs: 1044, failure: null, nextTryMs: null },
    });
  });

  it('retries a lost download: the first 2 tries fail, the download starts at start + 2r', () => {
    // Arrange
    const probe = recording((t) => (t < 1200 ? null : 5));

    // Act
    const timeline = nodeTimeline(timelineInput({ latencyAt: probe.latencyAt }));

    // Assert
    expect(probe.calls.slice(0, 3)).toEqual([1000, 1100, 1200]);
    expect(timeline).toMatchObject({ outcome: 'finished', downloadEndMs: 1207, computeEndMs: 1237, finishMs: 1244 });
  });

  it('retries a lost upload from the end of compute', () => {
    // compute ends at 1037; lost while t < 1300 → upload tries 1037, 1137, 1237 fail, 1337 succeeds
    const timeline = nodeTimeline(timelineInput({ latencyAt: (t) => (t >= 1030 && t < 1300 ? null : 5) }));

    expect(timeline).toMatchObject({ outcome: 'finished', computeEndMs: 1037, finishMs: 1344 });
  });

  it('drops the node after maxRetries failed tries, counting the first', () => {
    const probe = recording(() => null);

    const timeline = nodeTimeline(timelineInput({ latencyAt: probe.latencyAt, maxRetries: 3 }));

    expect(probe.calls).toEqual([1000, 1100, 1200]);
    expect(timeline).toMatchObject({ outcome: 'dropped', reason: 'retries', downloadEndMs: null, computeEndMs: null, finishMs: null, steps: [], upload: null });
    expect(timeline.download).toEqual({
      tries: [{ atMs: 1000, latencyMs: null }, { atMs: 1100, latencyMs: null }, { atMs: 1200, latencyMs: null }],
      arrivedMs: null, failure: 'retries', nextTryMs: null,
    });
  });

  it('drops after the upload’s own maxRetries, keeping the phase ends reached', () => {
    const timeline = nodeTimeline(timelineInput({ latencyAt: (t) => (t < 1030 ? 5 : null), maxRetries: 2 }));

    expect(timeline).toMatchObject({ outcome: 'dropped', reason: 'retries', downloadEndMs: 1007, computeEndMs: 1037, finishMs: null });
    expect(timeline.upload).toEqual({ tries: [{ atMs: 1037, latencyMs: null }, { atMs: 1137, latencyMs: null }], arrivedMs: null, failure: 'retries', nextTryMs: null });
  });

  it('does not start a try at or after the deadline', () => {
    const probe = recording(() => null);

    const timeline = nodeTimeline(timelineInput({ latencyAt: probe.latencyAt, deadlineMs: 1200 }));

    expect(probe.calls).toEqual([1000, 1100]);
    expect(timeline).toMatchObject({ outcome: 'dropped', reason: 'deadline', downloadEndMs: null, computeEndMs: null });
    expect(timeline.download).toEqual({
      tries: [{ atMs: 1000, latencyMs: null }, { atMs: 1100, latencyMs: null }], arrivedMs: null, failure: 'deadline', nextTryMs: 1200,
    });
  });

  it('drops a node whose upload arrives after the deadline', () => {
    const timeline = nodeTimeline(timelineInput({ deadlineMs: 1040 }));

    expect(timeline).toMatchObject({ outcome: 'dropped', reason: 'deadline', downloadEndMs: 1007, computeEndMs: 1037, finishMs: null });
    // the bytes did arrive, after the deadline: the event keeps the arrival and the reason
    expect(timeline.upload).toEqual({ tries: [{ atMs: 1037, latencyMs: 5 }], arrivedMs: 1044, failure: 'deadline', nextTryMs: null });
  });

  it('keeps a node whose upload arrives exactly at the deadline', () => {
    expect(nodeTimeline(timelineInput({ deadlineMs: 1044 }))).toMatchObject({ outcome: 'finished', finishMs: 1044 });
  });

  it('makes one try even when maxRetries is 0', () => {
    const probe = recording(() => null);

    nodeTimeline(timelineInput({ latencyAt: probe.latencyAt, maxRetries: 0 }));

    expect(probe.calls).toEqual([1000]);
  });
});
