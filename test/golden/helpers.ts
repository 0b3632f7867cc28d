/** Reports for the golden-check tests, built from the hand-written tiny run of the report tests. */
import { parseReport, type Report } from '../../src/golden/report-file.js';
import { toJsonReport } from '../../src/report/json.js';
import type { RunResult } from '../../src/sim/records.js';
import { tinyResult } from '../report/fixtures.js';

export function reportOf(result: RunResult = tinyResult(), options: { hash?: string; version?: string } = {}): Report {
  const json = toJsonReport(result, { version: options.version ?? '0.1.0', trace: false, timing: false, scenarioHash: options.hash ?? 'h1' });
  return parseReport(json, 'test');
}

/** The tiny run with one change made by `edit` (a deep copy; the fixture is untouched). */
export function editedReport(edit: (report: Report) => void, options: { hash?: string; version?: string } = {}): Report {
  const report = structuredClone(reportOf(tinyResult(), options));
  edit(report);
  return report;
}
