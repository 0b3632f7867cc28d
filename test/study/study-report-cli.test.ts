/**
 * `dtrain study … --report FILE.html` through bin/ (run `npm run build` first): the page is
 * written with the analysis, `dtrain merge … --report` of the shards writes the same bytes,
 * and a --report that collides with another output or names the scenario is refused before
 * anything runs (exit 2, nothing written).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, STACK_TRACE } from '../hostile/cli.js';

const SCENARIO = join(ROOT, 'test', 'sweep', 'fixtures', 'tiny.yaml');
const BASE = ['study', SCENARIO, '--seeds', '1..2', '--strategy', 's1s4,sync-sgd', '--baseline', 'sync-sgd', '--backend', 'cpu', '--jobs', '2'];
const scratch = () => mkdtempSync(join(tmpdir(), 'dtrain-study-report-'));

describe('dtrain study --report', () => {
  it('writes the HTML report; the merged shards write the same bytes', async () => {
    const root = scratch();
    const whole = await runCli([...BASE, '--out', join(root, 'whole'), '--report', join(root, 'whole.html')], { cwd: ROOT });
    expect(whole.stderr).not.toMatch(STACK_TRACE);
    expect(whole.status).toBe(0);
    const html = readFileSync(join(root, 'whole.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('id="chart-accuracy-time"');
    expect(html).toContain('id="chart-accuracy-samples"');
    expect(html).toContain('<h2>Mechanism table</h2>');
    for (const i of [1, 2]) {
      const shard = await runCli([...BASE, '--shard', `${i}/2`, '--out', join(root, `p${i}`), '--report', join(root, `p${i}.html`)], { cwd: ROOT });
      expect(shard.status).toBe(0);
      expect(shard.stderr).toContain('study: --json and --report are written when the shards are merged');
      expect(existsSync(join(root, `p${i}.html`))).toBe(false);
    }
    const merged = await runCli(['merge', join(root, 'p1'), join(root, 'p2'), '--out', join(root, 'all'), '--report', join(root, 'merged.html')], { cwd: ROOT });
    expect(merged.status).toBe(0);
    expect(readFileSync(join(root, 'merged.html'), 'utf8')).toBe(html);
  });

  it('--report and --json naming one file: exit 2, nothing written', async () => {
    const root = scratch();
    const file = join(root, 'same.out');
    const result = await runCli([...BASE, '--out', join(root, 'out'), '--json', file, '--report', file], { cwd: ROOT });
    expect(result.status).toBe(2);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stderr.split('\n')[0]).toBe(`error: --json ${file} and --report ${file} name the same file; give each output its own path`);
    expect(existsSync(join(root, 'out'))).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('--report over the scenario file: exit 2, the scenario untouched', async () => {
    const root = scratch();
    const before = readFileSync(SCENARIO, 'utf8');
    const result = await runCli([...BASE, '--out', join(root, 'out'), '--report', SCENARIO], { cwd: ROOT });
    expect(result.status).toBe(2);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stderr.split('\n')[0]).toBe(`error: --report ${SCENARIO} would overwrite the scenario file 'test/sweep/fixtures/tiny.yaml', which this command reads; write the output somewhere else`);
    expect(readFileSync(SCENARIO, 'utf8')).toBe(before);
    expect(existsSync(join(root, 'out'))).toBe(false);
  });
});
