/**
 * "Did you mean …?" for unknown keys and names (SPEC §1.5: a clear error). A candidate is
 * offered when it differs only in case, or is within edit distance 2 of what was typed and
 * closer than the typed word is long (so `x` does not "mean" `id`).
 */
const MAX_DISTANCE = 2;

/**
 * Levenshtein distance with adjacent transpositions counted as one edit (OSA). Past `limit`
 * it stops early and returns `limit + 1`: a file with 300k unknown keys asks this millions
 * of times, so it keeps three rows of typed arrays instead of a whole matrix.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const cols = b.length + 1;
  let twoBack = new Int32Array(cols);
  let previous = new Int32Array(cols);
  let current = new Int32Array(cols);
  for (let j = 0; j < cols; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, twoBack[j - 2]! + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // row minima never decrease (a swap costs 1 more than two rows up): no later row gets back under the limit
    if (rowMin > limit) return limit + 1;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length]!;
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
    const distance = editDistance(lower, candidate.toLowerCase(), MAX_DISTANCE);
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
