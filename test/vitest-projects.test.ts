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
import { ISOLATED, SLOW_FIRST, slowFirst } from '../vitest.config.js';
import setupTempRoot, { TEMP_ROOT_VARIABLE } from './helpers/temp-root.js';

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

  it('start the slowest files first: each one listed is a test file, listed once', () => {
    const files = testFiles(join(ROOT, 'test'));
    expect(SLOW_FIRST.filter((file) => !files.includes(file))).toEqual([]);
    expect(new Set(SLOW_FIRST).size).toBe(SLOW_FIRST.length);
    expect(SLOW_FIRST.length).toBeGreaterThan(10);
  });

  it('order the listed files ahead of the rest, in the list\'s order, the rest as they came', () => {
    const order = ['test/a.test.ts', SLOW_FIRST[2]!, 'test/b.test.ts', SLOW_FIRST[0]!, 'test/c.test.ts'];
    expect(slowFirst(order, (file) => file)).toEqual([SLOW_FIRST[0], SLOW_FIRST[2], 'test/a.test.ts', 'test/b.test.ts', 'test/c.test.ts']);
  });

  it('put the tests\' temporary folders under one folder of the run, not nested', () => {
    expect(basename(tmpdir())).toMatch(/^dtrain-tests-/);
    expect(basename(dirname(tmpdir()))).not.toMatch(/^dtrain-tests-/);
    expect(process.env[TEMP_ROOT_VARIABLE]).toBe(tmpdir());
  });

  it('make that folder once, and remove it, with what the tests left in it, when the run ends', () => {
    const before = { TMPDIR: process.env.TMPDIR, root: process.env[TEMP_ROOT_VARIABLE] };
    // as a project's setup after the root's: keeps the folder
    const again = setupTempRoot();
    expect(tmpdir()).toBe(before.TMPDIR);
    again();
    expect(tmpdir()).toBe(before.TMPDIR);
    // as the first setup of a run
    delete process.env[TEMP_ROOT_VARIABLE];
    const teardown = setupTempRoot();
    const root = tmpdir();
    try {
      expect(dirname(root)).toBe(before.TMPDIR);
      mkdtempSync(join(root, 'left-'));
    } finally {
      teardown();
      process.env[TEMP_ROOT_VARIABLE] = before.root;
    }
    expect(existsSync(root)).toBe(false);
    expect(process.env.TMPDIR).toBe(before.TMPDIR);
  });
});
