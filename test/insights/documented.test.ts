/**
 * The insight table of docs/explain-and-insights.md is what a user reads to know when dtrain
 * flags something: one row per detector, with the bounds the detectors use. (It once listed a
 * "batch spread" kind no detector had, a 2 % bound the starved-weight detector had dropped, and
 * left out three kinds that do print.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BARRIER_RATIO } from '../../src/insights/barrier-straggler.js';
import { DOMINANT_WEIGHT } from '../../src/insights/dominant-weight.js';
import { MIN_NORMS } from '../../src/insights/few-norms.js';
import { SCANNERS } from '../../src/insights/index.js';
import { LOSS_EXPLOSION } from '../../src/insights/loss-explosion.js';
import { STARVED_FRACTION, STARVED_STREAK } from '../../src/insights/starved-weight.js';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'explain-and-insights.md'), 'utf8');

/** The rows of the table headed `| kind | when |`: kind → its text. */
function documentedRows(): Map<string, string> {
  const lines = DOC.split('\n');
  const head = lines.indexOf('| kind | when |');
  expect(head).toBeGreaterThan(-1);
  const rows = new Map<string, string>();
  for (const line of lines.slice(head + 2)) {
    if (!line.startsWith('|')) break;
    // a cell's `\|` is a bar of its text, not a column
    const [, kind, when] = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
    rows.set(kind!, when!);
  }
  return rows;
}

describe('the documented insights', () => {
  it('one row per detector, in the order they print', () => {
    expect([...documentedRows().keys()]).toEqual([
      'loss exploded', 'not dispatched, e = 0', 'one node dominates', 'starved weight', 'weights from few norms',
      'local steps differ', 'barrier held up', 'dropped', 'skipped round',
    ]);
    expect(Object.keys(SCANNERS)).toEqual([
      'lossExplosion', 'zeroEfficiency', 'dominantWeight', 'starvedWeight', 'fewNorms', 'localStepsSpread', 'barrierStraggler', 'dropped', 'skippedRound',
    ]);
  });

  it('each row states the bound its detector uses', () => {
    const rows = documentedRows();
    expect(LOSS_EXPLOSION).toBe(1e6);
    expect(rows.get('loss exploded')).toContain('10⁶ × round 1');
    expect(DOMINANT_WEIGHT).toBe(0.5);
    expect(rows.get('one node dominates')).toContain('weight > 50 %');
    expect([STARVED_FRACTION, STARVED_STREAK]).toEqual([0.5, 5]);
    expect(rows.get('starved weight')).toContain('below half of an equal share');
    expect(rows.get('starved weight')).toContain('in 5 or more rounds in a row that it takes part in');
    expect(rows.get('starved weight')).not.toContain('2 %');
    expect(MIN_NORMS).toBe(3);
    expect(rows.get('weights from few norms')).toContain('fewer than 3 gradient norms');
    expect(BARRIER_RATIO).toBe(2);
    expect(rows.get('barrier held up')).toContain('> 2 × the median');
  });
});
