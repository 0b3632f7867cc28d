/**
 * `{ phases: [ { until, <process> }, …, { <process> } ] }`: phase j holds while t_k < until_j,
 * t_k the slot's start time (SPEC §1.2, §3). Each phase is a full latency spec (its own
 * modifiers, possibly phases again) built on its own stream `…/phase/<j>`, so phases draw
 * independently and editing one phase never changes another's draws. Past the last `until`
 * (only possible if the last phase has one) the last phase holds.
 */
import type { ProcessContext, ProcessOf, SlotProcess } from './types.js';

export function phasesProcess(process: ProcessOf<'phases'>, ctx: ProcessContext): SlotProcess {
  const phases = process.phases.map((phase, j) => ctx.buildNested(phase.latency, 'phase', j));
  const untilMs = Float64Array.from(process.phases, (phase) => phase.untilMs ?? Number.POSITIVE_INFINITY);
  const last = phases.length - 1;
  return {
    valueAt(slot, slotStartMs) {
      let j = 0;
      while (j < last && slotStartMs >= untilMs[j]!) j++;
      return phases[j]!.valueAt(slot, slotStartMs);
    },
  };
}
