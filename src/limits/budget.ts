/**
 * The budget a run must fit before it starts (issue 6, limits): the estimate (estimate.ts)
 * against a memory and a time budget. Over budget, the run is refused with a message that
 * names the estimate, the budget, the biggest costs and the options that override it:
 * `--max-memory <size>`, `--max-time <duration>`, or `--no-limits` to skip the check.
 */
import { DtrainError } from '../errors.js';
import { formatBytes, formatBytesTo } from '../scenario/text-file.js';
import { MAX_CHAIN_SLOTS } from '../scenario/burst-chains.js';
import { formatSecondsTo } from '../text/duration.js';
import { count, type CostPart, type OutputSize, type RunEstimate } from './estimate.js';

export interface Budget {
  memoryBytes: number;
  seconds: number;
}

/** A laptop-sized default: 4 GiB of memory and one hour of host time. */
export const DEFAULT_BUDGET: Budget = { memoryBytes: 4 * 1024 ** 3, seconds: 3600 };

/** V8's longest string (2^29 − 24 characters): the JSON report is built as one string. */
export const MAX_STRING_CHARS = 2 ** 29 - 24;

const SHOWN_PARTS = 3;

/** `< 1 ms`, `44 ms`, `1.5 s`, `12 min`, `2.3 h`: two significant digits. */
export function formatSeconds(seconds: number): string {
  return formatSecondsTo(seconds, 2);
}

/**
 * The parts that cost anything, largest first (one without bound before all), as indented
 * lines of a right-aligned value and what it is for; `shown` of them at most.
 */
export function partLines(parts: readonly CostPart[], format: (value: number) => string, shown = Infinity): string[] {
  const size = (part: CostPart): number => (Number.isFinite(part.value) ? part.value : Infinity);
  return parts
    .filter((part) => !(part.value <= 0))
    .sort((a, b) => size(b) - size(a) || 0)
    .slice(0, shown)
    .map((part) => `  ${bounded(part.value, format).padStart(9)}  ${part.what}`);
}

/** `format(value)`, or `no bound` for a value that is not a finite number (Infinity, NaN). */
export function bounded(value: number, format: (value: number) => string): string {
  return Number.isFinite(value) ? format(value) : 'no bound';
}

/** The biggest parts, largest first, as indented lines. */
function biggest(parts: readonly CostPart[], format: (value: number) => string): string {
  return partLines(parts, format, SHOWN_PARTS).join('\n');
}

/** A suggested budget: the estimate rounded up to a whole GiB / hour, with some headroom. */
function suggestMemory(bytes: number): string {
  return `${Math.ceil((bytes * 1.25) / 1024 ** 3)}GiB`;
}

function suggestTime(seconds: number): string {
  const hours = (seconds * 1.25) / 3600;
  return hours < 1 ? `${Math.ceil(hours * 60)}m` : `${Math.ceil(hours)}h`;
}

/**
 * An estimate and the budget it is over, in words that differ: `4 GiB, over the budget of
 * 4 GiB` says nothing, so the precision grows until they do (`4.04 GiB … 4 GiB`).
 */
function apart(format: (value: number, precision: number) => string, value: number, budget: number, precision: number): [string, string] {
  for (let p = precision; p < precision + 3; p++) {
    if (format(value, p) !== format(budget, p)) return [format(value, p), format(budget, p)];
  }
  return [format(value, precision + 3), format(budget, precision + 3)];
}

/**
 * An output that cannot be one string: named with the flag that asked for it. The JSON report
 * is one string only for a golden check or update (`jsonFlag` `--expect`), which compares
 * whole reports; `--json` alone is written round by round.
 */
function tooLarge(output: OutputSize, jsonFlag: string | null): DtrainError {
  const [bytes, limit] = apart(formatBytesTo, output.bytes, MAX_STRING_CHARS, 1);
  const size = `would be about ${bytes}, more than the ${limit} one JavaScript string can hold`;
  if (output.flag === '--json') {
    const hint = jsonFlag === '--expect'
      ? 'a golden check compares whole reports, each one string: record a golden of fewer rounds or nodes, or leave out --expect'
      : `run fewer rounds or nodes, drop --trace, or leave out ${jsonFlag ?? '--json'}`;
    return new DtrainError('limits.jsonTooLarge', `the JSON report ${size}`, { hint });
  }
  return new DtrainError('limits.outputTooLarge', `${output.what} (${output.flag}) ${size}`, {
    hint: `run fewer rounds or nodes, or leave out ${output.flag}`,
  });
}

