/**
 * Most test files share vitest's worker processes (vitest.config.ts); a file that replaces a
 * module (vi.mock) or chooses TF.js's backend for engines it creates must not, or it sees the
 * modules and the backend another file left in its process. This checks that every such file
 * is listed as isolated, so that a new one cannot land among the shared files unnoticed.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISOLATED } from '../vitest.config.js';
import setupTempRoot from './helpers/temp-root.js';

const ROOT = join(import.meta.dirname, '..');
const FOLDER_PATTERN = '/**/*.test.ts';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

/** ISOLATED holds file paths and `folder/**\/*.test.ts` patterns only (checked below). */
function isolated(file: string): boolean {
  return ISOLATED.some((pattern) => (pattern.endsWith(FOLDER_PATTERN) ? file.startsWith(`${pattern.slice(0, -FOLDER_PATTERN.length)}/`) : file === pattern));
}

describe('the vitest projects', () => {
  it('list every test file that mocks a module or chooses a backend as isolated', () => {
    for (const pattern of ISOLATED) expect(pattern.endsWith(FOLDER_PATTERN) || !pattern.includes('*')).toBe(true);
    const needing = testFiles(join(ROOT, 'test')).filter((file) => /\bvi\.(mock|doMock)\(|\b(initBackend|setBackend)\(/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(needing.length).toBeGreaterThan(10);
    expect(needing.filter((file) => !isolated(file))).toEqual([]);
  });

  it('match a folder pattern by its folder, and a file by its whole path', () => {
    expect(isolated('test/train/fast-engine.test.ts')).toBe(true);
    expect(isolated('test/cli/fifo-open.test.ts')).toBe(true);
    expect(isolated('test/cli/ndjson.test.ts')).toBe(false);
    expect(isolated('test/trainer/x.test.ts')).toBe(false);
  });

  it('put the tests\' temporary folders under one folder of the run', () => {
    expect(basename(tmpdir())).toMatch(/^dtrain-tests-/);
  });

  it('remove that folder, with what the tests left in it, when the run ends', () => {
    const before = process.env.TMPDIR;
    const teardown = setupTempRoot();
    const root = tmpdir();
    try {
      expect(dirname(root)).toBe(before);
      mkdtempSync(join(root, 'left-'));
    } finally {
      teardown();
    }
    expect(existsSync(root)).toBe(false);
    expect(process.env.TMPDIR).toBe(before);
  });
});
