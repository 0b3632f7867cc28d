import { describe, expect, it } from 'vitest';
import { burstChainRefusal, checkBudget, DEFAULT_BUDGET, formatSeconds, longRunNote, MAX_STRING_CHARS } from '../../src/limits/budget.js';
import { estimateRun, type RunEstimate } from '../../src/limits/estimate.js';
import { parseScenarioText } from '../../src/node/load.js';
import { parseMaxMemory, parseMaxTime, workersWithinBudget } from '../../src/limits/options.js';

const GIB = 1024 ** 3;
const IRIS = { samples: 150, features: 4, classes: 3 };

function estimate(memoryBytes: number, seconds: number, jsonBytes = 0): RunEstimate {
  return {
    jsonFlag: '--json',
    memoryBytes,
    seconds,
    jsonBytes,
    outputs: jsonBytes > 0 ? [{ flag: '--json', what: 'the JSON report', bytes: jsonBytes }] : [],
    simulatedMs: 0,
    unboundedBy: null,
    memoryParts: [
      { what: 'records', value: memoryBytes * 0.5 },
      { what: 'data', value: memoryBytes * 0.3 },
      { what: 'base', value: memoryBytes * 0.15 },
      { what: 'small', value: memoryBytes * 0.05 },
    ],
    timeParts: [{ what: 'training', value: seconds }],
  };
}

describe('checkBudget', () => {
  it('lets a run within both budgets through', () => {
    expect(checkBudget(estimate(4 * GIB, 3600), DEFAULT_BUDGET)).toBeNull();
  });

  it('refuses a run over the memory budget, naming the estimate, the budget, the 3 biggest parts and --max-memory', () => {
    const refusal = checkBudget(estimate(10 * GIB, 1), DEFAULT_BUDGET)!;
    expect(refusal.code).toBe('limits.memory');
    expect(refusal.exitCode).toBe(2);
    expect(refusal.message).toBe([
      'this run needs an estimated 10 GiB of memory, over the budget of 4 GiB; the biggest parts:',
      '      5 GiB  records',
      '      3 GiB  data',
      '    1.5 GiB  base',
    ].join('\n'));
    // 10 GiB with a quarter of headroom, rounded up to whole GiB
    expect(refusal.hint).toBe('run fewer rounds or nodes, or raise the budget with --max-memory 13GiB (or skip the check with --no-limits)');
  });

  it('refuses a run over the time budget with --max-time', () => {
    const refusal = checkBudget(estimate(GIB, 2 * 3600), DEFAULT_BUDGET)!;
    expect(refusal.code).toBe('limits.time');
    expect(refusal.message).toBe('this run needs an estimated 2 h of host time, over the budget of 1 h; the biggest parts:\n        2 h  training');
    expect(refusal.hint).toBe('run fewer rounds or nodes, or raise the budget with --max-time 3h (or skip the check with --no-limits)');
  });

  it('the JSON report, a third of the time, is named by what asked for it: --json, a study\'s --store full, nothing in a sweep', () => {
    // 2 h of training and 1 h of JSON: the JSON is a third of the 3 h, over the quarter that earns advice
    const timed = (jsonFlag: string | null): RunEstimate => ({
      ...estimate(GIB, 3 * 3600),
      jsonFlag,
      timeParts: [{ what: 'training', value: 2 * 3600 }, { what: 'the JSON report', value: 3600, flag: '--json' }],
    });
    const hint = (jsonFlag: string | null) => checkBudget(timed(jsonFlag), DEFAULT_BUDGET)!.hint;
    expect(hint('--json')).toBe('run fewer rounds or nodes, leave out --json, or raise the budget with --max-time 4h (or skip the check with --no-limits)');
    expect(hint('--store full')).toBe('run fewer rounds or nodes, leave out --store full, or raise the budget with --max-time 4h (or skip the check with --no-limits)');
    expect(hint(null)).toBe('run fewer rounds or nodes, or raise the budget with --max-time 4h (or skip the check with --no-limits)');
  });

  it('an estimate just over the budget is written with the digits that tell them apart', () => {
    // 4.04 GiB rounds to "4 GiB" at one decimal, as the budget does
    expect(checkBudget(estimate(4.04 * GIB, 1), DEFAULT_BUDGET)!.message.split('\n')[0])
      .toBe('this run needs an estimated 4.04 GiB of memory, over the budget of 4 GiB; the biggest parts:');
    // 3,650 s is 1.0139 h: "1 h" at two significant digits, "1.01 h" at three
    expect(checkBudget(estimate(GIB, 3650), DEFAULT_BUDGET)!.message.split('\n')[0])
      .toBe('this run needs an estimated 1.01 h of host time, over the budget of 1 h; the biggest parts:');
    // and a JSON report of 512.3 MiB against the 512 MiB a string can hold (2^29 − 24 characters)
    expect(checkBudget(estimate(GIB, 1, 512.3 * 1024 ** 2), { memoryBytes: 1e15, seconds: 1e9 })!.message)
      .toBe('the JSON report would be about 512.3 MiB, more than the 512 MiB one JavaScript string can hold');
  });

  it('a JSON report longer than a JavaScript string can be is refused whatever the budget', () => {
    const refusal = checkBudget(estimate(GIB, 1, MAX_STRING_CHARS + 1), { memoryBytes: 1e15, seconds: 1e9 })!;
    expect(refusal.code).toBe('limits.jsonTooLarge');
    expect(refusal.message).toBe('the JSON report would be about 512 MiB, more than the 512 MiB one JavaScript string can hold');
  });
});

