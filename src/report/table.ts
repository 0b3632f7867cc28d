/**
 * The terminal report: for each strategy, for each round, a round line and a table of the
 * nodes (`renderRunTables`); then the comparison of strategies (`renderSummary`);
 * `renderTableReport` is both. Above `maxNodeRows` nodes a round shows min / low median /
 * max rows, the weakest nodes and the dropped ones (capped) instead of every node, so the
 * output stays readable at 1,000 nodes. Every line fits 80 columns (names aside: an id is
 * never cut). Names from the scenario are escaped for the terminal (control and bidi
 * characters shown as escapes). Colour comes only from `options.color`.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { StrategySpec } from '../scenario/types.js';
import type { NodeRoundRecord, RoundRecord, RunResult, StrategyRun } from '../sim/records.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { formatAccuracy, formatEfficiency, formatLoss, formatSeconds, formatSecondsRead, formatWeight } from './format.js';
import {
  DROPPED_NODES_HEADING, GROUPS_HEADING, NODE_COLUMNS, WORST_NODES_HEADING, legend, moreDroppedText, moreGroupsText, nodeCountsLine, reportHeader,
  roundLine, runHeader, tiedOutText,
} from './messages.js';
import { nodeGroups } from './node-groups.js';
import { NODE_ALIGNS, groupRowCells, nodeRowCells, statsRowsCells } from './node-rows.js';
import { countStatuses, nodeStatus, selectDroppedNodes, selectWorstNodes } from './node-stats.js';
import { renderSummary } from './summary-table.js';
import { type TableCell, makeTable, tableText } from './table-style.js';

export { renderSummary, type SummaryOptions } from './summary-table.js';

export interface TableReportOptions {
  /** ANSI colour; the CLI decides it from TTY / NO_COLOR / --no-color */
  color: boolean;
  /** only the strategy summary */
  quiet: boolean;
  /** above this many nodes a round is summarised (default 16) */
  maxNodeRows?: number;
  /** show host wall time in the summary (non-deterministic, so opt-in like --timing) */
  timing?: boolean;
}

export const DEFAULT_MAX_NODE_ROWS = 16;
const WORST_PER_KEY = 5;
/** Above this many nodes a round also shows a row per group of the scenario. */
export const GROUP_ROWS_ABOVE = 1024;
const MAX_GROUP_ROWS = 12;
const MAX_DROPPED_ROWS = 5;

/** Dropped rows yellow, idle (not dispatched) rows dim. */
function paintRow(node: NodeRoundRecord, cells: string[], paint: ChalkInstance): string[] {
  const status = nodeStatus(node);
  if (status === 'dropped') return cells.map((cell) => paint.yellow(cell));
  if (status === 'idle') return cells.map((cell) => paint.dim(cell));
  return cells;
}

function renderRoundLine(round: RoundRecord): string {
  return roundLine({
    round: round.round,
    start: formatSeconds(round.startMs),
    end: formatSecondsRead(round.endMs),
    participants: round.nodes.filter((node) => node.participated).length,
    nodes: round.nodes.length,
    loss: formatLoss(round.loss),
    accuracy: formatAccuracy(round.accuracy),
    skipped: round.skipped,
  });
}

function headingRow(text: string, paint: ChalkInstance): TableCell[] {
  return [{ colSpan: NODE_COLUMNS.length, content: paint.dim(text) }];
}

function renderNodeTable(nodes: readonly NodeRoundRecord[], maxNodeRows: number, paint: ChalkInstance): string {
  const table = makeTable(NODE_COLUMNS, NODE_ALIGNS, paint);
  if (nodes.length <= maxNodeRows) {
    for (const node of nodes) table.push(paintRow(node, nodeRowCells(node), paint));
    return tableText(table);
  }
  for (const cells of statsRowsCells(nodes)) table.push(cells);
  const worst = selectWorstNodes(nodes, WORST_PER_KEY);
  if (worst.nodes.length > 0) {
    table.push(headingRow(WORST_NODES_HEADING, paint));
    for (const node of worst.nodes) table.push(paintRow(node, nodeRowCells(node), paint));
    for (const { key, value, more } of worst.tied) {
      const shown = key === 'efficiency' ? formatEfficiency(value) : formatWeight(value);
      table.push(headingRow(tiedOutText(key, shown, more), paint));
    }
  }
  const dropped = selectDroppedNodes(nodes, new Set(worst.nodes), MAX_DROPPED_ROWS);
  if (dropped.nodes.length > 0) {
    table.push(headingRow(DROPPED_NODES_HEADING, paint));
    for (const node of dropped.nodes) table.push(paintRow(node, nodeRowCells(node), paint));
    if (dropped.more > 0) table.push(headingRow(moreDroppedText(dropped.more), paint));
  }
  const groups = groupRows(nodes, paint);
  for (const row of groups) table.push(row);
  const counts = countStatuses(nodes);
  return `  ${nodeCountsLine({ nodes: nodes.length, ...counts })}\n${tableText(table)}`;
}

/**
 * Above GROUP_ROWS_ABOVE nodes, one low-median row per group of the scenario (`count:`), so a
 * reader sees where the weak nodes are without a row per node; nothing for a cluster of one group.
 */
function groupRows(nodes: readonly NodeRoundRecord[], paint: ChalkInstance): TableCell[][] {
  if (nodes.length <= GROUP_ROWS_ABOVE) return [];
  const groups = nodeGroups(nodes.map((node) => node.id));
  if (groups.length < 2 || groups.length === nodes.length) return [];
  const rows: TableCell[][] = [headingRow(GROUPS_HEADING, paint)];
  for (const group of groups.slice(0, MAX_GROUP_ROWS)) rows.push(groupRowCells(escapeForTerminal(group.name), nodes.slice(group.start, group.end)));
  if (groups.length > MAX_GROUP_ROWS) rows.push(headingRow(moreGroupsText(groups.length - MAX_GROUP_ROWS), paint));
  return rows;
}

