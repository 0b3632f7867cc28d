import { execFileSync } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileBounded, readFileInChunks, readTextFileLimited } from '../../src/node/read-file.js';
import { decodeText, firstInvalidUtf8, formatBytes } from '../../src/scenario/text-file.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('firstInvalidUtf8', () => {
  it('accepts ASCII and well-formed 2-, 3- and 4-byte sequences', () => {
    expect(firstInvalidUtf8(new TextEncoder().encode('a é € 😀'))).toBe(-1);
  });

  it('finds a stray continuation byte, a Latin-1 byte, overlongs, surrogates, truncation and bytes past U+10FFFF', () => {
    expect(firstInvalidUtf8(bytes(0x61, 0x80))).toBe(1);
    expect(firstInvalidUtf8(bytes(0x63, 0x61, 0x66, 0xe9))).toBe(3);
    expect(firstInvalidUtf8(bytes(0xc0, 0xaf))).toBe(0);
    expect(firstInvalidUtf8(bytes(0xe0, 0x80, 0xaf))).toBe(0);
    expect(firstInvalidUtf8(bytes(0xed, 0xa0, 0x80))).toBe(0);
    expect(firstInvalidUtf8(bytes(0x61, 0xe2, 0x82))).toBe(1);
    expect(firstInvalidUtf8(bytes(0xf4, 0x90, 0x80, 0x80))).toBe(0);
    expect(firstInvalidUtf8(bytes(0xf5, 0x80, 0x80, 0x80))).toBe(0);
  });
});

describe('decodeText', () => {
  it('drops a UTF-8 byte order mark', () => {
    expect(decodeText(bytes(0xef, 0xbb, 0xbf, 0x61))).toEqual({ ok: true, text: 'a' });
  });

  it('locates a bad byte by line and character column', () => {
    // line 2 is "é€x" then 0xFF: the bad byte is the 4th character of line 2
    const text = [...new TextEncoder().encode('ab\né€x'), 0xff];
    expect(decodeText(Uint8Array.from(text))).toEqual({ ok: false, problem: 'a byte that is not UTF-8 (0xFF)', line: 2, column: 4 });
  });

  it('a NUL byte is binary data; UTF-16 is named as such', () => {
    expect(decodeText(bytes(0x61, 0x0a, 0x62, 0x00))).toEqual({ ok: false, problem: 'binary data (a NUL byte)', line: 2, column: 2 });
    expect(decodeText(bytes(0xff, 0xfe, 0x61, 0x00))).toEqual({ ok: false, problem: 'UTF-16 text (save the file as UTF-8)', line: 1, column: 1 });
  });
});

describe('readTextFileLimited', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-text-'));

  it('reads a file within the limit', () => {
    writeFileSync(join(dir, 'ok.txt'), 'hello');
    expect(readTextFileLimited(join(dir, 'ok.txt'), 5)).toEqual({ ok: true, text: 'hello' });
  });

  it('refuses a regular file over the limit without reading it', () => {
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(2048));
    expect(readTextFileLimited(join(dir, 'big.txt'), 1024)).toEqual({ ok: false, problem: 'a file of 2 KiB (the limit is 1 KiB)', tooLarge: true });
  });

  it('one byte over a limit that rounds the same: both sizes in bytes', () => {
    writeFileSync(join(dir, 'edge.txt'), 'x'.repeat(1025));
    expect(readTextFileLimited(join(dir, 'edge.txt'), 1024)).toEqual({ ok: false, problem: 'a file of 1,025 bytes (the limit is 1 KiB, 1,024 bytes)', tooLarge: true });
    writeFileSync(join(dir, 'edge.txt'), '');
    truncateSync(join(dir, 'edge.txt'), 4 * 1024 ** 2 + 1);
    expect(readTextFileLimited(join(dir, 'edge.txt'), 4 * 1024 ** 2)).toEqual({ ok: false, problem: 'a file of 4,194,305 bytes (the limit is 4 MiB, 4,194,304 bytes)', tooLarge: true });
  });

  it('stops an endless device at the limit', () => {
    expect(readTextFileLimited('/dev/zero', 1024)).toEqual({ ok: false, problem: 'more than 1 KiB of data (the limit)', tooLarge: true });
  });

  it('regularOnly refuses devices before opening them', () => {
    expect(readTextFileLimited('/dev/zero', 1024, { regularOnly: true })).toEqual({ ok: false, problem: 'a character device' });
  });

  it('names a directory and a missing file', () => {
    expect(readTextFileLimited(dir, 1024)).toEqual({ ok: false, problem: 'a directory' });
    expect(readTextFileLimited(join(dir, 'none'), 1024)).toEqual({ ok: false, problem: 'no such file' });
  });
});

