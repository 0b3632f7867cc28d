/**
 * Reporter registry (knip style): one name → one function from a `RunResult` to the text
 * to write. The CLI picks by name; each reporter reads the options it needs.
 */
import type { RunResult } from '../sim/records.js';
import { toJsonReport, type JsonReportOptions } from './json.js';
import { renderTableReport, type TableReportOptions } from './table.js';

export type ReporterOptions = JsonReportOptions & TableReportOptions;
export type Reporter = (result: RunResult, options: ReporterOptions) => string;

export const reporters = {
  table: renderTableReport,
  json: toJsonReport,
} satisfies Record<string, Reporter>;

export type ReporterName = keyof typeof reporters;

export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(reporters, name);
}

export { toJsonReport, SCHEMA_VERSION, type JsonReportOptions } from './json.js';
export {
  renderRunTables, renderSummary, renderTableReport, DEFAULT_MAX_NODE_ROWS, type SummaryOptions, type TableReportOptions,
} from './table.js';
