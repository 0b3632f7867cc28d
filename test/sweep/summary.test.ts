import { describe, expect, it } from 'vitest';
import type { SweepManifest } from '../../src/sweep/manifest.js';
import { csvCell, summaryCsv, type SweepRow } from '../../src/sweep/summary-csv.js';
import { renderSweepSummary } from '../../src/sweep/summary-table.js';

/** 2 thresholds × seeds 1–2 × 2 strategies; accuracy and time are simple functions of the run. */
function fixture(): { manifest: SweepManifest; rows: SweepRow[] } {
  const runs: SweepManifest['runs'] = [];
  for (const threshold of ['20', '50']) {
    for (const seed of [1, 2]) {
      for (const strategy of ['s1s4', 'sync-sgd']) {
        const index = runs.length;
        runs.push({ index, key: `k${index}`, point: [threshold, String(seed)], strategy, seed, report: `r${index}.json` });
      }
    }
  }
  const manifest: SweepManifest = {
    sweepVersion: 1, tool: { name: 'dtrain', version: '0.1.0' }, scenario: { name: 'tiny', file: 't.yaml' },
    axes: [{ path: 'pipeline.s1.thresholdMs', values: ['20', '50'] }, { path: 'seed', values: ['1', '2'] }],
    strategies: ['s1s4', 'sync-sgd'], gridHash: 'g', shard: null, runs,
  };
  const rows = runs.map((run) => {
    const s1s4 = run.strategy === 's1s4';
    return {
      run,
      outcome: {
        strategy: run.strategy, seed: run.seed,
        finalAccuracy: (s1s4 ? 0.9 : 0.8) + run.seed / 100, bestAccuracy: 0.95,
        timeToTargetMs: s1s4 || run.seed === 1 ? 1000 * run.seed : null, simulatedMs: s1s4 ? 2000 + run.seed : 3000 + run.seed,
        samplesTrained: 100 + run.index,
      },
    };
  });
  return { manifest, rows };
}