describe('readFileBounded — regularOnly checks the open file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-bounded-'));

  it('a FIFO without a writer is refused at once (opened non-blocking, then fstat)', () => {
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(readFileBounded(join(dir, 'pipe'), 1024, { regularOnly: true })).toEqual({ ok: false, problem: 'a named pipe (FIFO)' });
  });

  it('a directory and a sparse file over the limit are refused without reading', () => {
    expect(readFileBounded(dir, 1024, { regularOnly: true })).toEqual({ ok: false, problem: 'a directory' });
    writeFileSync(join(dir, 'sparse'), '');
    truncateSync(join(dir, 'sparse'), 1024 ** 3);
    expect(readFileBounded(join(dir, 'sparse'), 1024 ** 2, { regularOnly: true })).toEqual({ ok: false, problem: 'a file of 1 GiB (the limit is 1 MiB)', tooLarge: true });
  });

  it('reads a regular file within the limit', () => {
    writeFileSync(join(dir, 'ok'), 'abc');
    const read = readFileBounded(join(dir, 'ok'), 3, { regularOnly: true });
    expect(read.ok && read.bytes.toString()).toBe('abc');
  });

  it('a regular file of several chunks, read into one buffer of its size, is every byte in order', () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    writeFileSync(join(dir, 'chunks'), bytes);
    const read = readFileBounded(join(dir, 'chunks'), bytes.length, { regularOnly: true });
    expect(read.ok && read.bytes.length).toBe(bytes.length);
    expect(read.ok && Buffer.from(read.bytes).equals(bytes)).toBe(true);
    // one byte over the limit once read (the limit checked as it reads, too)
    expect(readFileBounded(join(dir, 'chunks'), bytes.length - 1)).toEqual({ ok: false, problem: 'a file of 3,145,745 bytes (the limit is 3 MiB, 3,145,744 bytes)', tooLarge: true });
  });

  it('a regular file holding more than its size said (a /proc file, size 0) is read whole all the same', () => {
    const read = readFileBounded('/proc/self/status', 1024 * 1024, { regularOnly: true });
    expect(read.ok && read.bytes.length).toBeGreaterThan(100);
    expect(read.ok && Buffer.from(read.bytes).toString('latin1').startsWith('Name:')).toBe(true);
    expect(read.ok && Buffer.from(read.bytes).toString('latin1').endsWith('\n')).toBe(true);
  });

  it('quoteBytes: false locates a bad byte without showing its value', () => {
    writeFileSync(join(dir, 'latin1'), Buffer.from([0x61, 0x0a, 0x63, 0xe9]));
    expect(readTextFileLimited(join(dir, 'latin1'), 1024, { regularOnly: true, quoteBytes: false })).toEqual({ ok: false, problem: 'a byte that is not UTF-8', line: 2, column: 2 });
  });
});

describe('formatBytes', () => {
  it('binary units with one decimal at most', () => {
    expect([512, 1024, 1536, 4 * 1024 ** 3, 1024 ** 5].map(formatBytes)).toEqual(['512 B', '1 KiB', '1.5 KiB', '4 GiB', '1024 TiB']);
  });
});

describe('readFileInChunks — a file too large to hold, a megabyte at a time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-chunks-'));

  it('hands on every byte in order, in chunks of 1 MiB; false from the reader stops it', () => {
    const bytes = Buffer.alloc(2.5 * 1024 ** 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) % 251;
    writeFileSync(join(dir, 'big'), bytes);
    const pieces: Buffer[] = [];
    expect(readFileInChunks(join(dir, 'big'), (chunk) => void pieces.push(Buffer.from(chunk)), { regularOnly: true })).toEqual({ ok: true });
    expect(pieces.map((piece) => piece.length)).toEqual([1024 ** 2, 1024 ** 2, 0.5 * 1024 ** 2]);
    expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
    let calls = 0;
    expect(readFileInChunks(join(dir, 'big'), () => (calls += 1) < 2)).toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  it('refuses a FIFO, a device, a directory and a missing file as readFileBounded does; a reader\'s throw passes through', () => {
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const none = () => undefined;
    expect(readFileInChunks(join(dir, 'pipe'), none, { regularOnly: true })).toEqual({ ok: false, problem: 'a named pipe (FIFO)' });
    expect(readFileInChunks('/dev/zero', none, { regularOnly: true })).toEqual({ ok: false, problem: 'a character device' });
    expect(readFileInChunks(dir, none, { regularOnly: true })).toEqual({ ok: false, problem: 'a directory' });
    expect(readFileInChunks(join(dir, 'none'), none, { regularOnly: true })).toEqual({ ok: false, problem: 'no such file' });
    writeFileSync(join(dir, 'small'), 'abc');
    expect(() => readFileInChunks(join(dir, 'small'), () => {
      throw new Error('stop here');
    })).toThrow('stop here');
  });
});
