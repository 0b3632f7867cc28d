/**
 * Phase 3, schedule (the compute and time model): each dispatched node's round as events —
 * every try of its download and upload, each local step, the arrival or the drop — and who
 * made it into the round. Pure but for the guarded latency lookups; the events are kept in
 * the records, so explain and the reports read them instead of replaying the model.
 */
import { roundTimes, type RoundNodeInput } from '../sim/round-time.js';
import { stepMs } from '../sim/time-model.js';
import type { Planned, Scheduled, TimelineSetting } from './round-state.js';
import type { LatencyGuard } from './time-guard.js';

/**
 * A dispatched node as the time model sees it, its lookups going through the guard: a method
 * on a class rather than a closure per node and round.
 */
class ScheduledNode implements RoundNodeInput {
  readonly slowdownAt: ((timeMs: number) => number) | null;

  constructor(
    private readonly guard: LatencyGuard,
    private readonly index: number,
    readonly bytes: number,
    readonly bandwidthBps: number,
    readonly stepMs: number,
    /** every time the round can look up is in reach (the guard's per-lookup checks can be skipped) */
    private readonly inReach: boolean,
  ) {
    // a closure only for the nodes that have a slowdown
    this.slowdownAt = guard.hasSlowdown(index) ? (timeMs) => guard.slowdownAt(index, timeMs) : null;
  }

  latencyAt(timeMs: number): number | null {
    return this.inReach ? this.guard.latencyInReach(this.index, timeMs) : this.guard.latencyAt(this.index, timeMs, 'transfer');
  }
}

/** Every dispatched node's round on the clock (time model v2: src/sim/round-time.ts). */
export function schedulePhase(scenario: TimelineSetting, guard: LatencyGuard, transferBytes: number, planned: Planned): Scheduled {
  const { cluster, model } = scenario;
  const { round, startMs, plans } = planned;
  const deadlineMs = cluster.roundTimeoutMs === null ? null : startMs + cluster.roundTimeoutMs;
  const nodes = new Array<RoundNodeInput | null>(plans.batch.length);
  // a try is made before the deadline only: with one, every transfer's lookups lie in [start, deadline)
  const inReach = deadlineMs !== null && guard.allReach(startMs, deadlineMs);
  for (let i = 0; i < nodes.length; i++) {
    const batch = plans.batch[i]!;
    if (batch === 0) {
      nodes[i] = null;
      continue;
    }
    const node = cluster.nodes[i]!;
    nodes[i] = new ScheduledNode(guard, i, transferBytes, node.bandwidthBps, stepMs(node, batch, plans.threads[i]!, plans.ioQueue[i]!), inReach);
  }
  const times = roundTimes({
    startMs,
    deadlineMs,
    retryMs: cluster.retryMs,
    maxRetries: cluster.maxRetries,
    localSteps: model.localSteps,
    serverBps: cluster.server?.bandwidthBps ?? Number.POSITIVE_INFINITY,
    nodes,
  });
  const outOfReach = guard.divergence(round);
  if (outOfReach !== null) throw outOfReach;
  const participants: number[] = [];
  for (let i = 0; i < times.nodeCount; i++) {
    if (times.finished(i)) participants.push(i);
  }
  for (let k = 0; k < participants.length; k++) {
    const i = participants[k]!;
    if (!guard.reaches(i, times.finishMs[i]!, 'upload arrival')) throw guard.divergence(round)!;
  }
  return { ...planned, deadlineMs, times, participants };
}

/**
 * When the barrier releases: once every dispatched node's outcome is known (its upload arrived
 * or the server learnt it was dropped), capped at the deadline. A round with no dispatched node
 * lasts one window, so that the next one observes fresh samples.
 */
export function roundEndMs(scenario: TimelineSetting, scheduled: Scheduled): number {
  const knownMs = scheduled.times.outcomeKnownMs(scheduled.deadlineMs);
  return knownMs ?? scheduled.startMs + scenario.pipeline.s1.windowMs;
}
