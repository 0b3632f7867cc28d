/**
 * Stored run reports as large files: a merge's copy of a shard's report into its --out, read
 * and written a megabyte at a time (a 131,072-node run's report is over a gigabyte, more than
 * one JavaScript string holds, and a merge of many must not hold them all until its outputs
 * are committed), and the note that reading them for a resume or merge will take a while.
 */
import { statSync } from 'node:fs';
import { DtrainError } from '../errors.js';
import { readFileInChunks } from '../node/read-file.js';
import type { OutputTarget, OutputWriter } from '../output-file.js';
import { formatBytes } from '../scenario/text-file.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { runSteps, type Steps } from '../train/steps.js';
import { eachInSteps } from './plan-stop.js';

/** Stages a copy of the regular file `source` as `target`; a read failure removes every staged file (exit 2). */
export function stageCopy(writer: OutputWriter, target: OutputTarget, source: string): void {
  writer.stageFrom(target, (append) => {
    const read = readFileInChunks(source, (chunk) => append(chunk), { regularOnly: true });
    if (!read.ok) throw new DtrainError('merge.unreadableReport', `cannot read ${escapeForTerminal(source)}: ${read.problem}; no output was written`);
  });
}

/** Whether `path` is a regular file (following links), as a report to copy must be. */
export function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Below this much, reading the stored reports takes a few seconds at most: no note. */
export const CHECK_NOTE_BYTES = 100 * 1024 ** 2;

/**
 * A line for stderr before a resume or merge reads large stored reports, null for small ones:
 * each is read whole to check it is complete (about 25 s a gigabyte on a 2-core machine), and a
 * quiet minute must not be taken for a hang. `paths`: the reports it will read (missing ones
 * count for nothing).
 */
export function reportCheckNote(command: string, paths: readonly string[]): string | null {
  return runSteps(reportCheckNoteSteps(command, paths));
}

/** reportCheckNote in steps (a stat a report: over a second for a grid of 100,000 runs); `count.done` counts the paths looked at. */
export function* reportCheckNoteSteps(command: string, paths: readonly string[], count?: { done: number }): Steps<string | null> {
  let reports = 0;
  let bytes = 0;
  yield* eachInSteps(paths, (path) => {
    try {
      const stat = statSync(path);
      if (!stat.isFile()) return;
      reports += 1;
      bytes += stat.size;
    } catch {
      // not there: nothing to read
    }
  }, count);
  if (bytes < CHECK_NOTE_BYTES) return null;
  const them = reports === 1 ? '1 stored report' : `${reports} stored reports`;
  return `${command}: reading ${them} (${formatBytes(bytes)}) to check ${reports === 1 ? 'it is' : 'they are'} complete, about 25 s a gigabyte`;
}
