import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import { addBaselineHint, checkBaseline } from '../../src/sweep/baseline.js';

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

  it('a baseline not among many strategies: eight named and the rest counted, and only what to add', () => {
    const many = Array.from({ length: 48 }, (_, i) => `pick-${i + 1}`);
    const error = (() => { try { checkBaseline('sync-sgd', many, registry); } catch (e) { return e; } return undefined; })() as DtrainError;
    expect(error.message).toBe('--baseline sync-sgd is not among the strategies of this sweep (pick-1, pick-2, pick-3, pick-4, pick-5, pick-6, pick-7, pick-8 and 40 more)');
    expect(error.hint).toBe("add sync-sgd to the 48 strategies compared (to --strategy, or to the scenario's compare)");
    const unknown = (() => { try { checkBaseline('pick-0', many, registry); } catch (e) { return e; } return undefined; })() as DtrainError;
    expect(unknown.message).toBe("--baseline: unknown strategy 'pick-0': expected one of pick-1, pick-2, pick-3, pick-4, pick-5, pick-6, pick-7, pick-8 and 40 more");
  });

  it('up to seven strategies, the hint is the whole --strategy to type; from eight on, what to add', () => {
    const seven = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(addBaselineHint('z', seven)).toBe('add it to --strategy, e.g. --strategy a,b,c,d,e,f,g,z');
    expect(addBaselineHint('z', [...seven, 'h'])).toBe("add z to the 8 strategies compared (to --strategy, or to the scenario's compare)");
  });
});
