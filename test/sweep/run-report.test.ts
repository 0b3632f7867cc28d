import { describe, expect, it } from 'vitest';
import { toJsonReport } from '../../src/report/json.js';
import { readRunReport } from '../../src/sweep/run-report.js';
import { tinyResult } from '../report/fixtures.js';

function oneRunReport(hash: string): string {
  const result = tinyResult();
  return toJsonReport({ ...result, runs: result.runs.slice(1) }, { version: '0.1.0', trace: false, timing: false, scenarioHash: hash });
}

describe('readRunReport', () => {
  it('a complete report of the run gives its outcome', () => {
    expect(readRunReport(oneRunReport('k1'), 'k1')).toEqual({
      strategy: 'sync-sgd', seed: 7, finalAccuracy: 0.61, bestAccuracy: 0.61, timeToTargetMs: null, simulatedMs: 8000, samplesTrained: 128,
    });
  });

  it('another run\'s report, a truncated file or a two-strategy report is not complete', () => {
    expect(readRunReport(oneRunReport('k1'), 'k2')).toBeUndefined();
    const text = oneRunReport('k1');
    expect(readRunReport(text.slice(0, text.length / 2), 'k1')).toBeUndefined();
    expect(readRunReport(toJsonReport(tinyResult(), { version: '0.1.0', trace: false, timing: false, scenarioHash: 'k1' }), 'k1')).toBeUndefined();
    expect(readRunReport('null', 'k1')).toBeUndefined();
  });
});
