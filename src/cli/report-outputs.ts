/**
 * `simulate --report FILE.html --timeline FILE.json --csv DIR`: the paths are checked before
 * the run (a bad one is exit 2 and nothing runs), the files written only after it succeeded,
 * each one atomically (SPEC §1.5). The renderers are imported lazily: vega is only loaded
 * when a report is asked for.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DtrainError } from '../errors.js';
import { writeFileAtomic } from '../output-file.js';
import type { RunResult } from '../sim/records.js';
import { checkOutputPath } from './options.js';

export interface ReportFlags {
  report?: string;
  timeline?: string;
  csv?: string;
}

export interface ReportPaths {
  report?: string;
  timeline?: string;
  csvDir?: string;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** A file to create: its directory must exist and the path must not be a directory. */
function checkOutputFile(path: string, flag: string): string {
  const absolute = checkOutputPath(path, flag);
  if (isDirectory(absolute)) {
    throw new DtrainError('cli.invalidArgument', `${flag} ${path}: is a directory, expected a file name`);
  }
  return absolute;
}

/** A directory that may not exist yet (it is created after the run); its parent must. */
function checkOutputDir(path: string, flag: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) {
    if (!isDirectory(absolute)) throw new DtrainError('cli.invalidArgument', `${flag} ${path}: exists and is not a directory`);
    return absolute;
  }
  if (!isDirectory(dirname(absolute))) {
    throw new DtrainError('cli.invalidArgument', `${flag} ${path}: parent directory '${dirname(path)}' does not exist`);
  }
  return absolute;
}

/** Validates every report path up front; throws DtrainError (exit 2) on the first bad one. */
export function checkReportPaths(flags: ReportFlags): ReportPaths {
  return {
    ...(flags.report === undefined ? {} : { report: checkOutputFile(flags.report, '--report') }),
    ...(flags.timeline === undefined ? {} : { timeline: checkOutputFile(flags.timeline, '--timeline') }),
    ...(flags.csv === undefined ? {} : { csvDir: checkOutputDir(flags.csv, '--csv') }),
  };
}

/** Renders and writes the reports asked for, after a successful run. */
export async function writeReports(
  result: RunResult,
  paths: ReportPaths,
  options: { version: string; timing: boolean },
): Promise<void> {
  if (paths.report !== undefined) {
    const { renderHtmlReport } = await import('../report/html/page.js');
    writeFileAtomic(paths.report, await renderHtmlReport(result, options));
  }
  if (paths.timeline !== undefined) {
    const { toTimelineJson } = await import('../report/timeline.js');
    writeFileAtomic(paths.timeline, toTimelineJson(result, options));
  }
  if (paths.csvDir !== undefined) {
    const { toCsvFiles } = await import('../report/csv.js');
    const dir = paths.csvDir;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
      throw new DtrainError('output.unwritable', `cannot create '${dir}': ${reason}`);
    }
    for (const [name, text] of Object.entries(toCsvFiles(result))) writeFileAtomic(join(dir, name), text);
  }
}
