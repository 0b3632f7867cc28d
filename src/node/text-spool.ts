/**
 * Text blocks kept in memory up to a size, then in a temporary file: the terminal tables of a
 * long run (report/table.ts TextBlocks). 100,000 rounds of two strategies are 2.6 million
 * lines, 1.7 GB of strings held until the run ends, and past about 512 MiB they could not be
 * joined to be printed at all: the run failed after minutes with nothing shown. The file is
 * removed from its folder as soon as it is open, so nothing is left behind whatever ends the
 * process; it is read back block by block when the tables are printed.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TextBlocks } from '../report/table.js';

/** Characters kept in memory before the blocks go to the file (at most 64 MiB as two-byte strings). */
export const SPOOL_AFTER_CHARS = 32 * 1024 * 1024;

export class SpooledBlocks implements TextBlocks {
  private readonly held: string[] = [];
  private heldChars = 0;
  private fd: number | null = null;
  /** the file could not be made: every block is held */
  private noFile = false;
  /** the byte offset in the file of each block past `held`, and the file's end after it */
  private ends = new Float64Array(1024);
  private spooled = 0;

  /** `dir`: where the temporary file is made (the system's temporary folder by default) */
  constructor(private readonly limitChars = SPOOL_AFTER_CHARS, private readonly dir = tmpdir()) {}

  get length(): number {
    return this.held.length + this.spooled;
  }

  /** How many blocks are in the file. */
  get spooledCount(): number {
    return this.spooled;
  }

  push(text: string): void {
    if (this.spooled === 0 && this.heldChars + text.length <= this.limitChars) {
      this.held.push(text);
      this.heldChars += text.length;
      return;
    }
    const fd = this.file();
    if (fd === null) {
      // no file could be made (a read-only temporary folder): held, as before
      this.held.push(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    const start = this.spooled === 0 ? 0 : this.ends[this.spooled - 1]!;
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written, start + written);
    if (this.spooled === this.ends.length) {
      const grown = new Float64Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.spooled++] = start + bytes.length;
  }

  *read(from: number, to: number): Generator<string> {
    const held = this.held.length;
    for (let i = from; i < Math.min(to, held); i++) yield this.held[i]!;
    for (let j = Math.max(from, held) - held; j < to - held; j++) {
      const start = j === 0 ? 0 : this.ends[j - 1]!;
      const bytes = Buffer.allocUnsafe(this.ends[j]! - start);
      for (let got = 0; got < bytes.length; ) {
        const n = readSync(this.fd!, bytes, got, bytes.length - got, start + got);
        if (n === 0) throw new Error('the terminal tables\' temporary file ended early');
        got += n;
      }
      yield bytes.toString('utf8');
    }
  }

  dispose(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private file(): number | null {
    if (this.fd !== null || this.noFile) return this.fd;
    let folder: string | null = null;
    try {
      folder = mkdtempSync(join(this.dir, 'dtrain-tables-'));
      this.fd = openSync(join(folder, 'tables.txt'), 'wx+', 0o600);
    } catch {
      this.noFile = true;
    } finally {
      if (folder !== null) rmSync(folder, { recursive: true, force: true });
    }
    return this.fd;
  }
}
