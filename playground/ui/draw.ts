/**
 * The canvas views: accuracy/loss lines, the heat maps and the round's timeline. Plain 2-D
 * canvas, redrawn at most once per animation frame, so the page keeps up with a round per frame
 * (an SVG or vega view rebuilt every round would not). Layout and values come from the pure
 * modules beside this one; this file only paints. Canvas text is pixels, not markup.
 */
import type { JsonRound, TimelinePhase } from '../../src/browser/protocol.js';
import { fitCanvas } from './dom.js';
import { cellAt, heatColour, heatDomain, heatLayout, roundTicks, rowValue, type HeatField, type HeatLayout, type HeatRow } from './heatmap.js';
import type { ProgressSeries } from './progress.js';
import { extent, linear, niceTicks, type Linear } from './scale.js';
import { PHASE_COLOURS, rowHeight, timelineLayout } from './timeline.js';

export const STRATEGY_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
export function strategyColour(index: number): string {
  return STRATEGY_COLOURS[index % STRATEGY_COLOURS.length]!;
}

const FONT = '13px "DejaVu Sans", "Liberation Sans", Arial, sans-serif';
const INK = '#1f2328';
const MUTED = '#59636e';
const RULE = '#d1d9e0';
/** between two local steps on the compute colour: white reads on green on a screen and a projector */
const STEP_LINE = '#ffffff';

function tickLabel(value: number): string {
  return Math.abs(value) >= 100 || Number.isInteger(value) ? String(Math.round(value * 100) / 100) : value.toPrecision(2);
}

