import { describe, expect, it } from 'vitest';
import { replayTransfer, transferText, type TransferSetting } from '../../src/explain/timeline.js';

function setting(latencies: Record<number, number | null>, deadlineMs: number | null = null): TransferSetting {
  return { latencyAt: (t) => (t in latencies ? latencies[t]! : 5), transferMs: 0.5, retryMs: 100, maxRetries: 3, deadlineMs };
}

describe('replayTransfer', () => {
  it('retries a lost try retryMs later and arrives at try + latency + transfer', () => {
    const s = setting({ 0: null, 100: 20 });
    const outcome = replayTransfer(0, s);
    expect(outcome).toEqual({ ok: true, tries: [{ atMs: 0, latencyMs: null }, { atMs: 100, latencyMs: 20 }], arrivesMs: 120.5 });
    expect(transferText(outcome, s, 120.5)).toBe('tried at 0 ms (lost), 100 ms → latency 20 ms + transfer 0.5 ms → arrives 120.5 ms');
  });

  it('after maxRetries lost tries the node is dropped for retries', () => {
    const s = setting({ 0: null, 100: null, 200: null });
    const outcome = replayTransfer(0, s);
    expect(outcome).toMatchObject({ ok: false, reason: 'retries' });
    expect(transferText(outcome, s, null)).toBe('tried at 0 ms … 200 ms: all 3 tries lost → dropped (retries)');
  });

  it('a try at or after the deadline is not made; an arrival after it is dropped too', () => {
    const lost = setting({ 0: null }, 100);
    const early = replayTransfer(0, lost);
    expect(early).toEqual({ ok: false, tries: [{ atMs: 0, latencyMs: null }], reason: 'deadline', nextTryMs: 100 });
    expect(transferText(early, lost, null)).toBe('tried at 0 ms (lost); the next try at 100 ms is not before the deadline 100 ms → dropped (deadline)');
    const slow = setting({ 0: 150 }, 100);
    expect(transferText(replayTransfer(0, slow), slow, null))
      .toBe('tried at 0 ms → latency 150 ms + transfer 0.5 ms → arrives 150.5 ms, after the deadline 100 ms → dropped (deadline)');
  });
});
