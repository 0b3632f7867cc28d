/**
 * How one node spent one round, as consecutive phases on the simulated clock — the one
 * derivation the HTML time breakdown and the `--timeline` trace both read, from the schedule's
 * events kept with each record, so they agree with each other and with the JSON of the same
 * run (SPEC §2 "Compute and time model", §6.2):
 *
 *   download = downloadEndMs − startMs      (round start → model arrived, retries included)
 *   compute  = computeEndMs − downloadEndMs (the local steps)
 *   upload   = finishMs − computeEndMs      (retries included)
 *   link     = the part of a transfer spent waiting for the shared server link: its arrival −
 *              when its bytes started to move − its time at its own bandwidth; shown at the
 *              end of the transfer it slowed (`transfer` says which)
 *   waiting  = endMs − finishMs             (idle at the synchronous barrier)
 *   idle     = the rest of the round of a node that did not take part
 *
 * A node not dispatched (batch 0) is idle for the whole round. A dispatched node that was
 * dropped keeps the phases it completed and is idle from there: its failed transfer carried
 * no model. Everything is clipped to [startMs, endMs] — a node dropped at the deadline may
 * have computed past the round's end — and empty phases are left out, so the phases of one
 * node never overlap and tile its round exactly.
 */
import type { Scenario } from '../scenario/types.js';
import type { NodeRoundRecord, RoundRecord, RunResult, RunSetting } from '../sim/records.js';
import type { NodeTimeline, TransferEvents } from '../sim/time-model.js';

export type PhaseKind = 'download' | 'compute' | 'upload' | 'link' | 'waiting' | 'idle';

/** Every kind, in the order of stacked bars and legends (a round's transfers first, then the waits). */
export const PHASE_KINDS: readonly PhaseKind[] = ['download', 'compute', 'upload', 'link', 'waiting', 'idle'];

/** The kinds a run can have: `link` only behind a shared server link. */
export function phaseKinds(withLink: boolean): PhaseKind[] {
  return PHASE_KINDS.filter((kind) => withLink || kind !== 'link');
}

/**
 * Per node (scenario order), one transfer's time at the node's own bandwidth — what a transfer
 * takes without a server link — or null when the run had no server link (nothing to split).
 */
export function ownTransferTimes(result: RunResult): readonly number[] | null {
  return result.setting === undefined ? null : settingTransferTimes(result.scenario, result.setting);
}

/** ownTransferTimes from the run's setting as it is announced (runScenario's onSetting), before any result. */
export function settingTransferTimes(scenario: Scenario, setting: RunSetting): readonly number[] | null {
  const server = scenario.cluster.server;
  return server === undefined || server === null ? null : setting.transferMs;
}

/** Below this a transfer's slowdown is float noise (a nanosecond), not time spent waiting. */
const LINK_NOISE_MS = 1e-6;

/** Why a node was idle: not dispatched, or dropped from the round (SPEC §2). */
export type IdleReason = 'notDispatched' | 'retries' | 'deadline';

export interface Phase {
  kind: PhaseKind;
  startMs: number;
  endMs: number;
  /** only on `idle` phases */
  reason?: IdleReason;
  /** only on `link` phases: the transfer that waited */
  transfer?: 'download' | 'upload';
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
function phaseEnds(node: NodeRoundRecord, timeline: NodeTimeline | null | undefined): { downloadEndMs: number | null; computeEndMs: number | null; finishMs: number | null } {
  if (timeline === undefined || timeline === null) return node;
  const lastStep = timeline.steps[timeline.steps.length - 1];
  return {
    downloadEndMs: timeline.download.arrivedMs,
    computeEndMs: lastStep === undefined ? null : lastStep.endMs,
    finishMs: timeline.finishMs,
  };
}

/** How long `events` waited for the server link beyond its own transfer time; 0 without a link. */
export function linkWaitMs(events: TransferEvents | null | undefined, ownTransferMs: number | null | undefined): number {
  if (ownTransferMs === null || ownTransferMs === undefined || events === null || events === undefined) return 0;
  const { activeMs, arrivedMs } = events;
  if (activeMs === null || activeMs === undefined || arrivedMs === null) return 0;
  const waitMs = arrivedMs - activeMs - ownTransferMs;
  return waitMs > LINK_NOISE_MS ? waitMs : 0;
}

/** A transfer from `startMs` to `endMs` (unclipped), its link wait split off at its end. */
function transferPhases(kind: 'download' | 'upload', startMs: number, endMs: number, waitMs: number, round: RoundRecord): Phase[] {
  if (waitMs === 0) return [{ kind, startMs: clip(startMs, round), endMs: clip(endMs, round) }];
  const splitMs = clip(endMs - waitMs, round);
  return [
    { kind, startMs: clip(startMs, round), endMs: splitMs },
    { kind: 'link', startMs: splitMs, endMs: clip(endMs, round), transfer: kind },
  ];
}

/**
 * The phases of `node` in `round`, in time order, tiling [startMs, endMs]. With
 * `ownTransferMs` (the node's transfer time at its own bandwidth, given when the run had a
 * server link) a transfer's wait for the link is its own `link` phase.
 */
export function nodeRoundPhases(round: RoundRecord, node: NodeRoundRecord, ownTransferMs: number | null = null): Phase[] {
  const { startMs, endMs } = round;
  // read once: a streamed record builds its events each time they are read (run/record.ts)
  const timeline = node.timeline;
  const ends = phaseEnds(node, timeline);
  const downloadWait = linkWaitMs(timeline?.download, ownTransferMs);
  if (node.participated && ends.downloadEndMs !== null && ends.computeEndMs !== null && ends.finishMs !== null) {
    const uploadWait = linkWaitMs(timeline?.upload, ownTransferMs);
    const downloadEnd = clip(ends.downloadEndMs, round);
    const computeEnd = clip(ends.computeEndMs, round);
    const finish = clip(ends.finishMs, round);
    return nonEmpty([
      ...transferPhases('download', startMs, ends.downloadEndMs, downloadWait, round),
      { kind: 'compute', startMs: downloadEnd, endMs: computeEnd },
      ...transferPhases('upload', ends.computeEndMs, ends.finishMs, uploadWait, round),
      { kind: 'waiting', startMs: finish, endMs },
    ]);
  }
  const reason: IdleReason = node.dropReason === 'retries' || node.dropReason === 'deadline' ? node.dropReason : 'notDispatched';
  const phases: Phase[] = [];
  let reachedMs = startMs;
  if (reason !== 'notDispatched' && ends.downloadEndMs !== null) {
    reachedMs = clip(ends.downloadEndMs, round);
    phases.push(...transferPhases('download', startMs, ends.downloadEndMs, downloadWait, round));
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
export function phaseTotalsMs(rounds: readonly RoundRecord[], nodeIndex: number, ownTransferMs: number | null = null): Record<PhaseKind, number> {
  const totals: Record<PhaseKind, number> = { download: 0, compute: 0, upload: 0, link: 0, waiting: 0, idle: 0 };
  for (const round of rounds) {
    const node = round.nodes[nodeIndex];
    if (node === undefined) continue;
    for (const phase of nodeRoundPhases(round, node, ownTransferMs)) totals[phase.kind] += phase.endMs - phase.startMs;
  }
  return totals;
}
