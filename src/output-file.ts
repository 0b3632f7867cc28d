/**
 * Output files are written whole or not at all (SPEC §1.5): write a temporary file beside the
 * target, then rename it over the target, so no reader ever sees half a file.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DtrainError } from './errors.js';

export function writeFileAtomic(path: string, content: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, content);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new DtrainError('output.unwritable', `cannot write '${path}': ${reason}`);
  }
}