/**
 * `, leave out --timeline` when an output is a big share of the estimate: dropping it is then
 * the cheapest fix, and the user may not see that it costs anything. The JSON report is named
 * by what asked for it (`--store full` in a study), and not at all where it is the command's
 * output (a sweep's runs).
 */
function outputAdvice(parts: readonly CostPart[], total: number, jsonFlag: string | null): string {
  const flags = parts
    .filter((part) => part.flag !== undefined && part.value >= total / 4)
    .map((part) => (part.flag === '--json' ? jsonFlag : part.flag!))
    .filter((flag): flag is string => flag !== null);
  return flags.length === 0 ? '' : `, leave out ${flags.join(' / ')}`;
}

/**
 * An estimate that is not a number within any budget (Infinity, or NaN from one): no budget
 * to suggest, only the parts without bound and the node whose rounds made the simulated time
 * unbounded.
 */
function unbounded(what: 'memory' | 'host time', parts: readonly CostPart[], estimate: RunEstimate, words: BudgetWords): DtrainError {
  const endless = parts.filter((part) => !Number.isFinite(part.value)).map((part) => part.what);
  const cause = estimate.unboundedBy === null
    ? ''
    : `, over a simulated time without bound (node ${estimate.unboundedBy}'s rounds take longer than a number can hold)`;
  return new DtrainError(
    what === 'memory' ? 'limits.memory' : 'limits.time',
    `${words.subject}'s ${what} has no bound by the estimate: ${endless.join('; ') || 'its parts add up to no number'}${cause}`,
    { hint: 'check the scenario for extreme values (bandwidth, msPerSample, ioMsPerBatch, stepOverheadMs, slowdown, latencies, retryMs), or skip the check with --no-limits' },
  );
}

/** `x` rounded up (or down) to three significant digits, without binary noise (9.66, 26800). */
function threeDigits(x: number, direction: 'up' | 'down'): number {
  const step = 10 ** (Math.floor(Math.log10(x)) - 2);
  const steps = x / step;
  // a value already on three digits stays (9.66 / 0.01 is 966.0000000000001)
  const whole = Math.abs(steps - Math.round(steps)) < 1e-9 ? Math.round(steps) : direction === 'up' ? Math.ceil(steps) : Math.floor(steps);
  return Number((whole * step).toPrecision(3));
}

/** A duration in three significant digits or fewer: `9.66 ms`, `26.8 s`, `24.8 h` (`h` and `s` as a scenario may write them). */
function durationText(ms: number): string {
  if (ms >= 3600e3) return `${Number((ms / 3600e3).toPrecision(3))} h`;
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : `${ms} ms`;
}

/**
 * A run whose burst chains end before its simulated time does (BurstChainReach): it would
 * stop there, exit 1, after hours of host time maybe, and without a later strategy's run.
 * Refused when even the least simulated time the run can take is longer (`certain`: the
 * run cannot finish, so --no-limits does not skip it) or, unless `certainOnly`, when the
 * estimated one is (the estimate is on the long side: it counts every try of a lossy link's
 * transfer but the last as lost, and each latency at its worse state, so --no-limits lets
 * such a run try). The fixes named are those that make the estimate fit: a grid coarse enough
 * for it, the rounds that fit, a round deadline that cuts every round short enough when it
 * is no shorter than the slowest node's least round.
 */
