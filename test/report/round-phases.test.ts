import { describe, expect, it } from 'vitest';
import { linkWaitMs, nodeRoundPhases, ownTransferTimes, phaseTotalsMs } from '../../src/report/round-phases.js';
import { generatedResult, tinyResult } from './fixtures.js';
import { linkResult, OWN_TRANSFER_MS } from './link-fixture.js';

const s1s4 = () => tinyResult().runs[0]!;

describe('nodeRoundPhases', () => {
  it('a participant downloads, computes, uploads, then waits at the barrier until the round ends', () => {
    // round 1: 0 → 6420; node a: download end 5960, compute end 5980, upload arrives 6000
    const round = s1s4().rounds[0]!;
    expect(nodeRoundPhases(round, round.nodes[0]!)).toEqual([
      { kind: 'download', startMs: 0, endMs: 5960 },
      { kind: 'compute', startMs: 5960, endMs: 5980 },
      { kind: 'upload', startMs: 5980, endMs: 6000 },
      { kind: 'waiting', startMs: 6000, endMs: 6420 },
    ]);
  });

  it('the slowest participant does not wait (an empty phase is left out)', () => {
    const round = s1s4().rounds[0]!;
    expect(nodeRoundPhases(round, round.nodes[1]!).map((phase) => phase.kind)).toEqual(['download', 'compute', 'upload']);
  });

  it('a node not dispatched is idle for the whole round', () => {
    const round = s1s4().rounds[0]!;
    expect(nodeRoundPhases(round, round.nodes[3]!)).toEqual([{ kind: 'idle', startMs: 0, endMs: 6420, reason: 'notDispatched' }]);
  });

  it('a dropped node keeps the phases it reached and is idle from there, with the drop reason', () => {
    // round 2: 6420 → 8115; node c dropped at the deadline after its download ended at 6500
    const round = s1s4().rounds[1]!;
    expect(nodeRoundPhases(round, round.nodes[2]!)).toEqual([
      { kind: 'download', startMs: 6420, endMs: 6500 },
      { kind: 'idle', startMs: 6500, endMs: 8115, reason: 'deadline' },
    ]);
  });

  it('phases are clipped to the round: compute past the round end stops at endMs', () => {
    const round = { ...s1s4().rounds[1]!, startMs: 6420, endMs: 7000 };
    const node = { ...round.nodes[2]!, computeEndMs: 9000 };
    expect(nodeRoundPhases(round, node)).toEqual([
      { kind: 'download', startMs: 6420, endMs: 6500 },
      { kind: 'compute', startMs: 6500, endMs: 7000 },
    ]);
  });
});

describe('nodeRoundPhases reads the schedule’s events', () => {
  it('download until the model arrived, compute until the last step ended, upload until it arrived, then waiting', () => {
    const round = s1s4().rounds[0]!;
    const node = {
      ...round.nodes[0]!,
      timeline: {
        outcome: 'finished' as const, reason: null, stepMs: 2, downloadEndMs: 3, computeEndMs: 7, finishMs: 9, droppedAtMs: null,
        download: { tries: [{ atMs: round.startMs, latencyMs: 2 }], arrivedMs: round.startMs + 3, failure: null, nextTryMs: null },
        steps: [{ startMs: round.startMs + 3, endMs: round.startMs + 5 }, { startMs: round.startMs + 5, endMs: round.startMs + 7 }],
        upload: { tries: [{ atMs: round.startMs + 7, latencyMs: 1 }], arrivedMs: round.startMs + 9, failure: null, nextTryMs: null },
      },
    };
    const t = round.startMs;
    expect(nodeRoundPhases(round, node)).toEqual([
      { kind: 'download', startMs: t, endMs: t + 3 },
      { kind: 'compute', startMs: t + 3, endMs: t + 7 },
      { kind: 'upload', startMs: t + 7, endMs: t + 9 },
      { kind: 'waiting', startMs: t + 9, endMs: round.endMs },
    ]);
  });
});

describe('phaseTotalsMs', () => {
  it('sums a node’s phases over the run: hand-computed for node a of s1s4', () => {
    // round 1: 5960 / 20 / 20 / 420; round 2 (6420 → 8115, finish 8000): 1540 / 20 / 20 / 115
    expect(phaseTotalsMs(s1s4().rounds, 0)).toEqual({ download: 7500, compute: 40, upload: 40, link: 0, waiting: 535, idle: 0 });
  });

  it('every node’s phases add up to the run’s simulated time', () => {
    for (const run of [...tinyResult().runs, ...generatedResult(50, 3).runs]) {
      run.rounds[0]!.nodes.forEach((_, i) => {
        const totals = phaseTotalsMs(run.rounds, i);
        const sum = Object.values(totals).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(run.summary.simulatedMs - run.rounds[0]!.startMs, 9);
      });
    }
  });
});

describe('behind a shared server link', () => {
  it('a transfer the link slowed ends in a link phase as long as its arrival − its start − its own transfer time', () => {
    // node a, round 1 (link-fixture.ts): upload bytes 5986 → 6000, 4 ms on its own: 10 ms waiting for the link
    const round = linkResult().runs[0]!.rounds[0]!;
    expect(nodeRoundPhases(round, round.nodes[0]!, OWN_TRANSFER_MS)).toEqual([
      { kind: 'download', startMs: 0, endMs: 5960 },
      { kind: 'compute', startMs: 5960, endMs: 5980 },
      { kind: 'upload', startMs: 5980, endMs: 5990 },
      { kind: 'link', startMs: 5990, endMs: 6000, transfer: 'upload' },
      { kind: 'waiting', startMs: 6000, endMs: 6420 },
    ]);
    expect(linkWaitMs(round.nodes[0]!.timeline!.upload, OWN_TRANSFER_MS)).toBe(10);
    expect(linkWaitMs(round.nodes[0]!.timeline!.download, OWN_TRANSFER_MS)).toBe(0);
  });

  it('without a server link nothing is split, and the totals have no link time', () => {
    const round = linkResult().runs[0]!.rounds[0]!;
    expect(nodeRoundPhases(round, round.nodes[0]!).map((p) => p.kind)).toEqual(['download', 'compute', 'upload', 'waiting']);
    expect(ownTransferTimes(tinyResult())).toBeNull();
    expect(ownTransferTimes(linkResult())).toEqual([4, 4, 4, 4]);
  });

  it('the totals count the link time apart and still add up to the run', () => {
    const run = linkResult().runs[0]!;
    // round 1: 5960 / 20 / 10 / link 10 / 420; round 2 as before: 1540 / 20 / 20 / 115
    expect(phaseTotalsMs(run.rounds, 0, OWN_TRANSFER_MS)).toEqual({ download: 7500, compute: 40, upload: 30, link: 10, waiting: 535, idle: 0 });
  });
});
