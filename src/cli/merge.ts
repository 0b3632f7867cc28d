/**
 * `dtrain merge DIR… --out DIR` (issue 5): combine the output directories of a sharded sweep
 * into what the unsharded sweep would have written — every run's report, `sweep.json` and the
 * same `summary.csv`, byte for byte (rows in grid order, rebuilt from the reports by the same
 * code). The directories must hold one grid, and together every run of it; otherwise nothing
 * is written (exit 2).
 */
import { statSync } from 'node:fs';
import { resolve, join } from 'node:path';
import type { Command } from 'commander';
import { DtrainError } from '../errors.js';
import { OutputWriter } from '../output-file.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { inspectStoredRun, readManifest, type StoredRun } from '../sweep/directory.js';
import { MANIFEST_FILE, manifestText, type ManifestRun } from '../sweep/manifest.js';
import { checkSweepOut } from '../sweep/resume-check.js';
import { SUMMARY_FILE, type SweepRow } from '../sweep/summary-csv.js';
import { isSameFile } from './output-plan.js';
import { isRegularFile, reportCheckNote, stageCopy } from './stage-copy.js';
import { finishSweepDir, planOutDir } from './sweep.js';
import { isStudyDir, mergeStudy } from './study-merge.js';
import { yieldTurn } from '../node/yield-turn.js';

function runLabel(run: ManifestRun, axes: Array<{ path: string }>): string {
  const point = axes.map((axis, i) => `${axis.path}=${run.point[i]}`).join(' ');
  return `${run.strategy}${point === '' ? '' : ` · ${point}`}`;
}

function describeRun(run: ManifestRun, axes: Array<{ path: string }>): string {
  return `${runLabel(run, axes)} (${run.report})`;
}

