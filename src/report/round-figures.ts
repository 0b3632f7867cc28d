/**
 * Figures the reports derive from a round's records (SPEC §6.5) when the record does not carry
 * them: the round's global batch and effective number of participants, and each node's phase
 * durations and drop. The JSON and the CSV both read them from here, so they agree cell for cell.
 */
import type { NodeRoundRecord, RoundRecord } from '../sim/records.js';

/** Σ batch over the participants. */
export function globalBatch(round: RoundRecord): number {
  let sum = 0;
  for (const node of round.nodes) if (node.participated) sum += node.batch;
  return sum;
}

/**
 * 1 / Σ w_i² over the participants: how many equal shares the weights are worth (n for equal
 * weights, 1 when one node has them all); 0 in a skipped round.
 */
export function effectiveParticipants(round: RoundRecord): number {
  if (round.skipped) return 0;
  let squares = 0;
  let any = false;
  for (const node of round.nodes) {
    if (!node.participated) continue;
    any = true;
    squares += node.weight * node.weight;
  }
  return any ? 1 / squares : 0;
}

export interface PhaseDurations {
  /** from the round's start to the model's arrival, failed tries included */
  downloadMs: number | null;
  /** all local steps */
  computeMs: number | null;
  /** from the end of the last step to the upload's arrival, failed tries included */
  uploadMs: number | null;
}

/**
 * The record's own durations when it has them; else from its phase ends. A phase that did not
 * complete is null: one with no end, or ending after the round did (the server had stopped
 * waiting). The upload completed only for a participant.
 */
export function nodePhaseDurations(round: RoundRecord, node: NodeRoundRecord): PhaseDurations {
  const within = (endMs: number | null): endMs is number => endMs !== null && endMs <= round.endMs;
  const downloadEnd = node.downloadEndMs;
  const computeEnd = node.computeEndMs;
  const downloaded = within(downloadEnd);
  const computed = downloaded && within(computeEnd);
  const uploaded = computed && node.participated && node.finishMs !== null;
  return {
    downloadMs: node.downloadMs !== undefined ? node.downloadMs : downloaded ? downloadEnd - round.startMs : null,
    computeMs: node.computeMs !== undefined ? node.computeMs : computed ? computeEnd! - downloadEnd! : null,
    uploadMs: node.uploadMs !== undefined ? node.uploadMs : uploaded ? node.finishMs! - computeEnd! : null,
  };
}

/** The drop reason as the reports say it: null for a participant and for a node not dispatched. */
export function reportedDropReason(node: NodeRoundRecord): 'retries' | 'deadline' | null {
  return node.dropReason === 'retries' || node.dropReason === 'deadline' ? node.dropReason : null;
}

/** When the server learnt that the node was dropped; null unless it was. */
export function reportedDroppedAtMs(node: NodeRoundRecord): number | null {
  return reportedDropReason(node) === null ? null : node.droppedAtMs ?? node.timeline?.droppedAtMs ?? null;
}

/** When the upload arrived; null unless the node took part. */
export function reportedFinishMs(node: NodeRoundRecord): number | null {
  return node.participated ? node.finishMs : null;
}
