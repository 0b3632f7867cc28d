/**
 * `simulate --json FILE --report FILE.html --timeline FILE.json --csv DIR`: every path is
 * checked before the run (src/cli/output-plan.ts: writable, not a directory, not an input, not
 * another output; a bad one is exit 2 and nothing runs); after the run every file is staged
 * and the set committed at once (src/output-file.ts), so a failure leaves none of them. The
 * renderers are imported lazily: vega is only loaded when a report is asked for.
 */
import { DtrainError } from '../errors.js';
import type { OutputTarget, OutputWriter } from '../output-file.js';
import { NODES_CSV, ROUNDS_CSV } from '../report/csv.js';
import type { RunColumns } from '../report/html/chart-data.js';
import type { RunResult } from '../sim/records.js';
import { OutputPlan } from './output-plan.js';

export interface ReportFlags {
  json?: string;
  ndjson?: string;
  report?: string;
  timeline?: string;
  csv?: string;
}

export interface SimulateOutputs {
  plan: OutputPlan;
  json?: OutputTarget;
  /** written in place as the run goes, not staged (simulate.ts) */
  ndjson?: OutputTarget;
  report?: OutputTarget;
  timeline?: OutputTarget;
  csv?: { dir: string; label: string; files: Map<string, OutputTarget> };
}

/** Validates every output path up front; throws DtrainError (exit 2) on the first bad one. */
export function planSimulateOutputs(flags: ReportFlags): SimulateOutputs {
  const plan = new OutputPlan();
  const outputs: SimulateOutputs = { plan };
  if (flags.json !== undefined) outputs.json = plan.file('--json', flags.json, { dash: true });
  if (flags.ndjson !== undefined) outputs.ndjson = plan.file('--ndjson', flags.ndjson, { dash: true });
  if (flags.report !== undefined) outputs.report = plan.file('--report', flags.report, { dash: true });
  if (flags.timeline !== undefined) outputs.timeline = plan.file('--timeline', flags.timeline, { dash: true });
  if (flags.csv !== undefined) {
    if (flags.csv === '-') throw new DtrainError('cli.invalidArgument', '--csv -: --csv writes two files into a directory, it cannot go to standard output; name a directory');
    const dir = plan.directory('--csv', flags.csv, { parents: false });
    const files = new Map<string, OutputTarget>();
    for (const name of [ROUNDS_CSV, NODES_CSV]) files.set(name, plan.fileIn('--csv', dir, flags.csv, name));
    outputs.csv = { dir, label: `--csv ${flags.csv}`, files };
  }
  return outputs;
}

/** Renders the reports asked for and stages them in `writer` (committed by the caller). */
export async function stageReports(
  result: RunResult,
  outputs: SimulateOutputs,
  writer: OutputWriter,
  options: { version: string; timing: boolean; columns?: readonly RunColumns[] },
): Promise<void> {
  if (outputs.report !== undefined) {
    const { renderHtmlReport } = await import('../report/html/page.js');
    const { pathDisplayFrom } = await import('../node/display-path.js');
    writer.stage(outputs.report, await renderHtmlReport(result, { ...options, showPath: pathDisplayFrom(process.cwd()) }));
  }
  if (outputs.timeline !== undefined) {
    const { toTimelineJson } = await import('../report/timeline.js');
    writer.stage(outputs.timeline, toTimelineJson(result, options));
  }
  if (outputs.csv !== undefined) {
    const { toCsvFiles } = await import('../report/csv.js');
    writer.ensureDir(outputs.csv.dir, outputs.csv.label);
    const texts = new Map<string, string>(Object.entries(toCsvFiles(result)));
    for (const [name, target] of outputs.csv.files) writer.stage(target, texts.get(name)!);
  }
}
