/**
 * `dtrain merge` of study folders (`dtrain study … --shard i/n`): every run's record (and full
 * report with --store full) and study.json, then the same summary.csv, study-results.json and
 * tables as the unsharded study, rebuilt from the records by the same code. The folders must
 * hold one study and together every run; otherwise nothing is written (exit 2).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DtrainError } from '../errors.js';
import { OutputWriter } from '../output-file.js';
import { fullReportName, sameStudy, studyDifference, STUDY_MANIFEST_FILE, studyManifestText, type StudyManifest } from '../study/manifest.js';
import { STUDY_RESULTS_FILE, STUDY_SUMMARY_FILE } from '../study/outputs.js';
import type { StudyRecord } from '../study/record.js';
import { inspectFullReport, inspectStoredRecord, readStudyManifest } from '../study/store.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { isSameFile } from './output-plan.js';
import { isRegularFile, reportCheckNote, stageCopy } from './stage-copy.js';
import { checkStudyOut, finishStudy, planStudyOutputs } from './study.js';
import { yieldTurn } from '../node/yield-turn.js';

export function isStudyDir(dir: string): boolean {
  return existsSync(join(dir, STUDY_MANIFEST_FILE));
}

/**
 * `--json` and `--report` may name no file the merge reads: the scenario the study was made
 * from, nor any file of a shard folder (its manifest, its records). `--out` itself may be one of
 * the shard folders: its records are the merged ones and are left as they are.
 */
function refuseInputsAsOutputs(dirs: readonly string[], manifest: StudyManifest, flags: { json?: string; report?: string }): void {
  const inputs: Array<{ what: string; path: string }> = [{ what: 'the scenario file', path: resolve(manifest.grid.scenario.file) }];
  for (const dir of dirs) {
    for (const name of readdirSync(dir)) inputs.push({ what: `a file of the shard folder ${escapeForTerminal(dir)}`, path: resolve(dir, name) });
  }
  for (const [flag, path] of [['--json', flags.json], ['--report', flags.report]] as const) {
    if (path === undefined || path === '-') continue;
    const hit = inputs.find((input) => resolve(path) === input.path || isSameFile(path, input.path));
    if (hit !== undefined) {
      throw new DtrainError('cli.invalidArgument', `${flag} ${escapeForTerminal(path)} would overwrite ${hit.what} '${escapeForTerminal(relative(process.cwd(), hit.path) || hit.path)}', which this command reads; write the output somewhere else`);
    }
  }
}

/** What is wrong with a run's full report that inspectFullReport did not accept, for a message after its path. */
function fullReportProblem(path: string, report: { problem: string } | undefined): { path: string; problem: string } {
  if (report !== undefined) return { path, problem: `is not a usable report: ${report.problem}` };
  if (!existsSync(path)) return { path, problem: 'is missing (a study run with --store full keeps one beside each record)' };
  return { path, problem: 'is there, but cut short or not that run\'s report' };
}

