import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import { checkBaseline } from '../../src/sweep/baseline.js';

describe('checkBaseline', () => {
  const registry = createStageRegistry();
  const strategies = ['s1s4', 'sync-sgd'];

  it('a strategy of the sweep, by its name or by a stage pick that resolves to it', () => {
    expect(checkBaseline('sync-sgd', strategies, registry)).toBe('sync-sgd');
    expect(checkBaseline(' s1s4 ', strategies, registry)).toBe('s1s4');
    expect(checkBaseline('efficiency/pressure/volatility', strategies, registry)).toBe('s1s4');
  });

  it('an unknown name: the valid ones and the closest (exit 2)', () => {
    const error = (() => { try { checkBaseline('S1S4', strategies, registry); } catch (e) { return e; } return undefined; })();
    expect(error).toBeInstanceOf(DtrainError);
    expect((error as DtrainError).message).toBe("--baseline: unknown strategy 'S1S4': expected one of s1s4, sync-sgd");
    expect((error as DtrainError).hint).toBe('did you mean s1s4?');
    expect((error as DtrainError).exitCode).toBe(2);
  });
});
