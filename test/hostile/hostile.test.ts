/**
 * The hostile-input corpus (issue 6): every file under cases/ is a scenario a careless or
 * hostile user might hand to dtrain (YAML tricks, bad encodings, wrong types, absurd numbers,
 * prototype keys, broken traces and CSV datasets under files/). Each has its expected
 * diagnostics in `<name>.expected.txt`: exactly what `dtrain validate` prints for it, one
 * screen at most, every problem located as file:line:col, exit code 2, never a stack trace.
 * A representative subset also goes through `dtrain simulate --json OUT`, which must print
 * the same problems, exit 2 and leave no OUT behind.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectScenarioIssues } from '../../src/node/load.js';
import { HOSTILE_DIR, inParallel, runCli, STACK_TRACE } from './cli.js';

const CASES = readdirSync(join(HOSTILE_DIR, 'cases'))
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => `cases/${name}`);
const SCREEN_LINES = 25;
/** validate takes many files at once: a few processes check the whole corpus quickly. */
const FILES_PER_PROCESS = 12;

function expectedOf(file: string): string {
  return readFileSync(join(HOSTILE_DIR, file.replace(/\.yaml$/, '.expected.txt')), 'utf8');
}

/** How many problems a file's expected lines stand for (`… and N more` counts N). */
function problemCount(expected: string): number {
  return expected.split('\n').filter(Boolean).reduce((sum, line) => {
    const more = /^… and (\d+) more/.exec(line);
    return sum + (more === null ? 1 : Number(more[1]));
  }, 0);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, k) => items.slice(k * size, (k + 1) * size));
}

describe('hostile corpus', () => {
  it('holds at least 50 hostile scenario files', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
  });

  it('every expected message fits on one screen and names file:line:col', () => {
    for (const file of CASES) {
      const lines = expectedOf(file).split('\n').filter(Boolean);
      // + the "N problems found" line validate prints after them
      expect(lines.length + 1, file).toBeLessThanOrEqual(SCREEN_LINES);
      for (const line of lines) {
        const located = line.startsWith(`${file}:`) && /^[^ ]+:\d+:\d+ {2}/.test(line);
        const unreadable = line.startsWith(`error: cannot read scenario file '${file}'`);
        expect(located || unreadable || /^… and \d+ more/.test(line), line).toBe(true);
      }
    }
  });

  it('dtrain validate prints exactly the expected problems of every file, exit 2, no stack', async () => {
    const results = await inParallel(chunks(CASES, FILES_PER_PROCESS), 3, async (files) => ({ files, result: await runCli(['validate', ...files]) }));
    for (const { files, result } of results) {
      const expected = files.map(expectedOf);
      const total = expected.reduce((sum, text) => sum + problemCount(text), 0);
      expect(result.stderr).toBe(`${expected.join('')}${total} problem${total === 1 ? '' : 's'} found\n`);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(result.stdout).toBe('');
      expect(result.status).toBe(2);
    }
  });

  const SIMULATED = [
    'cases/yaml-alias-bomb.yaml',
    'cases/yaml-tabs.yaml',
    'cases/proto-keys.yaml',
    'cases/count-1e9.yaml',
    'cases/not-utf8.yaml',
    'cases/trace-decreasing.yaml',
    'cases/ping-no-timestamps.yaml',
    'cases/data-missing-label.yaml',
    'cases/yaml-deep-flow.yaml',
    'cases/many-problems.yaml',
    'cases/directory.yaml',
    'cases/server-bandwidth-negative.yaml',
    'cases/slowdown-trace-empty.yaml',
  ];

  it('dtrain simulate --json OUT on a representative subset: same problems, exit 2, no OUT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-hostile-'));
    const results = await inParallel(SIMULATED, 3, async (file) => {
      const out = join(dir, `${file.replace(/\W/g, '_')}.json`);
      return { file, out, result: await runCli(['simulate', file, '--json', out, '--no-progress']) };
    });
    for (const { file, out, result } of results) {
      const expected = expectedOf(file).split('\n').filter(Boolean);
      const lines = result.stderr.split('\n').filter(Boolean);
      if (expected[0]!.startsWith('error:')) {
        expect(lines).toEqual(expected);
      } else {
        const count = problemCount(expectedOf(file));
        expect(lines[0]).toBe(`error: ${file}: ${count} problem${count === 1 ? '' : 's'}`);
        // simulate points to validate for the full list; the shown problems are the same
        expect(lines.slice(1)).toEqual(expected.map((line) => line.replace('(add --all to list them all)', '(run dtrain validate --all to list them all)')));
      }
      expect(lines.length, file).toBeLessThanOrEqual(SCREEN_LINES);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(result.status, file).toBe(2);
      expect(existsSync(out), file).toBe(false);
    }
  });

  it('a trace that is a named pipe is refused instead of blocking forever on open', async () => {
    // git cannot store a FIFO: it is made here, next to a scenario that names it
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-fifo-'));
    execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
    writeFileSync(join(dir, 'fifo.yaml'), 'cluster:\n  nodes:\n    - { id: a, latency: { trace: pipe.csv } }\n');
    const result = await runCli(['validate', 'fifo.yaml'], { cwd: dir });
    expect(result.stderr).toBe(
      'fifo.yaml:3:34  cluster.nodes[0].latency.trace: expected a readable trace file, found a named pipe (FIFO): pipe.csv\n1 problem found\n',
    );
    expect(result.status).toBe(2);
  });

  it('__proto__ and constructor keys are unknown keys and pollute no prototype', () => {
    const issues = collectScenarioIssues(join(HOSTILE_DIR, 'cases/proto-keys.yaml'));
    expect(issues.map((issue) => issue.path)).toEqual([
      '__proto__', 'constructor', 'cluster.__proto__', 'cluster.nodes[0].__proto__', 'cluster.nodes[0].latency.constructor',
    ]);
    const probe: Record<string, unknown> = {};
    expect(probe.polluted).toBeUndefined();
    expect(probe.cores).toBeUndefined();
    expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
