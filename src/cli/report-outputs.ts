/**
 * `simulate --json FILE --report FILE.html --timeline FILE.json --csv DIR`: every path is
 * checked before the run (src/cli/output-plan.ts: writable, not a directory, not an input, not
 * another output; a bad one is exit 2 and nothing runs); after the run every file is staged
 * and the set committed at once (src/output-file.ts), so a failure leaves none of them. The
 * renderers are imported lazily: vega is only loaded when a report is asked for.
 */
import { writeSync } from 'node:fs';
import { DtrainError } from '../errors.js';
import type { OutputTarget, OutputWriter } from '../output-file.js';
import { NODES_CSV, ROUNDS_CSV } from '../report/csv.js';
import type { RunColumns } from '../report/html/chart-data.js';
import type { RunResult } from '../sim/records.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
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

/**
 * Renders the HTML report when asked for and stages it in `writer` (committed by the caller);
 * the JSON, the CSV files and the timeline are written as the run goes (simulate.ts).
 */
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
}

/**
 * A reader of standard output that goes away early (`dtrain simulate --ndjson - | head`) ends
 * the process at the next write (src/cli.ts), quietly, as `yes | head` does: what it stopped
 * reading was its own choice. But the files a run writes at its end (`--json run.json` beside
 * `--ndjson -`) are then never written, and that is not the reader's choice: standard error
 * names them in one line and the exit code is 1. `written` marks the set committed, after
 * which a reader gone costs nothing but its own output. Returns the dispose function.
 */
export function guardStdoutReader(files: readonly OutputTarget[]): { written(): void; dispose(): void } {
  let committed = false;
  const unwritten = files.filter((target) => target.kind !== 'stdout').map((target) => target.label);
  const onError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE' || committed || unwritten.length === 0) return;
    try {
      writeSync(2, `error: the reader of standard output went away before the run ended; not written: ${unwritten.join(', ')}\n`);
    } catch {
      // standard error is gone too: the exit code is all that is left
    }
    process.exitCode = 1;
  };
  // before src/cli.ts's listener, which exits with the exit code set here
  process.stdout.prependListener('error', onError);
  return {
    written: () => void (committed = true),
    dispose: () => void process.stdout.off('error', onError),
  };
}

/** The outputs a simulate run stages and commits at its end (not the NDJSON: written as the run goes). */
export function stagedTargets(outputs: SimulateOutputs, extra: readonly (OutputTarget | undefined)[] = []): OutputTarget[] {
  const targets: OutputTarget[] = [];
  for (const target of [outputs.json, outputs.report, outputs.timeline, ...extra]) if (target !== undefined) targets.push(target);
  if (outputs.csv !== undefined) targets.push({ kind: 'file', path: outputs.csv.dir, label: escapeForTerminal(outputs.csv.label) });
  return targets;
}
