/**
 * File paths as the HTML report shows them. A report is shared (attached to an issue,
 * published by CI), so it must not disclose where files live on the author's machine
 * (`/home/alice/work/…`): a path inside the working directory is shown relative to it,
 * any other path (absolute elsewhere, or climbing out with `..`) by its base name alone.
 */
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import type { PathDisplay } from '../report/html/path-display.js';

/** `file` relative to `workingDir` when it lies inside it, else its base name; never absolute. */
export function displayPath(file: string, workingDir: string): string {
  const inside = relative(workingDir, resolve(workingDir, file));
  const escapes = inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
  return escapes ? basename(file) : inside.split(sep).join('/');
}

export function pathDisplayFrom(workingDir: string): PathDisplay {
  return (file) => displayPath(file, workingDir);
}
