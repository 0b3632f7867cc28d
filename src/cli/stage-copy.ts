/**
 * A merge's copy of a shard's run report into its --out, read and written a megabyte at a
 * time: a 131,072-node run's report is over a gigabyte, more than one JavaScript string holds,
 * and a merge of many must not hold them all until its outputs are committed.
 */
import { statSync } from 'node:fs';
import { DtrainError } from '../errors.js';
import { readFileInChunks } from '../node/read-file.js';
import type { OutputTarget, OutputWriter } from '../output-file.js';
import { escapeForTerminal } from '../text/terminal-escape.js';

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