/** A directory to merge that is not there is named as such, not as one without a manifest. */
function checkDirectories(dirs: readonly string[]): void {
  for (const dir of dirs) {
    let stat;
    try {
      stat = statSync(dir);
    } catch (error) {
      // anything else (no permission) is named by the read that follows
      if (!['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) continue;
      throw new DtrainError('cli.invalidArgument', `${escapeForTerminal(dir)} does not exist; expected the --out directory of a sweep or study shard`, {
        hint: 'merge the --out directories of `dtrain sweep … --shard i/n` or `dtrain study … --shard i/n`',
      });
    }
    if (!stat.isDirectory()) throw new DtrainError('cli.invalidArgument', `${escapeForTerminal(dir)} is not a directory; expected the --out directory of a sweep or study shard`);
  }
}

async function merge(dirs: string[], flags: { out: string; json?: string; report?: string }): Promise<void> {
  checkDirectories(dirs);
  // study folders (`dtrain study … --shard i/n`) have a study.json instead of a sweep.json
  if (isStudyDir(dirs[0]!)) return mergeStudy(dirs, flags);
  const manifests = dirs.map((dir) => ({ dir, manifest: readManifest(dir) }));
  // a sweep has no study analysis to write: a file asked for and never written would pass unnoticed
  for (const [flag, value] of [['--json', flags.json], ['--report', flags.report]] as const) {
    if (value !== undefined) {
      throw new DtrainError('cli.invalidArgument', `${flag} writes a study's analysis, and ${escapeForTerminal(dirs[0]!)} is a sweep's output directory (${MANIFEST_FILE}): --json and --report are for study folders only`, {
        hint: 'leave them out: the merged sweep\'s summary.csv is in --out',
      });
    }
  }
  const first = manifests[0]!;
  for (const { dir, manifest } of manifests) {
    if (manifest.gridHash !== first.manifest.gridHash) {
      throw new DtrainError('sweep.otherGrid', `${escapeForTerminal(dir)} holds another sweep than ${escapeForTerminal(first.dir)} (grid ${manifest.gridHash.slice(0, 12)}… vs ${first.manifest.gridHash.slice(0, 12)}…)`, {
        hint: 'merge the shards of one sweep: the same scenario, --set, and --strategy flags',
      });
    }
  }
  const found: Array<{ run: ManifestRun; stored: StoredRun }> = [];
  const missing: ManifestRun[] = [];
  /** a missing run's report that is there but not complete (a shard stopped while writing it) */
  const cutShort = new Map<ManifestRun, string>();
  // each run's report as the loop below will first read it: in the first directory holding it
  const firstCopies = first.manifest.runs.map((run) => dirs.map((dir) => join(dir, run.report)).find(isRegularFile) ?? '');
  const note = reportCheckNote('merge', firstCopies);
  if (note !== null) process.stderr.write(`${escapeForTerminal(note)}\n`);
  for (const run of first.manifest.runs) {
    // reading every report is synchronous work: a Ctrl-C or SIGTERM waits for a turn
    await yieldTurn();
    // the first directory that holds it complete: a report may be a gigabyte, read no other copy
    let stored: StoredRun | undefined;
    // a complete report that is not right for the run: refused if no folder has a good one
    let broken: { path: string; problem: string } | undefined;
    for (const dir of dirs) {
      const found = inspectStoredRun(dir, run);
      if (found !== undefined && 'problem' in found) broken ??= found;
      else stored = found;
      if (stored !== undefined) break;
      if (found === undefined && !cutShort.has(run) && isRegularFile(join(dir, run.report))) cutShort.set(run, join(dir, run.report));
    }
    if (stored === undefined && broken !== undefined) {
      throw new DtrainError('sweep.badReport', `${escapeForTerminal(broken.path)}, the report of run ${run.index + 1} (${escapeForTerminal(runLabel(run, first.manifest.axes))}), is not a usable report: ${escapeForTerminal(broken.problem)}`, {
        hint: 'put back the file the sweep wrote, or remove it and run that shard again (its complete runs are skipped)',
      });
    }
    if (stored === undefined) missing.push(run);
    else found.push({ run, stored });
  }
  if (missing.length > 0) {
    const run = missing[0]!;
    const partial = cutShort.get(run);
    if (partial !== undefined) {
      throw new DtrainError('sweep.incomplete', `${missing.length} of ${first.manifest.runs.length} runs have no complete report in the directories; first: run ${run.index + 1}, ${escapeForTerminal(describeRun(run, first.manifest.axes))}: ${escapeForTerminal(partial)} is there, but cut short or not that run's report`, {
        hint: 'a shard stopped while writing it? re-run that shard (its complete runs are skipped), or put back the file the sweep wrote',
      });
    }
    throw new DtrainError('sweep.incomplete', `${missing.length} of ${first.manifest.runs.length} runs are in none of the directories; first: run ${run.index + 1}, ${escapeForTerminal(describeRun(run, first.manifest.axes))}`, {
      hint: 'merge needs every shard, complete: re-run the missing shard (complete runs are skipped)',
    });
  }
  // Everything is read by now, so --out may be one of the input directories; its files are
  // replaced all together or not at all.
  const names = [MANIFEST_FILE, SUMMARY_FILE];
  for (const { run } of found) names.push(run.report);
  const targets = planOutDir(flags.out, names, [], `a merge writes a folder of files (${MANIFEST_FILE}, every run's report, ${SUMMARY_FILE})`);
  checkSweepOut(flags.out, first.manifest, 'give the merge another --out directory');
  const writer = new OutputWriter();
  writer.ensureDir(resolve(flags.out), `--out ${escapeForTerminal(flags.out)}`);
  for (const { run, stored } of found) {
    if (!isSameFile(stored.path, join(flags.out, run.report))) stageCopy(writer, targets.get(run.report)!, stored.path);
  }
  writer.stage(targets.get(MANIFEST_FILE)!, manifestText({ ...first.manifest, shard: null }));
  const rows: SweepRow[] = found.map(({ run, stored }) => ({ run, outcome: stored.outcome }));
  finishSweepDir(flags.out, first.manifest, rows, { targets, writer });
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('combine the output directories of a sharded sweep or study into one (the same summary as unsharded)')
    .argument('<dirs...>', 'output directories of `dtrain sweep … --shard i/n`')
    .requiredOption('-o, --out <dir>', 'directory for the merged reports, sweep.json and summary.csv')
    .option('--json <file>', 'study folders only: also write the whole study as JSON to this file; - for standard output')
    .option('--report <file>', 'study folders only: also write the study\'s HTML report to this file; - for standard output')
    .addHelpText('after', `
Example:
  $ dtrain sweep s.yaml --set seed=1..10 --shard 1/2 --out part-1
  $ dtrain sweep s.yaml --set seed=1..10 --shard 2/2 --out part-2
  $ dtrain merge part-1 part-2 --out all
  $ dtrain merge study-1 study-2 --out study      # the shards of a dtrain study`)
    .action(merge);
}
