/**
 * Latency objects (SPEC §3 table): exactly one process key plus optional modifiers `loss`
 * and `down`; `loop` goes with `trace`; `phases` nest latency objects that add `until`.
 * Values are ms (durations accepted) and come out of parsing already converted.
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

function processShape() {
  return {
    constant: duration().optional(),
    uniform: z.strictObject({ min: duration(), max: duration() }).superRefine(ordered('min', 'max', false)).optional(),
    normal: z.strictObject({ mean: duration(), std: duration() }).optional(),
    lognormal: z.strictObject({ median: duration({ positive: true }), sigma: numberIn({ min: 0 }) }).optional(),
    spikes: z.strictObject({ base: duration(), spike: duration(), probability: probability() }).optional(),
    burst: z.strictObject({ good: duration(), bad: duration(), toBad: probability(), toGood: probability() }).optional(),
    periodic: z.strictObject({ base: duration(), amplitude: duration(), period: duration({ positive: true }) }).optional(),
    trace: nonEmptyString('a trace file path').optional(),
    loop: z.boolean({ error: 'true or false' }).optional(),
    // lazy: a phase is itself a latency object, so phases nest
    phases: z
      .lazy(() => z.array(PhaseSchema, { error: 'a list of phases' }).min(1, { error: 'a list of at least one phase' }).superRefine(checkPhaseOrder))
      .optional(),
    loss: probability().optional(),
    down: z.array(DownSchema).optional(),
  };
}

function checkLatencyKeys(value: RawLatency, ctx: z.RefinementCtx): void {
  exactlyOneOf(LATENCY_PROCESSES, 'latency process')(value as Record<string, unknown>, ctx);
  if (value.loop !== undefined && value.trace === undefined) {
    ctx.addIssue({ code: 'custom', path: ['loop'], message: 'loop only next to trace', input: value.loop });
  }
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

const LATENCY_WORDS = 'a latency: a map with one process, e.g. { constant: 5 }';

export const LatencySchema: z.ZodType<RawLatency> = z
  .strictObject(processShape(), { error: notAMap(LATENCY_WORDS) })
  .superRefine(checkLatencyKeys);

export const PhaseSchema: z.ZodType<RawPhase> = z
  .strictObject({ until: duration().optional(), ...processShape() }, { error: notAMap(`a phase: ${LATENCY_WORDS} and until`) })
  .superRefine(checkLatencyKeys);
