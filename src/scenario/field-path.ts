/** Field paths as users read them: `cluster.nodes[2].latency.normal.std` (SPEC §1.5). */
export type PathSegment = string | number;

export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** The value at `path` in plain data, and whether it is there at all. */
export function valueAt(root: unknown, path: readonly PathSegment[]): { exists: boolean; value: unknown } {
  let value: unknown = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) {
      return { exists: false, value: undefined };
    }
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return { exists: true, value };
}
