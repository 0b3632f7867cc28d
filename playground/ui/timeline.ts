/**
 * The timeline of one round: a bar per node on the round's simulated clock, split into the
 * phases the worker sends (the `--timeline` and HTML report phases: download, the local steps,
 * upload, waiting for the shared server link, waiting at the barrier, idle), with a mark where
 * a node was dropped. Pure layout: the canvas code paints the rectangles it returns.
 */
import type { TimelinePhase } from '../../src/browser/protocol.js';

export type PhaseKind = TimelinePhase['kind'];

export const PHASE_LABELS: Readonly<Record<PhaseKind, string>> = {
  download: 'download',
  compute: 'local steps',
  upload: 'upload',
  link: 'waiting for the server link',
  waiting: 'waiting at the barrier',
  idle: 'idle',
};

/** Colours told apart by colour-blind viewers (Okabe–Ito) and on a washed-out projector. */
export const PHASE_COLOURS: Readonly<Record<PhaseKind, string>> = {
  download: '#56b4e9',
  compute: '#009e73',
  upload: '#0072b2',
  link: '#e69f00',
  waiting: '#d9d9d9',
  idle: '#f2f2f2',
};

export const PHASE_ORDER: readonly PhaseKind[] = ['download', 'compute', 'upload', 'link', 'waiting', 'idle'];

export interface Bar {
  node: number;
  kind: PhaseKind;
  x: number;
  width: number;
}

export interface DropMark {
  node: number;
  x: number;
  reason: 'retries' | 'deadline';
}

/** Where one local step ended and the next began, inside a node's compute bar. */
export interface StepMark {
  node: number;
  x: number;
}

export interface TimelineLayout {
  bars: Bar[];
  drops: DropMark[];
  /** the boundaries between local steps, where every step of the bar is MIN_STEP_PX wide or more */
  steps: StepMark[];
  /** the round's [start, end], simulated ms */
  startMs: number;
  endMs: number;
}

/** Narrower steps are not marked: the lines would hide the bar. */
export const MIN_STEP_PX = 4;

/** The marks between a compute bar's steps, or none when a step would be narrower than MIN_STEP_PX. */
function stepMarks(node: number, barX: number, barEnd: number, ends: readonly number[], at: (ms: number) => number): StepMark[] {
  const marks: StepMark[] = [];
  let previous = barX;
  for (const endMs of ends) {
    const x = at(endMs);
    if (x - previous < MIN_STEP_PX) return [];
    marks.push({ node, x });
    previous = x;
  }
  return barEnd - previous < MIN_STEP_PX ? [] : marks;
}

/**
 * Bars for every node's phases, x in [left, left + width] for the round's [startMs, endMs].
 * A dropped node's idle phase starts where the drop happened: the mark goes there.
 */
export function timelineLayout(phases: readonly (readonly TimelinePhase[])[], startMs: number, endMs: number, left: number, width: number): TimelineLayout {
  const span = endMs - startMs;
  const at = (ms: number) => left + (span > 0 ? ((ms - startMs) / span) * width : 0);
  const bars: Bar[] = [];
  const drops: DropMark[] = [];
  const steps: StepMark[] = [];
  phases.forEach((nodePhases, node) => {
    for (const phase of nodePhases) {
      const x = at(phase.startMs);
      bars.push({ node, kind: phase.kind, x, width: Math.max(0, at(phase.endMs) - x) });
      if (phase.kind === 'idle' && (phase.reason === 'retries' || phase.reason === 'deadline')) drops.push({ node, x, reason: phase.reason });
      if (phase.stepEndsMs !== undefined) {
        for (const mark of stepMarks(node, x, at(phase.endMs), phase.stepEndsMs, at)) steps.push(mark);
      }
    }
  });
  return { bars, drops, steps, startMs, endMs };
}

/** The kinds present in a round, in legend order (link only behind a shared server link). */
export function kindsPresent(phases: readonly (readonly TimelinePhase[])[]): PhaseKind[] {
  const seen = new Set<PhaseKind>();
  for (const nodePhases of phases) for (const phase of nodePhases) seen.add(phase.kind);
  return PHASE_ORDER.filter((kind) => seen.has(kind));
}

/**
 * A row's height in CSS pixels: 22 for a few nodes, whole pixels while they fit in
 * `maxHeight`, then a fraction of a pixel, so a thousand nodes still fit on a projector's
 * screen as an overview (a click still finds its node).
 */
export function rowHeight(nodes: number, maxHeight = 480): number {
  const share = maxHeight / Math.max(1, nodes);
  return share >= 2 ? Math.min(22, Math.floor(share)) : share;
}

/** The node whose row is at y, or null. */
export function nodeAtY(y: number, top: number, height: number, nodes: number): number | null {
  const node = Math.floor((y - top) / height);
  return node >= 0 && node < nodes ? node : null;
}