describe('checkBudget of an estimate that is no number within any budget', () => {
  const HINT = 'check the scenario for extreme values (bandwidth, msPerSample, ioMsPerBatch, stepOverheadMs, slowdown, latencies, retryMs), or skip the check with --no-limits';

  it('refuses NaN and Infinity (NaN > budget is false: such an estimate was let through), naming the parts without bound and the node', () => {
    const chains = { what: 'burst latency chains (a grid slot per step of simulated time)', value: Number.POSITIVE_INFINITY };
    const memory = checkBudget({ ...estimate(GIB, 1), memoryBytes: Number.POSITIVE_INFINITY, unboundedBy: 'z', memoryParts: [{ what: 'base', value: GIB }, chains] }, DEFAULT_BUDGET)!;
    expect(memory.code).toBe('limits.memory');
    expect(memory.exitCode).toBe(2);
    expect(memory.message).toBe("this run's memory has no bound by the estimate: burst latency chains (a grid slot per step of simulated time), over a simulated time without bound (node z's rounds take longer than a number can hold)");
    expect(memory.hint).toBe(HINT);
    const time = checkBudget({ ...estimate(GIB, 1), seconds: Number.NaN, timeParts: [{ what: 'training', value: 1 }, { what: 'the JSON report', value: Number.NaN }] }, DEFAULT_BUDGET)!;
    expect(time.code).toBe('limits.time');
    expect(time.message).toBe("this run's host time has no bound by the estimate: the JSON report");
    // a NaN whose parts are all numbers (it cannot come from them, but is refused all the same)
    expect(checkBudget(estimate(Number.NaN, 1), DEFAULT_BUDGET)!.message).toBe("this run's memory has no bound by the estimate: records; data; base; small");
    expect(checkBudget({ ...estimate(GIB, 1), memoryBytes: Number.NaN }, DEFAULT_BUDGET)!.message).toBe("this run's memory has no bound by the estimate: its parts add up to no number");
  });

  it('refuses an output whose size is no number, and never lets a NaN estimate through to the long-run note', () => {
    expect(checkBudget({ ...estimate(GIB, 1), outputs: [{ flag: '--json', what: 'the JSON report', bytes: Number.NaN }] }, DEFAULT_BUDGET)!.code).toBe('limits.jsonTooLarge');
    expect(checkBudget(estimate(GIB, Number.NaN), { memoryBytes: 1e15, seconds: 1e9 })).not.toBeNull();
  });
});

describe('formatSeconds', () => {
  it('two significant digits in a fitting unit', () => {
    expect([0.0004, 0.044, 1.5, 90, 720, 8280].map(formatSeconds)).toEqual(['< 1 ms', '44 ms', '1.5 s', '1.5 min', '12 min', '2.3 h']);
  });
});