/** One line chart: `field` of every strategy against simulated seconds; `marker` rings one point. */
export function drawLineChart(
  canvas: HTMLCanvasElement,
  series: readonly ProgressSeries[],
  field: 'accuracy' | 'loss',
  colours: readonly string[],
  marker: { strategyIndex: number; round: number } | null,
): { x: Linear; y: Linear } {
  const { ctx, width, height } = fitCanvas(canvas, 220);
  const left = 52;
  const right = 12;
  const top = 10;
  const bottom = 34;
  function* all(key: 'timeS' | 'accuracy' | 'loss') {
    for (const s of series) for (const p of s.points) yield p[key];
  }
  const xs = extent(all('timeS')) ?? [0, 1];
  let ys = extent(all(field)) ?? [0, 1];
  if (field === 'accuracy') ys = [0, 1];
  else ys = [0, ys[1] > 0 ? ys[1] : 1];
  const x = linear(0, xs[1] > 0 ? xs[1] : 1, left, width - right);
  const y = linear(ys[0], ys[1], height - bottom, top);
  ctx.font = FONT;
  ctx.strokeStyle = RULE;
  ctx.fillStyle = MUTED;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const tick of niceTicks(ys[0], ys[1], 4)) {
    const py = Math.round(y(tick)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left, py);
    ctx.lineTo(width - right, py);
    ctx.stroke();
    ctx.fillText(tickLabel(tick), left - 6, py);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const tick of niceTicks(x.domain[0], x.domain[1], 6)) ctx.fillText(tickLabel(tick), x(tick), height - bottom + 6);
  ctx.fillText('simulated time (s)', (left + width - right) / 2, height - 14);
  series.forEach((s, index) => {
    ctx.strokeStyle = colours[index] ?? strategyColour(index);
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    let open = false;
    for (const point of s.points) {
      const value = point[field];
      if (value === null) {
        open = false;
        continue;
      }
      if (open) ctx.lineTo(x(point.timeS), y(value));
      else ctx.moveTo(x(point.timeS), y(value));
      open = true;
    }
    ctx.stroke();
  });
  if (marker !== null) {
    const point = series[marker.strategyIndex]?.points.find((p) => p.round === marker.round);
    const value = point?.[field];
    if (point !== undefined && typeof value === 'number') {
      ctx.strokeStyle = INK;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x(point.timeS), y(value), 6, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
  return { x, y };
}

export const HEAT_LABEL_WIDTH = 110;
const HEAT_AXIS = 20;

/**
 * A heat map is two stacked canvases: the cells, painted once per round as rounds arrive
 * (a full repaint only when its size, rows or colour range change), and on top the selection,
 * repainted every frame. Repainting every cell every frame grew with the run's length and took
 * most of a frame at a few hundred rounds.
 */
export interface HeatPaint {
  cells: HTMLCanvasElement;
  overlay: HTMLCanvasElement;
  /** what the painted cells were painted for; another key means a full repaint */
  key: string;
  /** how many rounds are painted */
  painted: number;
  /** what the overlay shows (the selection and the size); unchanged, it is left alone */
  overlayKey: string;
  layout: HeatLayout | null;
}

const labelWidths = new WeakMap<readonly HeatRow[], number>();

function labelWidthOf(ctx: CanvasRenderingContext2D, rows: readonly HeatRow[]): number {
  const known = labelWidths.get(rows);
  if (known !== undefined) return known;
  ctx.font = FONT;
  let widest = 0;
  for (const row of rows) widest = Math.max(widest, ctx.measureText(row.label).width);
  const width = Math.ceil(Math.min(HEAT_LABEL_WIDTH, Math.max(24, widest + 12)));
  labelWidths.set(rows, width);
  return width;
}

function paintColumn(ctx: CanvasRenderingContext2D, layout: HeatLayout, round: JsonRound, rows: readonly HeatRow[], field: HeatField, domain: readonly [number, number]): void {
  const px = layout.left + (round.round - 1) * layout.cellWidth;
  rows.forEach((row, r) => {
    const value = rowValue(round, row, field);
    const py = layout.top + r * layout.cellHeight;
    if (value === null) {
      // absent: a light cross-hatch, apart from every colour of the scale
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(px, py, layout.cellWidth, layout.cellHeight);
      ctx.strokeStyle = '#c0c6cc';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(px, py + layout.cellHeight);
      ctx.lineTo(px + layout.cellWidth, py);
      ctx.stroke();
      return;
    }
    ctx.fillStyle = heatColour(value, domain);
    ctx.fillRect(px, py, Math.ceil(layout.cellWidth), Math.ceil(layout.cellHeight));
  });
}

/** Paints what changed of one strategy's heat map; returns its layout for clicks. */
export function drawHeatmap(
  paint: HeatPaint,
  rounds: readonly JsonRound[],
  totalRounds: number,
  rows: readonly HeatRow[],
  field: HeatField,
  selected: { round: number; row: number | null } | null,
): HeatLayout {
  const cellTarget = rows.length <= 8 ? 22 : rows.length <= 24 ? 14 : 8;
  const { ctx, width, height, resized } = fitCanvas(paint.cells, rows.length * cellTarget + HEAT_AXIS, false);
  const labelWidth = labelWidthOf(ctx, rows);
  const layout = heatLayout(width, height, rows.length, Math.max(1, totalRounds), labelWidth, HEAT_AXIS);
  const domain = heatDomain(field, rounds);
  const key = `${width}|${height}|${totalRounds}|${labelWidth}|${domain[0]}|${domain[1]}`;
  if (resized || key !== paint.key || rounds.length < paint.painted) {
    paint.key = key;
    paint.painted = 0;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#f6f8fa';
    ctx.fillRect(layout.left, 0, layout.cellWidth * layout.columns, layout.cellHeight * layout.rows);
    ctx.font = FONT;
    ctx.fillStyle = INK;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    if (layout.cellHeight >= 9) {
      rows.forEach((row, r) => {
        ctx.fillText(clipText(ctx, row.label, labelWidth - 8), labelWidth - 6, layout.top + (r + 0.5) * layout.cellHeight);
      });
    } else {
      ctx.fillText(clipText(ctx, `${rows.length} rows`, labelWidth - 8), labelWidth - 6, layout.cellHeight * rows.length / 2);
    }
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const round of roundTicks(totalRounds, Math.ceil(28 / layout.cellWidth))) {
      ctx.fillText(String(round), layout.left + (round - 0.5) * layout.cellWidth, layout.rows * layout.cellHeight + 4);
    }
  }
  for (let i = paint.painted; i < rounds.length; i += 1) paintColumn(ctx, layout, rounds[i]!, rows, field, domain);
  paint.painted = rounds.length;
  paint.layout = layout;

  const overlayKey = `${key}|${selected === null ? '' : `${selected.round}/${selected.row}`}`;
  if (overlayKey === paint.overlayKey) return layout;
  paint.overlayKey = overlayKey;
  const overlay = fitCanvas(paint.overlay, height).ctx;
  // the geometry, for a test or a script that clicks a cell
  paint.overlay.dataset.left = String(layout.left);
  paint.overlay.dataset.cellWidth = String(layout.cellWidth);
  paint.overlay.dataset.cellHeight = String(layout.cellHeight);
  if (selected !== null && selected.round >= 1) {
    overlay.strokeStyle = '#d1242f';
    overlay.lineWidth = 2;
    const px = layout.left + (selected.round - 1) * layout.cellWidth;
    overlay.strokeRect(px, 1, layout.cellWidth, layout.rows * layout.cellHeight - 2);
    if (selected.row !== null) {
      overlay.strokeStyle = INK;
      overlay.strokeRect(px - 1, selected.row * layout.cellHeight, layout.cellWidth + 2, layout.cellHeight);
    }
  }
  return layout;
}

