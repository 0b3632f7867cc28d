import { describe, expect, it } from 'vitest';
import { dtrain } from './run-dtrain.js';

const TINY = 'test/explain/fixtures/tiny.yaml';

describe('dtrain simulate: insights and the accuracy chart', () => {
  it('prints the insights after the tables and before the summary, and the chart at the end', () => {
    const run = dtrain(['simulate', TINY, '--backend', 'cpu', '--strategy', 's1s4']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const insights = run.stdout.indexOf('\ninsights · s1s4\n');
    const summary = run.stdout.indexOf('\nsummary · scenario explain-tiny');
    const chart = run.stdout.indexOf('\n  test accuracy vs simulated time\n');
    expect(run.stdout.lastIndexOf('\nround 8 ')).toBeLessThan(insights);
    expect(insights).toBeLessThan(summary);
    expect(summary).toBeLessThan(chart);
    expect(run.stdout).toContain('  ! node c was not dispatched: e = 0, no latency sample under 50 ms in its\n    window — first in round 7, 2 rounds in all\n');
    expect(run.stdout).toContain("  ! S4's weights rest on as few as 2 gradient norms per node: the coefficient of\n    variation of 2 values is mostly noise — in round 2\n");
    expect(run.stdout).toMatch(/\n {8}── s1s4\n$/);
    // one strategy compares nothing: no note about seeds
    expect(run.stdout).not.toContain('dtrain study');
    const block = run.stdout.slice(insights, summary);
    expect(block.split('\n').filter((line) => [...line].length > 80)).toEqual([]);
  });

  it('two strategies on one seed end with the note pointing to dtrain study; sync-sgd has no S4 warning', () => {
    const run = dtrain(['simulate', TINY, '--backend', 'cpu', '--strategy', 's1s4,sync-sgd']);
    expect(run.status).toBe(0);
    expect(run.stdout.endsWith([
      '        ── s1s4   ══ sync-sgd',
      '',
      'note: one seed, so the differences may be noise; a study over 20 seeds tells:',
      `  dtrain study ${TINY} --seeds 1..20 \\`,
      '      --strategy s1s4,sync-sgd --out study',
      '',
    ].join('\n'))).toBe(true);
    const syncSgd = run.stdout.slice(run.stdout.indexOf('\ninsights · sync-sgd\n'), run.stdout.indexOf('\nsummary · '));
    expect(syncSgd).not.toContain('gradient norms');
    expect(dtrain(['simulate', TINY, '--backend', 'cpu', '--strategy', 's1s4,sync-sgd', '--no-insights']).stdout).not.toContain('dtrain study');
  });

  it('--no-insights leaves them out; --quiet prints the summary table alone', () => {
    const plain = dtrain(['simulate', TINY, '--backend', 'cpu', '--strategy', 's1s4', '--no-insights']);
    expect(plain.status).toBe(0);
    expect(plain.stdout).not.toContain('insights ·');
    expect(plain.stdout).toContain('test accuracy vs simulated time');
    const quiet = dtrain(['simulate', TINY, '--backend', 'cpu', '--strategy', 's1s4', '--quiet']);
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).not.toContain('insights ·');
    expect(quiet.stdout).not.toContain('test accuracy vs simulated time');
    expect(quiet.stdout.startsWith('summary · scenario explain-tiny · seed 3\n')).toBe(true);
  });
});
