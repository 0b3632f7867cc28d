/**
 * Names that look alike: two strategy names a table shows as the same word (`s1s4` and
 * `ѕ1ѕ4`, whose ѕ is Cyrillic; `fedavg` and `fedavg` with a Cyrillic а) would let a scenario
 * pass one strategy off as another. Compared by their UTS #39 skeletons: NFD, every character
 * replaced by the prototype Unicode's confusables table gives it, NFD again.
 */
import { CONFUSABLE_PAIRS } from './confusables-table.js';

let prototypes: Map<string, string> | null = null;

function fromHex(points: string): string {
  // most sides are one code point
  if (!points.includes(',')) return String.fromCodePoint(parseInt(points, 16));
  return String.fromCodePoint(...points.split(',').map((point) => parseInt(point, 16)));
}

/** The table unpacked, once, by the first skeleton a run needs. */
function prototypeTable(): Map<string, string> {
  const table = new Map<string, string>();
  for (const entry of CONFUSABLE_PAIRS.split(';')) {
    const colon = entry.indexOf(':');
    table.set(fromHex(entry.slice(0, colon)), fromHex(entry.slice(colon + 1)));
  }
  return table;
}

/** The UTS #39 skeleton of `text`: equal skeletons look alike. */
export function skeleton(text: string): string {
  const table = (prototypes ??= prototypeTable());
  let out = '';
  for (const char of text.normalize('NFD')) out += table.get(char) ?? char;
  return out.normalize('NFD');
}

/** Whether two different names look alike. */
export function looksLike(a: string, b: string): boolean {
  return a !== b && skeleton(a) === skeleton(b);
}

/**
 * `text` quoted, with its characters outside ASCII named by code point, so that a message can
 * show how two look-alike names differ: `"ѕ1ѕ4" (with U+0455)`.
 */
export function spelledOut(text: string): string {
  const codes = new Set<string>();
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code > 0x7e) codes.add(`U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  return codes.size === 0 ? `"${text}"` : `"${text}" (with ${[...codes].join(', ')})`;
}
