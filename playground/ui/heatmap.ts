/**
 * The node × round heat maps (S1 efficiency, S2 batch, S4 weight): which nodes make a row,
 * each cell's value, its colour and which cell a click hit. Up to MAX_ROWS nodes get a row
 * each; a bigger cluster is shown by group (`count: 96` expands `edge` into edge-1 … edge-96,
 * and those share the row `edge`, its mean), and when the groups are too many (or all the
 * nodes are one group), consecutive nodes share a row. Pure functions: the canvas code only paints what they say.
 */
import type { JsonRound } from '../../src/browser/protocol.js';

export const MAX_ROWS = 48;

export interface HeatRow {
  label: string;
  /** node indices (scenario order) whose mean the row shows */
  members: number[];
}

/** `edge-12` → `edge` (the id `count:` expanded from); other ids are their own group. */
export function groupOf(id: string): string {
  const match = /^(.*)-[1-9][0-9]*$/.exec(id);
  return match === null || match[1] === '' ? id : match[1]!;
}

export function heatRows(nodeIds: readonly string[], maxRows = MAX_ROWS): HeatRow[] {
  if (nodeIds.length <= maxRows) return nodeIds.map((id, index) => ({ label: id, members: [index] }));
  const groups = new Map<string, number[]>();
  nodeIds.forEach((id, index) => {
    const key = groupOf(id);
    const members = groups.get(key);
    if (members === undefined) groups.set(key, [index]);
    else members.push(index);
  });
  // one group (every node from one `count:`) says nothing by itself: bands of nodes do
  if (groups.size > 1 && groups.size <= maxRows) {
    return [...groups].map(([label, members]) => ({ label: members.length === 1 ? label : `${label} (${members.length})`, members }));
  }
  const size = Math.ceil(nodeIds.length / maxRows);
  const rows: HeatRow[] = [];
  for (let start = 0; start < nodeIds.length; start += size) {
    const members: number[] = [];
    for (let i = start; i < Math.min(nodeIds.length, start + size); i += 1) members.push(i);
    const last = members[members.length - 1]!;
    rows.push({ label: `${nodeIds[start]!} … ${nodeIds[last]!}`, members });
  }
  return rows;
}

export type HeatField = 'efficiency' | 'batch' | 'weight';

/** What each heat map shows, in words for its title and legend. */
export const HEAT_TITLES: Readonly<Record<HeatField, string>> = {
  efficiency: 'S1 efficiency',
  batch: 'S2 batch',
  weight: 'S4 weight × participants (1: an equal share)',
};

