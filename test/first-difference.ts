/**
 * Where two long texts (whole reports) first differ, with some context; null when they are
 * the same. `expect(a).toBe(b)` on reports of tens of MB makes vitest diff them, which took a
 * quarter of an hour for one broken run; this says where in a moment.
 */
export function firstDifference(a: string, b: string, context = 120): string | null {
  if (a === b) return null;
  let at = 0;
  while (at < a.length && at < b.length && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  const from = Math.max(0, at - context);
  return `at character ${at} of ${a.length} / ${b.length}:\n  ${JSON.stringify(a.slice(from, at + context))}\n  ${JSON.stringify(b.slice(from, at + context))}`;
}
