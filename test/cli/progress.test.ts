import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startProgress } from '../../src/cli/progress.js';
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
