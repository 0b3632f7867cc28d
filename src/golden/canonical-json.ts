/**
 * A canonical JSON text of plain data: object keys sorted, no whitespace, numbers in
 * JSON.stringify's shortest round-trip form. Two values that are equal as data give the same
 * text whatever order their keys were built in, so the text can be hashed (scenario hashes,
 * sweep run keys).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // undefined only occurs as a missing field, which JSON leaves out; NaN/Infinity → null
    return JSON.stringify(value ?? null) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}