export async function mergeStudy(dirs: readonly string[], flags: { out: string; json?: string; report?: string }): Promise<void> {
  const manifests = dirs.map((dir) => {
    const manifest = readStudyManifest(dir);
    if (manifest === undefined) throw new DtrainError('study.notAStudy', `${escapeForTerminal(dir)} is not a study output directory (no ${STUDY_MANIFEST_FILE})`, { hint: 'merge the --out folders of one `dtrain study … --shard i/n`' });
    return { dir, manifest };
  });
  const first = manifests[0]!;
  for (const { dir, manifest } of manifests) {
    if (!sameStudy(manifest, first.manifest)) {
      throw new DtrainError('study.otherStudy', `${escapeForTerminal(dir)} holds another study than ${escapeForTerminal(first.dir)}`, {
        hint: 'merge the shards of one study: the same scenario, --seeds, --strategy, --baseline, --target, --ablate and --store',
      });
    }
    const field = studyDifference(manifest, first.manifest);
    if (field !== undefined) {
      throw new DtrainError('study.otherStudy', `${escapeForTerminal(join(dir, STUDY_MANIFEST_FILE))} differs from ${escapeForTerminal(join(first.dir, STUDY_MANIFEST_FILE))} in ${field}, so they are not shards of one study`, {
        hint: 'merge the shards of one study, run by the same dtrain with the same command but --shard',
      });
    }
  }
  const full = first.manifest.store === 'full';
  if (full) {
    // each run's full report is read whole to check it is complete: say so when that takes a while
    const firstCopies = first.manifest.grid.runs.map((run) => dirs.map((dir) => join(dir, fullReportName(run.report))).find(isRegularFile) ?? '');
    const note = reportCheckNote('merge', firstCopies);
    if (note !== null) process.stderr.write(`${escapeForTerminal(note)}\n`);
  }
  const found: Array<{ report: string; dir: string; text: string; record: StudyRecord; fullReport?: string }> = [];
  let missing = 0;
  let firstMissing = '';
  for (const run of first.manifest.grid.runs) {
    // reading every record (and full report) is synchronous work: a Ctrl-C or SIGTERM waits for a turn
    await yieldTurn();
    const label = `${run.strategy} · seed ${run.seed}`;
    let hit: (typeof found)[number] | undefined;
    // a copy that is there but no complete record of this run: refused if no folder has a good one
    let broken: { path: string; problem: string } | undefined;
    // with --store full, a good record whose full report is not: refused if no folder has both
    let badFull: { path: string; problem: string } | undefined;
    for (const dir of dirs) {
      const stored = inspectStoredRecord(dir, run);
      if (stored === undefined) continue;
      if (!('record' in stored)) {
        broken ??= { path: join(dir, run.report), problem: stored.problem };
        continue;
      }
      let fullReport: string | undefined;
      if (full) {
        const report = inspectFullReport(dir, run);
        if (report === undefined || 'problem' in report) {
          badFull ??= fullReportProblem(join(dir, fullReportName(run.report)), report);
          continue;
        }
        // copied as it is, never held as one string (it may be over a gigabyte)
        fullReport = report.path;
      }
      hit = { report: run.report, dir, text: stored.text, record: stored.record, fullReport };
      break;
    }
    if (hit === undefined && badFull !== undefined) {
      throw new DtrainError('study.badFullReport', `${escapeForTerminal(badFull.path)}, the full report of ${escapeForTerminal(label)}, ${badFull.problem}`, {
        hint: 'put back the file the study wrote, or run that shard again (a run whose full report is missing or cut short is run again)',
      });
    }
    if (hit === undefined && broken !== undefined) {
      throw new DtrainError('study.badRecord', `${escapeForTerminal(broken.path)}, the record of ${escapeForTerminal(label)}, ${broken.problem.startsWith('is ') ? broken.problem : `is not a usable record: ${broken.problem}`}`, {
        hint: 'put back the file the study wrote, or remove it and run that shard again (its complete runs are skipped)',
      });
    }
    if (hit === undefined) {
      if (missing === 0) firstMissing = `${label} (${run.report})`;
      missing += 1;
    } else found.push(hit);
  }
  if (missing > 0) {
    throw new DtrainError('study.incomplete', `${missing} of ${first.manifest.grid.runs.length} runs are in none of the directories; first: ${escapeForTerminal(firstMissing)}`, {
      hint: 'merge needs every shard, complete: re-run the missing shard (complete runs are skipped)',
    });
  }
  const names = [STUDY_MANIFEST_FILE, STUDY_SUMMARY_FILE, STUDY_RESULTS_FILE];
  for (const { report } of found) {
    names.push(report);
    if (full) names.push(fullReportName(report));
  }
  refuseInputsAsOutputs(dirs, first.manifest, flags);
  const outputs = planStudyOutputs(flags.out, names, flags);
  checkStudyOut(flags.out, first.manifest, 'give the merge another --out directory');
  const { targets } = outputs;
  const writer = new OutputWriter();
  writer.ensureDir(resolve(flags.out), `--out ${escapeForTerminal(flags.out)}`);
  for (const { report, dir, text, fullReport } of found) {
    if (isSameFile(join(dir, report), join(flags.out, report))) continue;
    writer.stage(targets.get(report)!, text);
    if (fullReport !== undefined) stageCopy(writer, targets.get(fullReportName(report))!, fullReport);
  }
  const merged: StudyManifest = { ...first.manifest, grid: { ...first.manifest.grid, shard: null } };
  writer.stage(targets.get(STUDY_MANIFEST_FILE)!, studyManifestText(merged));
  await finishStudy(flags.out, merged, found.map((f) => f.record), { ...outputs, writer });
}