/** One node's value in one round, or null (not dispatched, dropped, missing). */
export function nodeValue(round: JsonRound, node: number, field: HeatField): number | null {
  const record = round.nodes[node];
  if (record === undefined) return null;
  if (field === 'weight') {
    const weight = record.weight;
    if (typeof weight !== 'number' || !record.participated) return null;
    let participants = 0;
    for (const other of round.nodes) if (other.participated) participants += 1;
    return weight * participants;
  }
  const value = record[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The mean over a row's members that have a value; null when none has. */
export function rowValue(round: JsonRound, row: HeatRow, field: HeatField): number | null {
  if (field === 'weight') {
    // participants counted once per round, not once per member
    let participants = 0;
    for (const other of round.nodes) if (other.participated) participants += 1;
    let sum = 0;
    let n = 0;
    for (const index of row.members) {
      const record = round.nodes[index];
      if (record === undefined || !record.participated || typeof record.weight !== 'number') continue;
      sum += record.weight * participants;
      n += 1;
    }
    return n === 0 ? null : sum / n;
  }
  let sum = 0;
  let n = 0;
  for (const index of row.members) {
    const value = nodeValue(round, index, field);
    if (value === null) continue;
    sum += value;
    n += 1;
  }
  return n === 0 ? null : sum / n;
}

/**
 * The largest batch so far of each run's list of rounds, scanning only rounds appended since
 * the last call: the views ask every frame, and the list only grows.
 */
const batchMax = new WeakMap<readonly JsonRound[], { counted: number; max: number }>();

/** The colour scale's domain: efficiency 0–1, weight 0–2 (equal share in the middle), batch 0–largest. */
export function heatDomain(field: HeatField, rounds: readonly JsonRound[]): [number, number] {
  if (field === 'efficiency') return [0, 1];
  if (field === 'weight') return [0, 2];
  let known = batchMax.get(rounds);
  if (known === undefined || known.counted > rounds.length) {
    known = { counted: 0, max: 0 };
    batchMax.set(rounds, known);
  }
  for (; known.counted < rounds.length; known.counted += 1) {
    for (const node of rounds[known.counted]!.nodes) {
      const batch = node.batch;
      if (typeof batch === 'number' && batch > known.max) known.max = batch;
    }
  }
  return [0, known.max > 0 ? known.max : 1];
}

/** Perceptually ordered stops (viridis), dark = low: readable on a projector and in grey. */
const STOPS: ReadonlyArray<readonly [number, number, number]> = [
  [68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37],
];

/** `rgb(r, g, b)` for `value` within `domain` (clamped). */
export function heatColour(value: number, domain: readonly [number, number]): string {
  const [lo, hi] = domain;
  const t = hi === lo ? 1 : Math.min(1, Math.max(0, (value - lo) / (hi - lo)));
  const at = t * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(at));
  const f = at - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  const mix = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

export interface HeatLayout {
  left: number;
  top: number;
  cellWidth: number;
  cellHeight: number;
  rows: number;
  columns: number;
}

/** Where the heat map's cells go in a canvas `width` × `height` (CSS pixels) with room for labels. */
export function heatLayout(width: number, height: number, rows: number, columns: number, labelWidth: number, axisHeight: number): HeatLayout {
  const cellWidth = Math.max(1, (width - labelWidth - 4) / Math.max(1, columns));
  const cellHeight = Math.max(1, (height - axisHeight) / Math.max(1, rows));
  return { left: labelWidth, top: 0, cellWidth, cellHeight, rows, columns };
}

/** The cell under (x, y), or null outside the cells. */
export function cellAt(layout: HeatLayout, x: number, y: number): { row: number; column: number } | null {
  const column = Math.floor((x - layout.left) / layout.cellWidth);
  const row = Math.floor((y - layout.top) / layout.cellHeight);
  if (column < 0 || row < 0 || column >= layout.columns || row >= layout.rows) return null;
  return { row, column };
}

/**
 * The node a click on a row means: the node itself, or in a shared row the member with the
 * lowest value in that round (the one a teacher wants explained), else the first member.
 */
export function representative(round: JsonRound | undefined, row: HeatRow, field: HeatField): number {
  if (round === undefined || row.members.length === 1) return row.members[0]!;
  let best = row.members[0]!;
  let bestValue = Number.POSITIVE_INFINITY;
  for (const index of row.members) {
    const value = nodeValue(round, index, field);
    if (value !== null && value < bestValue) {
      bestValue = value;
      best = index;
    }
  }
  return best;
}

/**
 * The rounds to label under a heat map whose labels need `minGap` columns apart: round 1, then
 * multiples of a round step (1, 2, 5, 10, 20, 50 …) at least `minGap`, leaving out a multiple
 * that would crowd round 1's label.
 */
export function roundTicks(totalRounds: number, minGap: number): number[] {
  const gap = Math.max(1, minGap);
  let step = 1;
  for (let power = 1; step < gap; power *= 10) {
    step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= gap) ?? 10 * power;
  }
  const ticks = totalRounds >= 1 ? [1] : [];
  for (let round = step; round <= totalRounds; round += step) {
    if (round === 1 || round - 1 < step * 0.6) continue;
    ticks.push(round);
  }
  return ticks;
}

function shown(field: HeatField, value: number): string {
  if (field === 'batch') return Number.isInteger(value) ? String(value) : value.toFixed(1);
  return value.toFixed(2);
}

/** A cell's tooltip: whose value, which round, and the value (a mean for a shared row). */
export function cellText(round: JsonRound, row: HeatRow, field: HeatField): string {
  const value = rowValue(round, row, field);
  const what = row.members.length === 1 ? row.label : `${row.label}, mean of ${row.members.length} nodes`;
  return `${what}, round ${round.round}: ${value === null ? 'not sent or dropped' : shown(field, value)}`;
}

/** What the colours run over, dark to bright, for the caption: `0.00 → 1.00`. */
export function scaleText(field: HeatField, domain: readonly [number, number]): string {
  return `${shown(field, domain[0])} → ${shown(field, domain[1])}`;
}
