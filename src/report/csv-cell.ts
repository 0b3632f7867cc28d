/**
 * One CSV cell, for every CSV dtrain writes (`--csv` rounds.csv / nodes.csv and a sweep's
 * summary.csv), so the rules cannot drift apart:
 *
 * - RFC 4180: a cell holding `,`, `"`, CR or LF, or starting or ending with white space, is
 *   wrapped in double quotes with every `"` doubled.
 * - Formula injection (OWASP "CSV Injection"): a spreadsheet runs a text cell that starts
 *   with `=`, `+`, `-`, `@`, a tab or CR as a formula, and strategy names and `--set` values
 *   are the user's (or a shared file's) text. Such a TEXT cell is prefixed with `'` and
 *   wrapped in double quotes (`=1+2` → `"'=1+2"`), so it is shown as the text it is. A
 *   number stays a number: numeric values (negative ones included) and text that is exactly
 *   a decimal number (`-0.5`, a `--set` value) are written plainly.
 * - Numbers in JSON.stringify's shortest round-trip form (the JSON report's form), booleans
 *   as `true`/`false`, an empty cell for null, undefined and non-finite numbers.
 */

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function quoted(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** A text cell: neutralised when a spreadsheet would read it as a formula, quoted per RFC 4180. */
export function csvTextCell(text: string): string {
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) return quoted(`'${text}`);
  return NEEDS_QUOTES.test(text) ? quoted(text) : text;
}

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return csvTextCell(value);
}
