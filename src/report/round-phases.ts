/**
 * How one node spent one round, as consecutive phases on the simulated clock — the one
 * derivation the HTML time breakdown and the `--timeline` trace both read, from the schedule's
 * events kept with each record, so they agree with each other and with the JSON of the same
 * run (SPEC §2 "Compute and time model"):
 *
 *   download = downloadEndMs − startMs      (round start → model arrived, retries included)
 *   compute  = computeEndMs − downloadEndMs (localSteps · stepMs)
 *   upload   = finishMs − computeEndMs      (retries included)
 *   waiting  = endMs − finishMs             (idle at the synchronous barrier)
 *   idle     = the rest of the round of a node that did not take part
 *
 * A node not dispatched (batch 0) is idle for the whole round. A dispatched node that was
 * dropped keeps the phases it completed and is idle from there: its failed transfer carried
 * no model. Everything is clipped to [startMs, endMs] — a node dropped at the deadline may
 * have computed past the round's end — and empty phases are left out, so the phases of one
 * node never overlap and tile its round exactly.
 */
import type { NodeRoundRecord, RoundRecord } from '../sim/records.js';

export type PhaseKind = 'download' | 'compute' | 'upload' | 'waiting' | 'idle';

/** Every kind, in the order a round runs (the order of stacked bars and legends). */
export const PHASE_KINDS: readonly PhaseKind[] = ['download', 'compute', 'upload', 'waiting', 'idle'];

/** Why a node was idle: not dispatched, or dropped from the round (SPEC §2). */
export type IdleReason = 'notDispatched' | 'retries' | 'deadline';

export interface Phase {
  kind: PhaseKind;
  startMs: number;
  endMs: number;
  /** only on `idle` phases */
  reason?: IdleReason;
}

function clip(timeMs: number, round: RoundRecord): number {
  return Math.min(Math.max(timeMs, round.startMs), round.endMs);
}

function nonEmpty(phases: Phase[]): Phase[] {
  return phases.filter((phase) => phase.endMs > phase.startMs);
}

/**
 * When the model arrived, the last step ended and the upload arrived: the schedule's events
 * kept with the record (the record's own fields for a record built without them).
 */
function phaseEnds(node: NodeRoundRecord): { downloadEndMs: number | null; computeEndMs: number | null; finishMs: number | null } {
  const timeline = node.timeline;
  if (timeline === undefined || timeline === null) return node;
  const lastStep = timeline.steps[timeline.steps.length - 1];
  return {
    downloadEndMs: timeline.download.arrivedMs,
    computeEndMs: lastStep === undefined ? null : lastStep.endMs,
    finishMs: timeline.finishMs,
  };
}

/** The phases of `node` in `round`, in time order, tiling [startMs, endMs]. */
export function nodeRoundPhases(round: RoundRecord, node: NodeRoundRecord): Phase[] {
  const { startMs, endMs } = round;
  const ends = phaseEnds(node);
  if (node.participated && ends.downloadEndMs !== null && ends.computeEndMs !== null && ends.finishMs !== null) {
    const downloadEnd = clip(ends.downloadEndMs, round);
    const computeEnd = clip(ends.computeEndMs, round);
    const finish = clip(ends.finishMs, round);
    return nonEmpty([
      { kind: 'download', startMs, endMs: downloadEnd },
      { kind: 'compute', startMs: downloadEnd, endMs: computeEnd },
      { kind: 'upload', startMs: computeEnd, endMs: finish },
      { kind: 'waiting', startMs: finish, endMs },
    ]);
  }
  const reason: IdleReason = node.dropReason === 'retries' || node.dropReason === 'deadline' ? node.dropReason : 'notDispatched';
  const phases: Phase[] = [];
  let reachedMs = startMs;
  if (reason !== 'notDispatched' && ends.downloadEndMs !== null) {
    reachedMs = clip(ends.downloadEndMs, round);
    phases.push({ kind: 'download', startMs, endMs: reachedMs });
    if (ends.computeEndMs !== null) {
      const computeEnd = clip(ends.computeEndMs, round);
      phases.push({ kind: 'compute', startMs: reachedMs, endMs: computeEnd });
      reachedMs = computeEnd;
    }
  }
  phases.push({ kind: 'idle', startMs: reachedMs, endMs, reason });
  return nonEmpty(phases);
}

/** Total simulated ms per phase kind of one node over all its rounds (sums to the run's length). */
export function phaseTotalsMs(rounds: readonly RoundRecord[], nodeIndex: number): Record<PhaseKind, number> {
  const totals: Record<PhaseKind, number> = { download: 0, compute: 0, upload: 0, waiting: 0, idle: 0 };
  for (const round of rounds) {
    const node = round.nodes[nodeIndex];
    if (node === undefined) continue;
    for (const phase of nodeRoundPhases(round, node)) totals[phase.kind] += phase.endMs - phase.startMs;
  }
  return totals;
}