describe('option parsers', () => {
  it('--max-memory takes sizes, --max-time durations (in seconds)', () => {
    expect(parseMaxMemory('8GiB')).toBe(8 * GIB);
    expect(parseMaxMemory('512MB')).toBe(512e6);
    expect(parseMaxTime('2h')).toBe(7200);
    expect(parseMaxTime('90m')).toBe(5400);
    expect(parseMaxTime('30s')).toBe(30);
  });

  it('reject what is not a positive size or duration', () => {
    expect(() => parseMaxMemory('lots')).toThrow("--max-memory must be a size like 8GiB or 512MB, found 'lots'.");
    expect(() => parseMaxMemory('0GiB')).toThrow('--max-memory');
    expect(() => parseMaxTime('-1h')).toThrow("--max-time must be a duration like 2h, 90m or 30s, found '-1h'.");
  });
});

describe('longRunNote', () => {
  it('only for runs estimated over a minute', () => {
    expect(longRunNote(estimate(GIB, 60))).toBeNull();
    expect(longRunNote(estimate(GIB, 720))).toBe(
      'note: this run is estimated to take about 12 min of host time; Ctrl-C stops it after the current round and keeps the finished rounds',
    );
  });
});

describe('workersWithinBudget', () => {
  it('runs as many workers at once as the largest runs fit the memory budget, at least one, and says so', () => {
    const runs = [100, 300, 200];
    // 300 + 200 = 500 > 450: one at a time; the three largest together would need 600 B
    expect(workersWithinBudget(runs, 3, { limits: true, maxMemory: 450 })).toEqual({
      jobs: 1,
      note: '3 workers would need an estimated 600 B, over the memory budget of 450 B; running 1 at a time (raise the budget with --max-memory)',
    });
    // 300 + 200 = 500 fits exactly, + 100 does not
    expect(workersWithinBudget(runs, 3, { limits: true, maxMemory: 500 }).jobs).toBe(2);
    expect(workersWithinBudget(runs, 2, { limits: true, maxMemory: 500 })).toEqual({ jobs: 2, note: null });
    // a single run over the budget was refused before; one worker is the floor
    expect(workersWithinBudget(runs, 3, { limits: true, maxMemory: 50 }).jobs).toBe(1);
    expect(workersWithinBudget(runs, 3, { limits: false, maxMemory: 50 })).toEqual({ jobs: 3, note: null });
    // the default budget, 4 GiB: three runs of 1.5 GiB do not fit, two do
    expect(workersWithinBudget([1.5 * 1024 ** 3, 1.5 * 1024 ** 3, 1.5 * 1024 ** 3], 3, { limits: true }).jobs).toBe(2);
  });
});

