/**
 * Which nodes keep a burst (Gilbert–Elliott) chain, and how far one may go. A chain is stepped
 * slot by slot from the start of S1's first window (sim/latency/burst.ts), so its reach is
 * bounded: 2^28 slots per node (seconds of stepping for each node). A lookup beyond it stops the
 * run with a message (run/time-guard.ts); a grid so fine that S1's first window alone needs
 * more is refused with the scenario (checks.ts).
 */
import type { LatencySpec, NodeSpec } from './types.js';

export const MAX_CHAIN_SLOTS = 2 ** 28;

/** The latency process keeps a burst (Markov) chain, itself or in a phase. */
export function hasBurst(spec: LatencySpec): boolean {
  const p = spec.process;
  if (p.kind === 'burst') return true;
  return p.kind === 'phases' && p.phases.some((phase) => hasBurst(phase.latency));
}

/** The node's latency or its slowdown keeps a burst chain. */
export function keepsChain(node: Pick<NodeSpec, 'latency' | 'slowdown'>): boolean {
  return hasBurst(node.latency) || (node.slowdown != null && hasBurst(node.slowdown));
}
