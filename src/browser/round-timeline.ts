/**
 * A round's timeline for the playground's `round` message: each node's phases as the
 * `--timeline` trace and the HTML report derive them (report/round-phases.ts), and on the
 * compute phase where each local step ended, from the schedule's own step events (the
 * simulator's NodeTimeline.steps), so the page can draw the steps of a `localSteps > 1`
 * round instead of one bar.
 */
import { nodeRoundPhases, type Phase } from '../report/round-phases.js';
import type { NodeRoundRecord, RoundRecord } from '../sim/records.js';
import type { TimelinePhase } from './protocol.js';

/**
 * Where each local step but the last ended, inside the compute phase (the steps run back to
 * back, so these are also where the next ones started); undefined for a single step.
 */
function stepEnds(node: NodeRoundRecord, compute: Phase): number[] | undefined {
  const steps = node.timeline?.steps;
  if (steps === undefined || steps.length < 2) return undefined;
  const ends: number[] = [];
  for (let k = 0; k < steps.length - 1; k++) {
    const endMs = steps[k]!.endMs;
    // a node dropped at the deadline may have computed past the round's end: its phase is clipped
    if (endMs > compute.startMs && endMs < compute.endMs) ends.push(endMs);
  }
  return ends.length === 0 ? undefined : ends;
}

/** One entry per node in scenario order; `ownTransferMs` per node when the run has a server link. */
export function roundTimeline(record: RoundRecord, ownTransferMs: readonly number[] | null): Array<{ node: string; phases: TimelinePhase[] }> {
  return record.nodes.map((node, index) => ({
    node: node.id,
    phases: nodeRoundPhases(record, node, ownTransferMs?.[index] ?? null).map((phase) => {
      const ends = phase.kind === 'compute' ? stepEnds(node, phase) : undefined;
      return ends === undefined ? phase : { ...phase, stepEndsMs: ends };
    }),
  }));
}