export function burstChainRefusal(estimate: RunEstimate, certainOnly = false): DtrainError | null {
  const chain = estimate.burstChain;
  if (chain == null) return null;
  const certain = chain.leastMs > chain.reachMs;
  if (!certain && (certainOnly || !(estimate.simulatedMs > chain.reachMs))) return null;
  const hours = (ms: number) => formatSecondsTo(ms / 1000, 3);
  const rounds = chain.leastRoundMs > 0 ? Math.round(chain.leastMs / chain.leastRoundMs) : 0;
  const needMs = Math.max(estimate.simulatedMs, chain.leastMs);
  const gridMs = threeDigits((needMs + chain.windowMs) / MAX_CHAIN_SLOTS, 'up');
  const fixes = [`set cluster.latencyResolutionMs to ${durationText(gridMs)} or more (a chain then reaches ${hours(MAX_CHAIN_SLOTS * gridMs - chain.windowMs)})`];
  const roundsThatFit = rounds === 0 ? 0 : Math.floor(chain.reachMs / (needMs / rounds));
  if (roundsThatFit >= 1) fixes.push(`run at most ${count(roundsThatFit)} ${roundsThatFit === 1 ? 'round' : 'rounds'}`);
  const deadlineMs = rounds === 0 ? 0 : threeDigits(chain.reachMs / rounds, 'down');
  if (deadlineMs > 0 && deadlineMs >= chain.leastRoundMs) fixes.push(`set a round deadline of at most ${durationText(deadlineMs)} (cluster.roundTimeoutMs; a node slower than that is dropped from the round)`);
  const last = fixes.length > 1 ? `, or ${fixes.pop()!}` : '';
  const need = certain
    ? `at least ${hours(chain.leastMs)} of simulated time`
    : `an estimated ${hours(estimate.simulatedMs)} of simulated time (at least ${hours(chain.leastMs)})`;
  return new DtrainError(
    'limits.burstChain',
    `this run needs ${need} for each strategy, more than a burst chain reaches on a ${chain.gridMs} ms latency grid: ${hours(chain.reachMs)} (2^28 slots, from the start of S1's first window), so node ${chain.node}'s chain would stop the run ${certain ? 'there' : 'there if it ran that long'}`,
    { hint: `${fixes.join(', ')}${last}${certain ? '' : '; or try it with --no-limits, as the estimate takes each latency at its worst and every try of a lossy transfer but the last as lost'}` },
  );
}

/**
 * What a refusal calls the thing estimated and how it can be made smaller: a run's rounds and
 * nodes, or (calibrate --measure) the batch sizes it times.
 */
export interface BudgetWords {
  /** `this run` */
  subject: string;
  /** `run fewer rounds or nodes` */
  smaller: string;
}

const RUN_WORDS: BudgetWords = { subject: 'this run', smaller: 'run fewer rounds or nodes' };

/**
 * null when the run fits; else the refusal (exit 2: the user can change the scenario or the
 * budget). Written as "not within budget", so that an estimate that is no number is refused too.
 */
export function checkBudget(estimate: RunEstimate, budget: Budget, words: BudgetWords = RUN_WORDS): DtrainError | null {
  for (const output of estimate.outputs) {
    if (!(output.bytes <= MAX_STRING_CHARS)) return tooLarge(output, estimate.jsonFlag);
  }
  const chain = burstChainRefusal(estimate);
  if (chain !== null) return chain;
  if (!Number.isFinite(estimate.memoryBytes)) return unbounded('memory', estimate.memoryParts, estimate, words);
  if (!Number.isFinite(estimate.seconds)) return unbounded('host time', estimate.timeParts, estimate, words);
  if (!(estimate.memoryBytes <= budget.memoryBytes)) {
    const memory = apart(formatBytesTo, estimate.memoryBytes, budget.memoryBytes, 1);
    return new DtrainError(
      'limits.memory',
      `${words.subject} needs an estimated ${memory[0]} of memory, over the budget of ${memory[1]}; the biggest parts:\n${biggest(estimate.memoryParts, formatBytes)}`,
      { hint: `${words.smaller}${outputAdvice(estimate.memoryParts, estimate.memoryBytes, estimate.jsonFlag)}, or raise the budget with --max-memory ${suggestMemory(estimate.memoryBytes)} (or skip the check with --no-limits)` },
    );
  }
  if (!(estimate.seconds <= budget.seconds)) {
    const time = apart(formatSecondsTo, estimate.seconds, budget.seconds, 2);
    return new DtrainError(
      'limits.time',
      `${words.subject} needs an estimated ${time[0]} of host time, over the budget of ${time[1]}; the biggest parts:\n${biggest(estimate.timeParts, formatSeconds)}`,
      { hint: `${words.smaller}${outputAdvice(estimate.timeParts, estimate.seconds, estimate.jsonFlag)}, or raise the budget with --max-time ${suggestTime(estimate.seconds)} (or skip the check with --no-limits)` },
    );
  }
  return null;
}

/** Runs estimated longer than this get a note first, so that a quiet terminal is not taken for a hang. */
export const LONG_RUN_SECONDS = 60;

export function longRunNote(estimate: RunEstimate): string | null {
  if (estimate.seconds <= LONG_RUN_SECONDS) return null;
  return `note: this run is estimated to take about ${formatSeconds(estimate.seconds)} of host time; Ctrl-C stops it after the current round and keeps the finished rounds`;
}
