import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_NOTE_BYTES, reportCheckNote } from '../../src/cli/stage-copy.js';

const MIB = 1024 ** 2;

describe('reportCheckNote: a line before reading large stored reports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-check-note-'));
  /** a sparse file of `mib` MiB */
  const file = (name: string, mib: number): string => {
    const path = join(dir, name);
    writeFileSync(path, '');
    truncateSync(path, Math.round(mib * MIB));
    return path;
  };

  it('counts the regular files that are there; from 100 MiB in all it says how many and how much', () => {
    expect(CHECK_NOTE_BYTES).toBe(100 * MIB);
    const a = file('a.json', 60);
    const b = file('b.json', 60);
    mkdirSync(join(dir, 'c.json'));
    const paths = [a, b, join(dir, 'c.json'), join(dir, 'missing.json'), ''];
    expect(reportCheckNote('sweep', paths)).toBe('sweep: reading 2 stored reports (120 MiB) to check they are complete, about 25 s a gigabyte');
    expect(reportCheckNote('merge', [file('d.json', 1024)])).toBe('merge: reading 1 stored report (1 GiB) to check it is complete, about 25 s a gigabyte');
    // 99.9 MiB: a few seconds, no note
    expect(reportCheckNote('sweep', [a, file('e.json', 39.9)])).toBeNull();
    expect(reportCheckNote('sweep', [])).toBeNull();
  });
});
