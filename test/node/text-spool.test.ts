/**
 * The terminal tables' store (src/node/text-spool.ts): blocks held up to a size, the rest in a
 * temporary file removed from its folder once open; read back in order, any range, any text.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SpooledBlocks } from '../../src/node/text-spool.js';
import { writePaced } from '../../src/output-file.js';

const BLOCKS = ['round 1 ─ a', 'round 2 │ ünïcode ✓', '', 'round 4 \u{1F600} and more', 'x'.repeat(5000), 'last'];

describe('SpooledBlocks', () => {
  it('holds blocks up to its size, puts the rest in a file, and reads any range back as pushed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-spool-unit-'));
    // 11 + 19 characters fit in 30; the empty third block would too, but a block past the first spooled one goes to the file
    const blocks = new SpooledBlocks(30, dir);
    for (const block of BLOCKS) blocks.push(block);
    expect([blocks.length, blocks.spooledCount]).toEqual([6, 3]);
    expect(readdirSync(dir)).toEqual([]);
    for (let from = 0; from <= BLOCKS.length; from++) {
      for (let to = from; to <= BLOCKS.length; to++) expect([...blocks.read(from, to)]).toEqual(BLOCKS.slice(from, to));
    }
    blocks.dispose();
  });

  it('keeps every block in memory when no file can be made (its folder does not exist)', () => {
    const blocks = new SpooledBlocks(5, join(tmpdir(), 'dtrain-no-such-folder', 'deeper'));
    for (const block of BLOCKS) blocks.push(block);
    expect(blocks.spooledCount).toBe(0);
    expect([...blocks.read(0, BLOCKS.length)]).toEqual(BLOCKS);
  });
});

describe('writePaced', () => {
  it('writes the pieces in order, a megabyte or so at a time', async () => {
    const writes: number[] = [];
    let text = '';
    const stream = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        writes.push(chunk.length);
        text += chunk.toString('utf8');
        setImmediate(done);
      },
    });
    const pieces = Array.from({ length: 5000 }, (_, i) => `${'ab'.repeat(250)}${i}\n`);
    await writePaced(stream, pieces);
    expect(text).toBe(pieces.join(''));
    // 2,600,000 bytes or so: whole megabytes of pieces, then the rest
    expect(writes.length).toBe(3);
    expect(writes.slice(0, 2).every((bytes) => bytes >= 1024 * 1024 && bytes < 1024 * 1024 + 600)).toBe(true);
  });
});