function escapedStrategy(strategy: StrategySpec): StrategySpec {
  return {
    name: escapeForTerminal(strategy.name), batch: escapeForTerminal(strategy.batch),
    resources: escapeForTerminal(strategy.resources), aggregation: escapeForTerminal(strategy.aggregation),
  } as StrategySpec;
}

/** One round's block: its round line, then its node table (or summary). */
function renderRoundBlock(round: RoundRecord, maxNodeRows: number, paint: ChalkInstance): string {
  return `${paint.bold(renderRoundLine(round))}\n${renderNodeTable(round.nodes, maxNodeRows, paint)}`;
}

function renderRun(run: StrategyRun, blocks: readonly string[], paint: ChalkInstance): string {
  return [runTitle(run, paint), ...blocks].join('\n\n');
}

function runTitle(run: StrategyRun, paint: ChalkInstance): string {
  return paint.bold(runHeader(escapedStrategy(run.strategy), escapeForTerminal(run.backend)));
}

function tablesHeader(scenario: RunResult['scenario'], maxNodeRows: number, paint: ChalkInstance): string {
  const { name, file, seed, cluster } = scenario;
  const shownFile = file === null ? null : escapeForTerminal(file);
  return `${reportHeader(escapeForTerminal(name), shownFile, seed, cluster.nodes.length)}\n${paint.dim(legend(maxNodeRows, cluster.nodes.length > maxNodeRows))}`;
}

/**
 * The per-round tables of every run, under a header naming scenario and seed; ends in a
 * blank line so the summary can follow directly. `quiet` → empty (the summary alone).
 */
export function renderRunTables(result: RunResult, options: TableReportOptions): string {
  if (options.quiet) return '';
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const maxNodeRows = options.maxNodeRows ?? DEFAULT_MAX_NODE_ROWS;
  const runs = result.runs.map((run) => renderRun(run, run.rounds.map((round) => renderRoundBlock(round, maxNodeRows, paint)), paint));
  return `${[tablesHeader(result.scenario, maxNodeRows, paint), ...runs].join('\n\n')}\n\n`;
}

/**
 * Where RunTablesStream keeps its round blocks until the run ends, in the order pushed. The
 * default holds them in memory; the CLI's spills them to a temporary file past a size
 * (node/text-spool.ts), since 100,000 rounds of two strategies are 1.7 GB of text.
 */
export interface TextBlocks {
  push(text: string): void;
  /** the blocks [from, to), in order */
  read(from: number, to: number): Iterable<string>;
  /** the number pushed */
  readonly length: number;
  dispose?(): void;
}

/** TextBlocks in memory. */
export class MemoryBlocks implements TextBlocks {
  private readonly blocks: string[] = [];

  get length(): number {
    return this.blocks.length;
  }

  push(text: string): void {
    this.blocks.push(text);
  }

  read(from: number, to: number): Iterable<string> {
    return this.blocks.slice(from, to);
  }
}

/**
 * renderRunTables for a run that does not keep its node records (SPEC §9): each round's block
 * is rendered when the round finishes (`round`, fed by runScenario's onRound) and only the
 * text is kept, a screen per round; `pieces` then gives renderRunTables's text piece by piece
 * (never one string: past about 512 MiB V8 cannot make one), `render` as one string.
 */
export class RunTablesStream {
  private readonly paint: ChalkInstance;
  private readonly maxNodeRows: number;
  private readonly blocks: TextBlocks;
  /** per strategy run, in order: where its round blocks start in `blocks` (they end where the next run's start) */
  private readonly runStarts: number[] = [];
  private current: StrategySpec | null = null;

  constructor(private readonly options: TableReportOptions, blocks: TextBlocks = new MemoryBlocks()) {
    this.paint = new Chalk({ level: options.color ? 1 : 0 });
    this.maxNodeRows = options.maxNodeRows ?? DEFAULT_MAX_NODE_ROWS;
    this.blocks = blocks;
  }

  round(record: RoundRecord, strategy: StrategySpec): void {
    if (this.options.quiet) return;
    if (strategy !== this.current) {
      this.current = strategy;
      this.runStarts.push(this.blocks.length);
    }
    this.blocks.push(renderRoundBlock(record, this.maxNodeRows, this.paint));
  }

  /** A strategy run that ended: the next round starts the next run's blocks. */
  runEnd(run: StrategyRun): void {
    if (run.rounds.length === 0) this.runStarts.push(this.blocks.length);
    this.current = null;
  }

  /** The tables' text in order, a header, a run header or a round block at a time (with the blank lines between). */
  *pieces(result: RunResult): Generator<string> {
    if (this.options.quiet) return;
    yield tablesHeader(result.scenario, this.maxNodeRows, this.paint);
    for (let k = 0; k < result.runs.length; k++) {
      yield `\n\n${runTitle(result.runs[k]!, this.paint)}`;
      const from = this.runStarts[k];
      if (from === undefined) continue;
      const to = this.runStarts[k + 1] ?? this.blocks.length;
      for (const block of this.blocks.read(from, to)) yield `\n\n${block}`;
    }
    yield '\n\n';
  }

  render(result: RunResult): string {
    return [...this.pieces(result)].join('');
  }

  dispose(): void {
    this.blocks.dispose?.();
  }
}

/** The whole terminal report: the run tables (unless quiet), then the strategy summary. */
export function renderTableReport(result: RunResult, options: TableReportOptions): string {
  return renderRunTables(result, options) + renderSummary(result, options);
}
