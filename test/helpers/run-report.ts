import { type RunOutcome, RunReportReader } from '../../src/sweep/run-report.js';

/** The run's outcome if `text` is its complete report, else undefined: the reader fed the whole text at once. */
export function readRunReport(text: string, key: string): RunOutcome | undefined {
  const reader = new RunReportReader(key);
  reader.write(new TextEncoder().encode(text));
  return reader.end();
}
