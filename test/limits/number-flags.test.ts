import { describe, expect, it } from 'vitest';
import { parseDecimal, roundsFlag, seedFlag } from '../../src/cli/number-flags.js';
import { parseTolerances } from '../../src/golden/tolerances.js';
import { estimateRun } from '../../src/limits/estimate.js';
import { checkBudget, DEFAULT_BUDGET } from '../../src/limits/budget.js';
import { thrown } from '../helpers/thrown.js';
import { loadScenario } from '../../src/node/load.js';

describe('parseDecimal', () => {
  it('reads plain decimals only', () => {
    expect(['12', '0.5', '-3', '+4', '.25', '1e-6', '2E3', '-0'].map(parseDecimal)).toEqual([12, 0.5, -3, 4, 0.25, 1e-6, 2000, 0]);
    for (const text of [' 0.5 ', '2\n', '\t1', '0x10', '0o17', '0b1', 'Infinity', '-Infinity', 'NaN', '', ' ', '1e999', '1_000', '1,5', '--1', '1.2.3', '0x', 'e5']) {
      expect(parseDecimal(text), text).toBeUndefined();
    }
  });
});

describe('override flags keep the scenario bounds', () => {
  it('--rounds 1…100000, --seed any safe whole number', () => {
    expect(roundsFlag('100000')).toBe(100000);
    expect(seedFlag('0')).toBe(0);
    expect(seedFlag(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => roundsFlag('100001')).toThrow("--rounds must be a whole number from 1 to 100000, found '100001'.");
    expect(() => roundsFlag('0')).toThrow('--rounds must be a whole number from 1 to 100000');
    expect(() => seedFlag('-1')).toThrow("--seed must be a whole number ≥ 0, found '-1'.");
    expect(() => seedFlag('0x10')).toThrow("--seed must be a whole number ≥ 0, found '0x10'.");
    expect(() => seedFlag('9007199254740993')).toThrow("--seed must be a whole number from 0 to 9007199254740991 (2^53 − 1), found '9007199254740993'.");
    expect(seedFlag('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    // blanks are not part of a number, on the command line as in the file
    expect(() => roundsFlag(' 2')).toThrow("--rounds must be a whole number from 1 to 100000, found ' 2'.");
    expect(() => roundsFlag('2\n')).toThrow('--rounds must be a whole number from 1 to 100000');
    expect(() => seedFlag(' 3')).toThrow("--seed must be a whole number ≥ 0, found ' 3'.");
  });

  it('--tolerance values are decimals', () => {
    expect(parseTolerances('loss=1e-3').loss).toBe(1e-3);
    expect(thrown(() => parseTolerances('loss=0x10')).message).toBe("--tolerance loss must be a number ≥ 0, found '0x10'");
    expect(thrown(() => parseTolerances('loss=Infinity')).message).toBe("--tolerance loss must be a number ≥ 0, found 'Infinity'");
  });
});

describe('output sizes', () => {
  it('each requested output is sized; only the HTML report is one string, and the timeline and CSV files of a million node-rounds are not refused', async () => {
    const scenario = await loadScenario(`${import.meta.dirname}/../hostile/budget/timeline-large.yaml`);
    const shape = { samples: 150, features: 4, classes: 3 };
    const none = estimateRun(scenario, shape, { json: false, trace: false });
    expect(none.outputs).toEqual([]);
    expect(checkBudget(none, { memoryBytes: 1e15, seconds: 1e9 })).toBeNull();
    const all = estimateRun(scenario, shape, { json: false, trace: false, timeline: true, csv: true, report: true });
    expect(all.outputs.map((o) => [o.flag, o.what, o.bytes])).toEqual([
      // one strategy: 64 KiB for the page and 64 KiB for its charts, 64 nodes × 150 columns of cells, 1,000 points, 1,000 node rows
      ['--report', 'the HTML report', 64 * 1024 + 64 * 1024 + 64 * 150 * 400 + 1000 * 80 + 1000 * 300],
    ]);
    expect(checkBudget(all, { memoryBytes: 1e15, seconds: 1e9 })).toBeNull();
    // six strategies: 100 columns each (600 over the page), 3,333 points each (20,000), so all 1,000 rounds
    const six = estimateRun({ ...scenario, strategies: Array.from({ length: 6 }, () => scenario.strategies[0]!) }, shape, { json: false, trace: false, report: true });
    expect(six.outputs[0]!.bytes).toBe(64 * 1024 + 6 * 64 * 1024 + 6 * 64 * 100 * 400 + 6 * 1000 * 80 + 1000 * 300);
    // both written round by round: the timeline a piece of 1,000 nodes' events at ~620 B (× 6:
    // objects, text, Buffer); a piece of nodes.csv (1,000 rows of ~200 B, and its Buffer) and
    // rounds.csv's 1,000 rows of ~100 B kept (× 4); never one string of the run
    const timelineHeld = 6 * 1000 * 620;
    const csvHeld = 2 * 1000 * 200 + 4 * 1000 * 100;
    expect(all.memoryBytes - none.memoryBytes).toBe(25 * all.outputs[0]!.bytes + timelineHeld + csvHeld);
    expect(all.memoryParts.find((part) => part.flag === '--timeline')).toEqual({ what: 'the timeline (--timeline, written round by round)', value: timelineHeld, flag: '--timeline' });
    expect(all.memoryParts.find((part) => part.flag === '--csv')).toEqual({ what: 'the CSV files (--csv, written round by round)', value: csvHeld, flag: '--csv' });
    // writing the timeline: 1e6 node-rounds of ~620 B and 1,000 round markers of ~150 B at 20 ns a byte
    expect(all.timeParts.find((part) => part.flag === '--timeline')!.value).toBeCloseTo((1e6 * 620 + 1000 * 150) * 20e-9, 12);
    // writing them is timed as the JSON's bytes are (20 ns a byte): 1e6 rows of ~200 B and 1,000 of ~100 B
    expect(all.timeParts.find((part) => part.flag === '--csv')!.value).toBeCloseTo((1e6 * 200 + 1000 * 100) * 20e-9, 12);
    expect(checkBudget(none, DEFAULT_BUDGET)).toBeNull();
  });
});