describe('burstChainRefusal: a run longer in simulated time than its burst chains reach', () => {
  // transfers of 1 MB at 8 Mbps take 1,000 ms, steps none; node bursty's latency is 5 ms at
  // least and 400 ms at worst: a round takes 2 · (5 + 1,000) = 2,010 ms at least and is
  // estimated at 2 · (400 + 1,000) = 2,800 ms. A chain reaches 2^28 · 0.001 ms − the 100 ms
  // window = 268,335.456 ms (4.47 min).
  const text = (rounds: number, deadline = '') => `
rounds: ${rounds}
data: { dataset: iris }
model: { hidden: [], transferBytes: 1MB }
pipeline:
  s1: { intervalMs: 10ms, windowMs: 100ms }
cluster:
  latencyResolutionMs: 0.001ms
${deadline}  defaults: { msPerSample: 0, ioMsPerBatch: 0, bandwidth: 8Mbps }
  nodes:
    - { id: steady, latency: { constant: 5 } }
    - { id: bursty, latency: { burst: { good: 5, bad: 400, toBad: 0.1, toGood: 0.3 } } }
`;
  const estimateOf = (yaml: string) => estimateRun(parseScenarioText(yaml, 'chain.yaml'), IRIS, { json: false, trace: false });
  const estimated = (rounds: number, deadline = '') => estimateOf(text(rounds, deadline));

  it('names the least and estimated simulated time, the reach on the grid, and the fixes that fit', () => {
    const run = estimated(200);
    expect(run.simulatedMs).toBe(200 * 2800);
    expect(run.burstChain).toEqual({ node: 'bursty', gridMs: 0.001, windowMs: 100, reachMs: 2 ** 28 * 0.001 - 100, leastMs: 200 * 2010, leastRoundMs: 2010 });
    // at least 402,000 ms (6.7 min): it cannot finish, refused even with --no-limits (certainOnly);
    // a grid for the estimated 560,000 ms: (560,000 + 100) / 2^28 = 0.0020865 → 0.00209 ms, which
    // reaches 0.00209 · 2^28 − 100 = 560,930 ms (9.35 min); 268,335 / 2,800 = 95.8 → 95 rounds;
    // no deadline: 268,335 / 200 = 1,342 ms is under the least round of 2,010 ms
    const refusal = burstChainRefusal(run, true)!;
    expect(refusal.code).toBe('limits.burstChain');
    expect(refusal.exitCode).toBe(2);
    expect(refusal.message).toBe("this run needs at least 6.7 min of simulated time for each strategy, more than a burst chain reaches on a 0.001 ms latency grid: 4.47 min (2^28 slots, from the start of S1's first window), so node bursty's chain would stop the run there");
    expect(refusal.hint).toBe('set cluster.latencyResolutionMs to 0.00209 ms or more (a chain then reaches 9.35 min), or run at most 95 rounds');
    expect(checkBudget(run, DEFAULT_BUDGET)?.message).toBe(refusal.message);
  });

  it('a run whose estimate is over the reach but whose least time is not: refused by the budget check, not when it is skipped', () => {
    // estimated 280,000 ms (4.67 min), at least 201,000 ms (3.35 min); a grid of 280,100 / 2^28 =
    // 0.00104346 → 0.00105 ms (281,757 ms, 4.7 min); a deadline of 268,335 / 100 → 2,680 ms ≥ 2,010
    const run = estimated(100);
    expect(burstChainRefusal(run, true)).toBeNull();
    const refusal = checkBudget(run, DEFAULT_BUDGET)!;
    expect(refusal.code).toBe('limits.burstChain');
    expect(refusal.message).toBe("this run needs an estimated 4.67 min of simulated time (at least 3.35 min) for each strategy, more than a burst chain reaches on a 0.001 ms latency grid: 4.47 min (2^28 slots, from the start of S1's first window), so node bursty's chain would stop the run there if it ran that long");
    expect(refusal.hint).toBe('set cluster.latencyResolutionMs to 0.00105 ms or more (a chain then reaches 4.7 min), run at most 95 rounds, or set a round deadline of at most 2.68 s (cluster.roundTimeoutMs; a node slower than that is dropped from the round); or try it with --no-limits, as the estimate takes each latency at its worst and every try of a lossy transfer but the last as lost');
  });

  it('each fix it names passes: the coarser grid, the rounds that fit, the deadline', () => {
    expect(burstChainRefusal(estimateOf(text(200).replace('0.001ms', '0.00209ms')))).toBeNull();
    expect(burstChainRefusal(estimateOf(text(200).replace('0.001ms', '0.00208ms')))).not.toBeNull();
    expect(burstChainRefusal(estimated(95))).toBeNull();
    expect(burstChainRefusal(estimated(96))).not.toBeNull();
    // 100 rounds of at most 2,680 ms: 268,000 ms ≤ 268,335 ms
    expect(burstChainRefusal(estimated(100, '  roundTimeoutMs: 2.68s\n'))).toBeNull();
    expect(burstChainRefusal(estimated(100, '  roundTimeoutMs: 2.69s\n'))).not.toBeNull();
  });

  it('no burst node, no chain to outrun', () => {
    const plain = parseScenarioText('rounds: 100000\ndata: { dataset: iris }\nmodel: { hidden: [] }\ncluster:\n  latencyResolutionMs: 0.001ms\n  nodes:\n    - { id: a, latency: { constant: 5 } }\n', 'plain.yaml');
    expect(estimateRun(plain, IRIS, { json: false, trace: false }).burstChain).toBeNull();
  });
});
