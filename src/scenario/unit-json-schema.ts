/**
 * JSON Schema for unit-bearing fields (SPEC §3 units), so that editors check them: a number
 * in the base unit, or a string that units.ts can parse — `250ms`, `2s`, `1Gbps` — matched
 * by a pattern that accepts the same spellings (spaces around; case as units.ts reads it).
 */
import { DURATION_WORDS } from './fields.js';
import { SIZE_WORDS, type UnitMeta } from './units.js';

const NUMBER = String.raw`\+?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?`;
const UNIT_PATTERNS: Record<UnitMeta['unit'], string> = {
  duration: '([mM][sS]|[sS]|[mM]|[mM][iI][nN]|[hH])',
  // sizes are case-sensitive (units.ts parseByteSize): k/K, M, G ×1000; Ki, Mi, Gi ×1024
  size: '(B|[kKMG]B?|[KMG]iB?)',
  // bits per second: the prefix and `ps` in any case, the b lower-case (B would be bytes)
  bandwidth: '([kKmMgGtT]?b[pP][sS])',
};
const UNIT_WORDS: Record<UnitMeta['unit'], string> = {
  duration: DURATION_WORDS,
  size: SIZE_WORDS,
  bandwidth: 'a bandwidth (bits/s, or a string like 1Gbps, 100Mbps)',
};

/** `{ anyOf: [number ≥ 0 (or > 0), string matching the unit pattern] }` with a description. */
export function unitJsonSchema(meta: UnitMeta): Record<string, unknown> {
  const bound = meta.positive ? { exclusiveMinimum: 0 } : { minimum: 0 };
  return {
    description: `${UNIT_WORDS[meta.unit]}${meta.positive ? ', > 0' : ''}`,
    anyOf: [
      { type: 'number', ...bound },
      { type: 'string', pattern: String.raw`^\s*${NUMBER}\s*${UNIT_PATTERNS[meta.unit]}?\s*$` },
    ],
  };
}

/** Rewrites a generated node in place: its own type / anyOf give way to the unit schema. */
export function applyUnitJsonSchema(jsonSchema: Record<string, unknown>, meta: UnitMeta): void {
  delete jsonSchema.type;
  delete jsonSchema.anyOf;
  Object.assign(jsonSchema, unitJsonSchema(meta));
}
