import { describe, expect, it } from 'vitest';
import { transferText } from '../../src/explain/timeline.js';
import type { TransferEvents } from '../../src/sim/time-model.js';

describe('transferText (the schedule’s transfer events in words)', () => {
  it('a lost try retried retryMs later, arriving at try + latency + transfer', () => {
    const events: TransferEvents = { tries: [{ atMs: 0, latencyMs: null }, { atMs: 100, latencyMs: 20 }], arrivedMs: 120.5, failure: null, nextTryMs: null };
    expect(transferText(events, 0.5, null)).toBe('tried at 0 ms (lost), 100 ms → latency 20 ms + transfer 0.5 ms → arrives 120.5 ms');
  });

  it('after maxRetries lost tries the node is dropped for retries', () => {
    const events: TransferEvents = {
      tries: [{ atMs: 0, latencyMs: null }, { atMs: 100, latencyMs: null }, { atMs: 200, latencyMs: null }], arrivedMs: null, failure: 'retries', nextTryMs: null,
    };
    expect(transferText(events, 0.5, null)).toBe('tried at 0 ms … 200 ms: all 3 tries lost → dropped (retries)');
  });

  it('a try at or after the deadline is not made; an arrival after it is dropped too', () => {
    const early: TransferEvents = { tries: [{ atMs: 0, latencyMs: null }], arrivedMs: null, failure: 'deadline', nextTryMs: 100 };
    expect(transferText(early, 0.5, 100)).toBe('tried at 0 ms (lost); the next try at 100 ms is not before the deadline 100 ms → dropped (deadline)');
    const late: TransferEvents = { tries: [{ atMs: 0, latencyMs: 150 }], arrivedMs: 150.5, failure: 'deadline', nextTryMs: null };
    expect(transferText(late, 0.5, 100))
      .toBe('tried at 0 ms → latency 150 ms + transfer 0.5 ms → arrives 150.5 ms, after the deadline 100 ms → dropped (deadline)');
  });
});
