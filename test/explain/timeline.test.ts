import { describe, expect, it } from 'vitest';
import { transferText } from '../../src/explain/timeline.js';
import { linkWaitMs } from '../../src/report/round-phases.js';
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
      .toBe('tried at 0 ms → latency 150 ms + transfer 0.5 ms → would arrive 150.5 ms, after the deadline 100 ms → dropped (deadline)');
  });

  it('a drop says when it became known: the last lost try + retryMs, when the last failure was learnt', () => {
    const lost = (atMs: number) => ({ atMs, latencyMs: null });
    const events: TransferEvents = { tries: [lost(1000), lost(1100), lost(1200)], arrivedMs: null, activeMs: null, failure: 'retries', nextTryMs: null };
    expect(transferText(events, 0.5, null, { retryMs: 100, droppedAtMs: 1300 }))
      .toBe('tried at 1000 ms … 1200 ms: all 3 tries lost → dropped (retries) at 1300 ms, when the last failure was learnt');
  });

  it('a failure that would be learnt after the deadline is not waited for: dropped at the deadline', () => {
    const lost = (atMs: number) => ({ atMs, latencyMs: null });
    const events: TransferEvents = { tries: [lost(0), lost(100), lost(200)], arrivedMs: null, activeMs: null, failure: 'deadline', nextTryMs: null };
    expect(transferText(events, 0.5, 250, { retryMs: 100, droppedAtMs: 250 }))
      .toBe('tried at 0 ms … 200 ms: all 3 tries lost; the last failure would be learnt at 300 ms, after the deadline 250 ms → dropped (deadline) at 250 ms');
    const notMade: TransferEvents = { tries: [lost(0)], arrivedMs: null, activeMs: null, failure: 'deadline', nextTryMs: 100 };
    expect(transferText(notMade, 0.5, 100, { retryMs: 100, droppedAtMs: 100 }))
      .toBe('tried at 0 ms (lost); the next try at 100 ms is not before the deadline 100 ms → dropped (deadline) at 100 ms');
    const underWay: TransferEvents = { tries: [{ atMs: 0, latencyMs: 90 }], activeMs: 90, arrivedMs: 150.5, failure: 'deadline', nextTryMs: null };
    expect(transferText(underWay, 0.5, 100, { retryMs: 100, droppedAtMs: 100, linkWaitMs: 60 }))
      .toBe('tried at 0 ms → latency 90 ms + transfer 0.5 ms + 60 ms waiting for the server link → would arrive 150.5 ms, after the deadline 100 ms → dropped (deadline) at 100 ms');
  });

  it('a transfer slowed by the server link shows the time it waited for it', () => {
    // bytes move from 20 ms; 0.5 ms on the node's own bandwidth; they arrive at 23.5 ms: 3 ms waiting for the link
    const events: TransferEvents = { tries: [{ atMs: 0, latencyMs: 20 }], activeMs: 20, arrivedMs: 23.5, failure: null, nextTryMs: null };
    expect(transferText(events, 0.5, null, { linkWaitMs: linkWaitMs(events, 0.5) }))
      .toBe('tried at 0 ms → latency 20 ms + transfer 0.5 ms + 3 ms waiting for the server link → arrives 23.5 ms');
  });
});
