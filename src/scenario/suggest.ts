/**
 * "Did you mean …?" for unknown keys and names (SPEC §1.5: a clear error). A candidate is
 * offered when it differs only in case, or is within edit distance 2 of what was typed and
 * closer than the typed word is long (so `x` does not "mean" `id`).
 */
const MAX_DISTANCE = 2;

/** Levenshtein distance with adjacent transpositions counted as one edit (OSA). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate, or undefined when none is close enough. Ties go to the first listed. */
export function didYouMean(typed: string, candidates: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower && c !== typed);
  if (sameCase !== undefined) return sameCase;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // the distance is at least the difference in length: skip hopeless (or huge) words cheaply
    if (Math.abs(candidate.length - typed.length) > MAX_DISTANCE) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= MAX_DISTANCE && distance < typed.length && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` — did you mean X?` or '' — appended to an "expected" text. */
export function suggestionSuffix(typed: string, candidates: readonly string[]): string {
  const match = didYouMean(typed, candidates);
  return match === undefined ? '' : ` — did you mean ${match}?`;
}
