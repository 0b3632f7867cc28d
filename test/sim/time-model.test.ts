import { describe, expect, it } from 'vitest';
import { roundTimelines } from '../../src/sim/round-time.js';
import {
  amdahlSpeedup, modelBytes, type NodeTimeline, stepMs, transferMs,
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

  it('stepOverheadMs is serial: max(3 + 4.16, 0.25) = 7.16 ms; it can make a step compute-bound', () => {
    expect(stepMs({ msPerSample: 0.4, parallelFraction: 0.9, ioMsPerBatch: 2, stepOverheadMs: 3 }, 32, 4, 8)).toBeCloseTo(7.16, 12);
    // I/O 10 ms beat compute 0.05 ms; with 12 ms of overhead compute (12.05 ms) wins
    expect(stepMs({ msPerSample: 0.01, parallelFraction: 1, ioMsPerBatch: 40, stepOverheadMs: 12 }, 10, 2, 4)).toBeCloseTo(12.05, 12);
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

/** start 1000, transfer 2 ms (250,000 bytes at 1 Gbps), 3 steps of 10 ms, retry every 100 ms, 20 tries, no deadline */
interface OneNode {
  latencyAt: (t: number) => number | null;
  maxRetries: number;
  deadlineMs: number | null;
}

function nodeTimeline(overrides: Partial<OneNode> = {}): NodeTimeline {
  const input: OneNode = { latencyAt: () => 5, maxRetries: 20, deadlineMs: null, ...overrides };
  return roundTimelines({
    startMs: 1000, deadlineMs: input.deadlineMs, retryMs: 100, maxRetries: input.maxRetries, localSteps: 3, serverBps: Number.POSITIVE_INFINITY,
    nodes: [{ latencyAt: input.latencyAt, bytes: 250_000, bandwidthBps: 1e9, stepMs: 10, slowdownAt: null }],
  })[0]!;
}

/** Records every time the timeline asks for a latency. */
function recording(latencyAt: (t: number) => number | null): { calls: number[]; latencyAt: (t: number) => number | null } {
  const calls: number[] = [];
  return { calls, latencyAt: (t) => { calls.push(t); return latencyAt(t); } };
}

describe('one node’s round (time model v2, alone, no server link)', () => {
  it('download 1000 + 5 + 2 = 1007, compute + 30 = 1037, upload + 7 = 1044', () => {
    expect(nodeTimeline()).toEqual({
      outcome: 'finished', reason: null, downloadEndMs: 1007, computeEndMs: 1037, finishMs: 1044, stepMs: 10, droppedAtMs: null,
      download: { tries: [{ atMs: 1000, latencyMs: 5 }], activeMs: 1005, arrivedMs: 1007, failure: null, nextTryMs: null },
      steps: [{ startMs: 1007, endMs: 1017 }, { startMs: 1017, endMs: 1027 }, { startMs: 1027, endMs: 1037 }],
      upload: { tries: [{ atMs: 1037, latencyMs: 5 }], activeMs: 1042, arrivedMs: 1044, failure: null, nextTryMs: null },
    });
  });

  it('retries a lost download: the first 2 tries fail, the download starts at start + 2r', () => {
    const probe = recording((t) => (t < 1200 ? null : 5));
    const timeline = nodeTimeline({ latencyAt: probe.latencyAt });
    expect(probe.calls.slice(0, 3)).toEqual([1000, 1100, 1200]);
    expect(timeline).toMatchObject({ outcome: 'finished', downloadEndMs: 1207, computeEndMs: 1237, finishMs: 1244 });
  });

  it('retries a lost upload from the end of compute', () => {
    // compute ends at 1037; lost while t < 1300 → upload tries 1037, 1137, 1237 fail, 1337 succeeds
    const timeline = nodeTimeline({ latencyAt: (t) => (t >= 1030 && t < 1300 ? null : 5) });
    expect(timeline).toMatchObject({ outcome: 'finished', computeEndMs: 1037, finishMs: 1344 });
  });

  it('drops the node after maxRetries failed tries, counting the first, when the last failure is learnt', () => {
    const probe = recording(() => null);
    const timeline = nodeTimeline({ latencyAt: probe.latencyAt, maxRetries: 3 });
    expect(probe.calls).toEqual([1000, 1100, 1200]);
    expect(timeline).toMatchObject({ outcome: 'dropped', reason: 'retries', downloadEndMs: null, computeEndMs: null, finishMs: null, droppedAtMs: 1300, steps: [], upload: null });
  });

  it('drops after the upload’s own maxRetries, keeping the phase ends reached', () => {
    const timeline = nodeTimeline({ latencyAt: (t) => (t < 1030 ? 5 : null), maxRetries: 2 });
    expect(timeline).toMatchObject({ outcome: 'dropped', reason: 'retries', downloadEndMs: 1007, computeEndMs: 1037, finishMs: null, droppedAtMs: 1237 });
    expect(timeline.upload!.tries).toEqual([{ atMs: 1037, latencyMs: null }, { atMs: 1137, latencyMs: null }]);
  });

  it('does not start a try at or after the deadline: dropped at the deadline', () => {
    const probe = recording(() => null);
    const timeline = nodeTimeline({ latencyAt: probe.latencyAt, deadlineMs: 1200 });
    expect(probe.calls).toEqual([1000, 1100]);
    expect(timeline).toMatchObject({ outcome: 'dropped', reason: 'deadline', droppedAtMs: 1200 });
    expect(timeline.download).toMatchObject({ failure: 'deadline', nextTryMs: 1200 });
  });

  it('drops a node whose upload is still under way at the deadline', () => {
    const timeline = nodeTimeline({ deadlineMs: 1040 });
    expect(timeline).toMatchObject({ outcome: 'dropped', reason: 'deadline', downloadEndMs: 1007, computeEndMs: 1037, droppedAtMs: 1040 });
    expect(timeline.upload).toMatchObject({ arrivedMs: 1044, failure: 'deadline' });
  });

  it('keeps a node whose upload arrives exactly at the deadline', () => {
    expect(nodeTimeline({ deadlineMs: 1044 })).toMatchObject({ outcome: 'finished', finishMs: 1044 });
  });

  it('makes one try even when maxRetries is 0', () => {
    const probe = recording(() => null);
    nodeTimeline({ latencyAt: probe.latencyAt, maxRetries: 0 });
    expect(probe.calls).toEqual([1000]);
  });
});