function clipText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let end = text.length;
  while (end > 1 && ctx.measureText(`${text.slice(0, end)}…`).width > maxWidth) end -= 1;
  return `${text.slice(0, end)}…`;
}

export { cellAt };

export const TIMELINE_LABEL_WIDTH = 110;

/** The round's timeline: a row per node. Returns the rows' geometry for clicks. */
export function drawTimeline(
  canvas: HTMLCanvasElement,
  phases: readonly (readonly TimelinePhase[])[],
  nodeIds: readonly string[],
  startMs: number,
  endMs: number,
  selectedNode: number | null,
): { top: number; rowHeight: number; stepMarks: number } {
  const row = rowHeight(nodeIds.length);
  const axis = 26;
  const { ctx, width, height } = fitCanvas(canvas, row * nodeIds.length + axis);
  const left = TIMELINE_LABEL_WIDTH;
  const plotWidth = width - left - 10;
  const layout = timelineLayout(phases, startMs, endMs, left, plotWidth);
  const gap = row >= 8 ? 2 : 0;
  for (const bar of layout.bars) {
    ctx.fillStyle = PHASE_COLOURS[bar.kind];
    ctx.fillRect(bar.x, bar.node * row + gap / 2, Math.max(bar.width, 0.5), row - gap);
  }
  // the local steps' boundaries (the layout keeps them only where each step has room)
  const stepsShown = row - gap >= 4 ? layout.steps.length : 0;
  ctx.fillStyle = STEP_LINE;
  for (let i = 0; i < stepsShown; i += 1) {
    const step = layout.steps[i]!;
    ctx.fillRect(Math.round(step.x) - 0.5, step.node * row + gap / 2, 1, row - gap);
  }
  ctx.strokeStyle = '#d1242f';
  ctx.lineWidth = 2;
  for (const drop of layout.drops) {
    const cy = drop.node * row + row / 2;
    const r = Math.max(2, Math.min(6, row / 2 - 1));
    ctx.beginPath();
    ctx.moveTo(drop.x - r, cy - r);
    ctx.lineTo(drop.x + r, cy + r);
    ctx.moveTo(drop.x + r, cy - r);
    ctx.lineTo(drop.x - r, cy + r);
    ctx.stroke();
  }
  ctx.font = FONT;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = INK;
  if (row >= 12) nodeIds.forEach((id, n) => ctx.fillText(clipText(ctx, id, left - 10), left - 6, n * row + row / 2));
  if (selectedNode !== null && selectedNode < nodeIds.length) {
    ctx.strokeStyle = INK;
    ctx.lineWidth = 2;
    ctx.strokeRect(left - 1, selectedNode * row, plotWidth + 2, row);
  }
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const span = endMs - startMs;
  for (const tick of niceTicks(0, span, 6)) {
    ctx.fillText(`${tickLabel(tick)} ms`, left + (span > 0 ? (tick / span) * plotWidth : 0), nodeIds.length * row + 6);
  }
  return { top: 0, rowHeight: row, stepMarks: stepsShown };
}
