/**
 * A FIFO named by an output (`--ndjson`, or a streamed report) is opened twice: first without
 * blocking, which fails when nothing reads it, then blocking. The first descriptor must stay open
 * until the second is: were it closed before, a reader waiting in `cat` would see an end of file
 * in between, leave, and the blocking open would then wait for a reader for ever (a run of
 * `dtrain simulate --ndjson FIFO` that never ended, seen once under load).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => [] as string[]);

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    openSync: (path: import('node:fs').PathLike, flags: import('node:fs').OpenMode, mode?: import('node:fs').Mode | null): number => {
      const fd = fs.openSync(path, flags, mode);
      if (typeof flags === 'number') calls.push(`open ${(flags & fs.constants.O_NONBLOCK) !== 0 ? 'without blocking' : 'blocking'} → ${fd}`);
      return fd;
    },
    closeSync: (fd: number): void => {
      calls.push(`close ${fd}`);
      fs.closeSync(fd);
    },
  };
});

const { openLiveOutput } = await import('../../src/output-file.js');

describe('a FIFO opened for --ndjson', () => {
  it('keeps its first descriptor open until the blocking one is; the reader gets every line and then its end', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'dtrain-fifo-')), 'lines');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let read = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => (read += chunk));
    const exited = new Promise((resolve) => reader.on('close', resolve));
    // until cat has the FIFO open, the first open fails (no reader): try again
    let output: ReturnType<typeof openLiveOutput> | null = null;
    for (let tries = 0; output === null && tries < 500; tries++) {
      calls.length = 0;
      try {
        output = openLiveOutput({ kind: 'special', path: fifo, label: `--ndjson ${fifo}` });
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    if (output === null) reader.kill();
    expect(output).not.toBeNull();
    const [probe, blocking] = calls.map((call) => call.match(/^open .* → (\d+)$/)?.[1]).filter((fd) => fd !== undefined);
    expect(calls).toEqual([`open without blocking → ${probe}`, `open blocking → ${blocking}`, `close ${probe}`]);
    output!.write('{"type":"header"}\n');
    output!.write('{"type":"summary"}\n');
    output!.close();
    expect(await exited).toBe(0);
    expect(read).toBe('{"type":"header"}\n{"type":"summary"}\n');
  }, 30_000);
});