describe('summaryCsv', () => {
  it('one row per run in grid order whatever order they finished in; seed in its own column', () => {
    const { manifest, rows } = fixture();
    const text = summaryCsv(manifest, [...rows].reverse());
    expect(text.split('\n').slice(0, 4)).toEqual([
      'pipeline.s1.thresholdMs,strategy,seed,finalAccuracy,bestAccuracy,timeToTargetMs,simulatedMs,samplesTrained,report',
      '20,s1s4,1,0.91,0.95,1000,2001,100,r0.json',
      '20,sync-sgd,1,0.81,0.95,1000,3001,101,r1.json',
      '20,s1s4,2,0.92,0.95,2000,2002,102,r2.json',
    ]);
    expect(text.split('\n')[4]).toBe('20,sync-sgd,2,0.8200000000000001,0.95,,3002,103,r3.json');
    expect(text.endsWith('r7.json\n')).toBe(true);
    expect(summaryCsv(manifest, rows)).toBe(text);
  });

  it('cells with commas or quotes are quoted (RFC 4180)', () => {
    expect(csvCell('[16,8]')).toBe('"[16,8]"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe('');
    expect(csvCell(0.5)).toBe('0.5');
  });

  it('a strategy name or --set value starting with = + - @ is prefixed with \' and quoted; a negative number is not', () => {
    const { manifest, rows } = fixture();
    manifest.axes[0] = { path: 'pipeline.s1.thresholdMs', values: ['-5', '@x'] };
    rows[0]!.run = { ...rows[0]!.run, point: ['-5', '1'], strategy: '+SUM(A1)' };
    rows[2]!.run = { ...rows[2]!.run, point: ['@x', '2'] };
    const lines = summaryCsv(manifest, rows).split('\n');
    expect(lines[1]).toBe('-5,"\'+SUM(A1)",1,0.91,0.95,1000,2001,100,r0.json');
    expect(lines[3]).toBe('"\'@x",s1s4,2,0.92,0.95,2000,2002,102,r2.json');
  });
});

describe('renderSweepSummary', () => {
  it('means ± 95 % CI per point and strategy, then paired differences on the same seed', () => {
    const { manifest, rows } = fixture();
    const text = renderSweepSummary(manifest, rows);
    expect(text).toBe([
      'sweep · tiny · 8 runs · mean ± 95 % CI across seeds (Student t)',
      '  pipeline.s1.thresholdMs  strategy  seeds   final accuracy   time to target   simulated time',
      '  ───────────────────────────────────────────────────────────────────────────────────────────',
      // s1s4: accuracies 0.91, 0.92 → mean 0.915, s = 0.007071, t(0.975, 1) = 12.7062 → ± 12.7062 · 0.007071 / √2 = 0.0635
      '  20                       s1s4          2  0.9150 ± 0.0635  1.500 ± 6.353 s  2.002 ± 0.006 s',
      // sync-sgd reached the target on seed 1 only: one value, no interval, 1/2 reached
      '  20                       sync-sgd      2  0.8150 ± 0.0635    1.000 s (1/2)  3.002 ± 0.006 s',
      '  50                       s1s4          2  0.9150 ± 0.0635  1.500 ± 6.353 s  2.002 ± 0.006 s',
      '  50                       sync-sgd      2  0.8150 ± 0.0635    1.000 s (1/2)  3.002 ± 0.006 s',
      '',
      'paired differences on the same seed (common random numbers), mean ± 95 % CI',
      '  pipeline.s1.thresholdMs  difference       pairs  Δ final accuracy  Δ time to target  Δ simulated time',
      '  ─────────────────────────────────────────────────────────────────────────────────────────────────────',
      // the accuracy gap is exactly 0.1 on both seeds: a zero-width interval, where the separate ones are ± 0.0635
      '  20                       s1s4 − sync-sgd      2  +0.1000 ± 0.0000     +0.0 ms (1/2)  -1.000 ± 0.000 s',
      '  50                       s1s4 − sync-sgd      2  +0.1000 ± 0.0000     +0.0 ms (1/2)  -1.000 ± 0.000 s',
      '  time to target: over the runs that reached it (n/N when not all did)',
      '',
    ].join('\n'));
  });
});

describe('renderSweepSummary --baseline', () => {
  /** one point, seeds 1–2, three strategies; accuracy = base + seed / 100 */
  function three(): { manifest: SweepManifest; rows: SweepRow[] } {
    const base: Record<string, number> = { s1s4: 0.9, 'lb-bsp': 0.95, 'sync-sgd': 0.8 };
    const runs: SweepManifest['runs'] = [];
    for (const seed of [1, 2]) {
      for (const strategy of Object.keys(base)) runs.push({ index: runs.length, key: `k${runs.length}`, point: [String(seed)], strategy, seed, report: `r${runs.length}.json` });
    }
    const manifest: SweepManifest = {
      sweepVersion: 1, tool: { name: 'dtrain', version: '0.1.0' }, scenario: { name: 'tiny', file: 't.yaml' },
      axes: [{ path: 'seed', values: ['1', '2'] }], strategies: Object.keys(base), gridHash: 'g', shard: null, runs,
    };
    const rows = runs.map((run) => ({
      run,
      outcome: {
        strategy: run.strategy, seed: run.seed, finalAccuracy: base[run.strategy]! + run.seed / 100, bestAccuracy: 0.95,
        timeToTargetMs: 1000, simulatedMs: 2000, samplesTrained: 100,
      },
    }));
    return { manifest, rows };
  }
  const pairedRows = (text: string): string[] => text.split('\n').filter((line) => line.includes(' − ')).map((line) => line.trim().split(/ {2,}/).slice(0, 3).join(' | '));

  it('without a baseline every pair is compared; with one, each other strategy against it alone', () => {
    const { manifest, rows } = three();
    expect(pairedRows(renderSweepSummary(manifest, rows))).toEqual([
      's1s4 − lb-bsp | 2 | -0.0500 ± 0.0000', 's1s4 − sync-sgd | 2 | +0.1000 ± 0.0000', 'lb-bsp − sync-sgd | 2 | +0.1500 ± 0.0000',
    ]);
    const text = renderSweepSummary(manifest, rows, { baseline: 'sync-sgd' });
    expect(pairedRows(text)).toEqual(['s1s4 − sync-sgd | 2 | +0.1000 ± 0.0000', 'lb-bsp − sync-sgd | 2 | +0.1500 ± 0.0000']);
    expect(text).toContain('\npaired differences against sync-sgd on the same seed (common random numbers), mean ± 95 % CI\n');
    expect(pairedRows(renderSweepSummary(manifest, rows, { baseline: 's1s4' }))).toEqual([
      'lb-bsp − s1s4 | 2 | +0.0500 ± 0.0000', 'sync-sgd − s1s4 | 2 | -0.1000 ± 0.0000',
    ]);
  });
});

describe('renderSweepSummary escapes names', () => {
  it('a scenario name, --set path and value, or strategy name from a shared sweep.json is shown with escapes', () => {
    // Arrange
    const { manifest, rows } = fixture();
    manifest.scenario = { ...manifest.scenario, name: 'tiny\u001b]0;x\u0007' };
    for (const row of rows) {
      row.run = { ...row.run, point: [row.run.point[0] === '20' ? '20\u202e' : row.run.point[0]!, row.run.point[1]!] };
      if (row.run.strategy === 's1s4') row.run = { ...row.run, strategy: 's1s4\u001b[2J' };
    }
    manifest.strategies = ['s1s4\u001b[2J', 'sync-sgd'];

    // Act
    const text = renderSweepSummary(manifest, rows);

    // Assert
    expect(text.split('\n')[0]).toBe('sweep · tiny\\e]0;x\\x07 · 8 runs · mean ± 95 % CI across seeds (Student t)');
    expect(text).toMatch(/\n  20\\u\{202e\} +s1s4\\e\[2J /);
    expect(text).toContain('s1s4\\e[2J − sync-sgd');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  });
});
