/**
 * Building blocks for the scenario schema whose error wording is set here, so that messages
 * read `expected an integer from 1 to 100000` rather than zod's defaults (SPEC §1.5).
 */
import { z } from 'zod';
import { hasUnsafeCharacters } from '../text/terminal-escape.js';
import { SIZE_WORDS, UNIT_FIELDS, bandwidthBps, durationMs, sizeBytes } from './units.js';

export const DURATION_WORDS = 'a duration (ms, or a string like 250ms, 2s, 1.5m)';
export const BANDWIDTH_WORDS = 'a bandwidth (bits/s, or a string like 1Gbps, 100Mbps)';

export interface Bounds {
  int?: boolean;
  /** inclusive lower bound */
  min?: number;
  /** exclusive lower bound */
  above?: number;
  /** inclusive upper bound */
  max?: number;
  /** exclusive upper bound */
  below?: number;
}

/** `an integer from 1 to 100000`, `a number > 0`, `a number between 0 and 1 (exclusive)` … */
export function boundsWords(bounds: Bounds): string {
  const noun = bounds.int === true ? 'an integer' : 'a number';
  const { min, above, max, below } = bounds;
  if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
  if (above !== undefined && below !== undefined) return `${noun} between ${above} and ${below} (exclusive)`;
  const parts: string[] = [];
  if (min !== undefined) parts.push(`≥ ${min}`);
  if (above !== undefined) parts.push(`> ${above}`);
  if (max !== undefined) parts.push(`≤ ${max}`);
  if (below !== undefined) parts.push(`< ${below}`);
  return parts.length === 0 ? noun : `${noun} ${parts.join(' and ')}`;
}

export function numberIn(bounds: Bounds) {
  const error = boundsWords(bounds);
  let schema = z.number({ error });
  if (bounds.int === true) {
    // zod's int() also refuses integers past 2^53 − 1, which a double cannot hold exactly
    // (9007199254740993 reads as …992): an open-ended bound has to say so, or `≥ 0` would
    // be refused with no rule broken that the message names
    const openEnded = bounds.max === undefined && bounds.below === undefined;
    const unsafe = openEnded ? `${boundsWords({ ...bounds, max: Number.MAX_SAFE_INTEGER })} (2^53 − 1)` : error;
    schema = schema.int({ error: (issue) => (issue.code === 'too_big' ? unsafe : error) });
  }
  if (bounds.min !== undefined) schema = schema.min(bounds.min, { error });
  if (bounds.above !== undefined) schema = schema.gt(bounds.above, { error });
  if (bounds.max !== undefined) schema = schema.max(bounds.max, { error });
  if (bounds.below !== undefined) schema = schema.lt(bounds.below, { error });
  return schema;
}

/** A probability: 0 ≤ p ≤ 1. */
export const probability = () => numberIn({ min: 0, max: 1 });

/**
 * Duration in ms (SPEC §3 units). The outer union only words the "wrong type" case; the
 * conversion and the bounds are units.ts's.
 */
export function duration(options: { positive?: boolean } = {}) {
  return z.union([z.number(), z.string()], { error: DURATION_WORDS })
    .pipe(durationMs(options))
    .register(UNIT_FIELDS, { unit: 'duration', positive: options.positive === true });
}

/** Size in bytes (SPEC §6.3: k/K, M, G ×1000; Ki, Mi, Gi ×1024), ≥ 0 (or > 0 with `positive`). */
export function size(options: { positive?: boolean } = {}) {
  return z.union([z.number(), z.string()], { error: SIZE_WORDS })
    .pipe(sizeBytes(options))
    .register(UNIT_FIELDS, { unit: 'size', positive: options.positive === true });
}

export function bandwidth() {
  return z.union([z.number(), z.string()], { error: BANDWIDTH_WORDS })
    .pipe(bandwidthBps())
    .register(UNIT_FIELDS, { unit: 'bandwidth', positive: true });
}

/**
 * A map's wording for "not a map" only: its other issues (unknown keys) keep theirs. A plain
 * `{ error: '…' }` on an object would also replace the unknown-key message.
 */
export function notAMap(words: string) {
  return (issue: z.core.$ZodRawIssue): string | undefined => (issue.code === 'invalid_type' ? words : undefined);
}

/**
 * Names and paths end up on a terminal, in CSV and HTML: a control character (an ESC
 * sequence could recolour or clear the screen, a newline would break a table) or a bidi or
 * invisible format character (U+202E would show `gpj.exe` as `exe.jpg`) is refused, not
 * printed; the message shows it as an escape.
 */
export function nonEmptyString(words = 'a non-empty string') {
  return z
    .string({ error: words })
    .min(1, { error: words })
    .refine((text) => !hasUnsafeCharacters(text), { error: `${words} without control, bidi or invisible characters` });
}

/**
 * Free text that the reports show (a scenario's description): line breaks and tabs are text,
 * every other control, bidi or invisible character is refused as in a name.
 */
export function freeText(words = 'a string') {
  return z
    .string({ error: words })
    .refine((text) => !hasUnsafeCharacters(text.replace(/[\n\t]/g, ' ')), { error: `${words} without control, bidi or invisible characters (line breaks and tabs are fine)` });
}

/**
 * A refinement for maps that choose one variant by key (`{ blobs: … }` / `{ csv: … }`, a
 * latency process): exactly one of `keys` must be present. `what` names the variant kind.
 */
export function exactlyOneOf(keys: readonly string[], what: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const present = keys.filter((key) => value[key] !== undefined);
    if (present.length === 1) return;
    const found = present.length === 0 ? `no ${what}` : `${present.slice(0, -1).join(', ')} and ${present[present.length - 1]}`;
    ctx.addIssue({
      code: 'custom',
      message: `exactly one ${what} (${keys.join(', ')})`,
      input: value,
      // a second key is the one to remove, so point at it
      params: { found, locateKey: present.length > 1 ? present[1] : undefined },
    });
  };
}
