import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { resolveStrategyNames } from '../../src/scenario/strategy-names.js';

function failure(names: string[]): DtrainError {
  try {
    resolveStrategyNames(names);
  } catch (error) {
    if (error instanceof DtrainError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('resolveStrategyNames (--strategy)', () => {
  it('presets resolve to their stages, in the order given', () => {
    expect(resolveStrategyNames(['fedavg', 's1s4'])).toEqual([
      { name: 'fedavg', batch: 'fixed', resources: 'fixed', aggregation: 'samples' },
      { name: 's1s4', batch: 'efficiency', resources: 'pressure', aggregation: 'volatility' },
    ]);
  });

  it('batch/resources/aggregation stage picks are accepted and named like a preset when they match one', () => {
    expect(resolveStrategyNames(['efficiency/fixed/mean', 'fixed/fixed/mean'])).toEqual([
      { name: 'efficiency/fixed/mean', batch: 'efficiency', resources: 'fixed', aggregation: 'mean' },
      { name: 'sync-sgd', batch: 'fixed', resources: 'fixed', aggregation: 'mean' },
    ]);
  });

  it('an unknown name is cli.invalidArgument listing the valid names, with a did-you-mean', () => {
    const error = failure(['s1s5']);

    expect(error.code).toBe('cli.invalidArgument');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      "unknown strategy 's1s5': expected one of s1s4, sync-sgd, fedavg, lb-bsp or stage picks efficiency|fixed|proportional|balanced/pressure|fixed|cores/volatility|mean|samples|batch — did you mean s1s4?",
    );
  });

  it("the scenario's own strategies are accepted by name, and listed first when a name is unknown", () => {
    const own = [
      { name: 's1s4', batch: 'efficiency', resources: 'pressure', aggregation: 'volatility' },
      { name: 'base', batch: 'fixed', resources: 'fixed', aggregation: 'samples' },
    ];
    expect(resolveStrategyNames(['base', 'sync-sgd'], undefined, own)).toEqual([own[1], { name: 'sync-sgd', batch: 'fixed', resources: 'fixed', aggregation: 'mean' }]);
    let message = '';
    try {
      resolveStrategyNames(['bsae'], undefined, own);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      "unknown strategy 'bsae': expected one of base, s1s4, sync-sgd, fedavg, lb-bsp or stage picks efficiency|fixed|proportional|balanced/pressure|fixed|cores/volatility|mean|samples|batch — did you mean base?",
    );
  });

  it('a name listed twice, or no name at all, is refused', () => {
    expect(failure(['s1s4', 's1s4']).message).toBe("strategy 's1s4' is listed twice");
    expect(failure([]).code).toBe('cli.invalidArgument');
  });
});
