/** The study's number formats: a difference keeps its sign when it rounds to zero. */
import { describe, expect, it } from 'vitest';
import type { Comparison, StudyAnalysis } from '../../src/study/analyze.js';
import { verdictTable } from '../../src/study/html-report.js';
import { METRICS } from '../../src/study/metrics.js';
import { reachNote, renderStudy, showValue, verdictValue } from '../../src/study/render.js';

describe('study numbers', () => {
  it('a small negative difference reads −0.00, not +0.00 (beside a verdict of "fewer")', () => {
    expect(showValue('meanEffectiveParticipants', -0.0017, 0, true)).toBe('−0.00 ± 0.00');
    expect(showValue('meanEffectiveParticipants', 0.0017, null, true)).toBe('+0.00');
    expect(showValue('meanEffectiveParticipants', -0, null, true)).toBe('+0.00');
    expect(showValue('simulatedMs', -264.4, 174, true)).toBe('−0.264 ± 0.174 s');
  });

  it('a verdict line shows a significant difference that the table rounds to zero with two significant digits', () => {
    // flaky-network's fedavg against sync-sgd: effective participants "fewer (−0.00, Holm p <0.001)" before
    expect(verdictValue('meanEffectiveParticipants', -0.0017, true)).toBe('−0.0017');
    expect(verdictValue('lowestWeightShare', 0.00004567, true)).toBe('+0.000046');
    expect(verdictValue('simulatedMs', -0.23, true)).toBe('−0.00023 s');
  });

  it('…and otherwise as the table does: no significant difference, a zero, or a value with a digit to show', () => {
    expect(verdictValue('meanEffectiveParticipants', -0.0017, false)).toBe('−0.00');
    expect(verdictValue('meanEffectiveParticipants', 0, true)).toBe('+0.00');
    expect(verdictValue('meanEffectiveParticipants', -0.7, true)).toBe('−0.70');
    expect(verdictValue('simulatedMs', -264.4, true)).toBe('−0.264 s');
    expect(verdictValue('finalAccuracy', null, true)).toBe('—');
  });
});

describe('a time-to-target verdict says on how many seeds only one of the two reached the target', () => {
  it('the note: both reached it on the pairs; only the baseline, or only the strategy, on the others', () => {
    const ttt = { metric: 'timeToTargetMs', pairs: 4 } as const;
    expect(reachNote({ ...ttt, onlyStrategy: 0, onlyBaseline: 1 })).toEqual(['both reached it on 4 seeds', 'only the baseline on 1']);
    expect(reachNote({ ...ttt, pairs: 1, onlyStrategy: 2, onlyBaseline: 0 })).toEqual(['both reached it on 1 seed', 'only this strategy on 2']);
    expect(reachNote({ ...ttt, pairs: 0, onlyStrategy: 2, onlyBaseline: 1 })).toEqual(['both reached it on no seed', 'only the baseline on 1', 'only this strategy on 2']);
    expect(reachNote({ ...ttt, onlyStrategy: 0, onlyBaseline: 0 })).toEqual([]);
    expect(reachNote({ metric: 'simulatedMs', pairs: 4 })).toEqual([]);
  });

  it('under the verdict line in the terminal, and in the verdict cell of the HTML report', () => {
    // Arrange: lb-bsp faster than sync-sgd on the 4 seeds both reached the target; it missed it on a fifth
    const comparison = (metric: (typeof METRICS)[number]): Comparison => ({
      strategy: 'lb-bsp', baseline: 'sync-sgd', metric, pairs: 5, meanDifference: 0, halfWidth: 0, tP: 1, wilcoxonP: 1, tPHolm: 1, wilcoxonPHolm: 1, verdict: 'no significant difference',
    });
    const comparisons = METRICS.map(comparison).map((c) => (c.metric === 'timeToTargetMs'
      ? { ...c, pairs: 4, meanDifference: -2788, halfWidth: 616, tP: 0.0001, tPHolm: 0.012, verdict: 'faster' as const, onlyStrategy: 0, onlyBaseline: 1 }
      : c));
    const summary = (strategy: string) => ({
      strategy, runs: 5, metrics: Object.fromEntries(METRICS.map((m) => [m, { mean: 1, halfWidth: 0, n: 5, of: 5 }])),
    });
    const analysis = { summaries: [summary('sync-sgd'), summary('lb-bsp')], comparisons, runs: [] } as unknown as StudyAnalysis;
    const heading = { scenario: 'x', seeds: [1, 2, 3, 4, 5], baseline: 'sync-sgd', target: 0.9 };

    // Act
    const text = renderStudy(heading, analysis);
    const html = verdictTable(analysis);

    // Assert
    expect(text).toContain('    time to target          faster (−2.788 s, Holm p 0.012)\n'
      + '      (both reached it on 4 seeds, only the baseline on 1)\n');
    expect(html).toContain('faster (both reached it on 4 seeds, only the baseline on 1)');
    // past 80 columns the note breaks after a comma
    const both = { ...analysis, comparisons: comparisons.map((c) => (c.metric === 'timeToTargetMs' ? { ...c, pairs: 8, onlyStrategy: 1 } : c)) };
    expect(renderStudy(heading, both)).toContain('\n      (both reached it on 8 seeds, only the baseline on 1,\n       only this strategy on 1)\n');
  });
});
