/**
 * Latency objects (SPEC §3 table): exactly one process key plus optional modifiers `loss`
 * and `down`; `loop` goes with `trace`; `phases` nest latency objects that add `until`.
 * Values are ms (durations accepted) and come out of parsing already converted. A node's
 * `slowdown` (SPEC §6.4) has the same shape, with multipliers for values and no modifiers.
 */
import { z } from 'zod';
import { duration, exactlyOneOf, nonEmptyString, notAMap, numberIn, probability } from './fields.js';

export const LATENCY_PROCESSES = [
  'constant', 'uniform', 'normal', 'lognormal', 'spikes', 'burst', 'periodic', 'trace', 'phases',
] as const;
export type LatencyProcessName = (typeof LATENCY_PROCESSES)[number];

export interface RawLatency {
  constant?: number;
  uniform?: { min: number; max: number };
  normal?: { mean: number; std: number };
  lognormal?: { median: number; sigma: number };
  spikes?: { base: number; spike: number; probability: number };
  burst?: { good: number; bad: number; toBad: number; toGood: number };
  periodic?: { base: number; amplitude: number; period: number };
  trace?: string;
  loop?: boolean;
  phases?: RawPhase[];
  loss?: number;
  down?: { from: number; to: number }[];
}

export interface RawPhase extends RawLatency {
  until?: number;
}

/** `max ≥ min`-style pairs: the issue goes on the upper field, which names the lower. */
function ordered<T extends Record<string, number>>(lower: keyof T & string, upper: keyof T & string, strict: boolean) {
  return (value: T, ctx: z.RefinementCtx): void => {
    const ok = strict ? value[upper]! > value[lower]! : value[upper]! >= value[lower]!;
    if (ok) return;
    ctx.addIssue({
      code: 'custom',
      path: [upper],
      message: `a value ${strict ? '>' : '≥'} ${lower} (${value[lower]})`,
      input: value[upper],
    });
  };
}

const DownSchema = z.strictObject({ from: duration(), to: duration() }).superRefine(ordered('from', 'to', true));

/**
 * What tells a latency object from a slowdown (SPEC §6.4): the same processes, but a
 * slowdown's values are multipliers (plain numbers, not durations) and it has no `loss` or
 * `down` (a step always runs; a lost value would leave its length undefined).
 */
interface Flavour {
  /** a process value: a duration for latency, a plain number for a slowdown */
  value(options?: { positive?: boolean }): z.ZodType<number, unknown>;
  /** what one process is called in messages */
  what: string;
  /** "expected …" when the value is not a map */
  words: string;
  modifiers: boolean;
}

const LATENCY: Flavour = {
  value: (options) => duration(options),
  what: 'latency process',
  words: 'a latency: a map with one process, e.g. { constant: 5 }',
  modifiers: true,
};

const SLOWDOWN: Flavour = {
  value: (options) => numberIn(options?.positive === true ? { above: 0 } : { min: 0 }),
  what: 'slowdown process',
  words: 'a slowdown: a map with one process, e.g. { constant: 1.5 }',
  modifiers: false,
};

/** `loss` / `down` in a slowdown: kept in the shape so that the message can say why. */
function refused(key: 'loss' | 'down') {
  return z.never({ error: `no ${key} in a slowdown (loss and down are for latency only: a slowdown always has a value)` }).optional();
}

function processShape(flavour: Flavour, phase: () => z.ZodType<RawPhase>) {
  const { value } = flavour;
  return {
    constant: value().optional(),
    uniform: z.strictObject({ min: value(), max: value() }).superRefine(ordered('min', 'max', false)).optional(),
    normal: z.strictObject({ mean: value(), std: value() }).optional(),
    lognormal: z.strictObject({ median: value({ positive: true }), sigma: numberIn({ min: 0 }) }).optional(),
    spikes: z.strictObject({ base: value(), spike: value(), probability: probability() }).optional(),
    burst: z.strictObject({ good: value(), bad: value(), toBad: probability(), toGood: probability() }).optional(),
    periodic: z.strictObject({ base: value(), amplitude: value(), period: duration({ positive: true }) }).optional(),
    trace: nonEmptyString('a trace file path').optional(),
    loop: z.boolean({ error: 'true or false' }).optional(),
    // lazy: a phase is itself a latency object, so phases nest
    phases: z
      .lazy(() => z.array(phase(), { error: 'a list of phases' }).min(1, { error: 'a list of at least one phase' }).superRefine(checkPhaseOrder))
      .optional(),
    loss: flavour.modifiers ? probability().optional() : refused('loss'),
    down: flavour.modifiers ? z.array(DownSchema).optional() : refused('down'),
  };
}

function checkKeys(what: string) {
  return (value: RawLatency, ctx: z.RefinementCtx): void => {
    exactlyOneOf(LATENCY_PROCESSES, what)(value as Record<string, unknown>, ctx);
    if (value.loop !== undefined && value.trace === undefined) {
      ctx.addIssue({ code: 'custom', path: ['loop'], message: 'loop only next to trace', input: value.loop });
    }
  };
}

/** `until` on every phase but the last, strictly increasing; the last phase holds forever. */
function checkPhaseOrder(phases: RawPhase[], ctx: z.RefinementCtx): void {
  let previous: number | undefined;
  phases.forEach((phase, index) => {
    const last = index === phases.length - 1;
    if (last) {
      if (phase.until !== undefined) {
        ctx.addIssue({ code: 'custom', path: [index, 'until'], message: 'no until on the last phase (it holds from there on)', input: phase.until });
      }
      return;
    }
    if (phase.until === undefined) {
      ctx.addIssue({ code: 'custom', path: [index, 'until'], message: 'a duration (until is required on every phase but the last)', input: undefined });
    } else if (previous !== undefined && phase.until <= previous) {
      ctx.addIssue({ code: 'custom', path: [index, 'until'], message: `a time > the previous phase's until (${previous})`, input: phase.until });
    }
    if (phase.until !== undefined) previous = phase.until;
  });
}

/** The process object and its phase (the same plus `until`) of one flavour. */
function schemasOf(flavour: Flavour): { process: z.ZodType<RawLatency>; phase: z.ZodType<RawPhase> } {
  const phase: z.ZodType<RawPhase> = z
    .strictObject({ until: duration().optional(), ...processShape(flavour, () => phase) }, { error: notAMap(`a phase: ${flavour.words} and until`) })
    .superRefine(checkKeys(flavour.what));
  const process: z.ZodType<RawLatency> = z
    .strictObject(processShape(flavour, () => phase), { error: notAMap(flavour.words) })
    .superRefine(checkKeys(flavour.what));
  return { process, phase };
}

const latency = schemasOf(LATENCY);
export const LatencySchema = latency.process;
export const PhaseSchema = latency.phase;

/** Node field `slowdown` (SPEC §6.4): latency syntax, values are multipliers, no loss or down. */
export const SlowdownSchema = schemasOf(SLOWDOWN).process;
