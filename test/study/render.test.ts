/** The study's number formats: a difference keeps its sign when it rounds to zero. */
import { describe, expect, it } from 'vitest';
import { showValue, verdictValue } from '../../src/study/render.js';

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
