import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startCountProgress, startProgress } from '../../src/cli/progress.js';
import { installPlanStop } from '../../src/cli/plan-stop.js';
import type { RoundRecord } from '../../src/sim/records.js';
import { S1S4 } from '../report/fixtures.js';

const RECORD = {} as RoundRecord;

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  Object.assign(stream, { isTTY, columns: 120 });
  let text = '';
  stream.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  return { stream, written: () => text };
}

async function flushed(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('startProgress', () => {
  it('shows nothing on a pipe', async () => {
    const { stream, written } = fakeStream(false);
    const progress = startProgress(10, { stream, now: () => 5000, delayMs: 0 });
    progress.onRound(RECORD, S1S4);
    progress.stop();
    await flushed();
    expect(written()).toBe('');
  });

  it('on a terminal it appears only once the run has lasted the delay, and is cleared at the end', async () => {
    // Arrange: a fake clock, 10 rounds in all.
    const { stream, written } = fakeStream(true);
    let nowMs = 0;
    const progress = startProgress(10, { stream, now: () => nowMs, delayMs: 1000 });

    // Act / Assert: before the delay, nothing
    nowMs = 500;
    progress.onRound(RECORD, S1S4);
    await flushed();
    expect(written()).toBe('');

    // after it, the bar with the rounds done so far
    nowMs = 1500;
    progress.onRound(RECORD, S1S4);
    await flushed();
    expect(written()).toContain('2/10 rounds · s1s4');

    // stop clears the line
    progress.stop();
    progress.stop();
    await flushed();
    expect(written()).toMatch(/\u001b\[2K[^\n]*$/);
  });

  it('--no-progress turns it off even on a terminal', async () => {
    const { stream, written } = fakeStream(true);
    const progress = startProgress(10, { stream, now: () => 5000, delayMs: 0, enabled: false });
    progress.onRound(RECORD, S1S4);
    progress.stop();
    await flushed();
    expect(written()).toBe('');
  });
});

describe('the bar of a grid being planned', () => {
  it('on a terminal, once planning has lasted the delay: runs planned of the grid\'s; cleared when planning ends', async () => {
    const { stream, written } = fakeStream(true);
    let nowMs = 0;
    const signals = new EventEmitter();
    const stop = installPlanStop('sweep', { progress: { stream, now: () => nowMs, delayMs: 1000 }, signals: signals as unknown as NodeJS.Process, turn: async () => {} });
    await stop.plan(function* (progress) {
      for (const planned of [256, 512, 768]) {
        nowMs = planned === 256 ? 500 : 1500;
        progress.onPlanned?.(planned, 1000);
        yield;
      }
      return { axes: [], strategies: [], runs: [], gridHash: '' };
    });
    stop.dispose();
    await flushed();
    // not before the delay
    expect(written()).not.toContain('256/1000');
    expect(written()).toContain('sweep: planning [');
    expect(written()).toContain('512/1000 runs');
    expect(written()).toMatch(/\u001b\[2K[^\n]*$/);
  });

  it('shows nothing on a pipe', async () => {
    const { stream, written } = fakeStream(false);
    const bar = startCountProgress('planning {value}/{total}', { stream, now: () => 5000, delayMs: 0 });
    bar.update(5, 10);
    bar.stop();
    await flushed();
    expect(written()).toBe('');
  });
});
