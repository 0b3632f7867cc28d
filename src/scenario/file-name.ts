/**
 * The last part of a path, as POSIX `path.basename` / `path.extname` give it, without
 * node:path (the core runs in hosts that have none): a scenario's default name is its file's
 * name without the extension, and hashes and dataset names keep only a file's base name.
 */

/** `/a/b/c.csv` → `c.csv`; trailing slashes are ignored, as path.basename does. */
export function baseName(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === '/') end--;
  const trimmed = path.slice(0, end);
  if (trimmed === '/') return '';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** `/a/b/c.yaml` → `c`; a leading dot (`.env`) starts a name, not an extension. */
export function stemName(path: string): string {
  const base = baseName(path);
  const dot = base.lastIndexOf('.');
  return dot <= 0 || base === '..' ? base : base.slice(0, dot);
}
