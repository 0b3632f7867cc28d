/** The study's number formats: a difference keeps its sign when it rounds to zero. */
import { describe, expect, it } from 'vitest';
import { showValue } from '../../src/study/render.js';

describe('study numbers', () => {
  it('a small negative difference reads −0.00, not +0.00 (beside a verdict of "fewer")', () => {
    expect(showValue('meanEffectiveParticipants', -0.0017, 0, true)).toBe('−0.00 ± 0.00');
    expect(showValue('meanEffectiveParticipants', 0.0017, null, true)).toBe('+0.00');
    expect(showValue('meanEffectiveParticipants', -0, null, true)).toBe('+0.00');
    expect(showValue('simulatedMs', -264.4, 174, true)).toBe('−0.264 ± 0.174 s');
  });
});
