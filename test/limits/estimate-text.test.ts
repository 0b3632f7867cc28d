/**
 * `simulate --estimate`'s text: every part that costs anything, largest first, the budget
 * beside each total, what the check would make of it; values formatted as refusals format
 * them (hand-built estimates, so every figure below is written out by hand).
 */
import { describe, expect, it } from 'vitest';
import { burstChainRefusal, checkBudget, DEFAULT_BUDGET, partLines } from '../../src/limits/budget.js';
import type { RunEstimate } from '../../src/limits/estimate.js';
import { describeEstimate } from '../../src/limits/estimate-text.js';
import { formatBytes } from '../../src/scenario/text-file.js';

const MIB = 1024 ** 2;

function estimate(overrides: Partial<RunEstimate> = {}): RunEstimate {
  return {
    jsonFlag: '--json',
    memoryBytes: 300 * MIB,
    seconds: 95,
    jsonBytes: 0,
    outputs: [],
    simulatedMs: 150_000,
    unboundedBy: null,
    memoryParts: [
      { what: 'Node.js and TF.js', value: 200 * MIB },
      { what: 'nothing', value: 0 },
      { what: 'the training data', value: 99.5 * MIB },
      { what: 'a fraction', value: 609.4959865 },
      { what: 'S4\'s norm histories', value: 0.5 * MIB - 609.4959865 },
    ],
    timeParts: [
      { what: 'starting Node.js and TF.js', value: 1 },
      { what: 'training', value: 90 },
      { what: 'the JSON report', value: 4, flag: '--json' },
      { what: 'planning', value: 0.0004 },
    ],
    ...overrides,
  };
}

const RUN = { name: 'big', nodes: 131_072, rounds: 10, strategies: 1 };

describe('describeEstimate', () => {
  it('lists every part that costs anything, largest first, and says the run would start', () => {
    expect(describeEstimate(estimate(), RUN, { budget: DEFAULT_BUDGET, refusal: null })).toBe([
      'estimate for big: 131,072 nodes × 10 rounds × 1 strategy (nothing was run)',
      '',
      'memory: 300 MiB (budget 4 GiB)',
      '    200 MiB  Node.js and TF.js',
      '   99.5 MiB  the training data',
      // 0.5 MiB less 609.5 B = 523,678.5 B = 511.4 KiB
      '  511.4 KiB  S4\'s norm histories',
      '      609 B  a fraction',
      'host time: 1.6 min (budget 1 h)',
      '    1.5 min  training',
      '        4 s  the JSON report',
      '        1 s  starting Node.js and TF.js',
      '     < 1 ms  planning',
      // 150,000 ms = 2.5 min
      'simulated time of a strategy\'s run: 2.5 min',
      '',
      'within the budget: the run would start',
      '',
    ].join('\n'));
  });

  it('a run longer than its burst chains reach: refused as such, and with --no-limits (no budget shown) still refused', () => {
    // 150,000 ms against a chain of 2^28 · 0.0005 ms − 100 ms = 134,117.728 ms; 110,000 ms at least
    const chained = estimate({ burstChain: { node: 'b', gridMs: 0.0005, windowMs: 100, reachMs: 2 ** 28 * 0.0005 - 100, leastMs: 110_000, leastRoundMs: 11_000 } });
    const refusal = burstChainRefusal(chained, false)!;
    expect(checkBudget(chained, DEFAULT_BUDGET)?.message).toBe(refusal.message);
    const lines = (verdict: Parameters<typeof describeEstimate>[2]) => describeEstimate(chained, RUN, verdict).split('\n');
    expect(lines({ budget: DEFAULT_BUDGET, refusal }).slice(-2)).toEqual(['too long for its burst chains: the run would be refused (exit 2)', '']);
    expect(burstChainRefusal(chained, true)).toBeNull();
    expect(lines(null).slice(-2)).toEqual(['the budget is not checked (--no-limits): the run would start', '']);
    const cannot = burstChainRefusal({ ...chained, burstChain: { ...chained.burstChain!, leastMs: 140_000 } }, true)!;
    const noLimits = lines({ budget: null, refusal: cannot });
    expect(noLimits[2]).toBe('memory: 300 MiB');
    expect(noLimits.slice(-2)).toEqual(['the budget is not checked (--no-limits), but the run cannot finish: it would be refused (exit 2)', '']);
  });

  it('over budget: the totals beside the budget and the run refused; outputs built as one string', () => {
    const big = estimate({ memoryBytes: 5 * 1024 ** 3, outputs: [{ flag: '--report', what: 'the HTML report', bytes: 3 * MIB }] });
    const verdict = { budget: DEFAULT_BUDGET, refusal: checkBudget(big, DEFAULT_BUDGET) };
    expect(verdict.refusal?.code).toBe('limits.memory');
    const text = describeEstimate(big, { name: 'two', nodes: 1, rounds: 1, strategies: 2 }, verdict).split('\n');
    expect(text[0]).toBe('estimate for two: 1 node × 1 round × 2 strategies (nothing was run)');
    expect(text[2]).toBe('memory: 5 GiB (budget 4 GiB)');
    expect(text.slice(-4)).toEqual([
      'built as one string: the HTML report (--report), about 3 MiB',
      '',
      'over the budget: the run would be refused (exit 2)',
      '',
    ]);
  });

  it('with --no-limits: no budget; a part without bound first, the node that made the time endless named', () => {
    const endless = estimate({
      seconds: Infinity,
      simulatedMs: Infinity,
      unboundedBy: 'slow\u001b[2J',
      timeParts: [{ what: 'training', value: 90 }, { what: 'latency samples', value: Infinity }],
    });
    const text = describeEstimate(endless, { ...RUN, name: 'n\u202eame' }, null).split('\n');
    expect(text[0]).toBe('estimate for n\\u{202e}ame: 131,072 nodes × 10 rounds × 1 strategy (nothing was run)');
    expect(text[2]).toBe('memory: 300 MiB');
    expect(text.slice(7)).toEqual([
      'host time: no bound',
      '   no bound  latency samples',
      '    1.5 min  training',
      'simulated time of a strategy\'s run: no bound (node slow\\e[2J)',
      '',
      'the budget is not checked (--no-limits): the run would start',
      '',
    ]);
  });
});

describe('partLines and formatBytes', () => {
  it('at most `shown` lines; a NaN part is one without bound, first', () => {
    const parts = [{ what: 'a', value: 1 }, { what: 'b', value: 3 }, { what: 'c', value: NaN }, { what: 'd', value: 2 }, { what: 'e', value: 0 }];
    expect(partLines(parts, String, 2)).toEqual(['   no bound  c', '          3  b']);
    expect(partLines(parts, String)).toEqual(['   no bound  c', '          3  b', '          2  d', '          1  a']);
  });

  it('a fraction of a byte is rounded; 1,023.6 B reads as 1 KiB', () => {
    expect(formatBytes(609.4959865)).toBe('609 B');
    expect(formatBytes(1023.6)).toBe('1 KiB');
    expect(formatBytes(1023.4)).toBe('1023 B');
  });
});
