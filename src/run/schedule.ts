/**
 * Phase 3, schedule (the compute and time model): each dispatched node's round as events —
 * every try of its download and upload, each local step, the arrival or the drop — and who
 * made it into the round. Pure but for the guarded latency lookups; the events are kept in
 * the records, so explain and the reports read them instead of replaying the model.
 */
import type { Scenario } from '../scenario/types.js';
import { nodeTimeline, stepMs, type NodeTimeline } from '../sim/time-model.js';
import type { Planned, Scheduled } from './round-state.js';
import type { LatencyGuard } from './time-guard.js';

export function schedulePhase(scenario: Scenario, guard: LatencyGuard, transferMs: readonly number[], planned: Planned): Scheduled {
  const { cluster, model } = scenario;
  const { round, startMs, plans } = planned;
  const deadlineMs = cluster.roundTimeoutMs === null ? null : startMs + cluster.roundTimeoutMs;
  const timelines: Array<NodeTimeline | null> = [];
  const participants: number[] = [];
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i]!;
    if (plan.batch === 0) {
      timelines.push(null);
      continue;
    }
    const timeline = nodeTimeline({
      startMs,
      latencyAt: (t) => guard.latencyAt(i, t, 'transfer'),
      transferMs: transferMs[i]!,
      stepMs: stepMs(cluster.nodes[i]!, plan.batch, plan.threads, plan.ioQueue),
      localSteps: model.localSteps,
      retryMs: cluster.retryMs,
      maxRetries: cluster.maxRetries,
      deadlineMs,
    });
    const outOfReach = guard.divergence(round);
    if (outOfReach !== null) throw outOfReach;
    timelines.push(timeline);
    if (timeline.outcome === 'finished') participants.push(i);
  }
  for (const i of participants) {
    if (!guard.reaches(i, timelines[i]!.finishMs!, 'upload arrival')) throw guard.divergence(round)!;
  }
  return { ...planned, deadlineMs, timelines, participants };
}

/**
 * When the barrier releases: the last arrival among the participants, or the deadline when a
 * node was dropped by it; a round without participants lasts one window so the next one
 * observes fresh samples.
 */
export function roundEndMs(scenario: Scenario, scheduled: Scheduled): number {
  const { participants, timelines, deadlineMs, startMs } = scheduled;
  if (participants.length === 0) return startMs + scenario.pipeline.s1.windowMs;
  if (deadlineMs !== null && timelines.some((t) => t?.outcome === 'dropped' && t.reason === 'deadline')) return deadlineMs;
  let lastMs = -Infinity;
  for (const i of participants) lastMs = Math.max(lastMs, timelines[i]!.finishMs!);
  return lastMs;
}
